# escgen synthesis, OpenSTA part (run as `sta -no_init -no_splash -exit scripts/sta.tcl` from the
# run folder). Knobs come from scripts/knobs.tcl. Lines starting with "escgen:" are read by
# `escgen synth`; the reports in between are OpenSTA's own.
source scripts/knobs.tcl
foreach k $escgen_knobs { puts "escgen: knob $k = [set $k]" }

# Stage 1: read the library and the mapped netlist.
read_liberty $liberty
read_verilog netlist/netlist.v
link_design $top

# Stage 2: constraints. The clock is on port $clock_port, or virtual when the top has no such
# port (a combinational top: only input-to-output paths are then timed).
set clock_ports [get_ports -quiet $clock_port]
if {[llength $clock_ports] > 0} {
  create_clock -name clk -period $clock_ns $clock_ports
  set data_inputs [delete_from_list [all_inputs] $clock_ports]
  puts "escgen: clock port $clock_port"
} else {
  create_clock -name clk -period $clock_ns
  set data_inputs [all_inputs]
  puts "escgen: clock virtual"
}
set_input_delay $input_delay_ns -clock clk $data_inputs
set_output_delay $output_delay_ns -clock clk [all_outputs]
set_driving_cell -lib_cell $driving_cell -pin $driving_pin $data_inputs
set_load $load_pf [all_outputs]

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

# Stage 4: power with OpenSTA's default switching activity (no simulation data).
puts "escgen: section power"
report_power
puts "escgen: end"
