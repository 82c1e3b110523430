// The `{field}` template renderer and the lookup of built-in templates (see text_template.h).
#include "util/text_template.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen {
namespace {

bool name_start(char ch) {
  return ch >= 'a' && ch <= 'z';
}
bool name_char(char ch) {
  return name_start(ch) || (ch >= '0' && ch <= '9') || ch == '_';
}

// Length of the placeholder name starting at text[pos] (just after a '{') when a '}' closes it,
// else 0.
size_t placeholder_length(std::string_view text, size_t pos) {
  if (pos >= text.size() || !name_start(text[pos])) return 0;
  size_t end = pos;
  while (end < text.size() && name_char(text[end])) ++end;
  return end < text.size() && text[end] == '}' ? end - pos : 0;
}

}  // namespace

std::string_view template_text(std::string_view name) {
  for (const EmbeddedTemplate& t : embedded_templates())
    if (t.name == name) return t.text;
  throw InternalError(fmt::format("no built-in template {}", name));
}

std::string render_template(std::string_view text, const TemplateFields& fields,
                            std::string_view what) {
  std::string out;
  std::set<std::string, std::less<>> used;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('{', pos);
    if (open == std::string_view::npos) break;
    const size_t len = placeholder_length(text, open + 1);
    out.append(text.substr(pos, open + 1 - pos));
    pos = open + 1;
    if (len == 0) continue;  // a plain brace
    const std::string_view name = text.substr(open + 1, len);
    const auto field = fields.find(name);
    if (field == fields.end())
      throw InternalError(fmt::format("template {}: no field for {{{}}}", what, name));
    out.pop_back();  // the '{'
    out += field->second;
    used.emplace(name);
    pos = open + 1 + len + 1;
  }
  out.append(text.substr(std::min(pos, text.size())));
  for (const auto& [name, value] : fields)
    if (!used.contains(name))
      throw InternalError(fmt::format("template {}: field {} has no placeholder", what, name));
  return out;
}

std::string render_builtin_template(std::string_view name, const TemplateFields& fields) {
  return render_template(template_text(name), fields, name);
}

}  // namespace escgen
