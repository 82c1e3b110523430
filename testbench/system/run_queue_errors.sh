#!/bin/sh
# The start queue's edges (docs/interface.md, "Queued layers"), through the cached simulator on
# replayed stimuli of queued tiny layers (this script's own runs, kept in WORK/run and WORK/run2):
#   1. every CTRL.start written at once (--no-queue-wait): the third, written while the second
#      waits in the queue, must answer SLVERR;
#   2. the second layer's K made illegal: its start, written while the first layer runs, must be
#      refused with STATUS.error code 5 (K), not hang;
#   3. two layers, the second's start written 0 .. 16 cycles after the first layer's last output
#      beat but one was taken (--late-start, no stalls): it lands before the first layer's end,
#      after it while its counters settle (on tiny: 1 .. 7), or after STATUS.done. Every run must finish with
#      both layers' outputs equal to the queued run's (no STATUS.done while a start is queued);
#      the earliest must count both layers (the run goes on), the latest only the second (a fresh
#      start clears the counters).
#   run_queue_errors.sh ESCGEN CONFIG WORK_DIR CACHE_DIR
set -eu
escgen=$1 config=$2 work=$3 cache=$4
rm -rf "$work"
mkdir -p "$work"
"$escgen" layer random --out "$work/A" --seed 5 --c-in 12 --c-out 6 --h 6 --w 5 --k 3 --pad 1 --d 3
"$escgen" layer random --out "$work/B" --seed 6 --c-in 5 --c-out 3 --h 4 --w 4 --k 1 --pad 0 --d 2
"$escgen" layer random --out "$work/C" --seed 7 --c-in 9 --c-out 5 --h 5 --w 5 --k 3 --pad 1 --d 3
"$escgen" sim --config "$config" --layer "$work/A" --input "$work/A/x.npy" --output "$work/a.npy" \
  --then-layer "$work/B" --then-input "$work/B/x.npy" --then-output "$work/b.npy" \
  --then-layer "$work/C" --then-input "$work/C/x.npy" --then-output "$work/c.npy" \
  --cache "$cache" --work "$work/run" --jobs 2 > /dev/null
# The newest cached simulator of this RTL (a cache may also hold builds by older drivers).
. "$(dirname "$0")/cached_model.sh"
model=$(cached_model "$cache" "$work/run/design") || { echo "run_queue_errors: no cached simulator"; exit 1; }
# 1. SLVERR for a start while one is queued.
if "$model" "$work/run/stim" --no-queue-wait --out "$work/o1.hex" --stats "$work/s1.json" \
  > "$work/slverr.log" 2>&1; then
  echo "run_queue_errors: three starts written at once were all accepted"; exit 1
fi
grep -q "write of 0x00000001 to 0x00000000 answered bresp 2" "$work/slverr.log" || {
  echo "run_queue_errors: expected SLVERR for the third start, got:"; cat "$work/slverr.log"
  exit 1; }
echo "run_queue_errors: a start while one is queued answers SLVERR"
# 2. A queued start with an illegal K: the second write to K (0x18) is the second layer's.
max_k=$(sed -n 's/.*"max_k": *\([0-9]*\).*/\1/p' "$config")
rm -rf "$work/bad"
cp -r "$work/run/stim" "$work/bad"
awk -v v="$(printf %08x $((max_k + 1)))" \
  '/^00000018/ { n++; if (n == 2) $0 = "00000018" v } { print }' "$work/run/stim/regs.hex" \
  > "$work/bad/regs.hex"
if "$model" "$work/bad" > "$work/bad.log" 2>&1; then
  echo "run_queue_errors: an illegal queued start was accepted"; exit 1
fi
grep -q "STATUS.error.*first failing check 5 (K)\|STATUS.error set (.*error 5 (K)" "$work/bad.log" || {
  echo "run_queue_errors: expected STATUS.error code 5 (K), got:"; cat "$work/bad.log"; exit 1; }
echo "run_queue_errors: an illegal queued start is refused with code 5 (K)"
# 3. Late starts.
"$escgen" sim --config "$config" --layer "$work/A" --input "$work/A/x.npy" --output "$work/a2.npy" \
  --then-layer "$work/B" --then-input "$work/B/x.npy" --then-output "$work/b2.npy" \
  --cache "$cache" --work "$work/run2" --jobs 2 --no-stall > /dev/null
"$escgen" sim --config "$config" --layer "$work/A" --input "$work/A/x.npy" --output "$work/a1.npy" \
  --stats "$work/alone-A.json" --cache "$cache" --jobs 2 --no-stall > /dev/null
"$escgen" sim --config "$config" --layer "$work/B" --input "$work/B/x.npy" --output "$work/b1.npy" \
  --stats "$work/alone-B.json" --cache "$cache" --jobs 2 --no-stall > /dev/null
out_a=$(python3 -c "import json; print(json.load(open('$work/alone-A.json'))['beats']['out'])")
for d in $(seq 0 16); do
  "$model" "$work/run2/stim" --no-stall --late-start "$((out_a - 1)):$d" --out "$work/late$d.hex" \
    --stats "$work/late$d.json" > "$work/late$d.log" 2>&1 || {
    echo "run_queue_errors: late start $d cycles after the first layer's last output but one failed:"
    cat "$work/late$d.log"; exit 1; }
  cmp -s "$work/late$d.hex" "$work/run2/stim/out.hex" || {
    echo "run_queue_errors: late start $d: the outputs differ from the queued run's"; exit 1; }
done
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
cyc = lambda f: json.load(open(f"{w}/{f}.json"))["counters"]["CYCLES"]
late = [cyc(f"late{d}") for d in range(17)]
a, b = cyc("alone-A"), cyc("alone-B")
print(f"run_queue_errors: late starts 0..16 cycles after the first layer's last output but one: "
      f"CYCLES {late} (alone: A {a}, B {b})")
if late[0] <= a:
    sys.exit("run_queue_errors: FAIL: the earliest late start did not count both layers")
if late[-1] != b:
    sys.exit("run_queue_errors: FAIL: a start after STATUS.done did not begin a fresh run")
PY
