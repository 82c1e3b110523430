#!/bin/sh
# The hardware limits check: a start whose shape registers exceed the configuration's limits must
# be refused with STATUS.error and the right error code, never hang. Runs a valid tiny layer
# through `escgen sim` (which builds or reuses the cached simulator), then replays its stimulus
# with one shape register made illegal through the cached simulator itself, and expects the
# driver to stop with "STATUS.error ... code N (NAME)".
#   run_limits_error.sh ESCGEN CONFIG WORK_DIR CACHE_DIR
set -eu
escgen=$1 config=$2 work=$3 cache=$4
rm -rf "$work"
mkdir -p "$work"
"$escgen" layer random --out "$work/L" --seed 3 --c-in 6 --c-out 3 --h 4 --w 4 --k 3 --pad 1 --d 2
"$escgen" sim --config "$config" --layer "$work/L" --input "$work/L/x.npy" --output "$work/y.npy" \
  --cache "$cache" --work "$work/run" --jobs 2 > /dev/null
. "$(dirname "$0")/cached_model.sh"
model=$(cached_model "$cache" "$work/run/design") || { echo "run_limits_error: no cached simulator"; exit 1; }
max_k=$(sed -n 's/.*"max_k": *\([0-9]*\).*/\1/p' "$config")
# case: register address, new value (hex), expected error code and name
check() {
  rm -rf "$work/bad"
  cp -r "$work/run/stim" "$work/bad"
  sed -i "s/^000000$1.*/000000$1$2/" "$work/bad/regs.hex"
  if "$model" "$work/bad" > "$work/bad.log" 2>&1; then
    echo "run_limits_error: register 0x$1 = 0x$2 was accepted"; exit 1
  fi
  grep -q "STATUS.error.*first failing check $3 ($4)" "$work/bad.log" || {
    echo "run_limits_error: register 0x$1 = 0x$2: expected error code $3 ($4), got:"
    cat "$work/bad.log"; exit 1; }
  echo "run_limits_error: register 0x$1 = 0x$2 refused with code $3 ($4)"
}
check 18 "$(printf %08x $((max_k + 1)))" 5 K
check 20 00000003 7 PAD
check 08 00000000 1 C_IN
check 24 ffffffff 8 D
check 10 10000004 3 H        # a high bit set, the low bits within max_h
check 20 80000001 7 PAD      # likewise for pad against k
check 28 00000002 9 MODE
