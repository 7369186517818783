#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks vact-info: its --json output is valid JSON with the expected
fields and consistent values, the version is the project's, the op list is
the registry's ops (vact/ops.def beside vact.h) in id order, VACT_ISA is honoured (and a bad value
ignored with a warning), the text output says the same, and bad arguments
are rejected.

Usage: check_vact_info.py <vact-info> <expected version> <path to vact.h>
"""
import json
import os
import re
import subprocess
import sys

ISAS = ["scalar", "sse2", "sse4.1", "avx2", "avx512", "neon"]
FEATURES = ["sse2", "sse4.1", "avx2", "avx512", "neon", "f16c",
            "avx512_bf16"]

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def run(tool, args, vact_isa=None):
    env = dict(os.environ)
    env.pop("VACT_ISA", None)
    if vact_isa is not None:
        env["VACT_ISA"] = vact_isa
    return subprocess.run([tool] + args, env=env, capture_output=True,
                          text=True, timeout=60)


def ops_from_header(header):
    """The ops of the registry beside vact.h (vact/ops.def), in value order,
    as vact_op_name spells them."""
    registry = os.path.join(os.path.dirname(header), "ops.def")
    text = open(registry, encoding="utf-8").read()
    ops = {int(v): name for v, name in
           re.findall(r"^VACT_OP\((\d+),\s*(\w+),", text, re.MULTILINE)}
    check(sorted(ops) == list(range(len(ops))) and ops,
          f"ops.def: ids {sorted(ops)} are not 0..{len(ops) - 1}")
    return [ops[i] for i in sorted(ops)]


def check_report(report, version, ops, what):
    keys = ["version", "architecture", "cpu_features", "isas", "active_isa",
            "vact_isa_env", "ops"]
    if not check(isinstance(report, dict) and sorted(report) == sorted(keys),
                 f"{what}: keys are {sorted(report)}, expected {sorted(keys)}"):
        return
    check(report["version"] == version,
          f"{what}: version {report['version']!r}, expected {version!r}")
    check(report["architecture"] in ("x86_64", "aarch64", "other"),
          f"{what}: architecture {report['architecture']!r}")
    cpu = report["cpu_features"]
    check(list(cpu) == FEATURES and
          all(isinstance(v, bool) for v in cpu.values()),
          f"{what}: cpu_features {cpu}")
    # The avx2 table needs F16C; AVX512_BF16 is an extension of AVX-512.
    check(not cpu.get("avx2") or cpu.get("f16c"),
          f"{what}: avx2 without f16c")
    check(not cpu.get("avx512_bf16") or cpu.get("avx512"),
          f"{what}: avx512_bf16 without avx512")
    isas = report["isas"]
    check([i.get("name") for i in isas] == ISAS,
          f"{what}: isas {[i.get('name') for i in isas]}, expected {ISAS}")
    by_name = {i["name"]: i for i in isas}
    for i in isas:
        check(not i["supported"] or i["compiled"],
              f"{what}: {i['name']} supported but not compiled in")
        if i["name"] in cpu:
            check(i["supported"] == (i["compiled"] and cpu[i["name"]]),
                  f"{what}: {i['name']} supported={i['supported']} but "
                  f"compiled={i['compiled']}, cpu={cpu[i['name']]}")
    check(by_name["scalar"]["compiled"] and by_name["scalar"]["supported"],
          f"{what}: scalar must always be compiled in and supported")
    active = [i["name"] for i in isas if i["active"]]
    check(active == [report["active_isa"]],
          f"{what}: active flags {active} vs active_isa "
          f"{report['active_isa']!r}")
    check(by_name.get(report["active_isa"], {}).get("supported"),
          f"{what}: active ISA {report['active_isa']!r} is not supported")
    check(report["ops"] == ops,
          f"{what}: ops {report['ops']}, vact.h has {ops}")


def best_supported(report):
    # The dispatcher's preference is the enum order (vact.h), best last.
    return [i["name"] for i in report["isas"] if i["supported"]][-1]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    tool, version, header = sys.argv[1:]
    ops = ops_from_header(header)

    # Default: the best supported ISA is active.
    r = run(tool, ["--json"])
    check(r.returncode == 0, f"--json: exit {r.returncode}: {r.stderr}")
    try:
        report = json.loads(r.stdout)
    except json.JSONDecodeError as e:
        sys.exit(f"FAIL: --json output is not valid JSON ({e}):\n{r.stdout}")
    check_report(report, version, ops, "--json")
    check(report["vact_isa_env"] is None,
          f"--json: vact_isa_env {report['vact_isa_env']!r} with no VACT_ISA")
    best = best_supported(report)
    check(report["active_isa"] == best,
          f"--json: active {report['active_isa']!r}, best supported {best!r}")

    # VACT_ISA names each supported ISA in turn: that one is active.
    for isa in [i["name"] for i in report["isas"] if i["supported"]]:
        r = run(tool, ["--json"], vact_isa=isa)
        forced = json.loads(r.stdout)
        check_report(forced, version, ops, f"VACT_ISA={isa}")
        check(forced["active_isa"] == isa and forced["vact_isa_env"] == isa,
              f"VACT_ISA={isa}: active {forced['active_isa']!r}, "
              f"vact_isa_env {forced['vact_isa_env']!r}")

    # A bad value: warned about once, ignored; the JSON escapes it.
    bad = 'no"such\\isa'
    r = run(tool, ["--json"], vact_isa=bad)
    check(r.returncode == 0, f"VACT_ISA=bad: exit {r.returncode}")
    ignored = json.loads(r.stdout)
    check_report(ignored, version, ops, "VACT_ISA=bad")
    check(ignored["active_isa"] == best and ignored["vact_isa_env"] == bad,
          f"VACT_ISA=bad: active {ignored['active_isa']!r}, "
          f"vact_isa_env {ignored['vact_isa_env']!r}")
    check("VACT_ISA=" in r.stderr, f"VACT_ISA=bad: no warning: {r.stderr!r}")

    # Text output: the same facts.
    r = run(tool, [])
    check(r.returncode == 0, f"text: exit {r.returncode}")
    lines = r.stdout.splitlines()
    check(lines and lines[0].startswith(f"vact {version} "),
          f"text: first line {lines[:1]}")
    rows = {l.split()[0]: l.split()[1:] for l in lines
            if l.split() and l.split()[0] in ISAS}
    for i in report["isas"]:
        row = rows.get(i["name"], [])
        expected = ["yes" if i["compiled"] else "no",
                    "yes" if i["supported"] else "no"]
        expected += ["*"] if i["active"] else []
        check(row == expected, f"text: row {i['name']}: {row} vs {expected}")
    check(f"ops ({len(ops)}): {' '.join(ops)}" in lines,
          f"text: no line 'ops ({len(ops)}): ...'")

    # Arguments.
    r = run(tool, ["--help"])
    check(r.returncode == 0 and "usage: vact-info" in r.stdout,
          f"--help: exit {r.returncode}")
    r = run(tool, ["--bogus"])
    check(r.returncode == 2 and "usage: vact-info" in r.stderr,
          f"--bogus: exit {r.returncode}, expected 2 and usage on stderr")

    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        sys.exit(1)
    print(f"vact-info OK: version {version}, active {report['active_isa']}, "
          f"supported {[i['name'] for i in report['isas'] if i['supported']]}"
          f", {len(ops)} ops")


if __name__ == "__main__":
    main()
