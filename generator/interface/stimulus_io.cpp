// The stimulus directory on disk: meta.txt (decimal `name value` lines), regs.hex, wgt.hex,
// act.hex, and out.hex written by the simulator (see stimulus.h, docs/interface.md).
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "interface/stimulus.h"
#include "util/error.h"

namespace escgen {

namespace fs = std::filesystem;

static void write_text(const fs::path& file, const std::string& text) {
  std::ofstream f(file, std::ios::binary);
  f << text;
  if (!f) throw InputError(fmt::format("{}: cannot write", file.string()));
}

static std::string beats_text(std::span<const BitVec> beats) {
  std::string s;
  for (const BitVec& b : beats) {
    s += b.to_hex();
    s += '\n';
  }
  return s;
}

void write_stimulus(const fs::path& dir, const Stimulus& s) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw InputError(fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
  write_text(dir / "meta.txt",
             fmt::format("regs {}\nwgt {}\nact {}\nout {}\nwgt_bits {}\nact_bits {}\nout_bits {}\n",
                         s.regs.size(), s.wgt.size(), s.act.size(), s.out_beats, s.wgt_bits,
                         s.act_bits, s.out_bits));
  std::string regs;
  for (const RegWrite& r : s.regs) regs += fmt::format("{:08x}{:08x}\n", r.addr, r.data);
  write_text(dir / "regs.hex", regs);
  write_text(dir / "wgt.hex", beats_text(s.wgt));
  write_text(dir / "act.hex", beats_text(s.act));
}

void write_out_hex(const fs::path& file, std::span<const BitVec> beats) {
  write_text(file, beats_text(beats));
}

static std::vector<BitVec> read_beats(const fs::path& file, int bits, int64_t expected) {
  std::ifstream f(file);
  if (!f) throw InputError(fmt::format("{}: cannot open", file.string()));
  std::vector<BitVec> beats;
  std::string line;
  int64_t n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    try {
      beats.push_back(BitVec::from_hex(line, bits));
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}:{}: {}", file.string(), n, e.what()));
    }
  }
  if (static_cast<int64_t>(beats.size()) != expected)
    throw InputError(
        fmt::format("{}: {} beats, expected {}", file.string(), beats.size(), expected));
  return beats;
}

std::vector<BitVec> read_out_hex(const fs::path& file, int out_bits, int64_t expected) {
  return read_beats(file, out_bits, expected);
}

Stimulus read_stimulus(const fs::path& dir) {
  const fs::path meta_file = dir / "meta.txt";
  std::ifstream f(meta_file);
  if (!f) throw InputError(fmt::format("{}: cannot open", meta_file.string()));
  std::map<std::string, int64_t> meta;
  std::string line;
  for (int n = 1; std::getline(f, line); ++n) {
    std::istringstream ls(line);
    std::string key;
    int64_t value;
    if (!(ls >> key >> value) || value < 0)
      throw InputError(fmt::format("{}:{}: expected `name value`", meta_file.string(), n));
    meta[key] = value;
  }
  auto get = [&](const char* key) {
    const auto it = meta.find(key);
    if (it == meta.end()) throw InputError(fmt::format("{}: {}: missing", meta_file.string(), key));
    return it->second;
  };
  Stimulus s;
  s.wgt_bits = static_cast<int>(get("wgt_bits"));
  s.act_bits = static_cast<int>(get("act_bits"));
  s.out_bits = static_cast<int>(get("out_bits"));
  s.out_beats = get("out");
  for (const BitVec& r : read_beats(dir / "regs.hex", 64, get("regs")))
    s.regs.push_back({static_cast<uint32_t>(r.get(32, 32)), static_cast<uint32_t>(r.get(0, 32))});
  s.wgt = read_beats(dir / "wgt.hex", s.wgt_bits, get("wgt"));
  s.act = read_beats(dir / "act.hex", s.act_bits, get("act"));
  return s;
}

}  // namespace escgen
