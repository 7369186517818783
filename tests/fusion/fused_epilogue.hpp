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

// y[r][c] = op(acc[r][c] + bias[c]) for cols a multiple of 16. Returns false
// for an op it does not know.
using fused_epilogue_fn = bool (*)(vact_op op, float parameter,
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
bool bias_activation(vact_op op, float parameter, const float* acc,
                     const float* bias, float* y, std::size_t rows,
                     std::size_t cols) {
  namespace simd = vact::simd;
  using batch = xsimd::batch<float, Arch>;
  const batch p(parameter);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; c += batch::size) {
      const batch z = batch::load_unaligned(acc + r * cols + c) +
                      batch::load_unaligned(bias + c);
      batch out;
      switch (op) {
        case VACT_OP_STEP:
          out = simd::step(z);
          break;
        case VACT_OP_RELU:
          out = simd::relu(z);
          break;
        case VACT_OP_SIGMOID:
          out = simd::sigmoid(z);
          break;
        case VACT_OP_TANH:
          out = simd::tanh(z);
          break;
        case VACT_OP_ELU:
          out = simd::elu(z, p);
          break;
        case VACT_OP_SELU:
          out = simd::selu(z);
          break;
        case VACT_OP_SOFTPLUS:
          out = simd::softplus(z);
          break;
        case VACT_OP_GELU_TANH:
          out = simd::gelu_tanh(z);
          break;
        case VACT_OP_SILU:
          out = simd::silu(z);
          break;
        case VACT_OP_MISH:
          out = simd::mish(z);
          break;
        case VACT_OP_HARDSIGMOID:
          out = simd::hardsigmoid(z);
          break;
        case VACT_OP_HARDSWISH:
          out = simd::hardswish(z);
          break;
        case VACT_OP_SOFTSIGN:
          out = simd::softsign(z);
          break;
        case VACT_OP_GELU:
          out = simd::gelu(z);
          break;
        case VACT_OP_LEAKY_RELU:
          out = simd::leaky_relu(z, p);
          break;
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
