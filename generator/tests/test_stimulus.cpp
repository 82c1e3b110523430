// The stimulus of docs/interface.md: exact beats of a tiny hand-made layer on configs/tiny.json
// (two groups, a partial chunk, an empty row; one and two rows per weight beat), round trips of
// random layers through the weight and input decoders, the files on disk, and decoding output beats
// (raw and requant_relu).
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "interface/layer_plan.h"
#include "interface/stimulus.h"
#include "model/golden.h"
#include "model/random_layer.h"
#include "test_model_util.h"
#include "util/error.h"

namespace {

using escgen::BitVec;
using escgen::Config;
using escgen::Layer;

const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";

// c_in 5 (chunks of 4 + 1), c_out 3 (groups of 2: the second has an empty row), 2x2, k 1, d 2.
Layer hand_layer() {
  Layer l;
  l.c_in = 5, l.c_out = 3, l.h = 2, l.w = 2, l.k = 1, l.stride = 1, l.pad = 0, l.d = 2;
  l.basis = {-3, 5};
  l.coef = {1, 0, 0, -1, -1, 0, 0, 0, 1, -1,  // o 0: (i, j)
            0, 0, 0, 0,  0,  0, 0, 0, 0, 0,   // o 1
            1, 1, 1, 1,  1,  1, 1, 1, 1, 1};  // o 2
  l.bias = {-2, 7, 256};
  l.scale = {300, 1, 2};
  l.shift = {4, 0, 1};
  return l;
}

// x (c_in, h, w)
const std::vector<uint16_t> kX = {1, 0, 0, 2, 0, 3, 0, 0, 4, 0, 0, 0, 0, 0, 0, 5, 6, 0, 0, 255};

std::vector<std::string> hex(const std::vector<BitVec>& beats) {
  std::vector<std::string> s;
  for (const BitVec& b : beats) s.push_back(b.to_hex());
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(stimulus)

BOOST_AUTO_TEST_CASE(exact_beats) {
  const Config c = Config::from_file(kTiny);
  const escgen::Stimulus s = escgen::build_stimulus(c, hand_layer(), kX);
  BOOST_TEST(s.wgt_bits == 54);
  BOOST_TEST(s.act_bits == 36);
  BOOST_TEST(s.out_bits == 66);
  const std::vector<escgen::RegWrite> regs = {{0x08, 5}, {0x0C, 3}, {0x10, 2}, {0x14, 2},
                                              {0x18, 1}, {0x1C, 1}, {0x20, 0}, {0x24, 2},
                                              {0x28, 1}, {0x00, 1}};
  BOOST_TEST((s.regs == regs));
  const std::vector<std::string> wgt = {
      "000000000005fd",                    // basis: taps 0 (-3) and 1 (5), 6 taps per beat
      "04012cfffffffe",                    // o 0: {S 4, M 300, bias -2}
      "00000000002245", "00000000001101",  // per chunk: {sign, mask} of j 1, j 0
      "00000100000007",                    // o 1: {S 0, M 1, bias 7}
      "00000000000000", "00000000000000",  //
      "01000200000100",                    // o 2: {S 1, M 2, bias 256}
      "00000000000f0f", "00000000000101",  //
      "00000000000000",                    // o 3: none
      "00000000000000", "00000000000000"};
  BOOST_TEST(hex(s.wgt) == wgt, boost::test_tools::per_element());
  const std::vector<std::string> once = {"000004015", "000000061", "000000032", "000000000",
                                         "000000000", "000000000", "000005029", "000000ff1"};
  std::vector<std::string> act = once;
  act.insert(act.end(), once.begin(), once.end());
  BOOST_TEST(hex(s.act) == act, boost::test_tools::per_element());
  BOOST_TEST(s.out_beats == 8);
}

// configs/tiny.json with two rows per weight beat.
Config tiny_two_lanes() {
  nlohmann::json j = nlohmann::json::parse(escgen::test::read_bytes(kTiny));
  j["weight_lanes"] = 2;
  return Config::from_json_text(j.dump(), "tiny-lanes2");
}

BOOST_AUTO_TEST_CASE(exact_beats_two_lanes) {
  const Config c = tiny_two_lanes();
  const escgen::Stimulus s = escgen::build_stimulus(c, hand_layer(), kX);
  BOOST_TEST(s.wgt_bits == 108);
  const std::vector<std::string> wgt = {
      "0000000000000000000000005fd",                                 // basis: 13 taps per beat
      "0000040000001c4012cfffffffe",                                 // bias, M, S: o 1 | o 0
      "000000000000000000000002245", "000000000000000000000001101",  // chunks: o 1 | o 0
      "000000000000001000200000100",                                 // o 3 (none) | o 2
      "000000000000000000000000f0f", "000000000000000000000000101"};
  BOOST_TEST(hex(s.wgt) == wgt, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(round_trips) {
  for (const Config& c : {Config::from_file(kTiny), tiny_two_lanes()})
    for (uint64_t seed = 1; seed <= 40; ++seed) {
      escgen::Rng rng(seed);
      escgen::RandomLayerSpec spec;
      spec.c_in = static_cast<int>(rng.between(1, c.max_c_in));
      spec.c_out = static_cast<int>(rng.between(1, c.max_c_out));
      spec.k = static_cast<int>(rng.between(1, c.max_k));
      spec.h = static_cast<int>(rng.between(spec.k, 6));
      spec.w = static_cast<int>(rng.between(spec.k, 6));
      spec.pad = static_cast<int>(rng.between(0, spec.k - 1));
      spec.stride = static_cast<int>(rng.between(1, c.max_stride));
      spec.d = static_cast<int>(rng.between(1, std::min(c.max_d, spec.k * spec.k)));
      spec.output = seed % 2 ? escgen::OutputMode::Raw : escgen::OutputMode::RequantRelu;
      const escgen::RandomLayer r = escgen::random_layer(spec, seed);
      const Layer& l = r.layer;
      const escgen::Stimulus s = escgen::build_stimulus(c, l, r.x);
      const int g = escgen::layer_groups(c, l), ch = escgen::layer_chunks(c, l);
      const int t = c.derived.basis_taps_per_beat;
      BOOST_TEST(escgen::layer_basis_beats(c, l) == (l.d * l.k * l.k + t - 1) / t);
      BOOST_TEST(s.wgt.size() == static_cast<size_t>(escgen::layer_basis_beats(c, l) +
                                                     g * 2 / c.weight_lanes * (1 + ch)));
      BOOST_TEST(escgen::layer_row_items(c, l) == 1 + ch);
      BOOST_TEST(s.act.size() == static_cast<size_t>(g * l.h * l.w * ch));
      const escgen::DecodedWeights w = escgen::decode_weights(c, l, s.wgt);
      BOOST_TEST(w.basis == l.basis);
      BOOST_TEST(w.coef == l.coef);
      BOOST_TEST(w.bias == l.bias);
      BOOST_TEST(w.scale == l.scale);
      BOOST_TEST(w.shift == l.shift);
      BOOST_TEST(escgen::decode_inputs(c, l, s.act) == r.x);

      // Output: the golden values packed as the accelerator would, decoded back.
      const std::vector<int64_t> y = escgen::golden_output(l, r.x);
      const int pixels = l.h_out() * l.w_out(), lane = c.derived.out_lane_bits;
      std::vector<BitVec> out;
      for (int gi = 0; gi < g; ++gi)
        for (int p = 0; p < pixels; ++p) {
          BitVec b(c.derived.out_beat_bits);
          for (int row = 0; row < 2; ++row)
            if (gi * 2 + row < l.c_out)
              b.set(row * lane, lane,
                    static_cast<uint64_t>(y[static_cast<size_t>(gi * 2 + row) * pixels + p]));
          out.push_back(b);
        }
      BOOST_TEST(escgen::decode_output(c, l, out) == y);
    }
}

BOOST_AUTO_TEST_CASE(files) {
  const Config c = Config::from_file(kTiny);
  const escgen::Stimulus s = escgen::build_stimulus(c, hand_layer(), kX);
  escgen::test::ModelTempDir dir;
  escgen::write_stimulus(dir.path / "stim", s);
  BOOST_TEST(escgen::test::read_bytes(dir / "stim/meta.txt") ==
             "regs 10\nwgt 13\nact 16\nout 8\nwgt_bits 54\nact_bits 36\nout_bits 66\n");
  const std::string regs = escgen::test::read_bytes(dir / "stim/regs.hex");
  BOOST_TEST(regs.substr(0, 34) == "0000000800000005\n0000000c00000003\n");
  BOOST_TEST(regs.substr(regs.size() - 17) == "0000000000000001\n");
  BOOST_TEST(escgen::test::read_bytes(dir / "stim/act.hex").substr(0, 20) ==
             "000004015\n000000061\n");
  const escgen::Stimulus back = escgen::read_stimulus(dir.path / "stim");
  BOOST_TEST((back.regs == s.regs));
  BOOST_TEST((back.wgt == s.wgt));
  BOOST_TEST((back.act == s.act));
  BOOST_TEST(back.out_beats == 8);

  std::vector<BitVec> out(8, BitVec(66));
  out[3].set(33, 33, 77);
  escgen::write_out_hex(dir.path / "out.hex", out);
  BOOST_TEST((escgen::read_out_hex(dir.path / "out.hex", 66, 8) == out));
  try {
    (void)escgen::read_out_hex(dir.path / "out.hex", 66, 9);
    BOOST_FAIL("no error");
  } catch (const escgen::InputError& e) {
    BOOST_TEST(std::string(e.what()) == (dir.path / "out.hex").string() + ": 8 beats, expected 9");
  }
  escgen::test::write_bytes(dir / "bad.hex", "00000000000000000\nxyz\n");
  try {
    (void)escgen::read_out_hex(dir.path / "bad.hex", 66, 2);
    BOOST_FAIL("no error");
  } catch (const escgen::InputError& e) {
    BOOST_TEST(std::string(e.what()) == (dir.path / "bad.hex").string() +
                                            ":2: expected 17 hex digits for 66 bits, got 3 "
                                            "characters");
  }
}

BOOST_AUTO_TEST_CASE(output_decoding) {
  const Config c = Config::from_file(kTiny);
  Layer l = hand_layer();
  std::vector<BitVec> out(8, BitVec(66));
  out[0].set(0, 33, static_cast<uint64_t>(int64_t{-5}));
  out[0].set(33, 33, 200);
  out[4].set(0, 33, (uint64_t{1} << 32));  // most negative raw value
  l.output = escgen::OutputMode::Raw;
  std::vector<int64_t> y = escgen::decode_output(c, l, out);
  BOOST_TEST(y[0] == -5);
  BOOST_TEST(y[4] == 200);                  // o 1, pixel 0
  BOOST_TEST(y[8] == -(int64_t{1} << 32));  // o 2, pixel 0
  l.output = escgen::OutputMode::RequantRelu;
  y = escgen::decode_output(c, l, out);
  BOOST_TEST(y[0] == (int64_t{1} << 33) - 5);  // zero-extended
  // Group 1, lane 1 has no output channel: it must be 0.
  out[5].set(33, 33, 1);
  try {
    (void)escgen::decode_output(c, l, out);
    BOOST_FAIL("no error");
  } catch (const escgen::InternalError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "output beat 5 (group 1, pixel 1): lane 1 has no output channel but is not 0");
  }
  BOOST_CHECK_THROW((void)escgen::decode_output(c, l, std::span(out).first(7)),
                    escgen::InternalError);
}

BOOST_AUTO_TEST_SUITE_END()
