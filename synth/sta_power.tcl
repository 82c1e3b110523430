# escgen synthesis, OpenSTA power part (run as `sta -no_init -no_splash -exit scripts/sta_power.tcl`
# from the run folder, after sta.tcl): report_power with OpenSTA's default switching activity (no
# simulation data). A separate process because OpenSTA 2.0.17's report_power crashes (SIGSEGV) on
# some netlists (seen: the accelerator top); `escgen synth` then reports no power figure and says so.
source scripts/knobs.tcl
source scripts/sta_setup.tcl
puts "escgen: section power"
report_power
puts "escgen: end"
