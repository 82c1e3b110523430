// Declaration order of a module's nets (see wire_order.h): a topological order of the wires
// declared with their assignments, the generator's order among the ready ones.
#include "netlist/wire_order.h"

#include <cctype>
#include <functional>
#include <queue>
#include <unordered_map>

namespace escgen::netlist {
namespace {

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Index of each wire assigned exactly once as a whole (no select on the left).
std::unordered_map<std::string_view, const Assign*> whole_assigns(const Module& m) {
  std::unordered_map<std::string_view, int> count;
  std::unordered_map<std::string_view, const Assign*> found;
  for (const Assign& a : m.assigns()) {
    const std::string_view lhs = a.lhs;
    const std::string_view name = lhs.substr(0, lhs.find('['));
    ++count[name];
    if (name.size() == lhs.size()) found[name] = &a;
  }
  std::unordered_map<std::string_view, const Assign*> out;
  for (const auto& [name, a] : found)
    if (count[name] == 1) out[name] = a;
  return out;
}

}  // namespace

std::vector<std::string_view> identifiers(std::string_view e) {
  std::vector<std::string_view> ids;
  for (size_t i = 0; i < e.size();) {
    if (e[i] == '\'') {  // a literal's base and digits: 'd5, 'hff, 'b1
      ++i;
      while (i < e.size() && ident_char(e[i])) ++i;
    } else if (ident_start(e[i])) {
      const size_t start = i;
      while (i < e.size() && ident_char(e[i])) ++i;
      ids.push_back(e.substr(start, i - start));
    } else if (std::isdigit(static_cast<unsigned char>(e[i]))) {
      while (i < e.size() && ident_char(e[i])) ++i;
    } else {
      ++i;
    }
  }
  return ids;
}

std::vector<NetDecl> net_declarations(const Module& m) {
  const auto assigned = whole_assigns(m);
  const std::vector<Net>& nets = m.nets();
  std::vector<NetDecl> out;
  std::unordered_map<std::string_view, size_t> index;  // assigned wire -> position in nets
  for (size_t i = 0; i < nets.size(); ++i) {
    const auto it = nets[i].is_reg ? assigned.end() : assigned.find(nets[i].name);
    if (it == assigned.end())
      out.push_back({&nets[i], nullptr});
    else
      index[nets[i].name] = i;
  }
  // Kahn's algorithm over the assigned wires, smallest declaration index first.
  std::vector<std::vector<size_t>> readers(nets.size());
  std::vector<int> waiting(nets.size(), 0);
  for (const auto& [name, i] : index)
    for (std::string_view id : identifiers(assigned.at(name)->rhs)) {
      const auto dep = index.find(id);
      if (dep == index.end() || dep->second == i) continue;
      readers[dep->second].push_back(i);
      ++waiting[i];
    }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (const auto& [name, i] : index)
    if (waiting[i] == 0) ready.push(i);
  std::vector<bool> done(nets.size(), false);
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    done[i] = true;
    out.push_back({&nets[i], assigned.at(nets[i].name)});
    for (size_t r : readers[i])
      if (--waiting[r] == 0) ready.push(r);
  }
  // A dependency cycle (never in valid designs): those wires keep a separate assign.
  for (size_t i = 0; i < nets.size(); ++i)
    if (index.contains(nets[i].name) && !done[i]) out.push_back({&nets[i], nullptr});
  return out;
}

}  // namespace escgen::netlist
