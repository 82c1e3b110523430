// The stimulus directory of docs/interface.md as the simulation driver reads it (meta.txt,
// regs.hex, wgt.hex, act.hex) and out.hex as it writes it. Beats are kept as 32-bit words, least
// significant first, ready to copy onto ports. Plain C++ (the driver has no other dependency).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace escgen::sim {

// A malformed file or a bad command line: the program exits with status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Beats of one stream: count x words_per_beat words.
struct Beats {
  int bits = 0;
  size_t words_per_beat = 0;
  size_t count = 0;
  std::vector<uint32_t> words;
  const uint32_t* beat(size_t i) const { return words.data() + i * words_per_beat; }
};

struct StimFiles {
  std::vector<std::pair<uint32_t, uint32_t>> regs;  // (address, data), the last one CTRL.start
  Beats wgt, act;
  int out_bits = 0;
  size_t out_count = 0;
};

// Throws UsageError("<file>:<line>: <problem>").
StimFiles read_stim_dir(const std::string& dir);
// Parses one line of ceil(bits/4) hex digits into words (appended). Returns false if malformed.
bool parse_hex_beat(const std::string& line, int bits, std::vector<uint32_t>& words);
// The hex text of one beat (ceil(bits/4) digits, most significant first).
std::string hex_beat(const uint32_t* words, int bits);
// Writes out.hex (one beat per line).
void write_out_hex(const std::string& file, const Beats& out);

}  // namespace escgen::sim
