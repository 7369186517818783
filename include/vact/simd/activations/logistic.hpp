// SPDX-License-Identifier: Apache-2.0
//
// The logistic family: sigmoid and silu (x sigmoid(x)), and their
// derivatives; also the logistic core that tanh, softplus and gelu_tanh
// build on. Part of vact/simd/activations.hpp, whose comment gives the
// conventions.
#ifndef VACT_SIMD_ACTIVATIONS_LOGISTIC_HPP
#define VACT_SIMD_ACTIVATIONS_LOGISTIC_HPP

#include "vact/simd/detail/edge_cases.hpp"
#include "vact/simd/detail/exact.hpp"
#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

// sigmoid(z) = 1 / (1 + e^-z) from e = e^-|z| (as hi + lo), for |z| <= 60
// (beyond, intermediates would be subnormal: see the tiny side): 1 / (1 + E)
// for z >= 0, E / (1 + E) for z < 0, so nothing overflows and small
// results (down to subnormals) keep their accuracy. 1 + E is carried as
// hi + lo too, and the quotient is corrected with its exact remainder: the
// only sizeable error left is the final rounding.
template <class V>
VACT_INLINE V logistic(V z, split_float<V> e) {
  const split_float<V> d = fast_two_sum(V(1.0f), e);  // 1 >= E
  const auto negative = z < V(0.0f);
  const split_float<V> numerator = {vec::select(negative, e.hi, V(1.0f)),
                                    vec::select(negative, e.lo, V(0.0f))};
  const V q = vec::div(numerator.hi, d.hi);  // NaN when e is
  const V remainder = division_remainder(q, numerator, d);
  // 1/d, to the few bits a correction needs: 1 - q for z < 0, else q.
  const V reciprocal = vec::select(negative, V(1.0f) - q, q);
  return vec::fma(remainder, reciprocal, q);
}
// sigmoid(z) for |z| <= 60, E computed here.
template <class V>
VACT_INLINE V logistic(V z) {
  return logistic(z, math::exp_split<true>(-vec::abs(z)));
}

// sigmoid(z) and 1 - sigmoid(z) from small = sigmoid(-|z|) <= 1/2, the side
// computed accurately: the other side is 1 - small, exact as hi + lo.
template <class V>
struct logistic_sides {
  V s;                         // sigmoid(z)
  split_float<V> one_minus_s;  // 1 - sigmoid(z)
};

template <class V, class Mask>
VACT_INLINE logistic_sides<V> logistic_sides_of(V small, Mask negative) {
  const split_float<V> large = one_minus_split(small);
  return {vec::select(negative, small, large.hi),
          {vec::select(negative, large.hi, small),
           vec::select(negative, large.lo, V(0.0f))}};
}

// e^-|z| for z = hi + lo, as hi + lo: e^-|hi| (1 -+ lo).
template <class V>
VACT_INLINE split_float<V> exp_minus_abs(split_float<V> z) {
  split_float<V> e = math::exp_split<true>(-vec::abs(z.hi));
  const V toward_zero = vec::select(z.hi < V(0.0f), z.lo, -z.lo);
  e.lo = vec::fma(e.hi, toward_zero, e.lo);
  return e;
}

// sigmoid(z) and 1 - sigmoid(z) for z = hi + lo, each from the accurate
// side (logistic_sides_of), on z clamped to [-60, 60].
template <class V>
VACT_INLINE logistic_sides<V> logistic_sides_of_split(split_float<V> z) {
  const split_float<V> main{main_range(z.hi), z.lo};
  const V small = logistic(-vec::abs(main.hi), exp_minus_abs(main));
  return logistic_sides_of(small, main.hi < V(0.0f));
}

// Q of degree 7 for silu' around its zero x0 = -1.2784645427610737951, on
// x0 + (-0.6, 0.45) (poly::silu_derivative_zero: 0.29 ULP).
constexpr derivative_zero silu_derivative_window = {
    poly::silu_derivative_x0_hi, poly::silu_derivative_x0_lo, -0.6f, 0.45f};

}  // namespace detail

// sigmoid(x) = 1 / (1 + e^-x) in [0, 1]; sigmoid(-inf) = 0,
// sigmoid(+inf) = 1; below -60 it is e^x, subnormal results included.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> sigmoid(V x) {
  const V z = detail::main_range(x);  // sigmoid(60) = 1 already
  const V y = detail::logistic(z);
  return vec::keep_nan(x, detail::with_tiny_side(x, y, [x] {
                         return detail::times_tiny_exp(V(1.0f), x);
                       }));
}
// sigmoid'(x) = s (1 - s) with s = sigmoid(-|x|) <= 1/2 (symmetric, so
// both factors come from the accurate small side): 1 - s is split exactly
// into t + t_lo, and one FMA rounds the product. Below -60 in -|x|, it is
// e^-|x|.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> sigmoid_derivative(V x) {
  const V minus_a = -vec::abs(x);
  const V z = detail::main_range(minus_a);
  const V s = detail::logistic(z, math::exp_split<true>(z));
  const V y = detail::times_split(s, detail::one_minus_split(s));
  return vec::keep_nan(x, detail::with_tiny_side(minus_a, y, [minus_a] {
                         return detail::times_tiny_exp(V(1.0f), minus_a);
                       }));
}

// silu(x) = x sigmoid(x); silu(-inf) = -0, keeps the sign of zero.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> silu(V x) {
  const V z = detail::main_range(x);
  const V y = x * detail::logistic(z);
  const V small = detail::with_tiny_side(
      x, y, [x] { return detail::times_tiny_exp(x, x); });
  return vec::keep_nan(x, detail::with_infinite_limits(x, small, V(-0.0f), x));
}
// silu'(x) = s (1 + x (1 - s)), s = sigmoid(x), with 1 - s taken from the
// accurate small side so that x (1 - s) keeps its precision for large |x|.
// Below -60 it is e^x (1 + x).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> silu_derivative(V x) {
  const V z = detail::main_range(x);
  const V minus_a = -vec::abs(z);
  const V small = detail::logistic(minus_a, math::exp_split<true>(minus_a));
  const detail::logistic_sides<V> sides =
      detail::logistic_sides_of(small, z < V(0.0f));
  const V y = detail::through_derivative_zero(
      x, sides.s * vec::fma(z, sides.one_minus_s.hi, V(1.0f)),
      detail::silu_derivative_window, poly::silu_derivative_zero);
  const V tiny = detail::with_tiny_side(
      x, y, [x] { return detail::times_tiny_exp(V(1.0f) + x, x); });
  return vec::keep_nan(x,
                       detail::with_infinite_limits(x, tiny, V(0.0f), V(1.0f)));
}

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ACTIVATIONS_LOGISTIC_HPP
