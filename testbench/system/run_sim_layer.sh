#!/bin/sh
# One seeded random layer through `escgen sim` (Verilator, bit-exact against the golden model):
#   run_sim_layer.sh ESCGEN CONFIG WORK_DIR CACHE_DIR SEED [escgen layer random options]
# The simulator cache is shared by every test (concurrent tests wait on its lock and reuse it).
# SIM_ARGS (environment, optional): more `escgen sim` options, e.g. "--build hierarchical".
set -eu
escgen=$1 config=$2 work=$3 cache=$4 seed=$5
shift 5
rm -rf "$work"
mkdir -p "$work"
"$escgen" layer random --out "$work/L" --seed "$seed" "$@"
"$escgen" sim --config "$config" --layer "$work/L" --input "$work/L/x.npy" \
  --output "$work/y.npy" --stats "$work/stats.json" --seed "$seed" --cache "$cache" --jobs 2 \
  ${SIM_ARGS:-}
