#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Markdown tables of vact against its peers, from vact_bench's JSON output.

Usage: scripts/peer_table.py RESULTS.json [MORE.json ...] [--no-targets]
                             [--peer-columns]

RESULTS.json comes from `vact_bench --peers ... --benchmark_format=json` or
`--benchmark_out=RESULTS.json --benchmark_out_format=json` (what
scripts/benchmark-peers.sh runs). More files are merged in, each adding the
rates the earlier ones lack: benchmark-peers.sh adds the run of oneDNN held
to AVX2 (`DNNL_MAX_CPU_ISA=AVX2 vact_bench --peers`, variant onednn-avx2).
With repetitions, each rate is the median. Rates are G elements/s. Tables:

  main     per op and size that a peer ran: vact's precise and fast tiers,
           each on its fastest ISA, the fastest peer (on the ISA it picks or
           its AVX-512 build; not onednn-avx2) and the ratios of both tiers
           to it
  avx2     vact avx2 and avx2-fast against the peers built for or held to
           AVX2: eigen, sleef and onednn-avx2 (XNNPACK picks its ISA itself
           and is left out)
  bandwidth  memcpy and the AVX2 copy loop
  targets  issue 5's targets, as defined there: vact avx2 (precise) against
           the best of xnnpack, onednn, sleef and eigen, or against memcpy
           for the memory-bound ops (--no-targets leaves this out)

"= precise" in a fast column: vact/ops.def says the op's fast tier runs its
precise kernel, so the ratios use the precise rate. Standard library only.
"""

import argparse
import json
import os
import re
import statistics
import sys

# Every peer variant vact_bench names: the libraries' own choice of ISA
# (xnnpack, onednn), their AVX2 builds (sleef, eigen), their AVX-512 builds
# and oneDNN held to AVX2 by DNNL_MAX_CPU_ISA (a run of its own).
PEERS = ["xnnpack", "onednn", "onednn-avx2", "sleef", "sleef-avx512",
         "eigen", "eigen-avx512"]
# The main table's: each library at its best (oneDNN held to AVX2 is not).
MAIN_PEERS = [p for p in PEERS if p != "onednn-avx2"]
# The peers that run AVX2 code only, for the avx2 table.
AVX2_PEERS = ["eigen", "sleef", "onednn-avx2"]
# The peers issue 5's targets were set against.
TARGET_PEERS = ["xnnpack", "onednn", "sleef", "eigen"]
ISAS = ["scalar", "sse2", "sse4.1", "avx2", "avx512", "neon"]
FAST = "-fast"  # vact_bench's suffix of a fast-tier variant: "avx2-fast"
MEMORY_BOUND = ["relu", "leaky_relu", "step", "hardsigmoid", "hardswish"]
COPIES = ["memcpy", "avx2copy"]
ROWS_OPS = ["softmax", "log_softmax"]  # both have fast kernels of their own
OPS_DEF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                       "include", "vact", "ops.def")

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
    if op in ROWS_OPS:
        threshold = ROWS_TARGETS.get(size)
        return ("peer", threshold) if threshold else None
    return TARGETS.get(op)


def fast_columns(path=OPS_DEF):
    """{op: 'own' or 'precise'}: the fast column of vact/ops.def ({} if the
    file is not there)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return {}
    # VACT_OP(id, name, NAME, params, range, order, value_ulp,
    #         derivative_ulp, fast, ...)
    row = re.compile(r"^VACT_OP\(\s*\d+,\s*(\w+),(?:\s*[\w.]+,){6}\s*(\w+),",
                     re.MULTILINE)
    columns = {name: fast for name, fast in row.findall(text)}
    columns.update({op: "own" for op in ROWS_OPS})
    return columns


def parse_name(run_name):
    """'op/variant/size[/real_time]' -> (op, variant, size), or None."""
    parts = run_name.split("/")
    while parts and parts[-1] in ("real_time", "process_time"):
        parts.pop()
    if len(parts) != 3:
        return None
    return tuple(parts)


def load_rates(path):
    """{(op, size): {variant: G elements/s}}, the (op, size) order and the
    JSON context."""
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


def load_all(paths):
    """load_rates over several files: a rate comes from the first file that
    has it; the context is the first file's, with every file's peers (one
    entry per peer) and peer checks."""
    rates, order, context = load_rates(paths[0])
    contexts = [context]
    for path in paths[1:]:
        more_rates, more_order, more_context = load_rates(path)
        contexts.append(more_context)
        for key in more_order:
            if key not in rates:
                rates[key] = {}
                order.append(key)
            for variant, rate in more_rates[key].items():
                rates[key].setdefault(variant, rate)
    context = dict(context)
    for key in ("peers", "peer_check", "peer_check_failures"):
        entries = []
        for c in contexts:
            for entry in (c.get(key) or "").split("; "):
                if entry and entry not in entries:
                    entries.append(entry)
        context[key] = "; ".join(entries)
    return rates, order, context


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


def fmt_best(best):
    """'2.561 (avx512)' from (isa, rate), '-' from None."""
    return "-" if best is None else f"{best[1]:.3f} ({best[0]})"


def best_of(cell, variants):
    """(variant, rate) of the fastest of `variants` in the cell, or None."""
    present = {v: cell[v] for v in variants if v in cell}
    if not present:
        return None
    best = max(present, key=present.get)
    return best, present[best]


def ratio(numerator, denominator):
    return numerator / denominator if numerator and denominator else None


class Tiers:
    """vact's two tiers in one cell: the precise rate, the fast one, and the
    fast column's text ('= precise' where the fast tier is the precise
    kernel)."""

    def __init__(self, cell, isas, fast_of_op):
        self.precise = best_of(cell, isas)
        self.fast = best_of(cell, [isa + FAST for isa in isas])
        if self.fast is not None:
            isa = self.fast[0][:-len(FAST)]
            self.fast = (isa, self.fast[1])
        self.same_kernel = self.fast is None and fast_of_op == "precise"

    def precise_rate(self):
        return self.precise[1] if self.precise else None

    def fast_rate(self):
        """The fast tier's rate; the precise one where that is its kernel."""
        if self.fast is not None:
            return self.fast[1]
        return self.precise_rate() if self.same_kernel else None

    def fast_text(self, with_isa):
        if self.same_kernel:
            return "= precise"
        if with_isa:
            return fmt_best(self.fast)
        return fmt_rate(self.fast[1] if self.fast else None)


def ops_of(rates, order):
    ops = []
    for op, _ in order:
        if op not in ops and op not in COPIES:
            ops.append(op)
    return ops


def cells(rates, order):
    """(op, size, cell) in the run's op order, sizes ascending."""
    for op in ops_of(rates, order):
        for size in sorted({s for (o, s) in rates if o == op}, key=size_key):
            yield op, size, rates[(op, size)]


def main_table(rates, order, fast_of, peer_columns):
    peers = [p for p in MAIN_PEERS
             if any(p in cell for cell in rates.values())]
    headers = ["op", "size", "vact precise (best ISA)",
               "vact fast (best ISA)"]
    if peer_columns:
        headers += peers
    headers += ["fastest peer", "peer rate", "precise / peer",
                "fast / peer"]
    rows = []
    for op, size, cell in cells(rates, order):
        peer = best_of(cell, peers)
        if peer is None:
            continue  # not a peer comparison
        tiers = Tiers(cell, ISAS, fast_of.get(op))
        row = [op, size, fmt_best(tiers.precise), tiers.fast_text(True)]
        if peer_columns:
            row += [fmt_rate(cell.get(p)) for p in peers]
        row += [peer[0], fmt_rate(peer[1]),
                fmt_ratio(ratio(tiers.precise_rate(), peer[1])),
                fmt_ratio(ratio(tiers.fast_rate(), peer[1]))]
        rows.append(row)
    return headers, rows


def avx2_table(rates, order, fast_of):
    peers = [p for p in AVX2_PEERS if any(p in cell for cell in rates.values())]
    headers = ["op", "size", "vact avx2", "vact avx2-fast"] + peers + [
        "best AVX2 peer", "avx2 / peer", "avx2-fast / peer"]
    rows = []
    for op, size, cell in cells(rates, order):
        peer = best_of(cell, peers)
        if peer is None:
            continue
        tiers = Tiers(cell, ["avx2"], fast_of.get(op))
        rows.append([op, size, fmt_rate(tiers.precise_rate()),
                     tiers.fast_text(False)] +
                    [fmt_rate(cell.get(p)) for p in peers] +
                    [peer[0], fmt_ratio(ratio(tiers.precise_rate(), peer[1])),
                     fmt_ratio(ratio(tiers.fast_rate(), peer[1]))])
    return headers, rows


def targets_table(rates, order):
    headers = ["op", "size", "vact avx2", "best peer", "avx2 / best peer",
               "memcpy", "avx2 / memcpy", "target", "met"]
    rows = []
    verdicts = []
    for op, size, cell in cells(rates, order):
        target = target_of(op, size)
        if target is None:
            continue
        avx2 = cell.get("avx2")
        peer = best_of(cell, TARGET_PEERS)
        peer_ratio = ratio(avx2, peer[1]) if peer else None
        copy = rates.get(("memcpy", size), {}).get("memcpy")
        memory_bound = op in MEMORY_BOUND
        copy_ratio = ratio(avx2, copy) if memory_bound else None
        kind, threshold = target
        value = peer_ratio if kind == "peer" else copy_ratio
        if peer is None and not (memory_bound and copy):
            continue  # nothing to compare with
        text = (f">= {threshold:g}x best peer" if kind == "peer"
                else f">= {threshold:.0%} of memcpy")
        met = "-" if value is None else ("yes" if value >= threshold else "no")
        verdicts.append(met)
        rows.append([op, size, fmt_rate(avx2),
                     f"{fmt_rate(peer[1])} ({peer[0]})" if peer else "-",
                     fmt_ratio(peer_ratio),
                     fmt_rate(copy) if memory_bound else "",
                     fmt_ratio(copy_ratio), text, met])
    return headers, rows, verdicts


def bandwidth_rows(rates):
    rows = []
    sizes = sorted({size for (op, size) in rates if op == "memcpy"},
                   key=size_key)
    for size in sizes:
        cell = rates[("memcpy", size)]
        rows.append([size, fmt_rate(cell.get("memcpy")),
                     fmt_rate(cell.get("avx2copy"))])
    return rows


LEFT_ALIGNED = {"op", "fastest peer", "best AVX2 peer", "best peer", "target",
                "met"}


def print_table(headers, rows, out):
    widths = [max(len(h), *(len(r[c]) for r in rows)) if rows else len(h)
              for c, h in enumerate(headers)]
    right = [h not in LEFT_ALIGNED for h in headers]

    def line(cells_):
        padded = [cell.rjust(w) if r else cell.ljust(w)
                  for cell, w, r in zip(cells_, widths, right)]
        return "| " + " | ".join(padded) + " |"

    out.write(line(headers) + "\n")
    out.write("| " + " | ".join(
        "-" * (w - 1) + ":" if r else "-" * w
        for w, r in zip(widths, right)) + " |\n")
    for row in rows:
        out.write(line(row) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+",
                        help="vact_bench's JSON output; more files are "
                             "merged in (e.g. the onednn-avx2 run)")
    parser.add_argument("--no-targets", action="store_true",
                        help="leave out the table of issue 5's targets")
    parser.add_argument("--peer-columns", action="store_true",
                        help="give every peer's rate in the main table")
    args = parser.parse_args()
    rates, order, context = load_all(args.json)
    fast_of = fast_columns()
    headers, rows = main_table(rates, order, fast_of, args.peer_columns)
    out = sys.stdout
    if not rows:
        out.write("no peer results in these files (run vact_bench --peers)\n")
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

    out.write("\nvact against the fastest peer, G elements/s (median); each "
              "vact tier on its fastest ISA, each peer on the ISA it picks "
              "or its AVX-512 build\n\n")
    print_table(headers, rows, out)

    headers, rows = avx2_table(rates, order, fast_of)
    if rows:
        out.write("\nvact avx2 against the AVX2 peers (Eigen and SLEEF built "
                  "for AVX2, oneDNN held to AVX2), G elements/s (median); "
                  "XNNPACK picks its own ISA and is left out\n\n")
        print_table(headers, rows, out)
        if "onednn-avx2" not in headers:
            out.write("\n(no onednn-avx2 here: add the JSON of "
                      "`DNNL_MAX_CPU_ISA=AVX2 vact_bench --peers ...`, which "
                      "scripts/benchmark-peers.sh writes)\n")

    copies = bandwidth_rows(rates)
    if copies:
        out.write("\nBandwidth limits, G elements/s (one float read and one "
                  "written per element)\n\n")
        print_table(["n", "memcpy", "avx2copy"], copies, out)

    if not args.no_targets:
        headers, rows, verdicts = targets_table(rates, order)
        if rows:
            out.write("\nIssue 5's targets: vact avx2 (precise) against the "
                      "best of " + ", ".join(TARGET_PEERS) +
                      ", or against memcpy\n\n")
            print_table(headers, rows, out)
            met = sum(1 for v in verdicts if v == "yes")
            out.write(f"\nTargets met: {met} of {len(verdicts)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
