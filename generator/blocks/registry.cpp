// Block registry for `escgen block` (see registry.h).
#include "blocks/registry.h"

#include "blocks/bit_gather.h"

namespace escgen::blocks {
namespace {

const std::vector<BlockSpec>& specs() {
  static const std::vector<BlockSpec> kSpecs = {
      {"bit_gather",
       "compaction network: selected lanes to the head, in order",
       {{"width", 8, "lanes (power of two >= 2)"}, {"data_bits", 8, "bits per lane"}},
       [](netlist::Design& d, const std::map<std::string, int>& v) {
         return build_bit_gather(d, {.width = v.at("width"), .data_bits = v.at("data_bits")});
       }},
  };
  return kSpecs;
}

}  // namespace

std::span<const BlockSpec> block_specs() { return specs(); }

const BlockSpec* find_block(std::string_view name) {
  for (const BlockSpec& s : specs())
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace escgen::blocks
