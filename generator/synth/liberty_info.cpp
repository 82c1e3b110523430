// Liberty scanner for cell areas and sequential cells (see liberty_info.h).
#include "synth/liberty_info.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace escgen::synth {

namespace {

std::string strip_comments(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "/*") == 0) {
      const size_t end = text.find("*/", i + 2);
      if (end == std::string_view::npos) break;
      i = end + 1;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Position just after keyword `word` followed by optional blanks and '(' at or after `from`,
// as a whole word; npos if none.
size_t find_group(const std::string& s, std::string_view word, size_t from, size_t to) {
  for (size_t p = s.find(word, from); p != std::string::npos && p < to; p = s.find(word, p + 1)) {
    if (p > 0 && ident_char(s[p - 1])) continue;
    size_t q = p + word.size();
    if (q < s.size() && ident_char(s[q])) continue;
    while (q < s.size() && std::isspace(static_cast<unsigned char>(s[q]))) ++q;
    if (q < s.size() && s[q] == '(') return q + 1;
  }
  return std::string::npos;
}

std::string group_name(const std::string& s, size_t open) {
  const size_t close = s.find(')', open);
  std::string name = s.substr(open, close - open);
  std::string out;
  for (char c : name)
    if (c != '"' && !std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

// Index of the '}' closing the '{' at `open`.
size_t match_brace(const std::string& s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i;
  }
  return s.size();
}

}  // namespace

std::optional<double> LibertyInfo::nand2_area() const {
  if (auto it = area.find("NAND2X1"); it != area.end()) return it->second;
  std::optional<double> best;
  for (const auto& [cell, a] : area)
    if (cell.rfind("NAND2", 0) == 0 && (!best || a < *best)) best = a;
  return best;
}

LibertyInfo parse_liberty(std::string_view text) {
  const std::string s = strip_comments(text);
  LibertyInfo info;
  if (size_t lib = find_group(s, "library", 0, s.size()); lib != std::string::npos)
    info.library = group_name(s, lib);
  size_t pos = 0;
  while ((pos = find_group(s, "cell", pos, s.size())) != std::string::npos) {
    const std::string name = group_name(s, pos);
    const size_t open = s.find('{', pos);
    if (open == std::string::npos) break;
    const size_t close = match_brace(s, open);
    // The cell's own area attribute: `area : X ;` (pins and timing groups have none).
    for (size_t a = s.find("area", open); a < close; a = s.find("area", a + 1)) {
      if (ident_char(s[a - 1]) || ident_char(s[a + 4])) continue;
      size_t q = a + 4;
      while (q < close && std::isspace(static_cast<unsigned char>(s[q]))) ++q;
      if (q >= close || s[q] != ':') continue;
      info.area[name] = std::stod(s.substr(q + 1, 40));
      break;
    }
    if (find_group(s, "ff", open, close) != std::string::npos) info.flops.insert(name);
    if (find_group(s, "latch", open, close) != std::string::npos) info.latches.insert(name);
    pos = close;
  }
  return info;
}

LibertyInfo read_liberty_info(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the liberty file");
  std::ostringstream text;
  text << in.rdbuf();
  LibertyInfo info = parse_liberty(text.str());
  if (info.area.empty())
    throw InputError(path.string() + ": no cells with an area (not a liberty file?)");
  return info;
}

}  // namespace escgen::synth
