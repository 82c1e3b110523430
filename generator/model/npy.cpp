// NumPy .npy reading (format 1.0 and 2.0) and writing (format 1.0, header padded to 64 bytes as
// numpy does). See npy.h. The header is a Python dict literal; it is parsed here with a small
// strict parser (string keys, string / bool / tuple-of-int values) instead of being evaluated.
#include "model/npy.h"

#include <bit>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/error.h"

namespace escgen::npy {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr size_t kAlign = 64;

[[noreturn]] void fail(const std::string& path, std::string_view field, const std::string& what) {
  throw InputError(fmt::format("{}: {}: {}", path, field, what));
}

struct DTypeInfo {
  DType dtype;
  const char* name;
  const char* code;  // kind + item size, as in the descr string ("i4")
  size_t itemsize;
};

constexpr DTypeInfo kTypes[] = {
    {DType::Int8, "int8", "i1", 1},       {DType::Int16, "int16", "i2", 2},
    {DType::Int32, "int32", "i4", 4},     {DType::UInt8, "uint8", "u1", 1},
    {DType::UInt16, "uint16", "u2", 2},   {DType::Float32, "float32", "f4", 4},
    {DType::Float64, "float64", "f8", 8},
};

const DTypeInfo& info(DType t) {
  for (const DTypeInfo& i : kTypes)
    if (i.dtype == t) return i;
  throw InternalError("npy: unknown dtype enumerator");
}

std::string shape_text(const std::vector<size_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

// Element count and byte count of a shape, or false on overflow.
bool byte_count(const std::vector<size_t>& shape, size_t itemsize, size_t& elements,
                size_t& bytes) {
  elements = 1;
  for (size_t s : shape)
    if (__builtin_mul_overflow(elements, s, &elements)) return false;
  return !__builtin_mul_overflow(elements, itemsize, &bytes);
}

// ---- little-endian element access ----

template <class U>
U load_le(const uint8_t* p) {
  U v = 0;
  for (size_t b = 0; b < sizeof(U); ++b) v = static_cast<U>(v | (static_cast<U>(p[b]) << (8 * b)));
  return v;
}

template <class U>
void store_le(uint8_t* p, U v) {
  for (size_t b = 0; b < sizeof(U); ++b) p[b] = static_cast<uint8_t>(v >> (8 * b));
}

template <class T>
T element(DType t, const uint8_t* p) {
  switch (t) {
    case DType::Int8:
      return static_cast<T>(std::bit_cast<int8_t>(p[0]));
    case DType::UInt8:
      return static_cast<T>(p[0]);
    case DType::Int16:
      return static_cast<T>(std::bit_cast<int16_t>(load_le<uint16_t>(p)));
    case DType::UInt16:
      return static_cast<T>(load_le<uint16_t>(p));
    case DType::Int32:
      return static_cast<T>(std::bit_cast<int32_t>(load_le<uint32_t>(p)));
    case DType::Float32:
      return static_cast<T>(std::bit_cast<float>(load_le<uint32_t>(p)));
    case DType::Float64:
      return static_cast<T>(std::bit_cast<double>(load_le<uint64_t>(p)));
  }
  throw InternalError("npy: unknown dtype enumerator");
}

template <class T>
void put_element(DType t, uint8_t* p, T v) {
  switch (t) {
    case DType::Int8:
      p[0] = std::bit_cast<uint8_t>(static_cast<int8_t>(v));
      return;
    case DType::UInt8:
      p[0] = static_cast<uint8_t>(v);
      return;
    case DType::Int16:
      store_le(p, std::bit_cast<uint16_t>(static_cast<int16_t>(v)));
      return;
    case DType::UInt16:
      store_le(p, static_cast<uint16_t>(v));
      return;
    case DType::Int32:
      store_le(p, std::bit_cast<uint32_t>(static_cast<int32_t>(v)));
      return;
    case DType::Float32:
      store_le(p, std::bit_cast<uint32_t>(static_cast<float>(v)));
      return;
    case DType::Float64:
      store_le(p, std::bit_cast<uint64_t>(static_cast<double>(v)));
      return;
  }
  throw InternalError("npy: unknown dtype enumerator");
}

// ---- header dictionary parser ----

class HeaderParser {
 public:
  HeaderParser(const std::string& path, std::string_view text) : path_(path), s_(text) {}

  struct Result {
    bool has_descr = false, has_fortran = false, has_shape = false;
    std::string descr;
    bool fortran = false;
    std::vector<size_t> shape;
  };

  Result parse() {
    Result r;
    expect('{');
    while (true) {
      skip_ws();
      if (peek() == '}') break;
      const std::string key = parse_string();
      expect(':');
      skip_ws();
      if (key == "descr") {
        if (peek() == '[')
          fail(path_, "dtype", "structured dtypes (a descr list) are not supported");
        if (peek() != '\'' && peek() != '"') garbled("expected a string for 'descr'");
        r.descr = parse_string();
        r.has_descr = true;
      } else if (key == "fortran_order") {
        r.fortran = parse_bool();
        r.has_fortran = true;
      } else if (key == "shape") {
        r.shape = parse_shape();
        r.has_shape = true;
      } else {
        fail(path_, "header", fmt::format("unexpected key '{}' in the header dictionary", key));
      }
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_ws();
      if (peek() != '}') garbled("expected ',' or '}'");
    }
    ++pos_;  // '}'
    skip_ws();
    if (pos_ != s_.size()) garbled("unexpected text after the dictionary");
    for (auto [has, name] :
         {std::pair{r.has_descr, "descr"}, std::pair{r.has_fortran, "fortran_order"},
          std::pair{r.has_shape, "shape"}})
      if (!has)
        fail(path_, "header", fmt::format("missing key '{}' in the header dictionary", name));
    return r;
  }

 private:
  [[noreturn]] void garbled(std::string_view what) const {
    fail(path_, "header", fmt::format("garbled header dictionary at offset {}: {}", pos_, what));
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  void expect(char c) {
    skip_ws();
    if (peek() != c) garbled(fmt::format("expected '{}'", c));
    ++pos_;
  }
  std::string parse_string() {
    skip_ws();
    const char q = peek();
    if (q != '\'' && q != '"') garbled("expected a quoted string");
    const size_t start = ++pos_;
    while (pos_ < s_.size() && s_[pos_] != q) {
      if (s_[pos_] == '\\') garbled("escapes in strings are not supported");
      ++pos_;
    }
    if (pos_ >= s_.size()) garbled("unterminated string");
    return std::string(s_.substr(start, pos_++ - start));
  }
  bool parse_bool() {
    skip_ws();
    if (s_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (s_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    garbled("expected True or False for 'fortran_order'");
  }
  std::vector<size_t> parse_shape() {
    std::vector<size_t> shape;
    expect('(');
    while (true) {
      skip_ws();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') garbled("expected a non-negative integer in 'shape'");
      size_t v = 0;
      while (peek() >= '0' && peek() <= '9') {
        if (__builtin_mul_overflow(v, size_t{10}, &v) ||
            __builtin_add_overflow(v, static_cast<size_t>(s_[pos_] - '0'), &v))
          fail(path_, "shape", "dimension too large");
        ++pos_;
      }
      if (peek() == 'L') ++pos_;  // Python 2 long
      shape.push_back(v);
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_ws();
      if (peek() != ')') garbled("expected ',' or ')' in 'shape'");
    }
    ++pos_;
    return shape;
  }

  const std::string& path_;
  std::string_view s_;
  size_t pos_ = 0;
};

DType parse_descr(const std::string& path, const std::string& descr) {
  const std::string supported = "supported: int8, int16, int32, uint8, uint16, float32, float64";
  if (descr.size() < 2)
    fail(path, "dtype", fmt::format("unsupported dtype '{}' ({})", descr, supported));
  const char order = descr[0];
  const std::string code = descr.substr(1);
  if (code[0] == 'O')
    fail(path, "dtype", fmt::format("object arrays ('{}') are not supported", descr));
  for (const DTypeInfo& i : kTypes) {
    if (code != i.code) continue;
    if (order == '<' || (order == '|' && i.itemsize == 1)) return i.dtype;
    if (order == '>')
      fail(path, "dtype",
           fmt::format("big-endian data ('{}') is not supported; save it little-endian ('<{}')",
                       descr, code));
    break;
  }
  fail(path, "dtype", fmt::format("unsupported dtype '{}' ({})", descr, supported));
}

}  // namespace

const char* dtype_name(DType t) {
  return info(t).name;
}

size_t Array::size() const {
  size_t n = 1;
  for (size_t s : shape) n *= s;
  return n;
}

template <class T>
std::vector<T> Array::values() const {
  const size_t item = info(dtype).itemsize;
  const size_t n = size();
  if (raw.size() != n * item)
    throw InternalError(fmt::format("npy: array of shape {} holds {} bytes, expected {}",
                                    shape_text(shape), raw.size(), n * item));
  std::vector<T> out(n);
  for (size_t e = 0; e < n; ++e) out[e] = element<T>(dtype, raw.data() + e * item);
  return out;
}

template <class T>
Array make(DType t, std::vector<size_t> shape, const std::vector<T>& values) {
  Array a;
  a.dtype = t;
  a.shape = std::move(shape);
  const size_t n = a.size();
  if (values.size() != n)
    throw InternalError(fmt::format("npy: {} values for shape {} ({} elements)", values.size(),
                                    shape_text(a.shape), n));
  const size_t item = info(t).itemsize;
  a.raw.resize(n * item);
  for (size_t e = 0; e < n; ++e) put_element<T>(t, a.raw.data() + e * item, values[e]);
  return a;
}

Array read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "(file)", std::filesystem::exists(path) ? "cannot open" : "missing");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) fail(path, "(file)", "read error");

  if (bytes.size() < kMagic.size() + 2 ||
      std::string_view(reinterpret_cast<const char*>(bytes.data()), kMagic.size()) != kMagic)
    fail(path, "header", "not a .npy file (no \\x93NUMPY magic string)");
  const int major = bytes[6], minor = bytes[7];
  size_t len_bytes = 0;
  if (major == 1 && minor == 0)
    len_bytes = 2;
  else if (major == 2 && minor == 0)
    len_bytes = 4;
  else
    fail(path, "header",
         fmt::format("unsupported .npy format version {}.{} (supported: 1.0, 2.0)", major, minor));
  const size_t prefix = kMagic.size() + 2 + len_bytes;
  if (bytes.size() < prefix)
    fail(path, "header", fmt::format("truncated: file has only {} bytes", bytes.size()));
  const size_t header_len =
      len_bytes == 2 ? load_le<uint16_t>(bytes.data() + 8) : load_le<uint32_t>(bytes.data() + 8);
  if (bytes.size() - prefix < header_len)
    fail(path, "header",
         fmt::format("truncated: header length {} but only {} bytes follow", header_len,
                     bytes.size() - prefix));
  const std::string_view header(reinterpret_cast<const char*>(bytes.data() + prefix), header_len);
  for (char c : header)
    if (static_cast<unsigned char>(c) >= 0x80 || (c < 0x20 && c != '\n' && c != '\t' && c != '\r'))
      fail(path, "header", "garbled header: non-ASCII bytes in the header dictionary");

  const HeaderParser::Result h = HeaderParser(path, header).parse();
  Array a;
  a.dtype = parse_descr(path, h.descr);
  if (h.fortran)
    fail(path, "fortran_order",
         "Fortran-order arrays are not supported; save a C-order array (np.ascontiguousarray)");
  a.shape = h.shape;
  size_t elements = 0, expected = 0;
  if (!byte_count(a.shape, info(a.dtype).itemsize, elements, expected))
    fail(path, "shape", fmt::format("{} is too large", shape_text(a.shape)));
  const size_t available = bytes.size() - prefix - header_len;
  if (available < expected)
    fail(path, "data",
         fmt::format("truncated: shape {} of {} needs {} bytes, file has {}", shape_text(a.shape),
                     info(a.dtype).name, expected, available));
  if (available > expected)
    fail(path, "data",
         fmt::format("{} unexpected bytes after the {} bytes of shape {} of {}",
                     available - expected, expected, shape_text(a.shape), info(a.dtype).name));
  const auto start = bytes.begin() + static_cast<std::ptrdiff_t>(prefix + header_len);
  a.raw.assign(start, bytes.end());
  return a;
}

void write(const std::string& path, const Array& a) {
  const DTypeInfo& i = info(a.dtype);
  size_t elements = 0, expected = 0;
  if (!byte_count(a.shape, i.itemsize, elements, expected) || a.raw.size() != expected)
    throw InternalError(fmt::format("npy: {}: array of shape {} holds {} bytes, expected {}", path,
                                    shape_text(a.shape), a.raw.size(), expected));
  std::string dict = fmt::format("{{'descr': '{}{}', 'fortran_order': False, 'shape': {}, }}",
                                 i.itemsize == 1 ? '|' : '<', i.code, shape_text(a.shape));
  // Pad with spaces and a final newline so that magic + version + length + header is a multiple
  // of 64 bytes (numpy's ARRAY_ALIGN).
  const size_t unpadded = kMagic.size() + 2 + 2 + dict.size() + 1;
  dict.append(kAlign - unpadded % kAlign, ' ');
  dict += '\n';
  if (dict.size() > 0xffff)
    throw InternalError(
        fmt::format("npy: {}: header of {} bytes too long for format 1.0", path, dict.size()));
  std::string out(kMagic);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  out += dict;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(out.data(), static_cast<std::streamsize>(out.size()));
  f.write(reinterpret_cast<const char*>(a.raw.data()), static_cast<std::streamsize>(a.raw.size()));
  f.close();
  if (!f) fail(path, "(file)", "cannot write");
}

Array read_checked(const std::string& path, std::vector<DType> allowed,
                   const std::vector<size_t>& shape) {
  Array a = read(path);
  bool ok = false;
  std::vector<std::string> names;
  for (DType t : allowed) {
    ok = ok || t == a.dtype;
    names.emplace_back(dtype_name(t));
  }
  if (!ok)
    fail(path, "dtype",
         fmt::format("must be {} (got {})", fmt::join(names, " or "), dtype_name(a.dtype)));
  if (!shape.empty() && a.shape != shape)
    fail(path, "shape", fmt::format("must be {} (got {})", shape_text(shape), shape_text(a.shape)));
  return a;
}

#define ESCGEN_NPY_INSTANTIATE(T)                   \
  template std::vector<T> Array::values<T>() const; \
  template Array make<T>(DType, std::vector<size_t>, const std::vector<T>&);
ESCGEN_NPY_INSTANTIATE(int8_t)
ESCGEN_NPY_INSTANTIATE(int16_t)
ESCGEN_NPY_INSTANTIATE(int32_t)
ESCGEN_NPY_INSTANTIATE(int64_t)
ESCGEN_NPY_INSTANTIATE(uint8_t)
ESCGEN_NPY_INSTANTIATE(uint16_t)
ESCGEN_NPY_INSTANTIATE(uint32_t)
ESCGEN_NPY_INSTANTIATE(uint64_t)
ESCGEN_NPY_INSTANTIATE(float)
ESCGEN_NPY_INSTANTIATE(double)
#undef ESCGEN_NPY_INSTANTIATE

}  // namespace escgen::npy
