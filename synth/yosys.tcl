# escgen synthesis, Yosys part (run as `yosys -c scripts/yosys.tcl` from the run folder).
# Knobs come from scripts/knobs.tcl (written by `escgen synth`); this script is the same for every
# run. Stages: read, synthesise keeping the hierarchy, map (liberty or generic gates), report,
# write the mapped netlist for OpenSTA.
source scripts/knobs.tcl
foreach k $escgen_knobs { yosys log "escgen: knob $k = [set $k]" }
file mkdir reports netlist

# Stage 1: read the liberty (cells as black boxes) and the RTL listed in files.f.
if {$liberty ne ""} { yosys read_liberty -lib $liberty }
set fh [open $files_f]
foreach f [split [string trim [read $fh]] "\n"] { yosys read_verilog -defer [string trim $f] }
close $fh
yosys hierarchy -check -top $top

# Stage 2: generic synthesis; no flatten, so the report has one entry per module.
yosys synth -top $top

# Stage 3: technology mapping. Liberty: flops then logic (abc -D: target delay in ps; -constr
# gives ABC the driving cell and output load, which turns on its buffering and gate sizing:
# without it a net drives any fanout from one X1 gate). The ABC script is Yosys's own for -constr
# (passes/techmap/abc.cc, ABC_COMMAND_CTR) without `dc2` unless abc_dc2 is 1: dc2's area-oriented
# rewriting turns the Brent-Kung carry trees of Yosys's adders into ripple chains (tiny: 6.1 ns
# carry chain with dc2). Generic: unmap enable/reset flops so `stat -tech cmos` counts them right.
if {$liberty ne ""} {
  set fh [open scripts/abc.constr w]
  puts $fh "set_driving_cell $driving_cell"
  puts $fh "set_load $load_pf"
  close $fh
  yosys dfflibmap -liberty $liberty
  if {$abc_dc2} {
    yosys abc -liberty $liberty -D $abc_d_ps -constr scripts/abc.constr
  } else {
    yosys abc -liberty $liberty -D $abc_d_ps -constr scripts/abc.constr -script \
      "+strash;&get,-n;&fraig,-x;&put;scorr;dretime;strash;&get,-n;&dch,-f;&nf,{D};&put;buffer;upsize,{D};dnsize,{D};stime,-p"
  }
} else {
  yosys dffunmap
}
yosys opt_clean -purge

# Stage 4: reports (per module and the whole hierarchy) and structural checks.
if {$liberty ne ""} {
  yosys tee -o reports/yosys_stat.txt stat -liberty $liberty -top $top
} else {
  yosys tee -o reports/yosys_stat.txt stat -tech cmos -top $top
}
yosys check -assert

# Stage 5: the mapped netlist (no concatenated left-hand sides: OpenSTA cannot read them).
yosys write_verilog -noattr -simple-lhs netlist/netlist.v
