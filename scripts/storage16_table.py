#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""docs/performance.md's 16-bit speed tables from a `vact_bench --storage16` JSON file.

Run the benchmark pinned to one core, with repetitions interleaved at
random (the tables take each benchmark's median):

    taskset -c 1 build/release/bench/vact_bench --peers --storage16 \
        --benchmark_filter='^((log_)?softmax/(avx512(-fast)?(-bf16|-f16)?|onednn-bf16)/|(relu|sigmoid|tanh|gelu|silu|hardswish|leaky_relu)/(avx512(-fast)?-(bf16|f16)|onednn-bf16|xnnpack-f16)/16384$|convert_.*/avx512/16384|memcpy/memcpy-16bit/16384)' \
        --benchmark_min_time=0.1 --benchmark_repetitions=6 \
        --benchmark_enable_random_interleaving=true \
        --benchmark_report_aggregates_only=true --benchmark_out=storage16.json
    python3 scripts/storage16_table.py storage16.json

(On another CPU, put its best ISA for avx512 in the filter; without
--peers, or a build without oneDNN and XNNPACK, the peer table is left
out.) Tables: softmax and log_softmax per shape and tier, f32 against bf16
and f16 rows in elements per second; vact's 16-bit calls (the faster of
its tiers) against each 16-bit peer; the conversions against a memcpy of
the 16-bit bytes.
"""
import json
import sys

SHAPES = ["4096x10", "1024x1000", "64x32000", "1x4194304"]


def print_peers(rate, isa):
    """vact's 16-bit rates (its faster tier) against each 16-bit peer's, for
    the benchmarks a peer ran (a --peers run)."""
    lines = []
    for name, peer_rate in sorted(rate.items()):
        op, variant, size = name.split("/")
        if variant not in ("onednn-bf16", "onednn-f16", "xnnpack-f16"):
            continue
        storage = variant.rsplit("-", 1)[1]
        tiers = [rate.get(f"{op}/{isa}{tier}-{storage}/{size}")
                 for tier in ("", "-fast")]
        tiers = [t for t in tiers if t is not None]
        if not tiers:
            continue
        best = max(tiers)
        lines.append(f"| {op} | {size} | {storage} | {best:.2f} | "
                     f"{variant} | {peer_rate:.2f} | {best / peer_rate:.2f}x |")
    if not lines:
        return
    print()
    print(f"| op | size | format | vact G/s ({isa}, faster tier) | peer | "
          "peer G/s | vact / peer |")
    print("|---|---|---|---:|---|---:|---:|")
    print("\n".join(lines))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = json.load(open(sys.argv[1]))
    rate = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        rate[b["run_name"]] = b["items_per_second"] / 1e9
    isa = data["context"].get("vact_active_isa", "avx512")
    print(f"| row function ({isa}, one core) | rows x cols | f32 G/s "
          "| bf16 G/s | ratio | f16 G/s | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for op in ("softmax", "log_softmax"):
        for tier in ("", "-fast"):
            for shape in SHAPES:
                f32 = rate.get(f"{op}/{isa}{tier}/{shape}")
                bf16 = rate.get(f"{op}/{isa}{tier}-bf16/{shape}")
                f16 = rate.get(f"{op}/{isa}{tier}-f16/{shape}")
                if None in (f32, bf16, f16):
                    continue
                name = op + (" (fast)" if tier else "")
                print(f"| {name} | {shape} | {f32:.2f} | {bf16:.2f} | "
                      f"{bf16 / f32:.2f}x | {f16:.2f} | {f16 / f32:.2f}x |")
    print_peers(rate, isa)
    copy = rate.get("memcpy/memcpy-16bit/16384")
    conversions = [(name, value) for name, value in sorted(rate.items())
                   if name.startswith("convert_")]
    if copy and conversions:
        print()
        print(f"| conversion ({isa}, n = 16,384) | G/s | of a memcpy of the "
              "16-bit bytes |")
        print("|---|---:|---:|")
        for name, value in conversions:
            print(f"| `{name.split('/')[0]}` | {value:.1f} | "
                  f"{value / copy:.0%} |")
        print(f"| memcpy, 2 bytes per element | {copy:.1f} | 100% |")


if __name__ == "__main__":
    main()
