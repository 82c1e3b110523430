// `escgen layer random` and `escgen golden`, in process: files written, output dtype and shape,
// agreement with the models, determinism, and exit status 2 with a one-line message for bad input.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>

#include "cli/cli.h"
#include "cli_runner.h"
#include "model/direct_conv.h"
#include "model/golden.h"
#include "model/layer.h"
#include "model/npy.h"
#include "test_model_util.h"

namespace {

using escgen::test::ModelTempDir;
using escgen::test::read_bytes;
using escgen::test::write_bytes;

using Result = escgen::test::CliResult;
constexpr auto run = &escgen::test::run_cli;

// `escgen layer random` with a small default shape; `extra` (option, value) pairs override it.
Result random_layer(const std::string& dir, const std::string& seed,
                    const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  std::vector<std::pair<std::string, std::string>> options = {
      {"--c-in", "5"}, {"--c-out", "3"}, {"--h", "6"}, {"--w", "7"},
      {"--k", "3"},    {"--pad", "1"},   {"--d", "4"}, {"--density", "0.4"}};
  for (const auto& [name, value] : extra) {
    auto it = std::find_if(options.begin(), options.end(),
                           [&](const auto& o) { return o.first == name; });
    if (it != options.end())
      it->second = value;
    else
      options.emplace_back(name, value);
  }
  std::vector<std::string> args = {"layer", "random", "--out", dir, "--seed", seed};
  for (const auto& [name, value] : options) {
    args.push_back(name);
    args.push_back(value);
  }
  return run(args);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_model)

BOOST_AUTO_TEST_CASE(random_layer_then_golden) {
  ModelTempDir t;
  const std::string L = t / "L";
  Result r = random_layer(L, "11");
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  BOOST_TEST(r.out.find("escgen layer random: " + L + " (seed 11): c_in 5 c_out 3 h 6 w 7 k 3") ==
             0u);
  for (const char* f :
       {"layer.json", "basis.npy", "coef.npy", "bias.npy", "scale.npy", "shift.npy", "x.npy"})
    BOOST_TEST(std::filesystem::exists(L + "/" + f), f);
  r = run({"golden", "--layer", L, "--input", L + "/x.npy", "--output", t / "y.npy"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  BOOST_TEST(r.err.empty());
  BOOST_TEST(r.out == "escgen golden: " + L + " (5 -> 3 channels, 6x7 -> 6x7, requant_relu) -> " +
                          t / "y.npy" + " (uint8)\n");
  const escgen::npy::Array y = escgen::npy::read(t / "y.npy");
  BOOST_TEST((y.dtype == escgen::npy::DType::UInt8));
  BOOST_TEST((y.shape == std::vector<size_t>{3, 6, 7}));
  const escgen::Layer l = escgen::load_layer(L);
  const std::vector<uint16_t> x = escgen::load_input(L + "/x.npy", l);
  BOOST_TEST((y.values<int64_t>() == escgen::direct_output(l, x)));
  // Not degenerate: the requantised outputs are not all equal.
  const auto v = y.values<int64_t>();
  BOOST_TEST(*std::min_element(v.begin(), v.end()) < *std::max_element(v.begin(), v.end()));
}

BOOST_AUTO_TEST_CASE(output_dtypes_follow_the_contract) {
  ModelTempDir t;
  const std::string raw = t / "raw", wide = t / "wide";
  BOOST_TEST_REQUIRE(random_layer(raw, "2", {{"--output", "raw"}, {"--stride", "2"}}).status == 0);
  Result r = run({"golden", "--layer", raw, "--input", raw + "/x.npy", "--output", t / "r.npy"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  escgen::npy::Array y = escgen::npy::read(t / "r.npy");
  BOOST_TEST((y.dtype == escgen::npy::DType::Int32));
  BOOST_TEST((y.shape == std::vector<size_t>{3, 3, 4}));
  escgen::Layer l = escgen::load_layer(raw);
  BOOST_TEST((y.values<int64_t>() ==
              escgen::direct_accumulators(l, escgen::load_input(raw + "/x.npy", l))));

  BOOST_TEST_REQUIRE(
      random_layer(wide, "3", {{"--act-bits", "12"}, {"--basis-bits", "10"}}).status == 0);
  BOOST_TEST((escgen::npy::read(wide + "/x.npy").dtype == escgen::npy::DType::UInt16));
  BOOST_TEST((escgen::npy::read(wide + "/basis.npy").dtype == escgen::npy::DType::Int16));
  r = run({"golden", "--layer", wide, "--input", wide + "/x.npy", "--output", t / "w.npy"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  y = escgen::npy::read(t / "w.npy");
  BOOST_TEST((y.dtype == escgen::npy::DType::UInt16));
  l = escgen::load_layer(wide);
  BOOST_TEST(
      (y.values<int64_t>() == escgen::direct_output(l, escgen::load_input(wide + "/x.npy", l))));
}

BOOST_AUTO_TEST_CASE(random_layer_is_deterministic) {
  ModelTempDir t;
  BOOST_TEST_REQUIRE(random_layer(t / "a", "5").status == 0);
  BOOST_TEST_REQUIRE(random_layer(t / "b", "5").status == 0);
  BOOST_TEST_REQUIRE(random_layer(t / "c", "6").status == 0);
  for (const char* f :
       {"layer.json", "basis.npy", "coef.npy", "bias.npy", "scale.npy", "shift.npy", "x.npy"})
    BOOST_TEST(read_bytes(t / "a" + "/" + f) == read_bytes(t / "b" + "/" + f), f);
  BOOST_TEST(read_bytes(t / "a/coef.npy") != read_bytes(t / "c/coef.npy"));
  BOOST_TEST(read_bytes(t / "a/x.npy") != read_bytes(t / "c/x.npy"));
}

BOOST_AUTO_TEST_CASE(bad_layer_exits_2_naming_file_and_field) {
  ModelTempDir t;
  const std::string L = t / "L";
  BOOST_TEST_REQUIRE(random_layer(L, "1").status == 0);
  const std::string x = L + "/x.npy", y = t / "y.npy";
  std::string json = read_bytes(L + "/layer.json");
  const std::string good_json = json;
  json.replace(json.find("\"pad\": 1"), 8, "\"pad\": 3");
  write_bytes(L + "/layer.json", json);
  Result r = run({"golden", "--layer", L, "--input", x, "--output", y});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: " + L + "/layer.json: pad: must be < k = 3 (got 3)\n");
  BOOST_TEST(!std::filesystem::exists(y));

  write_bytes(L + "/layer.json", good_json);
  escgen::npy::write(L + "/coef.npy", escgen::npy::make<int>(escgen::npy::DType::Int8, {3, 5, 4},
                                                             std::vector<int>(60, 2)));
  r = run({"golden", "--layer", L, "--input", x, "--output", y});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err ==
             "escgen: error: " + L + "/coef.npy: value: coef[0][0][0] = 2 outside [-1, 1]\n");
  std::filesystem::remove(L + "/coef.npy");
  r = run({"golden", "--layer", L, "--input", x, "--output", y});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: " + L + "/coef.npy: (file): missing\n");

  BOOST_TEST_REQUIRE(random_layer(L, "1").status == 0);
  r = run({"golden", "--layer", L, "--input", t / "none.npy", "--output", y});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: " + t / "none.npy" + ": (file): missing\n");
  escgen::npy::write(t / "x16.npy", escgen::npy::make<int>(escgen::npy::DType::UInt16, {5, 6, 7},
                                                           std::vector<int>(210, 0)));
  r = run({"golden", "--layer", L, "--input", t / "x16.npy", "--output", y});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: " + t / "x16.npy" + ": dtype: must be uint8 (got uint16)\n");
  r = run({"golden", "--layer", L, "--input", x, "--output", t / "no/such/dir/y.npy"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: " + t / "no/such/dir/y.npy" + ": (file): cannot write\n");
  BOOST_TEST(run({"golden", "--layer", L, "--input", x}).status == 2);  // --output required
}

BOOST_AUTO_TEST_CASE(bad_random_layer_parameters_exit_2) {
  ModelTempDir t;
  const std::string L = t / "L";
  Result r = random_layer(L, "1", {{"--pad", "3"}});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: " + L + "/layer.json: pad: must be < k = 3 (got 3)\n");
  BOOST_TEST(!std::filesystem::exists(L));
  r = random_layer(L, "1", {{"--c-in", "0"}});
  BOOST_TEST(r.err == "escgen: error: " + L + "/layer.json: c_in: must be in [1, 65535] (got 0)\n");
  r = random_layer(L, "1", {{"--density", "1.5"}});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: layer random: --density: must be in [0, 1] (got 1.5)\n");
  r = random_layer(L, "1", {{"--act-zero", "-0.1"}});
  BOOST_TEST(r.err == "escgen: error: layer random: --act-zero: must be in [0, 1] (got -0.1)\n");
  r = random_layer(L, "1", {{"--output", "relu"}});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err ==
             "escgen: error: layer random: --output: must be requant_relu or raw (got relu)\n");
  r = random_layer(L, "1", {{"--c-in", "4000"}, {"--k", "7"}, {"--pad", "3"}, {"--d", "49"}});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err.find(L + "/layer.json: c_in: worst-case |acc - bias| = c_in 4000 ") !=
             std::string::npos);
  BOOST_TEST(run({"layer", "random", "--out", L}).status == 2);  // --seed required
  BOOST_TEST(run({"layer"}).status == 2);                        // a subcommand is required
  BOOST_TEST(run({"layer", "random", "--seed", "x", "--out", L}).status == 2);
}

BOOST_AUTO_TEST_SUITE_END()
