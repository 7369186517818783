#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the differential fuzzer's seed corpus, fuzz/corpus/.

One seed per op and derivative (the ops read from the registry,
include/vact/ops.def), some
softmax/log_softmax rows, in-place and explicit-parameter calls, and one seed
per kind of bad argument. The byte layout is described at the top of
fuzz/fuzz_differential.cpp. Run it again after adding an op:

    python3 fuzz/make_corpus.py
"""
import math
import pathlib
import re
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"

SOFTMAX, LOG_SOFTMAX = 0xFE, 0xFF
IN_PLACE, EXPLICIT_PARAMS = 1, 2
FAST = 0x20  # byte 1, bit 5: the fast tier
# Byte 1, bits 6-7: element-wise calls and rows on 16-bit arrays.
BF16, F16, BF16_TO_F32 = 0x40, 0x80, 0xC0
MISUSE = {"null_x": 1, "null_y": 2, "overlap": 3, "huge_size": 4,
          "bad_argument": 5}

INF = math.inf
# Values where kernels switch formula, clamp, overflow or go subnormal.
SPECIALS = [0.0, -0.0, INF, -INF, math.nan, 1.0, -1.0, 0.5, -0.5, 0.625,
            -0.625, 3.0, -3.0, 17.33, -17.33, 26.0, -26.0, 60.0, -60.0,
            88.72, -88.72, 89.0, -89.0, 103.9, -103.9, 104.0, -104.0,
            1e-30, -1e-30, 1e30, -1e30, 1.17549435e-38, 1e-45, -1e-45,
            3.4028235e38, -3.4028235e38]


def ops():
    """(value, name) of every vact_op, from the registry's rows."""
    registry = (ROOT / "include" / "vact" / "ops.def").read_text()
    found = re.findall(r"^VACT_OP\((\d+),\s*(\w+),", registry, re.MULTILINE)
    return [(int(v), name) for v, name in found]


def seed(kernel, flags=0, x_offset=0, y_offset=0, rows=1, x_extra=0,
         y_extra=0, alpha=1.0, slope=0.01, floats=()):
    head = bytes([kernel, flags, x_offset, y_offset, rows - 1, x_extra,
                  y_extra])
    body = struct.pack("<ff", alpha, slope)
    body += b"".join(struct.pack("<f", f) for f in floats)
    return head + body


ENGINE = 0xFC


def engine_seed(call, act, flags, rows=1, options=0, extra=0, scale=1.0,
                cap=30.0, floats=()):
    """An engine call's seed (the layout at the top of the fuzzer)."""
    head = bytes([ENGINE, flags, call, act, rows - 1, options, extra])
    body = struct.pack("<ff", scale, cap)
    body += b"".join(struct.pack("<f", f) for f in floats)
    return head + body


def ramp(count, low, high):
    return [low + (high - low) * i / max(count - 1, 1) for i in range(count)]


def main():
    CORPUS.mkdir(parents=True, exist_ok=True)
    for old in CORPUS.iterdir():
        if not old.name.startswith("regression_"):  # crash reproducers stay
            old.unlink()
    seeds = {}
    lengths = [1, 7, 17, 33, 67]  # below, around and above vector widths
    for i, (value, name) in enumerate(ops()):
        n = lengths[i % len(lengths)]
        floats = (SPECIALS + ramp(40, -30.0, 30.0))[: n + len(SPECIALS)]
        seeds[f"{name}_value"] = seed(value << 1, floats=floats,
                                      x_offset=i % 4, y_offset=(i + 1) % 4)
        seeds[f"{name}_derivative"] = seed(value << 1 | 1, floats=floats)
        seeds[f"{name}_fast"] = seed(value << 1, FAST, floats=floats,
                                     x_offset=(i + 2) % 4)
        if name in ("elu", "leaky_relu"):
            seeds[f"{name}_explicit_parameter"] = seed(
                value << 1, EXPLICIT_PARAMS, alpha=0.5, slope=0.2,
                floats=floats)
        # The two parameter floats are beta; lo, hi; cap for these (and
        # parameters they cannot take must be refused).
        explicit = {"swish": [(-0.5, 0.0), (math.nan, 0.0), (1e-30, 0.0)],
                    "clip": [(0.0, 6.0), (3.0, -3.0), (-INF, math.nan)],
                    "softcap": [(50.0, 0.0), (-1.0, 0.0), (1e30, 0.0)]}
        for k, (first, second) in enumerate(explicit.get(name, [])):
            seeds[f"{name}_explicit_parameters_{k}"] = seed(
                value << 1 | (k == 1), EXPLICIT_PARAMS | (FAST if k else 0),
                alpha=first, slope=second, floats=floats)
    seeds["sigmoid_in_place"] = seed(2 << 1, IN_PLACE, x_offset=3,
                                     floats=ramp(67, -90.0, 90.0))
    # 16-bit storage: the inputs' high halves are the bf16 / f16 values.
    for i, (value, name) in enumerate(ops()):
        floats = SPECIALS + ramp(29, -12.0, 12.0)
        seeds[f"{name}_bf16"] = seed(value << 1, BF16, floats=floats)
        seeds[f"{name}_f16_fast"] = seed(value << 1, F16 | FAST,
                                         floats=floats)
        seeds[f"{name}_bf16_to_f32"] = seed(value << 1, BF16_TO_F32,
                                            floats=floats)
    seeds["gelu_bf16_in_place"] = seed(14 << 1, BF16 | IN_PLACE,
                                       floats=ramp(67, -12.0, 12.0))

    for kernel, name in ((SOFTMAX, "softmax"), (LOG_SOFTMAX, "log_softmax")):
        seeds[f"{name}_one_row"] = seed(kernel, floats=[1, 5, 2, 0, 6, 7])
        seeds[f"{name}_rows_strided"] = seed(
            kernel, rows=3, x_extra=2, y_extra=1,
            floats=ramp(3 * 19, -20.0, 20.0))
        seeds[f"{name}_edge_rules"] = seed(
            kernel, rows=4,
            floats=[-INF, 1.0, -INF, 2.0] + [-INF] * 4 +
            [1.0, math.nan, 0.0, 1.0] + [1e30, 3e38, -1e30, INF])
        seeds[f"{name}_fast_edge_rules"] = seed(
            kernel, FAST, rows=4,
            floats=[-INF, 1.0, -INF, 2.0] + [-INF] * 4 +
            [1.0, math.nan, 0.0, 1.0] + [1e30, 3e38, -1e30, INF])
        # 16-bit rows (byte 1, bits 6-7 as for element-wise calls).
        seeds[f"{name}_bf16_rows_strided"] = seed(
            kernel, BF16, rows=3, x_extra=2, y_extra=1,
            floats=ramp(3 * 21, -20.0, 20.0))
        seeds[f"{name}_f16_fast_rows_in_place"] = seed(
            kernel, F16 | FAST | IN_PLACE, rows=2, x_extra=3,
            floats=ramp(2 * 37, -9.0, 9.0))
        seeds[f"{name}_f16_edge_rules"] = seed(
            kernel, F16, rows=4,
            floats=[-INF, 1.0, -INF, 2.0] + [-INF] * 4 +
            [1.0, math.nan, 0.0, 1.0] + [1e4, 6e4, -1e4, INF])
        seeds[f"{name}_fast_wide"] = seed(kernel, FAST, rows=2,
                                          floats=ramp(2 * 40, -120.0, 40.0))
        seeds[f"{name}_in_place"] = seed(kernel, IN_PLACE, rows=2,
                                         x_extra=3,
                                         floats=ramp(2 * 33, -50.0, 50.0))

    # Engine calls (byte 0 = ENGINE): call, activation, options.
    calls = ["gated", "gated_rows", "gated_backward", "bias_apply",
             "softmax_ex", "softmax_chunk"]
    for call, name in enumerate(calls):
        for act_value, act in ((8, "silu"), (14, "gelu"), (4, "elu")):
            for fast in (0, FAST):
                suffix = "_fast" if fast else ""
                seeds[f"engine_{name}_{act}{suffix}"] = engine_seed(
                    call, act_value, fast, rows=2, extra=1,
                    floats=SPECIALS + ramp(45, -12.0, 12.0))
    for layout in range(3):
        seeds[f"engine_gated_rows_layout{layout}"] = engine_seed(
            1, 8, 0, rows=3, options=layout << 6,
            floats=ramp(3 * 2 * 21, -9.0, 9.0))
    seeds["engine_gated_in_place"] = engine_seed(
        0, 8, IN_PLACE, floats=ramp(66, -9.0, 9.0))
    attention = [1.0, -INF, 3.0, 2.0, -INF, -INF, 0.5, 7.0] * 4
    for options, name in ((0x01, "mask"), (0x03, "mask_sinks"),
                          (0x05, "mask_softcap"), (0x09, "log_mask"),
                          (0x11, "mask_zero_rows"), (0x21, "shared_mask"),
                          (0x1B, "log_mask_sinks_zero_rows")):
        seeds[f"engine_softmax_ex_{name}"] = engine_seed(
            4, 0, 0, rows=3, options=options, scale=0.125, cap=20.0,
            floats=ramp(3 * 8, -30.0, 30.0) + [-INF] * 8 + attention[:16]
            + [2.0, -INF, 5.0, 1.0])
    seeds["engine_softmax_chunk_masked"] = engine_seed(
        5, 0, FAST, rows=2, options=0x01, floats=ramp(16, -5.0, 5.0)
        + [-INF] * 8 + attention[:8])
    seeds["engine_softmax_ex_bad_scale"] = engine_seed(
        4, 0, 0, scale=math.inf, floats=ramp(8, -1.0, 1.0))
    seeds["engine_softmax_ex_bad_cap"] = engine_seed(
        4, 0, 0, options=0x04, cap=-2.0, floats=ramp(8, -1.0, 1.0))

    for misuse, code in MISUSE.items():
        flags = code << 2
        seeds[f"misuse_{misuse}"] = seed(3 << 1, flags, y_offset=5,
                                         floats=ramp(19, -4.0, 4.0))
        seeds[f"misuse_{misuse}_rows"] = seed(SOFTMAX, flags, y_offset=6,
                                              rows=2, x_extra=1, y_extra=2,
                                              floats=ramp(16, -4.0, 4.0))

    for name, data in sorted(seeds.items()):
        (CORPUS / name).write_bytes(data)
    print(f"wrote {len(seeds)} seeds to {CORPUS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
