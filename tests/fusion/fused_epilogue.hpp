// SPDX-License-Identifier: Apache-2.0
//
// What an inference engine writes with vact/simd/: a GEMM epilogue that
// adds the bias and applies the activation while the accumulators are in
// registers, instead of a second pass over memory. One instantiation per
// ISA (tests/fusion/<isa>.cpp, compiled with that ISA's flags).
#ifndef VACT_TESTS_FUSION_FUSED_EPILOGUE_HPP
#define VACT_TESTS_FUSION_FUSED_EPILOGUE_HPP

#include <cstddef>

#include "vact/vact.h"

namespace vact_test {

// y[r][c] = op(acc[r][c] + bias[c]) for cols a multiple of 16, with the
// op's parameters from p. Returns false for an
// op it does not know. An engine would switch over its own ops; this one
// switches over every row of vact/ops.def.
using fused_epilogue_fn = bool (*)(vact_op op, const vact_params& p,
                                   const float* acc, const float* bias,
                                   float* y, std::size_t rows,
                                   std::size_t cols);

struct fused_epilogue {
  vact_isa isa;
  fused_epilogue_fn run;
};

}  // namespace vact_test

#ifdef VACT_FUSION_INSTANTIATE
#include "vact/simd/activations.hpp"

namespace vact_test {

template <class Arch>
bool bias_activation(vact_op op, const vact_params& parameters,
                     const float* acc, const float* bias, float* y,
                     std::size_t rows, std::size_t cols) {
  namespace simd = vact::simd;
  using batch = xsimd::batch<float, Arch>;
  struct {
    batch alpha, slope, beta, lo, hi, cap;
  } const p = {batch(parameters.alpha), batch(parameters.slope),
               batch(parameters.beta),  batch(parameters.lo),
               batch(parameters.hi),    batch(parameters.cap)};
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; c += batch::size) {
      const batch z = batch::load_unaligned(acc + r * cols + c) +
                      batch::load_unaligned(bias + c);
      batch out;
      switch (op) {
#define VACT_FUSION_ARGUMENT_none
#define VACT_FUSION_ARGUMENT_alpha , p.alpha
#define VACT_FUSION_ARGUMENT_slope , p.slope
#define VACT_FUSION_ARGUMENT_beta , p.beta
#define VACT_FUSION_ARGUMENT_lo_hi , p.lo, p.hi
#define VACT_FUSION_ARGUMENT_cap , p.cap
#define VACT_OP(id, name, NAME, params, ...)           \
  case VACT_OP_##NAME:                                 \
    out = simd::name(z VACT_FUSION_ARGUMENT_##params); \
    break;
#include "vact/ops.def"
#undef VACT_OP
#undef VACT_FUSION_ARGUMENT_none
#undef VACT_FUSION_ARGUMENT_alpha
#undef VACT_FUSION_ARGUMENT_slope
#undef VACT_FUSION_ARGUMENT_beta
#undef VACT_FUSION_ARGUMENT_lo_hi
#undef VACT_FUSION_ARGUMENT_cap
        default:
          return false;
      }
      out.store_unaligned(y + r * cols + c);
    }
  }
  return true;
}

}  // namespace vact_test
#endif  // VACT_FUSION_INSTANTIATE

#endif  // VACT_TESTS_FUSION_FUSED_EPILOGUE_HPP
