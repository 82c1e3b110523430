// Line wrapping of generated Verilog statements (see line_wrap.h).
//
//   wrap_statement("  assign y = ", "a | b | (c & d & e)", ";", 24)  ->
//     "  assign y = a | b\n"
//     "             | (c & d\n"
//     "                & e);\n"
#include "netlist/line_wrap.h"

#include <algorithm>
#include <utility>

namespace escgen::netlist {
namespace {

bool opens(char c) {
  return c == '(' || c == '[' || c == '{';
}
bool closes(char c) {
  return c == ')' || c == ']' || c == '}';
}

// The index of the bracket that closes the one at e[0] (std::string_view::npos if none).
size_t closing(std::string_view e) {
  int depth = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    if (opens(e[i])) ++depth;
    if (closes(e[i]) && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// Binary operators a statement may be broken before (longest first, so `||` is not `|`).
constexpr std::string_view kOps[] = {"||", "&&", "<=", ">=", "==", "!=", "?", ":",
                                     "|",  "&",  "^",  "+",  "-",  "<",  ">"};

// The operator `e` starts with when it is one of kOps followed by a space, else empty.
std::string_view leading_op(std::string_view e) {
  for (std::string_view op : kOps)
    if (e.size() > op.size() && e.substr(0, op.size()) == op && e[op.size()] == ' ') return op;
  return {};
}

// `e` cut before each top-level " op " (outside every bracket): "a | b ? c : d" ->
// {"a", "| b", "? c", ": d"}.
std::vector<std::string_view> split_top(std::string_view e) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    if (opens(e[i])) ++depth;
    if (closes(e[i])) --depth;
    if (depth == 0 && e[i] == ' ' && i > start && !leading_op(e.substr(i + 1)).empty()) {
      pieces.push_back(e.substr(start, i - start));
      start = i + 1;
    }
  }
  pieces.push_back(e.substr(start));
  return pieces;
}

// `e`'s top-level comma-separated items (the inside of a concatenation).
std::vector<std::string_view> split_commas(std::string_view e) {
  std::vector<std::string_view> items;
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i + 1 < e.size(); ++i) {
    if (opens(e[i])) ++depth;
    if (closes(e[i])) --depth;
    if (depth == 0 && e[i] == ',' && e[i + 1] == ' ') {
      items.push_back(e.substr(start, i - start));
      start = i + 2;
    }
  }
  items.push_back(e.substr(start));
  return items;
}

// `lines` behind `prefix`: the first line follows it, the others are indented by its length.
std::vector<std::string> behind(std::string_view prefix, std::vector<std::string> lines) {
  for (size_t i = 0; i < lines.size(); ++i)
    lines[i] = (i == 0 ? std::string(prefix) : std::string(prefix.size(), ' ')) + lines[i];
  return lines;
}

// Greedy packing of `items` joined by `sep` into lines of `width` columns (an item longer than
// the width gets a line of its own).
std::vector<std::string> pack(const std::vector<std::string_view>& items, std::string_view sep,
                              std::string_view line_end, int width) {
  std::vector<std::string> lines;
  std::string cur;
  for (std::string_view item : items) {
    std::string cand = cur.empty() ? std::string(item) : cur + std::string(sep) + std::string(item);
    if (cur.empty() || static_cast<int>(cand.size() + line_end.size()) <= width) {
      cur = std::move(cand);
      continue;
    }
    lines.push_back(cur + std::string(line_end));
    cur = std::string(item);
  }
  lines.push_back(cur);
  return lines;
}

// A term without top-level operators: a parenthesised expression or a concatenation is opened,
// anything else stays whole.
std::vector<std::string> wrap_term(std::string_view t, int width) {
  if (static_cast<int>(t.size()) <= width) return {std::string(t)};
  const std::string_view unary = t.substr(0, t.size() > 1 && t[0] == '~' ? 1 : 0);
  const std::string_view body = t.substr(unary.size());
  if (body.empty() || closing(body) != body.size() - 1) return {std::string(t)};
  const std::string_view inner = body.substr(1, body.size() - 2);
  const int inner_width = width - static_cast<int>(unary.size()) - 1;
  std::vector<std::string> lines;
  if (body.front() == '(') {
    lines = wrap_expression(inner, inner_width);
  } else if (body.front() == '{' && split_commas(inner).size() > 1) {
    // Items packed a few to a line; an item too long for a line is wrapped on its own.
    for (std::string& line : pack(split_commas(inner), ", ", ",", inner_width)) {
      if (static_cast<int>(line.size()) <= inner_width) {
        lines.push_back(std::move(line));
        continue;
      }
      const bool comma = line.back() == ',';
      if (comma) line.pop_back();
      for (std::string& l : wrap_expression(line, inner_width - 1)) lines.push_back(std::move(l));
      if (comma) lines.back() += ',';
    }
  } else {
    return {std::string(t)};
  }
  lines.back() += body.back();
  return behind(std::string(unary) + body.front(), std::move(lines));
}

}  // namespace

std::vector<std::string> wrap_expression(std::string_view expr, int width) {
  if (static_cast<int>(expr.size()) <= width) return {std::string(expr)};
  const std::vector<std::string_view> pieces = split_top(expr);
  if (pieces.size() == 1) return wrap_term(expr, width);
  std::vector<std::string> out;
  for (const std::string& line : pack(pieces, " ", "", width)) {
    if (static_cast<int>(line.size()) <= width) {
      out.push_back(line);
      continue;
    }
    // Only a single piece overflows: "op operand" with the operand opened.
    const std::string_view op = leading_op(line);
    const std::string prefix = op.empty() ? "" : std::string(op) + " ";
    const std::string_view operand = std::string_view(line).substr(prefix.size());
    for (std::string& l :
         behind(prefix, wrap_term(operand, width - static_cast<int>(prefix.size()))))
      out.push_back(std::move(l));
  }
  return out;
}

std::string wrap_comment(std::string_view indent, std::string_view text, int limit) {
  const int width = std::max(limit - static_cast<int>(indent.size()) - 3, 20);
  std::vector<std::string_view> words;
  for (size_t i = 0; i < text.size();) {
    const size_t end = std::min(text.find(' ', i), text.size());
    if (end > i) words.push_back(text.substr(i, end - i));
    i = end + 1;
  }
  std::string out;
  for (const std::string& line : pack(words, " ", "", width))
    out += std::string(indent) + "// " + line + "\n";
  return out;
}

std::string wrap_statement(std::string_view head, std::string_view expr, std::string_view tail,
                           int limit) {
  const int used = static_cast<int>(head.size() + tail.size());
  if (used + static_cast<int>(expr.size()) <= limit)
    return std::string(head) + std::string(expr) + std::string(tail) + "\n";
  std::string out;
  for (const std::string& line :
       behind(head, wrap_expression(expr, std::max(limit - used, limit / 3))))
    out += line + "\n";
  out.insert(out.size() - 1, tail);
  return out;
}

}  // namespace escgen::netlist
