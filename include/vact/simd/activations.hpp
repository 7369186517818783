// SPDX-License-Identifier: Apache-2.0
//
// Activations on one vector: vact::simd::<op>(x) and <op>_derivative(x) for
// x an xsimd::batch<float, Arch> (or the scalar ISA's one-lane adapter).
// These are the very functions the array API runs, so calling them inside
// your own SIMD loop (a GEMM epilogue, say) gives the same bits as
// vact_<op>_f32 on that ISA. Header-only, no global state.
//
// Each function's comment gives its formula and special values; the error
// bounds, measured by the test suite and the accuracy checker, are in the
// op table (docs/accuracy.md). A NaN input gives that NaN back, quieted, with
// its sign and payload (what x + x gives), on every ISA and for every function:
// where the formula carries the NaN through unchanged on every ISA (a
// multiplication by constants, say) nothing more is done, elsewhere the
// last step is vec::keep_nan.
//
// One header per family, in activations/; what they share (exact sums and
// products, the rare paths) is in detail/, in namespace vact::simd::detail.
#ifndef VACT_SIMD_ACTIVATIONS_HPP
#define VACT_SIMD_ACTIVATIONS_HPP

#include "vact/simd/activations/elu.hpp"        // elu, selu
#include "vact/simd/activations/gelu.hpp"       // gelu_tanh, gelu,
                                                // quick_gelu, swish
#include "vact/simd/activations/logistic.hpp"   // sigmoid, silu
#include "vact/simd/activations/piecewise.hpp"  // step, relu, leaky_relu,
                                                // clip, hardsigmoid,
                                                // hardswish, softsign
#include "vact/simd/activations/softplus.hpp"   // softplus, mish
#include "vact/simd/activations/tanh.hpp"       // tanh, softcap

#endif  // VACT_SIMD_ACTIVATIONS_HPP
