#!/bin/sh
# Runs one layer on the generated accelerator under Icarus Verilog through the plain Verilog-2005
# test top (tb_accelerator.v) and checks the result bit for bit against the golden model:
#   run_icarus.sh ESCGEN CONFIG WORK_DIR LAYER_DIR
#   run_icarus.sh ESCGEN CONFIG WORK_DIR --random SEED [escgen layer random options]
# LAYER_DIR holds layer.json ... and x.npy (--random writes one to WORK_DIR/L). Steps: escgen
# generate (RTL), escgen stimulus write (hex files), iverilog + vvp (writes out.hex), escgen
# stimulus decode --input (compares with the golden model), escgen golden and a byte comparison
# of the two .npy files.
set -eu
escgen=$1 config=$2 work=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
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
"$escgen" generate --config "$config" --out "$work/gen" > /dev/null
"$escgen" stimulus write --config "$config" --layer "$layer" --input "$layer/x.npy" \
  --out "$work/stim"
meta() { awk -v k="$1" '$1 == k { print $2 }' "$work/stim/meta.txt"; }
wgt=$(meta wgt) act=$(meta act) out=$(meta out)
timeout=$((64 * (wgt + act + out) + 100000))
stim=$(cd "$work/stim" && pwd)
sed "s|^|$work/gen/|" "$work/gen/files.f" > "$work/files.f"
iverilog -g2005 -o "$work/tb.vvp" -s tb_accelerator \
  -Ptb_accelerator.WGT_BITS="$(meta wgt_bits)" -Ptb_accelerator.ACT_BITS="$(meta act_bits)" \
  -Ptb_accelerator.OUT_BITS="$(meta out_bits)" -Ptb_accelerator.N_REGS="$(meta regs)" \
  -Ptb_accelerator.N_WGT="$wgt" -Ptb_accelerator.N_ACT="$act" -Ptb_accelerator.N_OUT="$out" \
  -Ptb_accelerator.TIMEOUT="$timeout" -Ptb_accelerator.STIM="\"$stim\"" \
  "$here/tb_accelerator.v" -f "$work/files.f"
vvp -n "$work/tb.vvp" | tee "$work/vvp.log"
grep -q '^tb_accelerator: done' "$work/vvp.log" || { echo "run_icarus: simulation failed"; exit 1; }
if grep -qi x "$work/stim/out.hex"; then
  echo "run_icarus: out.hex holds X bits: undefined values reach the output under Icarus (state" \
    "without reset or unqualified data; Verilator starts every register at 0 and hides it)"
  exit 1
fi
"$escgen" stimulus decode --config "$config" --layer "$layer" --stim "$work/stim" \
  --output "$work/y_icarus.npy" --input "$layer/x.npy"
"$escgen" golden --layer "$layer" --input "$layer/x.npy" --output "$work/y_golden.npy" > /dev/null
cmp "$work/y_icarus.npy" "$work/y_golden.npy"
echo "run_icarus: $layer bit-exact under Icarus Verilog"
