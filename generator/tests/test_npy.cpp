// .npy files: round trips of every dtype, every read error with its message, and interchange with
// numpy in both directions (format 1.0 and 2.0 written by numpy; our files loaded by numpy).
#include <boost/test/unit_test.hpp>

#include <cstring>

#include <fmt/format.h>

#include "model/npy.h"
#include "test_model_util.h"
#include "util/error.h"

namespace {

using escgen::InputError;
using escgen::test::ModelTempDir;
namespace enpy = escgen::npy;
using enpy::DType;

constexpr DType kAll[] = {DType::Int8,   DType::Int16,   DType::Int32,  DType::UInt8,
                          DType::UInt16, DType::Float32, DType::Float64};

bool is_float(DType t) {
  return t == DType::Float32 || t == DType::Float64;
}

std::pair<int64_t, int64_t> int_range(DType t) {
  switch (t) {
    case DType::Int8:
      return {-128, 127};
    case DType::Int16:
      return {-32768, 32767};
    case DType::Int32:
      return {INT32_MIN, INT32_MAX};
    case DType::UInt8:
      return {0, 255};
    case DType::UInt16:
      return {0, 65535};
    default:
      return {0, 0};
  }
}

// The value pattern shared with the Python side: full-range integers (first = min, last = max),
// exactly representable floats.
double pattern(DType t, size_t e, size_t n) {
  if (is_float(t)) return (static_cast<double>(e) - 7.0) * 0.375;
  const auto [lo, hi] = int_range(t);
  if (n >= 2 && e == 0) return static_cast<double>(lo);
  if (n >= 2 && e == n - 1) return static_cast<double>(hi);
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  return static_cast<double>(lo + static_cast<int64_t>((e * 7919 + 13) % span));
}

std::vector<double> pattern_values(DType t, size_t n) {
  std::vector<double> v(n);
  for (size_t e = 0; e < n; ++e) v[e] = pattern(t, e, n);
  return v;
}

constexpr const char* kPythonPattern = R"(
import sys, numpy as np
def pattern(dt, n):
    dt = np.dtype(dt)
    if dt.kind == 'f':
        return ((np.arange(n, dtype=np.float64) - 7) * 0.375).astype(dt)
    info = np.iinfo(dt)
    span = int(info.max) - int(info.min) + 1
    v = [int(info.min) + (e * 7919 + 13) % span for e in range(n)]
    if n >= 2:
        v[0], v[-1] = int(info.min), int(info.max)
    return np.array(v, dtype=np.int64).astype(dt)
)";

// A .npy file with the given header dictionary text (padded to 64 bytes) and data bytes.
std::string npy_file(const std::string& dict, const std::string& data, int major = 1) {
  const size_t len_bytes = major == 1 ? 2 : 4;
  std::string header = dict;
  while ((6 + 2 + len_bytes + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (size_t b = 0; b < len_bytes; ++b)
    out += static_cast<char>((header.size() >> (8 * b)) & 0xff);
  return out + header + data;
}

std::string dict(const std::string& descr, const std::string& shape,
                 const char* fortran = "False") {
  return fmt::format("{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}", descr, fortran,
                     shape);
}

std::string read_error(const std::string& path) {
  try {
    (void)enpy::read(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

// Writes `bytes` to a file and returns the error reading it gives.
std::string error_of(const ModelTempDir& t, const std::string& bytes) {
  const std::string p = t / "bad.npy";
  escgen::test::write_bytes(p, bytes);
  return read_error(p);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(npy)

BOOST_AUTO_TEST_CASE(round_trip_every_dtype) {
  ModelTempDir t;
  for (DType dt : kAll) {
    const std::vector<size_t> shape{2, 3, 4};
    const std::vector<double> v = pattern_values(dt, 24);
    const enpy::Array a = enpy::make(dt, shape, v);
    const std::string p = t / fmt::format("{}.npy", enpy::dtype_name(dt));
    enpy::write(p, a);
    const enpy::Array b = enpy::read(p);
    BOOST_TEST((b.dtype == dt));
    BOOST_TEST((b.shape == shape));
    BOOST_TEST((b.raw == a.raw));
    BOOST_TEST((b.values<double>() == v), enpy::dtype_name(dt));
    // numpy's layout: magic, version 1.0, header padded with spaces to 64 bytes, ending in '\n'.
    const std::string bytes = escgen::test::read_bytes(p);
    BOOST_TEST(bytes.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
    const size_t header_len =
        static_cast<uint8_t>(bytes[8]) + 256u * static_cast<uint8_t>(bytes[9]);
    BOOST_TEST((10 + header_len) % 64 == 0);
    BOOST_TEST(bytes[9 + header_len] == '\n');
    BOOST_TEST(bytes.size() == 10 + header_len + 24 * (a.raw.size() / 24));
  }
}

BOOST_AUTO_TEST_CASE(header_text_and_byte_layout) {
  ModelTempDir t;
  enpy::write(t / "a.npy", enpy::make<int32_t>(DType::Int32, {2}, {-2, 0x01020304}));
  const std::string bytes = escgen::test::read_bytes(t / "a.npy");
  // 10 + 57 + 1 = 68 bytes: padded with spaces to 128, the last one a newline.
  BOOST_TEST(bytes.substr(8, 2) == std::string("\x76\x00", 2));  // header length 118
  BOOST_TEST(bytes.substr(10, 57) == "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }");
  BOOST_TEST(bytes.substr(67, 60) == std::string(60, ' '));
  BOOST_TEST(bytes[127] == '\n');
  BOOST_TEST(bytes.size() == 128u + 8u);
  BOOST_TEST(bytes.substr(128) == std::string("\xfe\xff\xff\xff\x04\x03\x02\x01", 8));
  enpy::write(t / "b.npy", enpy::make<int>(DType::Int8, {1, 2}, {-1, 5}));
  BOOST_TEST(escgen::test::read_bytes(t / "b.npy").find("'descr': '|i1'") != std::string::npos);
  BOOST_TEST(escgen::test::read_bytes(t / "b.npy").find("'shape': (1, 2)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(zero_dimensional_and_empty_arrays) {
  ModelTempDir t;
  enpy::write(t / "s.npy", enpy::make<int>(DType::Int16, {}, {-300}));
  enpy::Array s = enpy::read(t / "s.npy");
  BOOST_TEST(s.shape.empty());
  BOOST_TEST(s.size() == 1u);
  BOOST_TEST(s.values<int>()[0] == -300);
  enpy::write(t / "e.npy", enpy::make<int>(DType::UInt16, {0, 3}, {}));
  enpy::Array e = enpy::read(t / "e.npy");
  BOOST_TEST((e.shape == std::vector<size_t>{0, 3}));
  BOOST_TEST(e.size() == 0u);
  BOOST_TEST(e.raw.empty());
}

BOOST_AUTO_TEST_CASE(values_convert_between_types) {
  const enpy::Array a = enpy::make<int>(DType::Int8, {3}, {-128, -1, 127});
  BOOST_TEST((a.values<int32_t>() == std::vector<int32_t>{-128, -1, 127}));
  BOOST_TEST((a.values<double>() == std::vector<double>{-128, -1, 127}));
  const enpy::Array u = enpy::make<int>(DType::UInt16, {2}, {65535, 1});
  BOOST_TEST((u.values<int64_t>() == std::vector<int64_t>{65535, 1}));
  BOOST_TEST((u.values<uint16_t>() == std::vector<uint16_t>{65535, 1}));
  const enpy::Array f = enpy::make<double>(DType::Float32, {2}, {0.5, -2.25});
  BOOST_TEST((f.values<float>() == std::vector<float>{0.5f, -2.25f}));
  BOOST_CHECK_THROW((void)enpy::make<int>(DType::Int8, {2, 2}, {1, 2, 3}), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(file_and_header_errors) {
  ModelTempDir t;
  const std::string p = t / "bad.npy";
  BOOST_TEST(read_error(t / "none.npy") == t / "none.npy" + ": (file): missing");
  BOOST_TEST(error_of(t, "PK\x03\x04 a zip file") ==
             p + ": header: not a .npy file (no \\x93NUMPY magic string)");
  BOOST_TEST(error_of(t, "\x93NUM") ==
             p + ": header: not a .npy file (no \\x93NUMPY magic string)");
  std::string v3 = npy_file(dict("<i4", "(1,)"), "abcd");
  v3[6] = 3;
  BOOST_TEST(error_of(t, v3) ==
             p + ": header: unsupported .npy format version 3.0 (supported: 1.0, 2.0)");
  BOOST_TEST(error_of(t, std::string("\x93NUMPY\x02\x00\x10", 9)) ==
             p + ": header: truncated: file has only 9 bytes");
  BOOST_TEST(error_of(t, npy_file(dict("<i4", "(1,)"), "abcd").substr(0, 40)) ==
             p + ": header: truncated: header length 118 but only 30 bytes follow");
  BOOST_TEST(
      error_of(t, npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3 }", "")) ==
      p + ": header: garbled header dictionary at offset 56: expected ',' or ')' in 'shape'");
  BOOST_TEST(
      error_of(t, npy_file("{'descr': '<i4', 'fortran_order': Flase, 'shape': (2,), }", "")) ==
      p + ": header: garbled header dictionary at offset 34: expected True or False for "
          "'fortran_order'");
  BOOST_TEST(
      error_of(t, npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), } x", "")) ==
      p + ": header: garbled header dictionary at offset 58: unexpected text after the "
          "dictionary");
  BOOST_TEST(error_of(t, npy_file("{'descr': '<i4', 'shape': (2,), }", "")) ==
             p + ": header: missing key 'fortran_order' in the header dictionary");
  BOOST_TEST(error_of(t, npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), "
                                  "'extra': 1}",
                                  "abcd")) ==
             p + ": header: unexpected key 'extra' in the header dictionary");
  BOOST_TEST(
      error_of(t, npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (-1,), }", "")) ==
      p + ": header: garbled header dictionary at offset 51: expected a non-negative "
          "integer in 'shape'");
  BOOST_TEST(
      error_of(t, npy_file("{'descr': '<i\xc3\xa4', 'fortran_order': False, 'shape': (), }", "")) ==
      p + ": header: garbled header: non-ASCII bytes in the header dictionary");
  BOOST_TEST(error_of(t, npy_file(dict("<i4", "(99999999999999999999,)"), "")) ==
             p + ": shape: dimension too large");
  BOOST_TEST(error_of(t, npy_file(dict("<i4", "(4294967296, 4294967296)"), "")) ==
             p + ": shape: (4294967296, 4294967296) is too large");
}

BOOST_AUTO_TEST_CASE(dtype_and_layout_errors) {
  ModelTempDir t;
  const std::string p = t / "bad.npy";
  BOOST_TEST(error_of(t, npy_file(dict("<i4", "(2, 2)", "True"), std::string(16, '\0'))) ==
             p + ": fortran_order: Fortran-order arrays are not supported; save a C-order array "
                 "(np.ascontiguousarray)");
  BOOST_TEST(error_of(t, npy_file(dict(">i4", "(1,)"), "abcd")) ==
             p + ": dtype: big-endian data ('>i4') is not supported; save it little-endian "
                 "('<i4')");
  BOOST_TEST(error_of(t, npy_file(dict("|O", "(1,)"), "abcdefgh")) ==
             p + ": dtype: object arrays ('|O') are not supported");
  const std::string supported = " (supported: int8, int16, int32, uint8, uint16, float32, float64)";
  for (const char* descr : {"<i8", "<u4", "<f2", "|b1", "<c8", "<U3", "|i4", "x"})
    BOOST_TEST(error_of(t, npy_file(dict(descr, "(1,)"), std::string(8, '\0'))) ==
               p + ": dtype: unsupported dtype '" + descr + "'" + supported);
  BOOST_TEST(error_of(t, npy_file("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': "
                                  "(1,), }",
                                  "abcd")) ==
             p + ": dtype: structured dtypes (a descr list) are not supported");
}

BOOST_AUTO_TEST_CASE(data_errors) {
  ModelTempDir t;
  const std::string p = t / "bad.npy";
  BOOST_TEST(error_of(t, npy_file(dict("<i4", "(2, 3)"), std::string(20, '\0'))) ==
             p + ": data: truncated: shape (2, 3) of int32 needs 24 bytes, file has 20");
  BOOST_TEST(error_of(t, npy_file(dict("<u2", "(3,)"), std::string(8, '\0'))) ==
             p + ": data: 2 unexpected bytes after the 6 bytes of shape (3,) of uint16");
  // Accepted: format 2.0 (4-byte header length) and an unpadded header.
  escgen::test::write_bytes(p,
                            npy_file(dict("<i2", "(2,)"), std::string("\x01\x00\xff\xff", 4), 2));
  BOOST_TEST((enpy::read(p).values<int>() == std::vector<int>{1, -1}));
  std::string plain("\x93NUMPY\x01\x00", 8);
  const std::string h = dict("|u1", "(2,)");
  plain += static_cast<char>(h.size());
  plain += '\0';
  escgen::test::write_bytes(p, plain + h + "\x07\x09");
  BOOST_TEST((enpy::read(p).values<int>() == std::vector<int>{7, 9}));
}

BOOST_AUTO_TEST_CASE(read_checked_names_dtype_and_shape) {
  ModelTempDir t;
  const std::string p = t / "a.npy";
  enpy::write(p, enpy::make<int>(DType::Float32, {2, 3}, {1, 2, 3, 4, 5, 6}));
  auto error = [&](std::vector<DType> allowed, std::vector<size_t> shape) -> std::string {
    try {
      (void)enpy::read_checked(p, allowed, shape);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(accepted)";
  };
  BOOST_TEST(error({DType::Int8}, {2, 3}) == p + ": dtype: must be int8 (got float32)");
  BOOST_TEST(error({DType::UInt8, DType::UInt16}, {}) ==
             p + ": dtype: must be uint8 or uint16 (got float32)");
  BOOST_TEST(error({DType::Float32}, {3, 2}) == p + ": shape: must be (3, 2) (got (2, 3))");
  BOOST_TEST(error({DType::Float32}, {6}) == p + ": shape: must be (6,) (got (2, 3))");
  BOOST_TEST(error({DType::Float64, DType::Float32}, {2, 3}) == "(accepted)");
  BOOST_TEST(error({DType::Float32}, {}) == "(accepted)");
}

BOOST_AUTO_TEST_CASE(numpy_written_files_read_back_exactly) {
  ModelTempDir t;
  escgen::test::require_numpy(t.path);
  std::string script = kPythonPattern;
  script += fmt::format("d = r'{}'\n", t.path.string());
  script += R"(
for dt in ['int8', 'int16', 'int32', 'uint8', 'uint16', 'float32', 'float64']:
    a = pattern(dt, 24).reshape(2, 3, 4)
    for ver in [(1, 0), (2, 0)]:
        with open(f'{d}/{dt}_v{ver[0]}.npy', 'wb') as f:
            np.lib.format.write_array(f, a, version=ver)
np.save(f'{d}/scalar.npy', np.int32(-7))
np.save(f'{d}/empty.npy', np.zeros((0, 3), dtype=np.uint8))
np.save(f'{d}/vector.npy', pattern('int16', 5))
np.save(f'{d}/sliced.npy', pattern('int32', 24).reshape(4, 6)[:, ::2])
np.save(f'{d}/fortran.npy', np.asfortranarray(pattern('int32', 6).reshape(2, 3)))
np.save(f'{d}/big.npy', pattern('int32', 3).astype('>i4'))
np.save(f'{d}/object.npy', np.array([1, 'a'], dtype=object), allow_pickle=True)
np.save(f'{d}/int64.npy', np.arange(3))
print('written')
)";
  const auto r = escgen::test::run_python(script, t.path);
  BOOST_TEST_REQUIRE(r.status == 0, r.output);
  for (DType dt : kAll)
    for (int ver : {1, 2}) {
      const std::string name = fmt::format("{}_v{}.npy", enpy::dtype_name(dt), ver);
      const enpy::Array a = enpy::read(t / name);
      BOOST_TEST((a.dtype == dt), name);
      BOOST_TEST((a.shape == std::vector<size_t>{2, 3, 4}), name);
      BOOST_TEST((a.values<double>() == pattern_values(dt, 24)), name);
      const std::string bytes = escgen::test::read_bytes(t / name);
      BOOST_TEST(bytes[6] == static_cast<char>(ver), name);
    }
  const enpy::Array s = enpy::read(t / "scalar.npy");
  BOOST_TEST(s.shape.empty());
  BOOST_TEST(s.values<int>()[0] == -7);
  BOOST_TEST((enpy::read(t / "empty.npy").shape == std::vector<size_t>{0, 3}));
  const enpy::Array v = enpy::read(t / "vector.npy");
  BOOST_TEST((v.shape == std::vector<size_t>{5}));
  BOOST_TEST((v.values<double>() == pattern_values(DType::Int16, 5)));
  // A non-contiguous slice is saved in C order: columns 0, 2, 4 of each row.
  const std::vector<double> full = pattern_values(DType::Int32, 24);
  std::vector<double> sliced;
  for (size_t row = 0; row < 4; ++row)
    for (size_t col = 0; col < 6; col += 2) sliced.push_back(full[row * 6 + col]);
  BOOST_TEST((enpy::read(t / "sliced.npy").values<double>() == sliced));
  BOOST_TEST(read_error(t / "fortran.npy").find(": fortran_order: Fortran-order arrays") !=
             std::string::npos);
  BOOST_TEST(read_error(t / "big.npy") ==
             t / "big.npy" +
                 ": dtype: big-endian data ('>i4') is not supported; save it "
                 "little-endian ('<i4')");
  BOOST_TEST(read_error(t / "object.npy") ==
             t / "object.npy" + ": dtype: object arrays ('|O') are not supported");
  BOOST_TEST(read_error(t / "int64.npy").find(": dtype: unsupported dtype '<i8'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(our_files_load_in_numpy) {
  ModelTempDir t;
  escgen::test::require_numpy(t.path);
  for (DType dt : kAll) {
    enpy::write(t / fmt::format("{}.npy", enpy::dtype_name(dt)),
                enpy::make(dt, {3, 2, 4}, pattern_values(dt, 24)));
    enpy::write(t / fmt::format("{}_1d.npy", enpy::dtype_name(dt)),
                enpy::make(dt, {5}, pattern_values(dt, 5)));
  }
  enpy::write(t / "scalar.npy", enpy::make<int>(DType::UInt8, {}, {200}));
  enpy::write(t / "empty.npy", enpy::make<int>(DType::Int32, {2, 0}, {}));
  std::string script = kPythonPattern;
  script += fmt::format("d = r'{}'\n", t.path.string());
  script += R"(
checked = 0
for dt in ['int8', 'int16', 'int32', 'uint8', 'uint16', 'float32', 'float64']:
    for suffix, shape in [('', (3, 2, 4)), ('_1d', (5,))]:
        name = f'{d}/{dt}{suffix}.npy'
        a = np.load(name)
        assert a.dtype == np.dtype(dt), (name, a.dtype)
        assert a.shape == shape, (name, a.shape)
        n = int(np.prod(shape))
        assert np.array_equal(a.reshape(-1), pattern(dt, n)), (name, a)
        with open(name, 'rb') as f:
            assert np.lib.format.read_magic(f) == (1, 0)
            np.lib.format.read_array_header_1_0(f)
            assert f.tell() % 64 == 0, (name, f.tell())
        checked += 1
s = np.load(f'{d}/scalar.npy')
assert s.shape == () and s.dtype == np.uint8 and int(s) == 200
e = np.load(f'{d}/empty.npy')
assert e.shape == (2, 0) and e.dtype == np.int32
print('checked', checked)
)";
  const auto r = escgen::test::run_python(script, t.path);
  BOOST_TEST(r.status == 0, r.output);
  BOOST_TEST(r.output == "checked 14\n");
}

BOOST_AUTO_TEST_SUITE_END()
