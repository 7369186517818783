// SPDX-License-Identifier: Apache-2.0
//
// softplus and mish (x tanh(softplus(x))), and their derivatives
// (softplus' is sigmoid, hence logistic.hpp). Part of
// vact/simd/activations.hpp, whose comment gives the conventions.
#ifndef VACT_SIMD_ACTIVATIONS_SOFTPLUS_HPP
#define VACT_SIMD_ACTIVATIONS_SOFTPLUS_HPP

#include "vact/simd/activations/logistic.hpp"
#include "vact/simd/detail/edge_cases.hpp"
#include "vact/simd/detail/exact.hpp"
#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

// tanh(softplus(x)) = F N / D for E = e^-|x| (as hi + lo): F = 1,
// N = 1 + 2E, D = N + 2E^2 for x >= 0; F = E, N = E + 2, D = E N + 2 for
// x < 0. No overflow, no cancellation, and the small side keeps relative
// accuracy. N and D come as hi + lo (each sum a Fast2Sum: 1 >= 2E up to
// x = 0, where the sum is exact anyway; N > 2E^2; 2 >= E; and E N < 4 shares
// 2's exponent), with E's own error carried in the lo parts.
template <class V>
struct mish_fraction {
  split_float<V> n, d;
  split_float<V> two_e2;  // 2E^2 (x >= 0; E floored at 2^-40)
};

template <class V, class Mask>
VACT_INLINE mish_fraction<V> mish_fraction_of(split_float<V> e, Mask negative) {
  // x >= 0. Past x = 27.7 (E < 2^-40) the value is 1 to float precision:
  // flooring E there keeps E^2 normal.
  const V f = vec::max(e.hi, V(0x1p-40f));
  const V two_f = f + f;
  const split_float<V> n_pos =
      fast_two_sum(V(1.0f), split_float<V>{two_f, e.lo + e.lo});
  const split_float<V> two_f2 = math::two_product(f, two_f);
  // D's lo terms: 2E^2's (its rounding, and E's error as 4 f e.lo) and N's.
  const V d_pos_lo_terms = vec::fma(V(4.0f) * f, e.lo, two_f2.lo) + n_pos.lo;
  const split_float<V> d_pos =
      fast_two_sum(n_pos.hi, split_float<V>{two_f2.hi, d_pos_lo_terms});
  // x < 0.
  const split_float<V> n_neg = fast_two_sum(V(2.0f), e);
  const split_float<V> en = math::two_product(e.hi, n_neg.hi);
  const V en_lo = vec::fma(e.hi, n_neg.lo, e.lo * n_neg.hi) + en.lo;  // E N's
  const split_float<V> d_neg =
      fast_two_sum(V(2.0f), split_float<V>{en.hi, en_lo});
  return {{vec::select(negative, n_neg.hi, n_pos.hi),
           vec::select(negative, n_neg.lo, n_pos.lo)},
          {vec::select(negative, d_neg.hi, d_pos.hi),
           vec::select(negative, d_neg.lo, d_pos.lo)},
          two_f2};
}

// Q of degree 11 for mish' around its zero x0 = -1.1924312145154952121, on
// x0 + (-0.9, 0.45) (poly::mish_derivative_zero: 0.72 ULP).
constexpr derivative_zero mish_derivative_window = {
    poly::mish_derivative_x0_hi, poly::mish_derivative_x0_lo, -0.9f, 0.45f};

}  // namespace detail

// softplus(x) = log(1 + e^x), without overflow and without a threshold
// shortcut; softplus(-inf) = 0, (+inf) = +inf. Monotone over consecutive
// floats, which max(x, 0) + log1p(e^-|x|) alone is not near 0: there x's
// steps are smaller than the rounding noise of the log. So below |x| = 1 it
// is ln 2 + x/2 + log(cosh(x/2)) (ln 2 as hi + lo), each step a monotone
// rounding and the even part's noise far below the steps of x/2; from 1 on
// max(x, 0) + log1p(E), E = e^-|x| as hi + lo. Below -60 it is e^x.
template <class V, class Rare = detail::rare_paths::taken>
VACT_INLINE enable_if_float_vector_t<V> softplus(V x, Rare rare = {}) {
  const math::split_float<V> e =
      math::exp_split_normal(vec::minus_abs(detail::main_range(x)));
  const V far = vec::max(x, V(0.0f)) + math::log1p_unit(e);  // NaN for NaN
  const V near = V(math::ln2_hi) +
                 vec::fma(x, V(0.5f), V(math::ln2_lo) + math::log_cosh_half(x));
  const V y = vec::select(vec::abs(x) < V(1.0f), near, far);
  return vec::keep_nan(
      x, detail::with_tiny_side(
             x, y, [x] { return detail::times_tiny_exp(V(1.0f), x); }, rare));
}
// softplus'(x) = sigmoid(x).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softplus_derivative(V x) {
  return sigmoid(x);
}

// mish(x) = x tanh(softplus(x)) = x F N / D (detail::mish_fraction_of) with
// the quotient corrected (detail::divide_split) and x E carried as hi + lo,
// so that the final product is the only rounding of note. Keeps the sign
// of zero; mish(-inf) = -0, mish(+inf) = +inf. Below -60 it is x e^x.
template <class V, class Rare = detail::rare_paths::taken>
VACT_INLINE enable_if_float_vector_t<V> mish(V x, Rare rare = {}) {
  using math::split_float;
  const split_float<V> e =
      math::exp_split_normal(vec::minus_abs(detail::main_range(x)));
  const auto negative = x < V(0.0f);
  const detail::mish_fraction<V> t = detail::mish_fraction_of(e, negative);
  const split_float<V> q = detail::divide_split(t.n, t.d);
  // The factor in front: x E (hi + lo) for x < 0, x itself for x >= 0.
  const split_float<V> xe = detail::split_product(x, e);
  const split_float<V> m = {vec::select(negative, xe.hi, x),
                            vec::select(negative, xe.lo, V(0.0f))};
  const V y = detail::times_split(m, q);
  const V small = detail::with_tiny_side(
      x, y, [x] { return detail::times_tiny_exp(x, x); }, rare);
  const V finite = vec::select(x == V(0.0f), x, small);  // keeps -0
  return vec::keep_nan(x, detail::with_infinite_limits(x, finite, V(-0.0f), x));
}
// mish'(x) = q + x sigmoid(x) (1 - q^2), q = tanh(softplus(x)). In the
// terms of mish_fraction_of, 1 - q^2 = 4 (1 + E)^2 E^2k / D^2 and so
//   mish'(x) = G (N D + 4 x H (1 + E)) / D^2,
// G = E, H = 1 for x < 0 and G = 1, H = E^2 for x >= 0. The bracket
// cancels (by half at x = -2.25, fully at the zero x0 = -1.19): its
// products and sum are carried as hi + lo, so it keeps about 2^-40 of its
// terms, and u Q(u) takes over around x0. Below -60 it is e^x (1 + x).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> mish_derivative(V x) {
  using math::split_float;
  const V z = detail::main_range(x);
  const split_float<V> e = math::exp_split_normal(vec::minus_abs(z));
  const auto negative = z < V(0.0f);
  const detail::mish_fraction<V> t = detail::mish_fraction_of(e, negative);
  // 1 + E, then H (1 + E).
  const split_float<V> one_plus_e = detail::fast_two_sum(V(1.0f), e);
  const split_float<V> h = detail::split_product(t.two_e2, one_plus_e);
  // 4 x H (1 + E) = (4x) (1 + E) for x < 0, (2x) (2E^2 (1 + E)) for x >= 0.
  const V k_factor = vec::select(negative, V(4.0f) * z, V(2.0f) * z);
  const split_float<V> k = detail::split_product(
      k_factor, split_float<V>{vec::select(negative, one_plus_e.hi, h.hi),
                               vec::select(negative, one_plus_e.lo, h.lo)});
  // N D + K and D^2, each as hi + lo.
  const split_float<V> nd = detail::split_product(t.n, t.d);
  const split_float<V> bracket = math::two_sum(nd.hi, k.hi);
  const V bracket_lo = bracket.lo + (nd.lo + k.lo);
  const split_float<V> d2 = math::two_product(t.d.hi, t.d.hi);
  const V d2_lo = vec::fma(V(2.0f) * t.d.hi, t.d.lo, d2.lo);
  const split_float<V> q = detail::divide_split(
      split_float<V>{bracket.hi, bracket_lo}, split_float<V>{d2.hi, d2_lo});
  // Times G: E (hi + lo) for x < 0.
  const split_float<V> g = {vec::select(negative, e.hi, V(1.0f)),
                            vec::select(negative, e.lo, V(0.0f))};
  const V y = detail::through_derivative_zero(x, detail::times_split(g, q),
                                              detail::mish_derivative_window,
                                              poly::mish_derivative_zero);
  const V tiny = detail::with_tiny_side(
      x, y, [x] { return detail::times_tiny_exp(V(1.0f) + x, x); });
  return vec::keep_nan(x,
                       detail::with_infinite_limits(x, tiny, V(0.0f), V(1.0f)));
}

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ACTIVATIONS_SOFTPLUS_HPP
