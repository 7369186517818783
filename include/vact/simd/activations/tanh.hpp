// SPDX-License-Identifier: Apache-2.0
//
// tanh and its derivative (4 sigmoid'(2x), hence logistic.hpp), and
// softcap, cap tanh(x / cap). Part of vact/simd/activations.hpp, whose
// comment gives the conventions.
#ifndef VACT_SIMD_ACTIVATIONS_TANH_HPP
#define VACT_SIMD_ACTIVATIONS_TANH_HPP

#include <limits>

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
      math::exp_split_normal(V(-2.0f) * vec::min(V(10.0f), a));
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

namespace detail {
// t = a / cap rounded, and a - t cap, exact (mul_add_exact, also without
// FMA); 0 from t = 16 on, where no correction is needed any more (and the
// remainder would be NaN for an infinite a or t).
template <class V>
struct capped_quotient {
  V t, remainder;
};
template <class V>
VACT_INLINE capped_quotient<V> divide_by_cap(V a, V cap) {
  const V t = vec::div(a, cap);
  return {t,
          vec::select(t < V(16.0f), math::mul_add_exact(-t, cap, a), V(0.0f))};
}
template <class V>
VACT_INLINE auto without_cap(V cap) {
  return (cap == V(0.0f)) | (cap == V(std::numeric_limits<float>::infinity()));
}
// softcap with the given tanh (either tier's): see softcap below.
template <class V, class Tanh>
VACT_INLINE V capped_tanh(V x, V cap, Tanh tanh_of) {
  const capped_quotient<V> q = divide_by_cap(vec::abs(x), cap);
  const V th = tanh_of(q.t);
  const V capped = vec::fma(cap, th, q.remainder * vec::fnma(th, th, V(1.0f)));
  return vec::keep_nan(
      x, vec::select(without_cap(cap), x, capped | vec::sign_bit(x)));
}
}  // namespace detail

// softcap(x) = cap tanh(x / cap) (Gemma 2's logit soft cap), odd, in
// [-cap, cap], for cap > 0; cap = 0 or +inf means no cap: x. The quotient
// t = |x| / cap is rounded, and its exact remainder r = |x| - t cap
// corrects both steps to first order: cap tanh(t + r / cap) =
// cap tanh(t) + r (1 - tanh(t)^2), summed with one rounding. So t's
// rounding costs nothing, and where tanh(t) = t (tiny x, or t underflowing
// under a huge cap) the result is x exactly.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softcap(V x, V cap) {
  return detail::capped_tanh(x, cap, [](V t) { return simd::tanh(t); });
}
// softcap'(x) = 1 - tanh(x / cap)^2 = 4 sigmoid'(2 (t + r / cap)), with t
// and r as in softcap: the argument stays hi + lo, because sigmoid''s
// relative error is 2t times its argument's. 1 for cap = 0 or +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softcap_derivative(V x, V cap) {
  const detail::capped_quotient<V> q = detail::divide_by_cap(vec::abs(x), cap);
  const V delta = vec::div(q.remainder, cap);
  // sigmoid' is even: its argument is taken as w = -2 (t + delta), whose
  // small side sigmoid(w) is the accurate one; below w = -60, 4 e^w.
  const math::split_float<V> w{-(q.t + q.t), -(delta + delta)};
  const detail::logistic_sides<V> sides = detail::logistic_sides_of_split(w);
  const V capped = detail::with_tiny_side(
      w.hi, V(4.0f) * detail::times_split(sides.s, sides.one_minus_s),
      [w] { return detail::times_tiny_exp(V(4.0f), w); });
  return vec::keep_nan(x,
                       vec::select(detail::without_cap(cap), V(1.0f), capped));
}

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ACTIVATIONS_TANH_HPP
