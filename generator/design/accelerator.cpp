// Accelerator assembly from the configuration (see accelerator.h).
#include "design/accelerator.h"

#include "blocks/bit_gather.h"

namespace escgen {

netlist::Design build_accelerator(const Config& c) {
  netlist::Design d;
  const std::string top =
      blocks::build_bit_gather(d, {.width = c.row_width, .data_bits = c.act_bits});
  d.set_top(top);
  d.check();
  return d;
}

}  // namespace escgen
