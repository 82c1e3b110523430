// Line wrapping of generated Verilog statements: a statement longer than the line limit is broken
// before its top-level operators (`?`, `:`, `|`, `&`, `^`, `+`, `-`, comparisons), inside a
// parenthesised or concatenated term when that term alone is too long, with continuation lines
// aligned under the start of the expression. Verilog ignores the whitespace, so wrapping never
// changes meaning.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace escgen::netlist {

inline constexpr int kLineLimit = 100;

// `head` + expr + `tail`, as one line when it fits in `limit` columns, otherwise as several
// lines ending in '\n' each (the result always ends in '\n').
std::string wrap_statement(std::string_view head, std::string_view expr, std::string_view tail,
                           int limit = kLineLimit);

// `text` as `//` comment lines starting at `indent`, broken between words to fit `limit`.
std::string wrap_comment(std::string_view indent, std::string_view text, int limit = kLineLimit);

// The lines of `expr` laid out in `width` columns; continuation lines carry their indentation
// relative to the first line's start. A single line when it fits or cannot be broken.
std::vector<std::string> wrap_expression(std::string_view expr, int width);

}  // namespace escgen::netlist
