#!/usr/bin/env bash
# RTL quality gate for one configuration: generates it twice (same bytes?), lints it with
# `verilator --lint-only -Wall` (no waivers), and checks it with Yosys
# (`hierarchy -check; proc; check -assert`, no latches).
# Usage: check_rtl.sh ESCGEN CONFIG WORKDIR
set -euo pipefail
escgen=$1 config=$2 work=$3
rm -rf "$work"
mkdir -p "$work/a" "$work/b"
(cd "$work/a" && "$escgen" generate --config "$config" --out gen >/dev/null)
(cd "$work/b" && "$escgen" generate --config "$config" --out gen >/dev/null)
if ! diff -r "$work/a/gen" "$work/b/gen"; then
  echo "FAIL: two runs of escgen generate differ for $config" >&2
  exit 1
fi
cd "$work/a/gen"
top=$(tail -n 1 files.f | sed 's|^rtl/||; s|\.v$||')
echo "check_rtl: $config: top $top, $(wc -l < files.f) files"
verilator --lint-only -Wall -f files.f --top-module "$top"
echo "check_rtl: verilator --lint-only -Wall: clean"
yosys -q -l yosys.log -p "read_verilog -defer $(tr '\n' ' ' < files.f); hierarchy -check -top $top; proc; check -assert; select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr"
echo "check_rtl: yosys hierarchy -check; proc; check -assert; no latches: clean"
