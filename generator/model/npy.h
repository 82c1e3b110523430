// NumPy .npy files (format 1.0 and 2.0, little-endian, C order): reading with a clear error for
// anything else (Fortran order, big-endian, object arrays, truncated files, unsupported dtypes),
// and writing (format 1.0) in a form numpy loads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace escgen::npy {

enum class DType { Int8, Int16, Int32, UInt8, UInt16, Float32, Float64 };

const char* dtype_name(DType t);  // numpy's name: "int8", "uint16", "float32", ...

struct Array {
  DType dtype = DType::Int8;
  std::vector<size_t> shape;
  std::vector<uint8_t> raw;  // element bytes, little-endian, C order

  size_t size() const;  // number of elements (product of shape; 1 for a 0-d array)
  // Elements converted to T (any numeric T; no range check: callers check ranges).
  template <class T>
  std::vector<T> values() const;
};

// Throws InputError("<path>: <field>: <problem>") for every malformed or unsupported file.
Array read(const std::string& path);
void write(const std::string& path, const Array& a);

// An array of dtype `t` from values (each converted to the dtype's C type; caller keeps ranges).
template <class T>
Array make(DType t, std::vector<size_t> shape, const std::vector<T>& values);

// Reads `path` and requires dtype `t` (any of `t`/`alt` when alt is given) and, when non-empty,
// exactly `shape`; messages name the file and `field` (e.g. "dtype", "shape").
Array read_checked(const std::string& path, std::vector<DType> allowed,
                   const std::vector<size_t>& shape);

}  // namespace escgen::npy
