// Whether a layer fits a configuration: every shape value within the configuration's max_*
// limit and the layer's widths equal to the configuration's. Software refuses a layer that does
// not fit before anything is simulated (the hardware would refuse it with STATUS.error).
#pragma once

#include "config/config.h"
#include "model/layer.h"

namespace escgen {

// Throws InputError("<layer dir>/layer.json: <field>: <value> exceeds the configuration's
// max_<field> <limit> (<config source>)") for the first shape value out of range (order c_in,
// c_out, h, w, k, stride, d), or "...: <field>: <value> differs from the configuration's <field>
// <value> (<config source>)" for act_bits, basis_bits, coef_bits.
void check_fit(const Config& c, const Layer& l);

}  // namespace escgen
