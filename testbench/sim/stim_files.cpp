// Reading the stimulus directory and writing out.hex (see stim_files.h).
#include "stim_files.h"

#include <fstream>
#include <map>
#include <sstream>

namespace escgen::sim {

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_hex_beat(const std::string& line, int bits, std::vector<uint32_t>& words) {
  const size_t digits = static_cast<size_t>((bits + 3) / 4);
  const size_t nwords = static_cast<size_t>((bits + 31) / 32);
  if (line.size() != digits) return false;
  const size_t base = words.size();
  words.resize(base + nwords, 0);
  for (size_t i = 0; i < digits; ++i) {  // i: digit index from the least significant end
    const int v = hex_value(line[digits - 1 - i]);
    if (v < 0) return false;
    const int lsb = static_cast<int>(4 * i);
    if (lsb + 4 > bits && (v >> (bits - lsb)) != 0) return false;  // wider than bits
    words[base + i / 8] |= static_cast<uint32_t>(v) << (4 * (i % 8));
  }
  return true;
}

std::string hex_beat(const uint32_t* words, int bits) {
  const size_t digits = static_cast<size_t>((bits + 3) / 4);
  std::string s(digits, '0');
  for (size_t i = 0; i < digits; ++i) {
    uint32_t v = (words[i / 8] >> (4 * (i % 8))) & 0xFu;
    const int lsb = static_cast<int>(4 * i);
    if (lsb + 4 > bits) v &= (1u << (bits - lsb)) - 1;
    s[digits - 1 - i] = "0123456789abcdef"[v];
  }
  return s;
}

static Beats read_beats(const std::string& file, int bits, size_t expected) {
  std::ifstream f(file);
  if (!f) throw UsageError(file + ": cannot open");
  Beats b;
  b.bits = bits;
  b.words_per_beat = static_cast<size_t>((bits + 31) / 32);
  b.words.reserve(expected * b.words_per_beat);
  std::string line;
  for (size_t n = 1; std::getline(f, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!parse_hex_beat(line, bits, b.words))
      throw UsageError(file + ":" + std::to_string(n) + ": expected " +
                       std::to_string((bits + 3) / 4) + " hex digits of a " + std::to_string(bits) +
                       "-bit value");
    ++b.count;
  }
  if (b.count != expected)
    throw UsageError(file + ": " + std::to_string(b.count) + " lines, meta.txt says " +
                     std::to_string(expected));
  return b;
}

StimFiles read_stim_dir(const std::string& dir) {
  const std::string meta_file = dir + "/meta.txt";
  std::ifstream f(meta_file);
  if (!f) throw UsageError(meta_file + ": cannot open");
  std::map<std::string, long long> meta;
  std::string line;
  for (int n = 1; std::getline(f, line); ++n) {
    std::istringstream ls(line);
    std::string key;
    long long value = 0;
    if (!(ls >> key >> value) || value < 0)
      throw UsageError(meta_file + ":" + std::to_string(n) + ": expected `name value`");
    meta[key] = value;
  }
  auto get = [&](const char* key) {
    const auto it = meta.find(key);
    if (it == meta.end()) throw UsageError(meta_file + ": " + key + ": missing");
    return it->second;
  };
  StimFiles s;
  const Beats regs = read_beats(dir + "/regs.hex", 64, static_cast<size_t>(get("regs")));
  for (size_t i = 0; i < regs.count; ++i) s.regs.emplace_back(regs.beat(i)[1], regs.beat(i)[0]);
  s.wgt = read_beats(dir + "/wgt.hex", static_cast<int>(get("wgt_bits")),
                     static_cast<size_t>(get("wgt")));
  s.act = read_beats(dir + "/act.hex", static_cast<int>(get("act_bits")),
                     static_cast<size_t>(get("act")));
  s.out_bits = static_cast<int>(get("out_bits"));
  s.out_count = static_cast<size_t>(get("out"));
  if (s.regs.empty()) throw UsageError(dir + "/regs.hex: no register writes");
  return s;
}

void write_out_hex(const std::string& file, const Beats& out) {
  std::ofstream f(file, std::ios::binary);
  for (size_t i = 0; i < out.count; ++i) f << hex_beat(out.beat(i), out.bits) << '\n';
  if (!f) throw UsageError(file + ": cannot write");
}

}  // namespace escgen::sim
