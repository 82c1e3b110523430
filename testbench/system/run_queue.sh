#!/bin/sh
# Queued layers (docs/interface.md, "Queued layers"): three seeded random layers of different
# shapes (k 3 / 1 / 3, d 3 / 2 / 3, stride 1 / 1 / 2, requant_relu / raw) run back to back in one
# `escgen sim`, each CTRL.start written while the layer before runs:
#   1. with random gaps and back-pressure on every stream: every layer's output bit-exact
#      against the golden model;
#   2. without stalls: bit-exact again, and the queued run's CYCLES must be below the sum of the
#      three layers' CYCLES run alone (the queued layers' weights load behind the running layer)
#      and within 5% of the performance model's (escgen perf: A, B --after A, C --after A --after B).
#   run_queue.sh ESCGEN CONFIG WORK_DIR CACHE_DIR SEED
set -eu
escgen=$1 config=$2 work=$3 cache=$4 seed=$5
rm -rf "$work"
mkdir -p "$work"
"$escgen" layer random --out "$work/A" --seed "$seed" --c-in 12 --c-out 6 --h 6 --w 5 --k 3 \
  --pad 1 --d 3 --density 0.3
"$escgen" layer random --out "$work/B" --seed "$((seed + 1))" --c-in 5 --c-out 3 --h 4 --w 4 \
  --k 1 --pad 0 --d 2 --output raw
"$escgen" layer random --out "$work/C" --seed "$((seed + 2))" --c-in 9 --c-out 5 --h 7 --w 6 \
  --k 3 --pad 0 --stride 2 --d 3 --density 0.02
queued() {  # queued NAME [escgen sim options]
  name=$1
  shift
  "$escgen" sim --config "$config" --layer "$work/A" --input "$work/A/x.npy" \
    --output "$work/$name-A.npy" --then-layer "$work/B" --then-input "$work/B/x.npy" \
    --then-output "$work/$name-B.npy" --then-layer "$work/C" --then-input "$work/C/x.npy" \
    --then-output "$work/$name-C.npy" --stats "$work/$name.json" --seed "$seed" \
    --cache "$cache" --jobs 2 "$@"
}
queued stall
queued nostall --no-stall
for l in A B C; do
  "$escgen" sim --config "$config" --layer "$work/$l" --input "$work/$l/x.npy" \
    --output "$work/alone-$l.npy" --stats "$work/alone-$l.json" --cache "$cache" --jobs 2 \
    --no-stall
done
"$escgen" perf --config "$config" --layer "$work/A" --json "$work/model-A.json" > /dev/null
"$escgen" perf --config "$config" --layer "$work/B" --after "$work/A" \
  --json "$work/model-B.json" > /dev/null
"$escgen" perf --config "$config" --layer "$work/C" --after "$work/A" --after "$work/B" \
  --json "$work/model-C.json" > /dev/null
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
cyc = lambda f: json.load(open(f"{w}/{f}.json"))["counters"]["CYCLES"]
alone = [cyc(f"alone-{l}") for l in "ABC"]
queued = cyc("nostall")
model = [json.load(open(f"{w}/model-{l}.json"))["cycles"] for l in "ABC"]
print(f"run_queue: alone {alone} (sum {sum(alone)}), queued {queued}: "
      f"{sum(alone) - queued} cycles hidden; model {model} (sum {sum(model)})")
if queued >= sum(alone):
    sys.exit("run_queue: FAIL: the queued run is not faster than the layers run alone")
if abs(sum(model) - queued) > 0.05 * queued:
    sys.exit(f"run_queue: FAIL: the model's {sum(model)} cycles are not within 5% of {queued}")
PY
