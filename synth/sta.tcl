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
# Stage 4: limiters, the worst path to each of the `limiter_endpoints` worst endpoints (one per
# endpoint): slack and arrival in ns, then start and end pin, each with the register (the net on
# its flop's Q pin) or "-" for a port. `escgen synth` groups them by register (report "Limiters").
proc escgen_reg_net {pin} {
  set inst [$pin instance]
  if {$inst eq "NULL" || $inst eq ""} { return "-" }
  set q [get_pins -quiet [get_full_name $inst]/Q]
  if {[llength $q] == 0} { return "-" }
  set nets [get_nets -quiet -of_objects $q]
  if {[llength $nets] == 0} { return "-" }
  return [get_full_name $nets]
}
puts "escgen: section limiters"
if {$limiter_endpoints > 0} {
  foreach pe [find_timing_paths -path_delay max -group_count $limiter_endpoints \
                -endpoint_count 1 -unique_paths_to_endpoint] {
    # The path's pins run from the endpoint back to the start; a register path starts at the
    # clock port, then the flop's clock pin: name the flop.
    set pins [[$pe path] pins]
    set end [lindex $pins 0]
    set start [lindex $pins end]
    if {[llength $pins] > 1 && [get_full_name $start] eq $clock_port} {
      set start [lindex $pins end-1]
    }
    puts [format "escgen: limiter %.3f %.3f %s %s %s %s" [expr {[$pe slack] * 1e9}] \
            [expr {[$pe data_arrival_time] * 1e9}] [get_full_name $start] \
            [escgen_reg_net $start] [get_full_name $end] [escgen_reg_net $end]]
  }
}
puts "escgen: section hold"
report_checks -path_delay min -digits 3
puts "escgen: end"
