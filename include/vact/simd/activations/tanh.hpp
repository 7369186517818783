// SPDX-License-Identifier: Apache-2.0
//
// tanh and its derivative (4 sigmoid'(2x), hence logistic.hpp). Part of
// vact/simd/activations.hpp, whose comment gives the conventions.
#ifndef VACT_SIMD_ACTIVATIONS_TANH_HPP
#define VACT_SIMD_ACTIVATIONS_TANH_HPP

#include "vact/simd/activations/logistic.hpp"
#include "vact/simd/detail/exact.hpp"
#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {

// tanh(x), odd: a polynomial for |x| < 0.625; above, 1 - 2E / (1 + E) with
// E = e^-2|x|, where 2E / (1 + E) < 0.45 does not cancel. For a result
// within 1 ULP the quotient q = 2E / (1 + E) is corrected as in sigmoid (E
// and 1 + E carried as hi + lo, plus the division's exact remainder), and
// 1 - q is split exactly before the correction is subtracted.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> tanh(V x) {
  const V a = vec::abs(x);
  // tanh(a) rounds to 1 from a = 9.01 on; clamping keeps e^-2a normal.
  const math::split_float<V> e =
      math::exp_split<true>(V(-2.0f) * vec::min(V(10.0f), a));
  const math::split_float<V> d = detail::fast_two_sum(V(1.0f), e);  // 1 + E
  const math::split_float<V> n = {e.hi + e.hi, e.lo + e.lo};        // 2E, exact
  const V q = vec::div(n.hi, d.hi);  // a NaN x makes e NaN
  const V remainder = detail::division_remainder(q, n, d);
  // remainder / d, with 1/d = 1 - q/2 to the few bits a correction needs.
  const V correction = remainder * vec::fma(V(-0.5f), q, V(1.0f));
  const math::split_float<V> one_minus_q = detail::one_minus_split(q);
  const V large = one_minus_q.hi + (one_minus_q.lo - correction);
  const V magnitude = vec::select(a < V(0.625f), math::tanh_small(a), large);
  return magnitude | vec::sign_bit(x);  // NaN takes `large`, which is NaN
}
// tanh'(x) = 1 - tanh(x)^2 = 4 sigmoid'(2x) (exact scalings; 2x = +-inf
// past 1.7e38 gives the right limit, 0).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> tanh_derivative(V x) {
  return vec::keep_nan(x, V(4.0f) * sigmoid_derivative(V(2.0f) * x));
}

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ACTIVATIONS_TANH_HPP
