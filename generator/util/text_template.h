// Fixed-text outputs rendered from templates: the templates/*.in files built into escgen
// (cmake/EmbedTemplates.cmake generates embedded_templates()) and the `{field}` renderer.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace escgen {

struct EmbeddedTemplate {
  std::string_view name;  // file name in templates/, e.g. "escgen_params.h.in"
  std::string_view text;
};

// Every template of templates/, as built into escgen.
const std::vector<EmbeddedTemplate>& embedded_templates();

// The text of the built-in template `name`; InternalError when there is none.
std::string_view template_text(std::string_view name);

using TemplateFields = std::map<std::string, std::string, std::less<>>;

// `text` with each placeholder `{name}` (name: [a-z0-9_]+, starting with a letter) replaced by
// fields[name]; every other brace is copied as it is. InternalError naming `what` when a
// placeholder has no field or a field has no placeholder.
std::string render_template(std::string_view text, const TemplateFields& fields,
                            std::string_view what);

// template_text(name) rendered with `fields`.
std::string render_builtin_template(std::string_view name, const TemplateFields& fields);

}  // namespace escgen
