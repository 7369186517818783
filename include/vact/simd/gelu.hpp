// SPDX-License-Identifier: Apache-2.0
//
// The exact GELU, gelu(x) = x Phi(x) with Phi the standard normal CDF, and
// its derivative, on one vector (an xsimd::batch<float, Arch> or the scalar
// ISA's one-lane adapter).
//
// Both come from the upper tail Q(a) = 1 - Phi(a) = erfc(a / sqrt 2) / 2 at
// a = |x|, never from 1 + erf (which cancels for x < 0):
//   gelu(x) = x - a Q(a) for x >= 0 and -a Q(a) for x < 0, with
//   a Q(a)  = v e^(-a^2/2 + L(v)),  v = a / (2 + a) in [0, 1).
// The division carries the 1/a decay of Q(a) e^(a^2/2), so that
// L(v) = log((2 + a) e^(a^2/2) Q(a)) is one polynomial in v. The exponent is
// summed from exact pieces (a^2 as an exact product, v's rounding error from
// the division's remainder) and the result rounds once at the end, also
// into subnormals.
#ifndef VACT_SIMD_GELU_HPP
#define VACT_SIMD_GELU_HPP

#include <type_traits>

#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
namespace math {

// ---- argument reduction for e^(-a^2/2) -----------------------------------

// ln(2) for exponents down to -105: with a fused FMA, n * hi stays exact
// inside the FMA, so hi can keep all 24 bits and lo is tiny; without, the
// 15-bit split of math.hpp keeps n * hi exact on its own.
constexpr float ln2_hi24 = 0x1.62e430p-1f;    // ln(2) rounded
constexpr float ln2_lo24 = -0x1.05c610p-29f;  // ln(2) - ln2_hi24, rounded
template <class V>
constexpr float reduction_ln2_hi() {
  return vec_traits<V>::fused_fma ? ln2_hi24 : ln2_hi;
}
template <class V>
constexpr float reduction_ln2_lo() {
  return vec_traits<V>::fused_fma ? ln2_lo24 : ln2_lo;
}

// ---- exponentials of -a^2/2 + ..., kept exact until the last rounding ----
//
// Exponents are handled doubled, y = -a^2 + s, so that a^2 needs no halving:
// y = 2 n ln(2) + r + small and e^(y/2) = 2^n e^(r/2) (1 + small/2).

template <class V>
struct doubled_reduction {
  V k;      // rounding magic - 1 + n: k's bits shifted left by 23 are n - 1
  V r;      // -a^2 - 2 n ln(2), exact; the caller adds s
  V small;  // the rest, below 2^-16 (5e-4 without FMA)
};

// n from an estimate of y (it only has to keep |r + s| <= 0.72).
template <class V>
VACT_INLINE doubled_reduction<V> reduce_doubled(V a_squared_hi, V a_squared_lo,
                                                V y_estimate) {
  const V k = vec::fma(y_estimate, V(0.5f * log2_e), V(round_magic - 1.0f));
  const V n = k - V(round_magic - 1.0f);
  const V r =
      vec::fma(n, V(-2.0f * reduction_ln2_hi<V>()), -a_squared_hi);  // exact
  V small = vec::fma(n, V(-2.0f * reduction_ln2_lo<V>()), -a_squared_lo);
  if constexpr (!vec_traits<V>::fused_fma) {
    // e^(small/2) - 1 = small/2 (1 + small/4): the square matters at 5e-4.
    small = vec::fma(small * V(0.25f), small, small);
  }
  return {k, r, small};
}

// 2^(n - 1 - Extra) from reduce_doubled's k, for results that stay normal.
template <int Extra, class V>
VACT_INLINE V pow2_from_k(V k) {
  // k's bits minus the magic's are n.
  return pow2i<V>(vec::as_int(k) -
                  int_vector_t<V>(vec::as_int(V(round_magic - 1.0f)) +
                                  int_vector_t<V>(1 + Extra)));
}

// (e^(s/2) - 1 - s/2) / s^2 = 1/8 + s P(s) for |s| <= ln(2) plus rounding:
// expm1_reduced's polynomial (tools/fit_polynomials.py, expm1_core) at half
// the argument, each coefficient scaled by a power of 2; up to |s| = 0.705
// (see gelu_tail_estimate) its error is 0.012 * 2^-24.
template <class V>
VACT_INLINE V expm1_half_tail(V s) {
  V p(0x1.9e66b8p-20f);
  p = vec::fma(p, s, V(0x1.6d3a24p-16f));
  p = vec::fma(p, s, V(0x1.1112dep-12f));
  p = vec::fma(p, s, V(0x1.5554f8p-9f));
  p = vec::fma(p, s, V(0x1.555554p-6f));
  return vec::fma(p, s, V(0.125f));
}

// (2 h + lo) e^(r/2) for |r| <= 0.72 and |lo| << |h|, rounded once at the
// end: with e^(r/2) = 1 + r/2 + r q, the large product h r is exact inside
// an FMA and only terms below 0.15 h round before it.
template <class V>
VACT_INLINE V times_exp_half(V h, V lo, V r) {
  const V q = r * expm1_half_tail(r);
  const V two_h = h + h;
  const V lo_times_exp = vec::fma(lo * r, q + V(0.5f), lo);
  return two_h + mul_add_exact(h, r, vec::fma(two_h * r, q, lo_times_exp));
}

// ---- the upper tail Q(a) ---------------------------------------------------

// Beyond this a, a Q(a) < 2^-151: gelu(x) is x or -0.
constexpr float gelu_tail_max = 14.5f;

// l2(v) = 2 L(v) / v for v in [0, 0.879] (a <= 14.5): degree 11 in
// w = v - 7/16, minimax on the absolute error of v l2 / 2, the exponent
// (tools/fit_polynomials.py, gelu_tail): 2.3e-9 = 0.04 * 2^-24 with these
// float coefficients. At 7/16, l2 is 0.0008 ulp from a float, so c0 adds no
// error where nothing else can correct it. Evaluated as c0 + w S(w), S by
// Estrin, so that only the last step rounds at the size of l2.
template <class V>
VACT_INLINE V gelu_tail_log(V v) {
  const V w = v - V(0.4375f);  // exact for v >= 7/32
  const V w2 = w * w;
  const V w4 = w2 * w2;
  const V s12 = vec::fma(V(0x1.5f003ep-3f), w, V(-0x1.976938p-1f));
  const V s34 = vec::fma(V(0x1.10d158p-2f), w, V(0x1.129a38p-1f));
  const V s56 = vec::fma(V(-0x1.01b8f4p-1f), w, V(-0x1.efd12cp-3f));
  const V s78 = vec::fma(V(0x1.4b2cdap-2f), w, V(-0x1.271c3ap-2f));
  const V s9a = vec::fma(V(0x1.a5ef56p-4f), w, V(0x1.993908p-1f));
  const V s1_4 = vec::fma(s34, w2, s12);
  const V s5_8 = vec::fma(s78, w2, s56);
  const V s9_11 = vec::fma(V(-0x1.862322p-1f), w2, s9a);
  const V s = vec::fma(vec::fma(s9_11, w4, s5_8), w4, s1_4);
  return vec::fma(s, w, V(-0x1.89e3bep+0f));
}

// l2 to 0.0055 in the exponent, linearly (tools/fit_polynomials.py,
// gelu_tail_estimate): it picks the power of 2 while l2 is computed.
template <class V>
VACT_INLINE V gelu_tail_log_estimate(V v) {
  return vec::fma(V(-0x1.3da0d8p-1f), v, V(-0x1.467c10p+0f));
}

// What gelu and gelu' need to know about a = |x| in [0, 14.5].
template <class V>
struct tail_parts {
  V v;                       // a / (2 + a), rounded
  V v_error;                 // a = v (2 + a) + v_error, exactly
  V one_minus_v;             // rounded
  V l2;                      // gelu_tail_log(v)
  split_float<V> a_squared;  // exact
  doubled_reduction<V> e;    // of -a^2 + v l2 (r does not include v l2)
};

template <class V>
VACT_INLINE tail_parts<V> make_tail_parts(V a) {
  const V d = a + V(2.0f);
  const V d_lo = (V(2.0f) - d) + a;  // d + d_lo = 2 + a exactly
  const V v = vec::div(a, d);
  const V v_error = vec::fma(-v, d_lo, mul_add_exact(-v, d, a));
  const V one_minus_v = V(1.0f) - v;
  const V l2 = gelu_tail_log(v);
  const split_float<V> a_squared = two_product(a, a);
  const V y_estimate = vec::fma(v, gelu_tail_log_estimate(v), -a_squared.hi);
  const doubled_reduction<V> e =
      reduce_doubled(a_squared.hi, a_squared.lo, y_estimate);
  return {v, v_error, one_minus_v, l2, a_squared, e};
}

// a Q(a) for a in [0, 14.5], as 2^(n-1) (2 v + lo) e^(r/2). FastScale: for
// a in [2^-100, 13] everything is normal, so n - 1 is added to the exponent
// bits directly.
template <bool FastScale, class V>
VACT_INLINE V gelu_tail(V a) {
  const tail_parts<V> t = make_tail_parts(a);
  const V r = mul_add_exact(t.v, t.l2, t.e.r);
  // The true v is v + dv, dv = v_error / (2 + a) = v_error (1 - v) / 2; it
  // moves both the factor v and L(v): a Q(a) grows by dv (1 + v L'(v)),
  // and 1 + v L'(v) = 1 - v within 0.06.
  const V dv_effect = (t.v_error * t.one_minus_v) * t.one_minus_v;
  const V y = times_exp_half(t.v, vec::fma(t.v, t.e.small, dv_effect), r);
  if constexpr (FastScale) {
    return vec::as_float(vec::as_int(y) + (vec::as_int(t.e.k) << 23));
  } else {
    // 2^(n-1) in two factors, so that only the last product rounds (also
    // into subnormals).
    using I = int_vector_t<V>;
    const I n_minus_1 =
        vec::as_int(t.e.k) - vec::as_int(V(round_magic - 1.0f)) - I(1);
    const I half = n_minus_1 >> 1;
    return (y * pow2i<V>(half)) * pow2i<V>(n_minus_1 - half);
  }
}

// ---- pieces of the derivative ----------------------------------------------

// Q(a) = (1 - v) / 2 e^(-a^2/2 + L(v)) for a in [0, 10], from gelu's parts:
// r is gelu's reduced argument, small and k its reduction's.
template <class V>
VACT_INLINE V upper_tail(V v, V v_error, V one_minus_v, V r, V small, V k) {
  const V om_lo = (V(1.0f) - one_minus_v) - v;  // 1 - v = om + om_lo exactly
  // dv (as in gelu_tail) changes Q by -dv (1 - (1 - v) L'(v)) / 2, and
  // 1 - (1 - v) L'(v) = 2 - v within 0.4 (1 - v).
  const V dv_effect = -(v_error * one_minus_v) * (V(2.0f) - v);
  const V lo =
      vec::fma(one_minus_v, small, vec::fma(V(2.0f), om_lo, dv_effect));
  return times_exp_half(one_minus_v, lo, r) * pow2_from_k<1>(k);
}

// phi(0) = 1 / sqrt(2 pi), split.
constexpr float normal_density_zero_hi = 0x1.988454p-2f;
constexpr float normal_density_zero_lo = -0x1.857936p-27f;

// a phi(a) = a phi(0) e^(-a^2/2) for a in [0, 10].
template <class V>
VACT_INLINE V times_normal_density(V a, V a_squared_hi, V a_squared_lo) {
  const doubled_reduction<V> e =
      reduce_doubled(a_squared_hi, a_squared_lo, -a_squared_hi);
  const split_float<V> h = two_product(a, V(normal_density_zero_hi));
  const V h_lo = vec::fma(a, V(normal_density_zero_lo), h.lo);
  const V lo = vec::fma(h.hi, e.small, h_lo + h_lo);
  return times_exp_half(h.hi, lo, e.r) * pow2_from_k<0>(e.k);
}

// gelu'(x) = (x - x0) P(t), t = x + 893/1024, for x in [-1.5, -0.3] around
// the zero x0 of gelu', where Phi(x) and x phi(x) cancel. P of degree 8,
// minimax on relative error (tools/fit_polynomials.py,
// gelu_derivative_zero): 7.5e-9 = 0.13 * 2^-24 with these float
// coefficients; at the centre P is 0.0002 ulp from a float.
constexpr float gelu_derivative_zero_hi = -0x1.80ead2p-1f;  // x0 rounded
constexpr float gelu_derivative_zero_lo = 0x1.a03fd4p-27f;  // x0 - hi
template <class V>
VACT_INLINE V gelu_derivative_near_zero(V x) {
  const V t = x + V(0x1.be8p-1f);  // 893/1024
  V p(-0x1.ae4458p-11f);
  p = vec::fma(p, t, V(-0x1.6ad98ap-10f));
  p = vec::fma(p, t, V(0x1.8ea404p-8f));
  p = vec::fma(p, t, V(0x1.fcc4ecp-7f));
  p = vec::fma(p, t, V(-0x1.9f2b94p-6f));
  p = vec::fma(p, t, V(-0x1.ab1016p-4f));
  p = vec::fma(p, t, V(0x1.5d8884p-6f));
  p = vec::fma(p, t, V(0x1.8d253cp-2f));
  p = vec::fma(p, t, V(0x1.89f4d8p-2f));
  // x - x0_hi is exact on [-1.5, -0.3]; one rounding for the product.
  return mul_add_exact(x - V(gelu_derivative_zero_hi), p,
                       -(V(gelu_derivative_zero_lo) * p));
}

}  // namespace math

// gelu(x) = x Phi(x) = x erfc(-x / sqrt 2) / 2 (PyTorch's exact GELU), for
// every float x, subnormal results included. Max error 1.50 ULP, 1.53 on
// sse2/sse4.1 (emulated FMA): every float in [-16, 16] checked, beyond it
// the results are x or -0. Same bits on every ISA with a fused FMA (the
// scalar adapter included). gelu(-0) = -0, gelu(+inf) = +inf,
// gelu(-inf) = -0, NaN -> quiet NaN; gelu(x) = x from x = 5.35 on (Phi(x)
// rounds to 1 from 5.42), -0 below x = -14.357.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu(V x) {
  const V a = vec::abs(x);
  // gelu = base - a Q(a): base is x for x >= 0 (and NaN), -0 for x < 0.
  const V base = vec::max(V(-0.0f), x);
  // Rare: subnormal or zero tails, huge or infinite x. NaN takes the fast
  // path: whatever it computes, base - tail is NaN.
  if (vec::any((a > V(13.0f)) | (a < V(0x1p-100f)))) {
    return base - math::gelu_tail<false>(vec::min(V(math::gelu_tail_max), a));
  }
  return base - math::gelu_tail<true>(a);
}

// gelu'(x) = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi), for every
// float x: within 4 ULP, or 2^-24 absolute where |gelu'(x)| < 2^-22 (max
// 2.13 ULP, 2.75 on sse2/sse4.1, over every float in [-16, 16]).
// gelu'(+inf) = 1, gelu'(-inf) = 0, NaN -> quiet NaN; 0 below x = -10 and 1
// above x = 10 (the true values are within 1e-21 of these).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu_derivative(V x) {
  const V a = vec::min(V(10.0f), vec::abs(x));  // NaN stays NaN
  const math::tail_parts<V> t = math::make_tail_parts(a);
  // Q(a) - a phi(a): gelu'(x) for x < 0, 1 - gelu'(-x) for x >= 0.
  const V r = math::mul_add_exact(t.v, t.l2, t.e.r);
  const V difference =
      math::upper_tail(t.v, t.v_error, t.one_minus_v, r, t.e.small, t.e.k) -
      math::times_normal_density(a, t.a_squared.hi, t.a_squared.lo);
  const V lower = vec::select(vec::abs(x) > V(10.0f), V(0.0f), difference);
  const V result = vec::select(x < V(0.0f), lower, V(1.0f) - lower);
  const auto near_zero = (x >= V(-1.5f)) & (x <= V(-0.3f));
  return vec::select(near_zero, math::gelu_derivative_near_zero(x), result);
}

}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_GELU_HPP
