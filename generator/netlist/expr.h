// Helpers that build Verilog expression text for the netlist model: selects, concatenations,
// sized literals, zero-extension, 2:1 multiplexers. They keep generated code uniform and readable.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace escgen::netlist {

std::string bit(const std::string& name, int index);              // name[i]
std::string slice(const std::string& name, int msb, int lsb);     // name[msb:lsb] (or name[i])
std::string lane(const std::string& name, int index, int width);  // name[(i+1)*w-1 : i*w]
std::string cat(const std::vector<std::string>& parts);           // {a, b, ...} (MSB first)
std::string lit(int width, uint64_t value);                       // 8'd5 / 1'b1
// Hexadecimal, for addresses, identifiers and masks: 8'h7c, 32'he5ca_0001 (1'b1 for one bit).
std::string hex(int width, uint64_t value);
std::string zext(const std::string& expr, int from, int to);  // {{to-from}'b0, expr}
// An unsigned net of `from` bits on `to` bits: zero-extended, or its low `to` bits.
std::string resize(const std::string& name, int from, int to);
std::string mux(const std::string& sel, const std::string& a1, const std::string& a0);
// Sum of unsigned terms (expression, width), each zero-extended to `w` bits ("a + b + ...";
// w'd0 for no term).
std::string zext_sum(const std::vector<std::pair<std::string, int>>& terms, int w);
// The same for one-bit terms.
std::string bit_sum(const std::vector<std::string>& bits, int w);

}  // namespace escgen::netlist
