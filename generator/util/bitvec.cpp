// BitVec: field access and hex conversion (see bitvec.h).
#include "util/bitvec.h"

#include <fmt/format.h>

#include "util/error.h"

namespace escgen {

BitVec::BitVec(int width) : width_(width) {
  if (width < 0) throw InternalError(fmt::format("BitVec: negative width {}", width));
  words_.assign(static_cast<size_t>((width + 63) / 64), 0);
}

static void check_field(int lsb, int bits, int width) {
  if (bits < 0 || bits > 64 || lsb < 0 || lsb + bits > width)
    throw InternalError(
        fmt::format("BitVec: field [{} +: {}] outside a {}-bit vector", lsb, bits, width));
}

void BitVec::set(int lsb, int bits, uint64_t value) {
  check_field(lsb, bits, width_);
  if (bits == 0) return;
  if (bits < 64) value &= (uint64_t{1} << bits) - 1;
  const size_t w = static_cast<size_t>(lsb / 64);
  const int off = lsb % 64;
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  words_[w] = (words_[w] & ~(mask << off)) | (value << off);
  if (off + bits > 64) {
    const int hi = off + bits - 64;  // bits that spill into the next word
    const uint64_t hi_mask = (uint64_t{1} << hi) - 1;
    words_[w + 1] = (words_[w + 1] & ~hi_mask) | (value >> (64 - off));
  }
}

uint64_t BitVec::get(int lsb, int bits) const {
  check_field(lsb, bits, width_);
  if (bits == 0) return 0;
  const size_t w = static_cast<size_t>(lsb / 64);
  const int off = lsb % 64;
  uint64_t v = words_[w] >> off;
  if (off != 0 && off + bits > 64) v |= words_[w + 1] << (64 - off);
  return bits == 64 ? v : v & ((uint64_t{1} << bits) - 1);
}

int64_t BitVec::get_signed(int lsb, int bits) const {
  if (bits < 1) throw InternalError("BitVec: get_signed of an empty field");
  const uint64_t v = get(lsb, bits);
  if (bits == 64) return static_cast<int64_t>(v);
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

std::string BitVec::to_hex() const {
  const int digits = (width_ + 3) / 4;
  std::string s(static_cast<size_t>(digits), '0');
  for (int i = 0; i < digits; ++i) {
    const int lsb = 4 * i;
    const uint64_t nib = get(lsb, std::min(4, width_ - lsb));
    s[static_cast<size_t>(digits - 1 - i)] = "0123456789abcdef"[nib];
  }
  return s;
}

BitVec BitVec::from_hex(std::string_view hex, int width) {
  const size_t digits = static_cast<size_t>((width + 3) / 4);
  if (hex.size() != digits)
    throw InputError(fmt::format("expected {} hex digits for {} bits, got {} characters", digits,
                                 width, hex.size()));
  BitVec v(width);
  for (size_t i = 0; i < digits; ++i) {
    const char ch = hex[digits - 1 - i];
    uint64_t nib;
    if (ch >= '0' && ch <= '9')
      nib = static_cast<uint64_t>(ch - '0');
    else if (ch >= 'a' && ch <= 'f')
      nib = static_cast<uint64_t>(ch - 'a' + 10);
    else if (ch >= 'A' && ch <= 'F')
      nib = static_cast<uint64_t>(ch - 'A' + 10);
    else
      throw InputError(fmt::format("'{}' is not a hex digit", ch));
    const int lsb = 4 * static_cast<int>(i);
    const int bits = std::min(4, width - lsb);
    if ((nib >> bits) != 0) throw InputError(fmt::format("value wider than {} bits", width));
    v.set(lsb, bits, nib);
  }
  return v;
}

}  // namespace escgen
