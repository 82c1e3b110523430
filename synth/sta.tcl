# escgen synthesis, OpenSTA part (run as `sta -no_init -no_splash -exit scripts/sta.tcl` from the
# run folder). Knobs come from scripts/knobs.tcl. Lines starting with "escgen:" are read by
# `escgen synth`; the reports in between are OpenSTA's own. Power is a separate run
# (sta_power.tcl): OpenSTA 2.0.17's report_power crashes on some netlists, timing must survive.
source scripts/knobs.tcl
foreach k $escgen_knobs { puts "escgen: knob $k = [set $k]" }

# Stages 1 and 2: read the library and the netlist, constraints (shared with sta_power.tcl).
source scripts/sta_setup.tcl

# Stage 3: worst slacks, the critical path and the path groups.
puts "escgen: worst_setup_slack [sta::worst_slack -max]"
puts "escgen: worst_hold_slack [sta::worst_slack -min]"
puts "escgen: section critical"
report_checks -path_delay max -digits 3
# A group whose start or end set is empty has no paths (and report_checks would fail on it).
proc escgen_group {name from to} {
  puts "escgen: section $name"
  if {[llength $from] == 0 || [llength $to] == 0} {
    puts "No paths found."
    return
  }
  report_checks -path_delay max -digits 3 -from $from -to $to
}
escgen_group reg_to_reg [all_registers] [all_registers]
escgen_group in_to_reg $data_inputs [all_registers]
escgen_group reg_to_out [all_registers] [all_outputs]
escgen_group in_to_out $data_inputs [all_outputs]
puts "escgen: section hold"
report_checks -path_delay min -digits 3
puts "escgen: end"
