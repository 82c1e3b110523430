// BitVec: fields at any offset (across 64-bit words), sign extension, hex text both ways and its
// errors.
#include <boost/test/unit_test.hpp>

#include "model/random_layer.h"
#include "util/bitvec.h"
#include "util/error.h"

using escgen::BitVec;

BOOST_AUTO_TEST_SUITE(bitvec)

BOOST_AUTO_TEST_CASE(fields_across_words) {
  BitVec v(200);
  v.set(60, 10, 0x3FF);
  BOOST_TEST(v.words()[0] == 0xF000000000000000ull);
  BOOST_TEST(v.words()[1] == 0x3Full);
  BOOST_TEST(v.get(60, 10) == 0x3FFu);
  BOOST_TEST(v.get(59, 12) == 0x7FEu);
  v.set(100, 64, 0x0123456789ABCDEFull);
  BOOST_TEST(v.get(100, 64) == 0x0123456789ABCDEFull);
  BOOST_TEST(v.get(60, 10) == 0x3FFu);
  v.set(62, 4, 0);  // clears inside, keeps neighbours
  BOOST_TEST(v.get(60, 10) == 0x3C3u);
  v.set(0, 3, 0xFF);  // value masked to the field
  BOOST_TEST(v.get(0, 8) == 7u);
  BOOST_CHECK_THROW(v.set(190, 11, 0), escgen::InternalError);
  BOOST_CHECK_THROW((void)v.get(0, 65), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(sign_extension) {
  BitVec v(70);
  v.set(33, 33, static_cast<uint64_t>(int64_t{-5}));
  BOOST_TEST(v.get_signed(33, 33) == -5);
  BOOST_TEST(v.get(33, 33) == (uint64_t{1} << 33) - 5);
  v.set(0, 33, 12345);
  BOOST_TEST(v.get_signed(0, 33) == 12345);
  v.set(0, 64, static_cast<uint64_t>(INT64_MIN));
  BOOST_TEST(v.get_signed(0, 64) == INT64_MIN);
}

BOOST_AUTO_TEST_CASE(hex_text) {
  BitVec v(36);
  v.set(0, 36, 0x4015);
  BOOST_TEST(v.to_hex() == "000004015");
  BOOST_TEST((BitVec::from_hex("000004015", 36) == v));
  BOOST_TEST(BitVec(0).to_hex() == "");
  BitVec w(66);
  w.set(64, 2, 3);
  w.set(0, 4, 0xA);
  BOOST_TEST(w.to_hex() == "3000000000000000a");
  BOOST_TEST((BitVec::from_hex("3000000000000000A", 66) == w));
  BOOST_CHECK_THROW(BitVec::from_hex("4000000000000000a", 66), escgen::InputError);  // > 66 bits
  BOOST_CHECK_THROW(BitVec::from_hex("00004015", 36), escgen::InputError);           // too short
  BOOST_CHECK_THROW(BitVec::from_hex("00000401g", 36), escgen::InputError);
  // Random round trips at many widths.
  escgen::Rng rng(3);
  for (int width = 1; width < 300; width += 7) {
    BitVec r(width);
    for (int lsb = 0; lsb < width; lsb += 13) {
      const int bits = std::min(13, width - lsb);
      r.set(lsb, bits, rng.next());
    }
    BOOST_TEST((BitVec::from_hex(r.to_hex(), width) == r));
    BOOST_TEST(r.to_hex().size() == static_cast<size_t>((width + 3) / 4));
  }
}

BOOST_AUTO_TEST_SUITE_END()
