#!/bin/sh
# Gate-level check (issue 6): runs one layer on the synthesised netlist of a configuration under
# Icarus Verilog with the library's own cell models and checks it bit for bit against the golden
# model, the flow of run_icarus.sh with the netlist in place of the RTL:
#   run_gate_level.sh ESCGEN CONFIG SYNTH_DIR WORK_DIR LAYER_DIR
#   run_gate_level.sh ESCGEN CONFIG SYNTH_DIR WORK_DIR --random SEED [escgen layer random options]
# SYNTH_DIR is an `escgen synth` run folder of CONFIG (its netlist/netlist.v); when it has no
# netlist, `escgen synth --config CONFIG --out SYNTH_DIR` makes one (only the netlist is needed:
# a failing timing step does not stop the check). Environment: GL_CELLS (default
# /usr/share/qflow/tech/osu018/osu018_stdcells.v, the osu018 cell models; it must come first on
# the iverilog command line, otherwise an earlier typed localparam silently zeroes every specparam
# delay), GL_DELAYS (1, the default: the cells' typical specify delays, -gspecify -Ttyp; 0: zero
# delay), GL_NETLIST (another netlist file, e.g. a deliberately broken copy).
set -eu
escgen=$1 config=$2 synth=$3 work=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
cells=${GL_CELLS:-/usr/share/qflow/tech/osu018/osu018_stdcells.v}
delays=${GL_DELAYS:-1}
[ -f "$cells" ] || { echo "run_gate_level: no cell models $cells (scripts/setup installs osu018)"; exit 2; }
rm -rf "$work"
mkdir -p "$work"
if [ "$1" = --random ]; then
  seed=$2
  shift 2
  layer=$work/L
  "$escgen" layer random --out "$layer" --seed "$seed" "$@"
else
  layer=$1
fi
if [ ! -f "$synth/netlist/netlist.v" ]; then
  "$escgen" synth --config "$config" --out "$synth" || true
fi
netlist=${GL_NETLIST:-$synth/netlist/netlist.v}
[ -f "$netlist" ] || { echo "run_gate_level: no netlist $netlist (escgen synth failed?)"; exit 1; }
"$escgen" stimulus write --config "$config" --layer "$layer" --input "$layer/x.npy" \
  --out "$work/stim"
meta() { awk -v k="$1" '$1 == k { print $2 }' "$work/stim/meta.txt"; }
wgt=$(meta wgt) act=$(meta act) out=$(meta out)
timeout=$((64 * (wgt + act + out) + 100000))
stim=$(cd "$work/stim" && pwd)
if [ "$delays" = 1 ]; then timing="-gspecify -Ttyp"; else timing=""; fi
# shellcheck disable=SC2086  # $timing is a list of options
iverilog -g2005 $timing -o "$work/tb.vvp" -s tb_accelerator \
  -Ptb_accelerator.WGT_BITS="$(meta wgt_bits)" -Ptb_accelerator.ACT_BITS="$(meta act_bits)" \
  -Ptb_accelerator.OUT_BITS="$(meta out_bits)" -Ptb_accelerator.N_REGS="$(meta regs)" \
  -Ptb_accelerator.N_WGT="$wgt" -Ptb_accelerator.N_ACT="$act" -Ptb_accelerator.N_OUT="$out" \
  -Ptb_accelerator.TIMEOUT="$timeout" -Ptb_accelerator.STIM="\"$stim\"" \
  "$cells" "$netlist" "$here/tb_accelerator.v"
vvp -n "$work/tb.vvp" | tee "$work/vvp.log"
grep -q '^tb_accelerator: done' "$work/vvp.log" ||
  { echo "run_gate_level: gate-level simulation failed"; exit 1; }
if grep -qi x "$work/stim/out.hex"; then
  echo "run_gate_level: out.hex holds X bits: undefined values reach the output of the netlist"
  exit 1
fi
"$escgen" stimulus decode --config "$config" --layer "$layer" --stim "$work/stim" \
  --output "$work/y_gates.npy" --input "$layer/x.npy"
"$escgen" golden --layer "$layer" --input "$layer/x.npy" --output "$work/y_golden.npy" > /dev/null
cmp "$work/y_gates.npy" "$work/y_golden.npy"
echo "run_gate_level: $layer bit-exact on the netlist $netlist"
