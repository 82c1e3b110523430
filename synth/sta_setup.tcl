# escgen synthesis, OpenSTA setup shared by sta.tcl (timing) and sta_power.tcl (power): reads the
# library and the mapped netlist and sets the constraints. Expects scripts/knobs.tcl sourced.
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
