#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Plots of vact_bench results (Debian: python3-matplotlib).

Usage: bench/plot.py RESULTS.json [--out DIR] [--speedup-size N]

RESULTS.json is the JSON of `vact_bench --sweep --peers` (what
scripts/benchmark-plots.sh runs). Writes to DIR (default bench/plots):
  throughput.png  G elements/s against n, log-log, one panel per op: vact on
                  each ISA, the textbook loop, the best peer at each n and
                  memcpy (the bandwidth limit)
  speedup.png     speedup of each ISA over the textbook loop at one n
                  (default 16384, in cache), one group of bars per op
"""

import argparse
import math
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
from peer_table import ISAS, PEERS, load_rates  # noqa: E402

ISA_COLOURS = {"scalar": "tab:gray", "sse2": "tab:olive",
               "sse4.1": "tab:cyan", "avx2": "tab:blue",
               "avx512": "tab:purple", "neon": "tab:green"}


def element_sizes(rates, op):
    return sorted(int(size) for (o, size) in rates
                  if o == op and size.isdigit())


def series(rates, op, variant):
    points = [(n, rates[(op, str(n))].get(variant))
              for n in element_sizes(rates, op)]
    return [(n, r) for n, r in points if r is not None]


def best_peer_series(rates, op):
    points = []
    for n in element_sizes(rates, op):
        cell = rates[(op, str(n))]
        peers = {p: cell[p] for p in PEERS if p in cell}
        if peers:
            best = max(peers, key=peers.get)
            points.append((n, peers[best], best))
    return points


def plot_throughput(rates, order, path):
    ops = []
    for op, size in order:
        if op not in ops and op != "memcpy" and size.isdigit() and \
                len(element_sizes(rates, op)) > 1:
            ops.append(op)
    if not ops:
        raise SystemExit("no element-wise sweep in this file "
                         "(run vact_bench --sweep)")
    columns = 4
    rows = math.ceil(len(ops) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns,
                                                     3.4 * rows),
                             squeeze=False, sharex=True)
    copy = series(rates, "memcpy", "memcpy")
    for index, op in enumerate(ops):
        ax = axes[index // columns][index % columns]
        for isa in ISAS:
            points = series(rates, op, isa)
            if points:
                ax.plot(*zip(*points), marker=".", label=f"vact {isa}",
                        color=ISA_COLOURS[isa])
        textbook = series(rates, op, "textbook")
        if textbook:
            ax.plot(*zip(*textbook), linestyle="--", color="tab:brown",
                    label="textbook")
        peer = best_peer_series(rates, op)
        if peer:
            names = sorted({name for _, _, name in peer})
            ax.plot([n for n, _, _ in peer], [r for _, r, _ in peer],
                    marker="x", color="tab:red",
                    label="best peer (" + ", ".join(names) + ")")
        if copy:
            ax.plot(*zip(*copy), linestyle=":", color="black",
                    label="memcpy")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_title(op)
        ax.grid(True, which="both", linewidth=0.3)
        ax.legend(fontsize=6, loc="lower left")
        if index % columns == 0:
            ax.set_ylabel("G elements/s")
        if index // columns == rows - 1:
            ax.set_xlabel("n (floats)")
    for index in range(len(ops), rows * columns):
        axes[index // columns][index % columns].axis("off")
    fig.suptitle("vact throughput against n (one core; higher is better)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_speedup(rates, order, size, path):
    ops = []
    for op, s in order:
        if s == str(size) and op not in ops and \
                rates[(op, s)].get("textbook"):
            ops.append(op)
    isas = [i for i in ISAS if any(rates[(op, str(size))].get(i)
                                   for op in ops)]
    if not ops or not isas:
        raise SystemExit(f"no textbook and ISA results at n = {size}")
    width = 0.8 / len(isas)
    fig, ax = plt.subplots(figsize=(max(8.0, 0.75 * len(ops)), 4.5))
    for k, isa in enumerate(isas):
        xs, ys = [], []
        for j, op in enumerate(ops):
            cell = rates[(op, str(size))]
            if cell.get(isa):
                xs.append(j + (k - (len(isas) - 1) / 2) * width)
                ys.append(cell[isa] / cell["textbook"])
        ax.bar(xs, ys, width, label=isa, color=ISA_COLOURS[isa])
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(ops)))
    ax.set_xticklabels(ops, rotation=45, ha="right")
    ax.set_ylabel("speedup over the textbook loop")
    ax.set_title(f"vact per ISA against the textbook loop, n = {size}")
    ax.grid(True, axis="y", which="both", linewidth=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", help="vact_bench --sweep JSON output")
    parser.add_argument("--out", default=os.path.join(
        os.path.dirname(__file__), "plots"))
    parser.add_argument("--speedup-size", type=int, default=16384)
    args = parser.parse_args()
    rates, order, _ = load_rates(args.json)
    os.makedirs(args.out, exist_ok=True)
    throughput = os.path.join(args.out, "throughput.png")
    speedup = os.path.join(args.out, "speedup.png")
    plot_throughput(rates, order, throughput)
    plot_speedup(rates, order, args.speedup_size, speedup)
    print(f"wrote {throughput} and {speedup}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
