#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compares two vact_bench binaries on the benchmarks a filter selects.

Runs the two binaries (say, of the commits before and after a change) one
after the other, --runs times, pinned to one core, and prints a markdown
table of each benchmark's elements per second: the best of each binary's
runs, and their ratio. The best, because on a shared machine the noise
only ever takes time away; alternating runs, so that both binaries see the
same clock. Extra arguments go to both binaries (--storage16, --peers).

    git worktree add /tmp/before <commit>
    (cd /tmp/before && cmake --preset release &&
     cmake --build --preset release --target vact_bench)
    cmake --build --preset release --target vact_bench
    scripts/bench_compare.py /tmp/before/build/release/bench/vact_bench \\
        build/release/bench/vact_bench --runs 5 \\
        --filter '^(convert_.*/avx2|relu/avx2-bf16)/16384$' -- --storage16

Standard library only.
"""
import argparse
import json
import subprocess
import sys
import tempfile


def measure(binary, bench_filter, min_time, core, extra):
    """{benchmark name: elements per second} of one run of binary."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = ["taskset", "-c", str(core), binary, *extra,
                   "--benchmark_filter=" + bench_filter,
                   "--benchmark_min_time=" + str(min_time),
                   "--benchmark_out=" + out.name,
                   "--benchmark_out_format=json"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        report = json.load(open(out.name))
    return {b["name"]: b["items_per_second"] for b in report["benchmarks"]
            if "items_per_second" in b}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--filter", required=True,
                        help="Google Benchmark filter (a regular expression)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--min-time", type=float, default=0.1)
    parser.add_argument("--core", type=int, default=1)
    # Anything after -- goes to both binaries.
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    extra = argv[split + 1:]

    best = {"before": {}, "after": {}}
    for _ in range(args.runs):
        for side in ("before", "after"):
            rates = measure(getattr(args, side), args.filter, args.min_time,
                            args.core, extra)
            for name, rate in rates.items():
                best[side][name] = max(rate, best[side].get(name, 0.0))

    names = sorted(set(best["before"]) & set(best["after"]))
    if not names:
        sys.exit("no benchmark ran in both binaries: check --filter")
    print("| benchmark | before G/s | after G/s | after / before |")
    print("|---|---:|---:|---:|")
    for name in names:
        before, after = best["before"][name], best["after"][name]
        print(f"| {name} | {before / 1e9:.2f} | {after / 1e9:.2f} "
              f"| {after / before:.2f}x |")


if __name__ == "__main__":
    main()
