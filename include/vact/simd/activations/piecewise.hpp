// SPDX-License-Identifier: Apache-2.0
//
// The activations without exponentials: step, relu, leaky_relu, clip,
// hardsigmoid, hardswish and softsign, and their derivatives. Part of
// vact/simd/activations.hpp, whose comment gives the conventions.
#ifndef VACT_SIMD_ACTIVATIONS_PIECEWISE_HPP
#define VACT_SIMD_ACTIVATIONS_PIECEWISE_HPP

#include "vact/simd/detail/exact.hpp"
#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {

// step(x) = 1 for x > 0, else 0.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> step(V x) {
  return vec::keep_nan(x, vec::select(x > V(0.0f), V(1.0f), V(0.0f)));
}
// step'(x) = 0.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> step_derivative(V x) {
  return vec::keep_nan(x, V(0.0f));
}

// relu(x) = max(x, 0); relu(-0) = +0, relu(+inf) = +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> relu(V x) {
  // x + 0 turns -0 into +0 and quiets NaN; it is exact for every other x.
  return vec::select(x < V(0.0f), V(0.0f), x + V(0.0f));
}
// relu'(x) = 1 for x > 0, else 0 (0 at x = 0, as PyTorch).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> relu_derivative(V x) {
  return vec::keep_nan(x, vec::select(x > V(0.0f), V(1.0f), V(0.0f)));
}

// leaky_relu(x) = x for x >= 0, slope x otherwise: exact (one rounding),
// keeps the sign of zero.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> leaky_relu(V x, V slope) {
  // A NaN slope with a NaN x: the product's NaN depends on operand order.
  return vec::nonnegative_or(x, slope * x);
}
// leaky_relu'(x) = 1 for x > 0, slope otherwise (PyTorch).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> leaky_relu_derivative(V x, V slope) {
  return vec::keep_nan(x, vec::select(x > V(0.0f), V(1.0f), slope));
}

// clip(x) = min(max(x, lo), hi) for lo <= hi (relu6 is clip(x, 0, 6),
// PyTorch's hardtanh clip(x, -1, 1)): exact; a bound wins a tie, so
// clip(-0) with lo = +0 is +0, as relu(-0).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> clip(V x, V lo, V hi) {
  return vec::keep_nan(x, vec::select(x < hi, vec::select(x > lo, x, lo), hi));
}
// clip'(x) = 1 for lo < x < hi, else 0 (PyTorch's hardtanh').
template <class V>
VACT_INLINE enable_if_float_vector_t<V> clip_derivative(V x, V lo, V hi) {
  return vec::keep_nan(x, vec::select((x > lo) & (x < hi), V(1.0f), V(0.0f)));
}

// hardsigmoid(x) = relu6(x + 3) / 6 = clamp((x + 3) / 6, 0, 1). x + 3 is
// exact near -3 (Sterbenz), so the result keeps relative accuracy there.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> hardsigmoid(V x) {
  const V ramp = (x + V(3.0f)) * V(0x1.555556p-3f);   // 1/6, rounded
  return vec::max(V(0.0f), vec::min(V(1.0f), ramp));  // NaN passes
}
// hardsigmoid'(x) = 1/6 for -3 < x < 3, else 0 (PyTorch).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> hardsigmoid_derivative(V x) {
  const auto inside = (x > V(-3.0f)) & (x < V(3.0f));
  return vec::keep_nan(x, vec::select(inside, V(0x1.555556p-3f), V(0.0f)));
}

// hardswish(x) = x relu6(x + 3) / 6: x for x >= 3, x * 0 for x <= -3, and
// x (x + 3) / 6 in between with the product exact and 1/6 as hi + lo.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> hardswish(V x) {
  const V inside = vec::max(V(-3.0f), vec::min(V(3.0f), x));  // NaN passes
  const math::split_float<V> p = math::two_product(inside, inside + V(3.0f));
  const math::split_float<V> sixth = {V(0x1.555556p-3f),     // 1/6, rounded
                                      V(-0x1.555556p-28f)};  // 1/6 - hi
  const V ramp = detail::times_split(p, sixth);
  return vec::keep_nan(
      x,
      vec::select(x >= V(3.0f), x, vec::select(x <= V(-3.0f), V(-0.0f), ramp)));
}
// hardswish'(x) = 0 for x < -3, x/3 + 1/2 for -3 <= x <= 3, 1 for x > 3
// (PyTorch), computed as (x + 3/2) / 3: the shift is exact near the zero.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> hardswish_derivative(V x) {
  const V ramp = (x + V(1.5f)) * V(0x1.555556p-2f);  // 1/3, rounded
  const V y = vec::select(x < V(-3.0f), V(0.0f),
                          vec::select(x > V(3.0f), V(1.0f), ramp));
  return vec::keep_nan(x, y);
}

// softsign(x) = x / (1 + |x|), odd; softsign(+-inf) = +-1. Computed so
// that it is monotone over consecutive floats, which a plain quotient is
// not once 1 + |x| rounds: below |x| = 1 the quotient is corrected with
// 1 + |x| as hi + lo and the exact remainder (so only the last rounding is
// left), from 1 on it is 1 - 1 / (1 + |x|), each step a correctly rounded
// monotone operation, reaching 1 exactly at infinity.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softsign(V x) {
  const V a = vec::abs(x);
  const math::split_float<V> d =
      detail::fast_two_sum(V(1.0f), a);  // exact for a < 1
  const V q = vec::div(a, d.hi);
  const V remainder = detail::division_remainder(q, a, d);
  const V small = vec::fma(remainder, V(1.0f) - q, q);  // 1/d = 1 - q
  const V large = V(1.0f) - vec::div(V(1.0f), d.hi);
  return vec::select(a < V(1.0f), small, large) | vec::sign_bit(x);
}
// softsign'(x) = 1 / (1 + |x|)^2, as r * r with r = 1 / (1 + |x|) so that
// it underflows gracefully instead of overflowing in the square.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softsign_derivative(V x) {
  const V r = vec::div(V(1.0f), V(1.0f) + vec::abs(x));
  return vec::keep_nan(x, r * r);
}

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ACTIVATIONS_PIECEWISE_HPP
