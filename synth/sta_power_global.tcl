# escgen synthesis, OpenSTA power fallback (run as `sta -no_init -no_splash -exit
# scripts/sta_power_global.tcl` from the run folder when sta_power.tcl failed): report_power with
# the same activity as OpenSTA's default at the inputs (0.1 transitions per clock, duty 0.5) set on
# every net instead of propagated through the logic. OpenSTA 2.0.17 crashes (SIGSEGV) while
# propagating activity through some netlists (seen: the CA unit, the accelerator top); a global
# activity needs no propagation. A rough estimate, labelled as such in the report.
source scripts/knobs.tcl
source scripts/sta_setup.tcl
set_power_activity -global -activity 0.1 -duty 0.5
puts "escgen: section power"
report_power
puts "escgen: end"
