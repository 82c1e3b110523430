#!/usr/bin/python3
"""ctest label `synth`: runs `escgen synth` on a configuration and checks that the report is
complete and sane: area > 0, every module of files.f in the per-module table, Fmax parsed and
> 0, flops > 0, path groups present, no Error lines in the OpenSTA log.
Usage: check_synth.py ESCGEN CONFIG OUTDIR"""
import json
import os
import shutil
import subprocess
import sys
import time


def fail(msg):
    print(f"check_synth: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    escgen, config, out = sys.argv[1:]
    shutil.rmtree(out, ignore_errors=True)
    start = time.time()
    run = subprocess.run([escgen, "synth", "--config", config, "--out", out])
    if run.returncode != 0:
        fail(f"escgen synth exited {run.returncode}")
    print(f"check_synth: escgen synth took {time.time() - start:.1f} s")
    with open(os.path.join(out, "report.json")) as f:
        r = json.load(f)
    with open(os.path.join(out, "files.f")) as f:
        modules = [os.path.basename(l.strip())[:-2] for l in f if l.strip()]

    if r["library"]["mode"] != "liberty":
        fail("not synthesised to a liberty")
    area = r["area"]
    if not area["total"] > 0:
        fail(f"area {area['total']}")
    if not area["nand2_equivalents"] or area["nand2_equivalents"] <= 0:
        fail("no NAND2 equivalents")
    listed = {m["module"]: m for m in area["by_module"]}
    for m in modules:
        if m not in listed:
            fail(f"module {m} of files.f missing from the per-module table")
    if r["top"] != modules[-1]:
        fail(f"top {r['top']} is not the last file of files.f ({modules[-1]})")
    tree_area = area["hierarchy"]["subtree_area"]
    if abs(tree_area - area["total"]) > 1e-6 * area["total"] + 1:
        fail(f"hierarchy area {tree_area} != total {area['total']}")
    if r["cells"]["flops"] <= 0:
        fail("no flops")
    t = r["timing"]
    if not t["analysed"] or t["fmax_mhz"] is None or t["fmax_mhz"] <= 0:
        fail(f"Fmax not parsed: {t.get('fmax_mhz')}")
    if t["critical_path"] is None or not t["critical_path"]["startpoint"]:
        fail("no critical path")
    for group in ("reg_to_reg", "in_to_reg", "reg_to_out", "in_to_out"):
        if group not in t["path_groups"]:
            fail(f"path group {group} missing")
    if t["worst_hold_slack_ns"] is None:
        fail("no hold slack")
    # Limiters: the worst endpoint's path is the critical path, so the first group's worst slack
    # is the worst setup slack; every endpoint analysed is in exactly one group.
    lim = t["limiters"]
    groups = lim["groups"]
    if lim["endpoints_analysed"] <= 0 or not groups:
        fail("no limiters")
    if abs(groups[0]["worst_slack_ns"] - t["worst_setup_slack_ns"]) > 0.0015:
        fail(f"first limiter group's slack {groups[0]['worst_slack_ns']} != worst setup slack "
             f"{t['worst_setup_slack_ns']}")
    if sum(g["endpoints"] for g in groups) != lim["endpoints_analysed"]:
        fail("limiter groups do not add up to the endpoints analysed")
    if any(a["worst_slack_ns"] > b["worst_slack_ns"] for a, b in zip(groups, groups[1:])):
        fail("limiter groups not sorted worst first")
    if r["power"] is None:
        # OpenSTA 2.0.17's report_power crashes on some netlists; then the report must say so.
        if not r.get("power_error"):
            fail("power missing without power_error")
        print(f"check_synth: note: {r['power_error']}")
    elif r["power"]["activity"] not in ("propagated", "global") or \
            "activity" not in r["power"]["label"] or r["power"]["total_w"] <= 0:
        fail(f"power not labelled with its activity or not positive: {r['power']}")
    if not r["tools"]["yosys"] or not r["tools"]["sta"]:
        fail("tool versions missing")
    with open(os.path.join(out, "logs", "sta.log")) as f:
        errors = [l for l in f if l.startswith("Error")]
    if errors:
        fail(f"OpenSTA errors: {errors[0].strip()}")
    for name in ("report.md", "run.sh", "netlist/netlist.v", "scripts/yosys.tcl",
                 "scripts/sta.tcl", "scripts/knobs.tcl"):
        if not os.path.isfile(os.path.join(out, name)):
            fail(f"{name} missing")
    print(f"check_synth: ok: area {area['total']:.0f} {area['unit']}, "
          f"{r['cells']['flops']} flops, Fmax {t['fmax_mhz']:.1f} MHz, "
          f"{len(modules)} modules")


if __name__ == "__main__":
    main()
