// SPDX-License-Identifier: Apache-2.0
//
// The fast tier on one vector: vact::simd::fast::<op>(x) for every op of
// vact/ops.def (elu with its alpha, leaky_relu with its slope), the very
// functions vact_apply_f32 runs with VACT_ACCURACY_FAST. Ops whose row says
// `own` have a kernel of their own (fast/activations.hpp); the others
// (exact or memory-bound) are the precise kernels, named here too so that
// every op has its fast::<op>. Derivatives are the precise ones,
// vact::simd::<op>_derivative.
#ifndef VACT_SIMD_FAST_HPP
#define VACT_SIMD_FAST_HPP

#include "vact/simd/activations.hpp"
#include "vact/simd/fast/activations.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace fast {

#define VACT_FAST_KERNEL_own(name)
#define VACT_FAST_KERNEL_precise(name) using simd::name;
#define VACT_OP(id, name, NAME, params, range, order, value_ulp, \
                derivative_ulp, fast, ...)                       \
  VACT_FAST_KERNEL_##fast(name)
#include "vact/ops.def"
#undef VACT_OP
#undef VACT_FAST_KERNEL_own
#undef VACT_FAST_KERNEL_precise

}  // namespace fast
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_FAST_HPP
