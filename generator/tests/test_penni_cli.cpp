// `escgen penni compress|quantize` in process: a layer directory that load_layer accepts and that
// matches the library's result, x.npy, the JSON report; every bad input exits 2 with a one-line
// message naming the file (or option) and the field.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli_runner.h"
#include "model/golden.h"
#include "model/npy.h"
#include "penni/compress.h"

namespace fs = std::filesystem;
namespace npy = escgen::npy;
namespace penni = escgen::penni;

namespace {

using Result = escgen::test::CliResult;
constexpr auto run = &escgen::test::run_cli;

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("escgen_penni_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::vector<float> random_floats(size_t n, unsigned seed, bool non_negative = false) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = non_negative ? std::max(normal(rng), 0.0f) : normal(rng);
  return v;
}

void write_f32(const std::string& path, std::vector<size_t> shape, const std::vector<float>& v) {
  npy::write(path, npy::make(npy::DType::Float32, std::move(shape), v));
}

// The message line of a failed run, minus the "escgen: error: " prefix.
std::string message(const Result& r) {
  const std::string prefix = "escgen: error: ";
  BOOST_TEST(r.err.rfind(prefix, 0) == 0u, r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r.err);
  return r.err.substr(std::min(r.err.size(), prefix.size()),
                      r.err.size() - std::min(r.err.size(), prefix.size() + 1));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(penni_cli)

BOOST_AUTO_TEST_CASE(compress_writes_a_loadable_layer_input_and_report) {
  TempDir t;
  const std::vector<float> w = random_floats(4 * 3 * 9, 1), b = random_floats(4, 2),
                           x = random_floats(2 * 3 * 6 * 6, 3, true);
  write_f32(t / "W.npy", {4, 3, 3, 3}, w);
  write_f32(t / "B.npy", {4}, b);
  write_f32(t / "X.npy", {2, 3, 6, 6}, x);
  const Result r =
      run({"penni", "compress", "--weights", t / "W.npy", "--bias", t / "B.npy", "--calib",
           t / "X.npy", "--d", "4", "--out", t / "L", "--report", t / "r.json"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  BOOST_TEST(r.out.find("escgen penni compress: 3 -> 4 channels, 3x3 kernels, d = 4") == 0u, r.out);
  const escgen::Layer l = escgen::load_layer(t / "L");
  BOOST_TEST((l.c_out == 4 && l.c_in == 3 && l.d == 4 && l.h == 6 && l.w == 6 && l.pad == 1));
  const std::vector<uint16_t> xq = escgen::load_input(t / "L/x.npy", l);

  // The files hold exactly what the library computes from the same inputs.
  penni::DenseLayer dense{4, 3, 3, {w.begin(), w.end()}, {b.begin(), b.end()}};
  penni::Activations calib{2, 3, 6, 6, {x.begin(), x.end()}};
  penni::DChoice choice;
  choice.d = 4;
  const penni::Compressed c = penni::compress(dense, choice, calib, {});
  BOOST_TEST(l.basis == c.layer.basis, boost::test_tools::per_element());
  BOOST_TEST(l.coef == c.layer.coef, boost::test_tools::per_element());
  BOOST_TEST(l.bias == c.layer.bias, boost::test_tools::per_element());
  BOOST_TEST(l.scale == c.layer.scale, boost::test_tools::per_element());
  BOOST_TEST(l.shift == c.layer.shift, boost::test_tools::per_element());
  BOOST_TEST(xq == c.x, boost::test_tools::per_element());
  BOOST_TEST((escgen::golden_output(l, xq) == escgen::golden_output(c.layer, c.x)));

  std::ifstream f(t / "r.json");
  const nlohmann::json j = nlohmann::json::parse(f);
  BOOST_TEST(j["command"] == "compress");
  BOOST_TEST(j["work"]["dense_macs"].get<uint64_t>() == 4u * 3 * 9 * 36);
  BOOST_TEST(j["work"]["penni_macs"].get<uint64_t>() == 4u * 4 * 9 * 36);
  BOOST_TEST(j["output_error"]["samples"].get<int>() == 2);
  BOOST_TEST(j["output_error"]["quantised"].get<double>() == c.report.output_error_quantized);
}

BOOST_AUTO_TEST_CASE(quantize_command) {
  TempDir t;
  write_f32(t / "Bas.npy", {2, 3, 3}, random_floats(18, 4));
  write_f32(t / "C.npy", {2, 3, 2}, random_floats(12, 5));
  const Result r = run({"penni", "quantize", "--basis", t / "Bas.npy", "--coef", t / "C.npy", "--h",
                        "5", "--w", "5", "--output", "raw", "--out", t / "L"});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  BOOST_TEST(r.out.find("NOT calibrated") != std::string::npos);
  const escgen::Layer l = escgen::load_layer(t / "L");
  BOOST_TEST((l.d == 2 && l.c_out == 2 && l.c_in == 3 && l.output == escgen::OutputMode::Raw));
  BOOST_TEST(escgen::load_input(t / "L/x.npy", l).size() == 75u);
}

BOOST_AUTO_TEST_CASE(bad_inputs_exit_2_naming_file_and_field) {
  TempDir t;
  write_f32(t / "W.npy", {2, 2, 3, 3}, random_floats(36, 6));
  const std::string W = t / "W.npy", out = t / "O";
  const auto compress = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = {"penni", "compress", "--out", out};
    a.insert(a.end(), extra.begin(), extra.end());
    return run(a);
  };
  Result r = compress({"--weights", W, "--h", "4", "--w", "4", "--d", "10"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(message(r) == "penni compress: --d: must be in [1, k*k = 9] for the 3x3 kernels of " +
                               W + " (got 10)");
  r = compress({"--weights", W, "--h", "4", "--w", "4", "--d", "0"});
  BOOST_TEST(message(r) == "penni compress: --d: must be in [1, k*k = 9] for the 3x3 kernels of " +
                               W + " (got 0)");
  r = compress({"--weights", W, "--h", "4", "--w", "4", "--energy", "1.5"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(message(r) == "penni compress: --energy: must be in (0, 1] (got 1.5)");
  r = compress({"--weights", W, "--h", "4", "--w", "4", "--energy", "0"});
  BOOST_TEST(message(r) == "penni compress: --energy: must be in (0, 1] (got 0)");
  r = compress({"--weights", W});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(message(r) == "penni compress: --h: required without --calib (input height >= 1)");
  r = compress({"--weights", t / "missing.npy", "--h", "4", "--w", "4"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(message(r) == t / "missing.npy" + ": (file): missing");

  npy::write(t / "W64.npy", npy::make(npy::DType::Float64, {2, 2, 3, 3}, std::vector<double>(36)));
  r = compress({"--weights", t / "W64.npy", "--h", "4", "--w", "4"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(message(r) == t / "W64.npy" + ": dtype: must be float32 (got float64)");
  write_f32(t / "W3.npy", {2, 2, 9}, random_floats(36, 7));
  r = compress({"--weights", t / "W3.npy", "--h", "4", "--w", "4"});
  BOOST_TEST(message(r) == t / "W3.npy" + ": shape: must be (C_out, C_in, k, k) (got (2, 2, 9))");
  write_f32(t / "Wr.npy", {2, 2, 3, 2}, random_floats(24, 7));
  r = compress({"--weights", t / "Wr.npy", "--h", "4", "--w", "4"});
  BOOST_TEST(message(r) ==
             t / "Wr.npy" + ": shape: kernels must be square k x k (got (2, 2, 3, 2))");
  write_f32(t / "b.npy", {3}, random_floats(3, 8));
  r = compress({"--weights", W, "--bias", t / "b.npy", "--h", "4", "--w", "4"});
  BOOST_TEST(message(r) == t / "b.npy" + ": shape: must be (2,) (got (3,))");
  write_f32(t / "neg.npy", {2, 4, 4}, random_floats(32, 9));
  r = compress({"--weights", W, "--calib", t / "neg.npy"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(message(r).rfind(t / "neg.npy" + ": value: element ", 0) == 0u, message(r));
  write_f32(t / "c3.npy", {3, 4, 4}, std::vector<float>(48, 1.0f));
  r = compress({"--weights", W, "--calib", t / "c3.npy"});
  BOOST_TEST(message(r) == t / "c3.npy" + ": shape: 3 channels, but " + W + " has C_in = 2");
  r = compress({"--weights", W, "--h", "4", "--w", "4", "--act-bits", "0"});
  BOOST_TEST(message(r) == "penni compress: --act-bits: must be in [1, 16] (got 0)");
  r = compress({"--weights", W, "--h", "4", "--w", "4", "--pad", "3"});
  BOOST_TEST(message(r) == "penni compress: --pad: must be in [0, 2] (got 3)");
  BOOST_TEST(!fs::exists(out));

  // quantize: d > k*k, coefficient shape not matching the basis.
  write_f32(t / "B10.npy", {10, 3, 3}, random_floats(90, 10));
  write_f32(t / "C10.npy", {2, 2, 10}, random_floats(40, 11));
  r = run({"penni", "quantize", "--basis", t / "B10.npy", "--coef", t / "C10.npy", "--h", "4",
           "--w", "4", "--out", out});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(message(r) == t / "B10.npy" + ": shape: d = 10 bases of 3x3 exceed k*k = 9");
  write_f32(t / "B2.npy", {2, 3, 3}, random_floats(18, 12));
  r = run({"penni", "quantize", "--basis", t / "B2.npy", "--coef", t / "C10.npy", "--h", "4", "--w",
           "4", "--out", out});
  BOOST_TEST(message(r) == t / "C10.npy" + ": shape: last dimension must be d = 2 (the bases of " +
                               t / "B2.npy" + ") (got (2, 2, 10))");

  // Usage errors (CLI11) exit 2 as well: --d with --energy, unknown --output, missing --out.
  BOOST_TEST(
      compress({"--weights", W, "--h", "4", "--w", "4", "--d", "2", "--energy", "0.5"}).status ==
      2);
  BOOST_TEST(compress({"--weights", W, "--h", "4", "--w", "4", "--output", "relu"}).status == 2);
  BOOST_TEST(run({"penni", "compress", "--weights", W}).status == 2);
  BOOST_TEST(run({"penni"}).status == 2);
  BOOST_TEST(!fs::exists(out));
}

BOOST_AUTO_TEST_SUITE_END()
