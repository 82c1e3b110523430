// An arbitrary-width bit vector: the beats of the accelerator's streams (weight, input, output)
// as software builds and decodes them. Words are 64-bit, least significant word first; fields of
// up to 64 bits are set and read at any bit offset; hex text is most significant digit first,
// ceil(width / 4) digits (the stimulus file format of docs/interface.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace escgen {

class BitVec {
 public:
  BitVec() = default;
  explicit BitVec(int width);  // all zero; width >= 0

  int width() const { return width_; }
  const std::vector<uint64_t>& words() const { return words_; }

  // Bits [lsb, lsb + bits) = the low `bits` bits of value (higher bits of value are ignored).
  // 0 <= bits <= 64 and lsb + bits <= width, else InternalError.
  void set(int lsb, int bits, uint64_t value);
  // Bits [lsb, lsb + bits) as an unsigned number.
  uint64_t get(int lsb, int bits) const;
  // The same field sign-extended from its top bit (1 <= bits <= 64).
  int64_t get_signed(int lsb, int bits) const;

  // ceil(width / 4) lowercase hex digits, most significant first (empty for width 0).
  std::string to_hex() const;
  // Parses exactly ceil(width / 4) hex digits (either case); digits beyond the width must be
  // zero. Throws InputError("<problem>") without a file name: callers add the file and line.
  static BitVec from_hex(std::string_view hex, int width);

  friend bool operator==(const BitVec&, const BitVec&) = default;

 private:
  int width_ = 0;
  std::vector<uint64_t> words_;
};

}  // namespace escgen
