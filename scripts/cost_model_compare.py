#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compares two builds' kernels by cycles per element (vact_cost_model).

Runs two vact_cost_model binaries (say, of the commits before and after a
kernel change) one after the other, several times, pinned to one core, and
prints a markdown table of each op's cycles per element: the minimum over
all runs of each binary's minimum over --reps calls, in TSC cycles at
n = 16,384 (softmax: 1024 x 1000), per tier (the fast rows where the op
has a fast kernel of its own and both binaries time it). Minima, because on a shared machine the
noise only ever adds time; alternating runs, so that both binaries see the
same clock.

    git worktree add /tmp/before <commit>
    (cd /tmp/before && cmake --preset release &&
     cmake --build --preset release --target vact_cost_model)
    cmake --build --preset release --target vact_cost_model
    scripts/cost_model_compare.py /tmp/before/build/release/bench/vact_cost_model \\
        build/release/bench/vact_cost_model

Standard library only.
"""
import argparse
import collections
import json
import subprocess
import sys


def measure(binary, reps, core):
    """op rows of one vact_cost_model run."""
    command = ["taskset", "-c", str(core), binary, "--reps", str(reps)]
    output = subprocess.run(command, check=True, capture_output=True,
                            text=True).stdout
    rows = [json.loads(line) for line in output.splitlines()
            if line.startswith("{")]
    return [row for row in rows if row["kind"] == "op"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", help="the first vact_cost_model binary")
    parser.add_argument("after", help="the second vact_cost_model binary")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of each binary, alternating (default 3)")
    parser.add_argument("--reps", type=int, default=300,
                        help="calls per measurement (default 300)")
    parser.add_argument("--core", type=int, default=1,
                        help="the core to pin to (default 1)")
    parser.add_argument("--tier", choices=("precise", "fast"),
                        help="print only this tier's rows (default both)")
    args = parser.parse_args()

    best = collections.defaultdict(dict)
    for _ in range(args.runs):
        for label, binary in (("before", args.before), ("after", args.after)):
            for row in measure(binary, args.reps, args.core):
                key = (row["isa"], row.get("tier", "precise"), row["op"])
                value = row["cycles_per_element"]
                best[key][label] = min(value, best[key].get(label, value))

    print("| op | ISA | tier | before, cycles/elem | after, cycles/elem | "
          "speed-up |")
    print("|---|---|---|--:|--:|--:|")
    for (isa, tier, op), values in sorted(best.items()):
        if "before" not in values or "after" not in values:
            continue
        if args.tier is not None and tier != args.tier:
            continue
        print("| %s | %s | %s | %.3f | %.3f | %.2fx |" % (
            op, isa, tier, values["before"], values["after"],
            values["before"] / values["after"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
