#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown table of vact against its peers, from vact_bench's JSON output.

Usage: scripts/peer_table.py RESULTS.json [--no-targets]

RESULTS.json comes from `vact_bench --peers ... --benchmark_format=json` or
`--benchmark_out=RESULTS.json --benchmark_out_format=json` (what
scripts/benchmark-peers.sh runs). For every op and size that a peer ran, the
table gives G elements/s of vact's fastest ISA, of vact avx2, of each peer and
the ratio vact avx2 / best peer; for the memory-bound ops, also memcpy's rate
on the same n and vact avx2 / memcpy. With repetitions, each rate is the
median. The last columns check the targets of issue 5. Standard library only.
"""

import argparse
import json
import re
import statistics
import sys

PEERS = ["xnnpack", "onednn", "sleef", "eigen"]
ISAS = ["scalar", "sse2", "sse4.1", "avx2", "avx512", "neon"]
MEMORY_BOUND = ["relu", "leaky_relu", "step", "hardsigmoid", "hardswish"]
COPIES = ["memcpy", "avx2copy"]

# Issue 5's targets: (kind, threshold). "peer": vact avx2 / best peer;
# "memcpy": vact avx2 / memcpy on the same n.
TARGETS = {
    **{op: ("peer", 1.5) for op in
       ["sigmoid", "tanh", "elu", "selu", "gelu", "gelu_tanh", "silu", "mish"]},
    "softplus": ("peer", 2.0),
    **{op: ("memcpy", 0.95) for op in MEMORY_BOUND},
}
ROWS_TARGETS = {"4096x10": 3.0, "1024x1000": 1.5, "64x32000": 1.5,
                "1x4194304": 1.5}


def target_of(op, size):
    if op in ("softmax", "log_softmax"):
        threshold = ROWS_TARGETS.get(size)
        return ("peer", threshold) if threshold else None
    return TARGETS.get(op)


def parse_name(run_name):
    """'op/variant/size[/real_time]' -> (op, variant, size), or None."""
    parts = run_name.split("/")
    while parts and parts[-1] in ("real_time", "process_time"):
        parts.pop()
    if len(parts) != 3:
        return None
    return tuple(parts)


def load_rates(path):
    """{(op, size): {variant: G elements/s}} and the JSON context."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    medians = {}
    samples = {}
    for bench in data.get("benchmarks", []):
        if bench.get("error_occurred") or "items_per_second" not in bench:
            continue
        parsed = parse_name(bench.get("run_name", bench["name"]))
        if parsed is None:
            continue
        rate = bench["items_per_second"] / 1e9
        if bench.get("run_type") == "aggregate":
            if bench.get("aggregate_name") == "median":
                medians[parsed] = rate
        else:
            samples.setdefault(parsed, []).append(rate)
    rates = {}
    order = []
    for key in list(samples) + list(medians):
        op, variant, size = key
        value = medians.get(key)
        if value is None:
            value = statistics.median(samples[key])
        if (op, size) not in rates:
            rates[(op, size)] = {}
            order.append((op, size))
        rates[(op, size)][variant] = value
    return rates, order, data.get("context", {})


def size_key(size):
    """Sorts n numerically, rows x cols by rows * cols after the n's."""
    match = re.fullmatch(r"(\d+)x(\d+)", size)
    if match:
        return (1, int(match.group(1)) * int(match.group(2)), size)
    return (0, int(size), size) if size.isdigit() else (2, 0, size)


def fmt_rate(value):
    return "-" if value is None else f"{value:.3f}"


def fmt_ratio(value):
    return "-" if value is None else f"{value:.2f}"


def build_table(rates, order, with_targets):
    ops = []
    for op, _ in order:
        if op not in ops and op not in COPIES:
            ops.append(op)
    peers = [p for p in PEERS
             if any(p in cell for cell in rates.values())]
    headers = ["op", "size", "vact best", "vact avx2"] + peers + [
        "best peer", "avx2 / best peer", "memcpy", "avx2 / memcpy"]
    if with_targets:
        headers += ["target", "met"]
    right = {h for h in headers if h not in ("op", "target", "met")}
    rows = []
    verdicts = []
    for op in ops:
        sizes = sorted({size for (o, size) in rates if o == op}, key=size_key)
        for size in sizes:
            cell = rates[(op, size)]
            peer_rates = {p: cell[p] for p in peers if p in cell}
            if not peer_rates and op not in MEMORY_BOUND:
                continue  # not a peer comparison
            isa_rates = {i: cell[i] for i in ISAS if i in cell}
            best_isa = max(isa_rates, key=isa_rates.get) if isa_rates else None
            avx2 = cell.get("avx2")
            best_peer = (max(peer_rates, key=peer_rates.get)
                         if peer_rates else None)
            peer_ratio = (avx2 / peer_rates[best_peer]
                          if avx2 and best_peer else None)
            copy = rates.get(("memcpy", size), {}).get("memcpy")
            copy_ratio = (avx2 / copy
                          if op in MEMORY_BOUND and avx2 and copy else None)
            row = [op, size,
                   f"{fmt_rate(isa_rates[best_isa])} ({best_isa})"
                   if best_isa else "-",
                   fmt_rate(avx2)]
            row += [fmt_rate(cell.get(p)) for p in peers]
            row += [best_peer or "-", fmt_ratio(peer_ratio),
                    fmt_rate(copy) if op in MEMORY_BOUND else "",
                    fmt_ratio(copy_ratio)]
            if with_targets:
                target = target_of(op, size)
                text, met = "", ""
                if target:
                    kind, threshold = target
                    value = peer_ratio if kind == "peer" else copy_ratio
                    text = (f">= {threshold:g}x best peer" if kind == "peer"
                            else f">= {threshold:.0%} of memcpy")
                    met = "-" if value is None else (
                        "yes" if value >= threshold else "no")
                    verdicts.append((op, size, text, value, met))
                row += [text, met]
            rows.append(row)
    return headers, right, rows, verdicts


def bandwidth_rows(rates):
    rows = []
    sizes = sorted({size for (op, size) in rates if op == "memcpy"},
                   key=size_key)
    for size in sizes:
        cell = rates[("memcpy", size)]
        rows.append([size, fmt_rate(cell.get("memcpy")),
                     fmt_rate(cell.get("avx2copy"))])
    return rows


def print_table(headers, right, rows, out):
    widths = [max(len(h), *(len(r[c]) for r in rows)) if rows else len(h)
              for c, h in enumerate(headers)]

    def line(cells):
        padded = [cell.rjust(w) if h in right else cell.ljust(w)
                  for cell, w, h in zip(cells, widths, headers)]
        return "| " + " | ".join(padded) + " |"

    out.write(line(headers) + "\n")
    out.write("| " + " | ".join(
        "-" * (w - 1) + ":" if h in right else "-" * w
        for w, h in zip(widths, headers)) + " |\n")
    for row in rows:
        out.write(line(row) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", help="vact_bench's JSON output")
    parser.add_argument("--no-targets", action="store_true",
                        help="leave out the target and met columns")
    args = parser.parse_args()
    rates, order, context = load_rates(args.json)
    headers, right, rows, verdicts = build_table(rates, order,
                                                 not args.no_targets)
    out = sys.stdout
    if not rows:
        out.write("no peer results in this file (run vact_bench --peers)\n")
        return 1
    cpu = context.get("cpu_model", "unknown CPU")
    out.write(f"CPU: {cpu}, {context.get('num_cpus', '?')} cores; "
              f"vact {context.get('vact_version', '?')}, "
              f"{context.get('date', '')}\n")
    if context.get("peers"):
        out.write(f"Peers: {context['peers']}\n")
    if context.get("peer_check"):
        out.write(f"Peer check: {context['peer_check']}\n")
    if context.get("peer_check_failures"):
        out.write(f"WARNING, peer check: {context['peer_check_failures']}\n")
    out.write("\nG elements/s (median); vact best = its fastest ISA here\n\n")
    print_table(headers, right, rows, out)
    copies = bandwidth_rows(rates)
    if copies:
        out.write("\nBandwidth limits, G elements/s (one float read and one "
                  "written per element)\n\n")
        print_table(["n", "memcpy", "avx2copy"], {"n", "memcpy", "avx2copy"},
                    copies, out)
    if verdicts:
        met = sum(1 for v in verdicts if v[4] == "yes")
        out.write(f"\nTargets met: {met} of {len(verdicts)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
