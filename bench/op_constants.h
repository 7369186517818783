// SPDX-License-Identifier: Apache-2.0
//
// The parameters every implementation in the benchmark uses (textbook loops,
// vact, the peers), so that all of them compute the same function. Only
// constants: the ISA-compiled files include this too (see isa_kernels.h).

#ifndef VACT_BENCH_OP_CONSTANTS_H
#define VACT_BENCH_OP_CONSTANTS_H

namespace vact_bench {

inline constexpr float kEluAlpha = 1.0f;     // PyTorch's default
inline constexpr float kLeakySlope = 0.01f;  // PyTorch's default
inline constexpr float kSwishBeta = 1.5f;    // not silu's 1
inline constexpr float kClipLo = 0.0f;       // relu6
inline constexpr float kClipHi = 6.0f;
inline constexpr float kSoftcapCap = 30.0f;  // Gemma 2's final logit cap
// PyTorch's selu constants, rounded to float.
inline constexpr float kSeluLambda =
    0x1.0cfabep+0f;                                  // 1.0507009873554804934...
inline constexpr float kSeluAlpha = 0x1.ac5afap+0f;  // 1.6732632423543772848...
inline constexpr float kGeluTanhScale = 0.7978845608f;  // sqrt(2/pi)
inline constexpr float kGeluTanhCubic = 0.044715f;
inline constexpr float kSqrtHalf =
    0.70710678118654752f;  // 1/sqrt(2), exact gelu

}  // namespace vact_bench

#endif  // VACT_BENCH_OP_CONSTANTS_H
