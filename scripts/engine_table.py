#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""docs/performance.md's engine-call table from a `vact_bench --engine` JSON file.

Run the benchmark with repetitions (the table takes the fastest one of
each, the least disturbed on a shared machine), pinned to one core:

    taskset -c 1 build/release/bench/vact_bench --engine \\
        --benchmark_filter='^(swiglu|softmax_masked|bias_gelu)/' \\
        --benchmark_repetitions=8 --benchmark_enable_random_interleaving=true \\
        --benchmark_report_aggregates_only=true --benchmark_out=engine.json
    python3 scripts/engine_table.py engine.json

Each row: the fused call's time, the time of the calls it replaces, and
their ratio; the masked softmax also against the plain softmax, bias + GELU
also against oneDNN's one-primitive form (when the bench has oneDNN).
"""
import json
import sys

ROWS = [
    ("swiglu", "SwiGLU, 4M: `vact_gated_f32(silu)` vs silu, then `y *= up`",
     "unfused"),
    ("softmax_masked",
     "masked softmax 1024x4096: `vact_softmax_ex_f32` (scale, a mask row "
     "per row) vs `x * scale + mask`, then softmax", "unfused"),
    ("softmax_masked",
     "the same against the plain softmax (no scale, no mask)", "plain"),
    ("softmax_masked-shared",
     "masked softmax, one mask row for all rows, against the plain softmax",
     "plain"),
    ("bias_gelu",
     "bias + GELU 1024x4096 in place: `vact_bias_apply_f32` vs `c += bias`, "
     "then gelu", "unfused"),
    ("bias_gelu",
     "the same against oneDNN: `binary_add` of the bias row with an "
     "`eltwise_gelu_erf` post-op, in place", "onednn-postop"),
]
# Variants run by a peer rather than by vact: no ISA or tier in their name.
PEER_VARIANTS = ("onednn-postop",)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = json.load(open(sys.argv[1]))
    times = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "min":
            continue
        call, variant, _ = b["run_name"].split("/")
        times[(call, variant)] = b["real_time"]
    isa = data["context"].get("vact_active_isa", "?")
    print(f"| call ({isa}, one core) | tier | fused ms | against ms | ratio |")
    print("|---|---|---:|---:|---:|")
    for key, label, against in ROWS:
        call = key.split("-")[0]
        fused_suffix = "fused-shared_mask" if key.endswith("shared") \
            else "fused"
        for tier in ("", "-fast"):
            fused = times.get((call, f"{isa}{tier}-{fused_suffix}"))
            other = times.get((call, against if against in PEER_VARIANTS
                               else f"{isa}{tier}-{against}"))
            if fused is None or other is None:
                continue
            name = "fast" if tier else "precise"
            print(f"| {label} | {name} | {fused:.2f} | {other:.2f} | "
                  f"{other / fused:.2f}x |")


if __name__ == "__main__":
    main()
