// SPDX-License-Identifier: Apache-2.0
//
// The engine calls (vact.h, "engine calls") against the sequences of calls
// they replace, on the best ISA, both tiers.

#ifndef VACT_BENCH_BENCH_ENGINE_H
#define VACT_BENCH_BENCH_ENGINE_H

#include "vact/vact.h"

namespace vact_bench {

// Registers, at 4,194,304 elements ("<call>/<isa>[-fast]-<form>/<size>"):
//   swiglu      fused: vact_gated_f32(silu); unfused: vact_silu then y *= up;
//   swiglu_rows fused: vact_gated_rows_f32 over 1024 rows, concatenated;
//   softmax_masked (1024x4096, a mask row per row with -inf entries)
//               fused: vact_softmax_ex_f32 with scale and mask; unfused: a
//               loop x * scale + mask, then vact_softmax_f32; plain: the
//               softmax without a mask, the rate the fused call is held to;
//               fused-shared_mask: one mask row for every row;
//   bias_gelu   (1024x4096, in place, as a GEMM epilogue, the tile restored
//               untimed before each call) fused: vact_bias_apply_f32(gelu);
//               unfused: c += bias, then gelu.
// The unfused arithmetic is a plain loop (what an engine would write).
// With oneDNN compiled in, "swiglu/onednn-postop" and
// "bias_gelu/onednn-postop": oneDNN's one-primitive forms (peers.h). No
// peer has the masked softmax in one call (oneDNN 2.6's softmax takes no
// mask), and ggml, whose fused calls these follow, is not packaged.
void RegisterEngineBenchmarks(vact_isa isa);

}  // namespace vact_bench

#endif  // VACT_BENCH_BENCH_ENGINE_H
