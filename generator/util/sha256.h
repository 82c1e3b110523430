// SHA-256 (FIPS 180-4) of bytes, as lowercase hex: the content hash that names cached
// simulator builds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace escgen {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // Adds a length-prefixed field, so ("ab", "c") and ("a", "bc") hash differently.
  void field(std::string_view bytes);
  std::string hex();  // finishes; the object is not reused afterwards

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

std::string sha256_hex(std::string_view bytes);

}  // namespace escgen
