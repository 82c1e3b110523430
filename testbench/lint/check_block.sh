#!/usr/bin/env bash
# RTL quality gate for one block emitted by `escgen block` (a testbench model's directory):
# `verilator --lint-only -Wall` (no waivers) and Yosys `hierarchy -check; proc; check -assert`
# with no latches, the same gate check_rtl.sh applies to whole configurations.
# Usage: check_block.sh DIR TOP   (DIR holds files.f and rtl/)
set -euo pipefail
dir=$1 top=$2
cd "$dir"
verilator --lint-only -Wall -f files.f --top-module "$top"
yosys -q -l yosys.log -p "read_verilog -defer $(tr '\n' ' ' < files.f); hierarchy -check -top $top; proc; check -assert; select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr"
echo "check_block: $top: verilator -Wall and yosys check -assert clean, no latches"
