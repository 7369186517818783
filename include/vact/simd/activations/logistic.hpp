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
// only sizeable error left is the final rounding. The quotient and its
// correction are kept apart here, for callers that multiply before they
// round; the denominator's E may differ from the numerator's (times_logistic
// drops it where it is below 2^-86).
template <class V>
struct logistic_quotient {
  V q;           // the quotient, rounded
  V remainder;   // numerator - q (1 + E), exactly
  V reciprocal;  // 1 / (1 + E), to the few bits the correction needs
};

template <class V>
VACT_INLINE logistic_quotient<V> logistic_quotient_of(
    V z, split_float<V> e, split_float<V> e_in_denominator) {
  const split_float<V> d = fast_two_sum(V(1.0f), e_in_denominator);  // 1 >= E
  const auto negative = z < V(0.0f);
  const split_float<V> numerator = {vec::select(negative, e.hi, V(1.0f)),
                                    vec::select(negative, e.lo, V(0.0f))};
  const V q = vec::div(numerator.hi, d.hi);  // NaN when e is
  // 1/d: 1 - q for z < 0, else q.
  return {q, division_remainder(q, numerator, d),
          vec::select(negative, V(1.0f) - q, q)};
}

template <class V>
VACT_INLINE V logistic(V z, split_float<V> e) {
  const logistic_quotient<V> l = logistic_quotient_of(z, e, e);
  return vec::fma(l.remainder, l.reciprocal, l.q);
}
// sigmoid(z) for |z| <= 60, E computed here.
template <class V>
VACT_INLINE V logistic(V z) {
  return logistic(z, math::exp_split_normal(vec::minus_abs(z)));
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
  split_float<V> e = math::exp_split_normal(vec::minus_abs(z.hi));
  const V toward_zero = vec::select(z.hi < V(0.0f), z.lo, -z.lo);
  e.lo = vec::fma(e.hi, toward_zero, e.lo);
  return e;
}

// sigmoid(z) and 1 - sigmoid(z) for z = hi + lo, each from the accurate
// side (logistic_sides_of), on z clamped to [-60, 60].
template <class V>
VACT_INLINE logistic_sides<V> logistic_sides_of_split(split_float<V> z) {
  const split_float<V> main{main_range(z.hi), z.lo};
  const V small = logistic(vec::minus_abs(main.hi), exp_minus_abs(main));
  return logistic_sides_of(small, main.hi < V(0.0f));
}

// x sigmoid(z) for z = hi + lo computed from x, rounded once: the
// quotient's correction enters the product.
template <class V>
VACT_INLINE V times_quotient(V x, const logistic_quotient<V>& s) {
  return times_split(x, split_float<V>{s.q, s.remainder * s.reciprocal});
}

// x sigmoid(z) for z = hi + lo computed from x, on z clamped to [-60, 60]
// (no tiny side), rounded once.
template <class V>
VACT_INLINE V times_logistic_main_range(V x, split_float<V> z) {
  const split_float<V> main{main_range(z.hi), z.lo};
  const split_float<V> e = exp_minus_abs(main);
  return times_quotient(x, logistic_quotient_of(main.hi, e, e));
}

// How times_logistic meets z < -60: behind a branch (the tiny side), for
// callers whose arguments rarely go there, or in line, for gelu_tanh, whose
// z is below -60 from x = -8.65 on (4 in 10 vectors of 8 on [-10, 10]).
enum class tiny_side { branch, in_line };

// Past this z, x e^z rounds to +-0 for every |x| <= 2^30 (2^30 e^-130 is
// below 2^-157): the floor of times_logistic's argument in line.
constexpr float times_logistic_floor = -130.0f;

// x sigmoid(z) for z = hi + lo computed from x, rounded once, for
// |x| < 2^64 (branch; or any x where z = x, as in silu: below -2^64 the
// tiny side's e^z is 0) or |x| <= 2^30 (in line). In line, where z < -60,
// 1 + e^z is 1 to 2^-86 and e^z is formed times 2^64, so that it stays
// normal, and the product is scaled back: what the tiny side computes, but
// as part of every vector.
template <tiny_side Tiny, class V, class Rare = rare_paths::taken>
VACT_INLINE V times_logistic(V x, split_float<V> z, Rare rare = {}) {
  if constexpr (Tiny == tiny_side::branch) {
    const V y = times_logistic_main_range(x, z);
    return with_tiny_side(
        z.hi, y, [x, z] { return times_tiny_exp(x, z); }, rare);
  } else {
    (void)rare;
    const auto tiny = z.hi < V(tiny_below);
    const V hi =
        vec::max(V(times_logistic_floor), vec::min(V(-tiny_below), z.hi));
    // 64 in the tiny lanes, else 0: the exponent bits of 2^64 less 1's.
    const int_vector_t<V> extra =
        (vec::as_int(vec::select(tiny, V(0x1p64f), V(1.0f))) -
         vec::as_int(V(1.0f))) >>
        23;
    split_float<V> e = math::exp_split_scaled(vec::minus_abs(hi), extra);
    // e^-|z| = e^-|hi| (1 -+ lo).
    e.lo = vec::fma(e.hi, vec::select(hi < V(0.0f), z.lo, -z.lo), e.lo);
    const split_float<V> in_denominator{vec::select(tiny, V(0.0f), e.hi),
                                        vec::select(tiny, V(0.0f), e.lo)};
    const V y = times_quotient(x, logistic_quotient_of(hi, e, in_denominator));
    return y * vec::select(tiny, V(0x1p-64f), V(1.0f));
  }
}

// x sigmoid(z(x)) for z = argument(x) as hi + lo, on x clamped to
// [-limit, limit] (where z stays finite); beyond, the product rounds to x
// (above limit) or -0 (below -limit); the NaN of a NaN x kept.
template <tiny_side Tiny, class V, class Argument,
          class Rare = rare_paths::taken>
VACT_INLINE V times_logistic_within(V x, float limit, Argument argument,
                                    Rare rare = {}) {
  const V clamped = vec::max(V(-limit), vec::min(V(limit), x));
  const V y = times_logistic<Tiny>(clamped, argument(clamped), rare);
  return vec::keep_nan(
      x, vec::select(x < V(-limit), V(-0.0f), vec::select(x > V(limit), x, y)));
}

// Q of degree 7 for silu' around its zero x0 = -1.2784645427610737951, on
// x0 + (-0.6, 0.45) (poly::silu_derivative_zero: 0.29 ULP).
constexpr derivative_zero silu_derivative_window = {
    poly::silu_derivative_x0_hi, poly::silu_derivative_x0_lo, -0.6f, 0.45f};

}  // namespace detail

// sigmoid(x) = 1 / (1 + e^-x) in [0, 1]; sigmoid(-inf) = 0,
// sigmoid(+inf) = 1; below -60 it is e^x, subnormal results included.
template <class V, class Rare = detail::rare_paths::taken>
VACT_INLINE enable_if_float_vector_t<V> sigmoid(V x, Rare rare = {}) {
  const V z = detail::main_range(x);  // sigmoid(60) = 1 already
  const V y = detail::logistic(z);
  return vec::keep_nan(
      x, detail::with_tiny_side(
             x, y, [x] { return detail::times_tiny_exp(V(1.0f), x); }, rare));
}
// sigmoid'(x) = s (1 - s) with s = sigmoid(-|x|) <= 1/2 (symmetric, so
// both factors come from the accurate small side): 1 - s is split exactly
// into t + t_lo, and one FMA rounds the product. Below -60 in -|x|, it is
// e^-|x|.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> sigmoid_derivative(V x) {
  const V minus_a = vec::minus_abs(x);
  const V z = detail::main_range(minus_a);
  const V s = detail::logistic(z, math::exp_split_normal(z));
  const V y = detail::times_split(s, detail::one_minus_split(s));
  return vec::keep_nan(x, detail::with_tiny_side(minus_a, y, [minus_a] {
                         return detail::times_tiny_exp(V(1.0f), minus_a);
                       }));
}

// silu(x) = x sigmoid(x), rounded once; silu(-inf) = -0, keeps the sign
// of zero.
template <class V, class Rare = detail::rare_paths::taken>
VACT_INLINE enable_if_float_vector_t<V> silu(V x, Rare rare = {}) {
  const V y = detail::times_logistic<detail::tiny_side::branch>(
      x, math::split_float<V>{x, V(0.0f)}, rare);
  return vec::keep_nan(x, detail::with_infinite_limits(x, y, V(-0.0f), x));
}
// silu'(x) = s (1 + x (1 - s)), s = sigmoid(x), with 1 - s taken from the
// accurate small side so that x (1 - s) keeps its precision for large |x|.
// Below -60 it is e^x (1 + x).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> silu_derivative(V x) {
  const V z = detail::main_range(x);
  const V minus_a = vec::minus_abs(z);
  const V small = detail::logistic(minus_a, math::exp_split_normal(minus_a));
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
