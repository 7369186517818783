// SPDX-License-Identifier: Apache-2.0
//
// The GELUs and their derivatives: gelu_tanh, PyTorch's tanh approximation
// (x sigmoid(z), hence logistic.hpp), gelu, the exact x Phi(x), and the
// other x sigmoid(beta x): quick_gelu (beta = 1.702) and swish (any beta).
// Part of vact/simd/activations.hpp, whose comment gives the conventions.
//
// gelu comes from the upper tail Q(a) = 1 - Phi(a) = erfc(a / sqrt 2) / 2
// at a = |x|, never from 1 + erf (which cancels for x < 0):
//   gelu(x) = x - a Q(a) for x >= 0 and -a Q(a) for x < 0, with
//   a Q(a)  = v e^(-a^2/2 + L(v)),  v = a / (2 + a) in [0, 1).
// The division carries the 1/a decay of Q(a) e^(a^2/2), so that
// L(v) = log((2 + a) e^(a^2/2) Q(a)) is one polynomial in v. The exponent is
// summed from exact pieces (a^2 as an exact product, v's rounding error from
// the division's remainder) and the result rounds once at the end, also
// into subnormals.
#ifndef VACT_SIMD_ACTIVATIONS_GELU_HPP
#define VACT_SIMD_ACTIVATIONS_GELU_HPP

#include <limits>

#include "vact/simd/activations/logistic.hpp"
#include "vact/simd/detail/edge_cases.hpp"
#include "vact/simd/detail/exact.hpp"
#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

// ---- gelu_tanh's argument ------------------------------------------------

// 2 sqrt(2/pi) and 2 sqrt(2/pi) 0.044715 (PyTorch's gelu_tanh constants,
// doubled because 0.5 (1 + tanh(u)) = sigmoid(2u)), each as hi + lo.
constexpr float gelu_tanh_c1_hi = 0x1.988454p+0f;
constexpr float gelu_tanh_c1_lo = -0x1.857936p-25f;
constexpr float gelu_tanh_c3_hi = 0x1.2444f2p-4f;
constexpr float gelu_tanh_c3_lo = 0x1.49b16ap-29f;

// c1 (hi + lo) as a coarse part, a multiple of 2^-19, and the rest,
// rounded (their sum is c1 to 2^-46 relative): the argument's error
// recovery subtracts the coarse part exactly (below; vact_tests checks
// both).
constexpr float gelu_tanh_c1_coarse = 0x1.98846p+0f;
constexpr float gelu_tanh_c1_rest = -0x1.985794p-21f;

// z = 2 sqrt(2/pi) (x + 0.044715 x^3) = x (c1 + c3 x^2) as hi + lo, to
// about 2^-45 relative: sigmoid(z) needs z to better than float precision
// once |z| is large (its relative error grows like |z| times z's). Where
// the FMA is fused, 11 operations: w = c1 + c3 x^2 rounded once; its
// rounding error recovered by a second FMA, c3 x^2 + (c1_coarse - w) plus
// the rest of c1 (c1_coarse - w is exact for |x| <= 20.6, where w < 32:
// both are multiples of the smaller of ulp(w) and 2^-19, less than 2^24
// of it apart); then z = x w as an exact product plus x times w's low
// part. Where multiply and add round separately (sse2, sse4.1) that
// recovery would not be exact: the terms as exact products there, 20
// operations.
template <class V>
VACT_INLINE split_float<V> gelu_tanh_argument(V x) {
  if constexpr (vec_traits<V>::fused_fma) {
    const V c3(gelu_tanh_c3_hi);
    const split_float<V> x2 = math::two_product(x, x);
    const V w = vec::fma(c3, x2.hi, V(gelu_tanh_c1_hi));
    const V w_rounding = vec::fma(c3, x2.hi, V(gelu_tanh_c1_coarse) - w);
    const V w_lo = w_rounding + vec::fma(c3, x2.lo,
                                         vec::fma(V(gelu_tanh_c3_lo), x2.hi,
                                                  V(gelu_tanh_c1_rest)));
    const split_float<V> z = math::two_product(x, w);
    return {z.hi, vec::fma(x, w_lo, z.lo)};
  } else {
    const split_float<V> x2 = math::two_product(x, x);
    const split_float<V> x3 = split_product(x2, x);
    const split_float<V> linear = split_product(
        split_float<V>{V(gelu_tanh_c1_hi), V(gelu_tanh_c1_lo)}, x);
    // c3 x^3 as hi + lo: not split_product(x3, c3), whose exact product
    // would take x3 first and whose lo terms nest the other way round.
    const split_float<V> cubic = math::two_product(V(gelu_tanh_c3_hi), x3.hi);
    const V cubic_lo = vec::fma(V(gelu_tanh_c3_lo), x3.hi,
                                vec::fma(V(gelu_tanh_c3_hi), x3.lo, cubic.lo));
    const split_float<V> z = math::two_sum(linear.hi, cubic.hi);
    return {z.hi, z.lo + (linear.lo + cubic_lo)};
  }
}

// 1.702, quick_gelu's constant, as hi + lo (to 2^-54 relative).
constexpr float quick_gelu_scale_hi = 0x1.b3b646p+0f;
constexpr float quick_gelu_scale_lo = -0x1.78d4fep-26f;

// z = 1.702 x as hi + lo: sigmoid(z) needs z to better than float
// precision once |z| is large, as for gelu_tanh's argument.
template <class V>
VACT_INLINE split_float<V> quick_gelu_argument(V x) {
  return split_product(
      split_float<V>{V(quick_gelu_scale_hi), V(quick_gelu_scale_lo)}, x);
}

// ---- swish's argument -----------------------------------------------------

// Where |beta x| exceeds this, x sigmoid(beta x) is x or rounds to +-0 for
// every float x (2^128 e^-200 < 2^-160), and sigmoid' terms vanish: z is
// clamped there and its lo part dropped (it would be inf or NaN).
constexpr float swish_argument_limit = 200.0f;

// z = beta x as hi + lo, exact (but where it underflows). At x = +-inf z
// is +-inf (then clamped) for every beta != 0, however small; beta = 0
// takes x clamped to the finite floats instead, so that z = 0, not NaN.
template <class V>
VACT_INLINE split_float<V> swish_argument(V x, V finite_x, V beta) {
  const split_float<V> z =
      math::two_product(beta, vec::select(beta == V(0.0f), finite_x, x));
  const V limit(swish_argument_limit);
  return {vec::max(-limit, vec::min(limit, z.hi)),
          vec::select(vec::abs(z.hi) <= limit, z.lo, V(0.0f))};
}

// x clamped to the finite floats (NaN passes).
template <class V>
VACT_INLINE V finite_part(V x) {
  const V largest(std::numeric_limits<float>::max());
  return vec::max(-largest, vec::min(largest, x));
}

// 64 ln 2 as hi + lo (hi has 18 significant bits).
constexpr float ln2_times_64_hi = 0x1.62e43p+5f;
constexpr float ln2_times_64_lo = -0x1.05c61p-23f;

// x e^z for z = hi + lo < -60 and any finite x (times_tiny_exp is for
// |x| < 2^64): a huge x, met with a tiny beta, gives up 2^64 to the
// exponential, x e^z = (x 2^-64) e^(z + 64 ln 2), so that e^z's scaled
// intermediate stays normal wherever the product does.
template <class V>
VACT_INLINE V times_tiny_exp_any(V x, split_float<V> z) {
  const auto huge = vec::abs(x) >= V(0x1p64f);
  const split_float<V> shifted =
      math::two_sum(z.hi, vec::select(huge, V(ln2_times_64_hi), V(0.0f)));
  const V shifted_lo =
      shifted.lo + (z.lo + vec::select(huge, V(ln2_times_64_lo), V(0.0f)));
  const V product = times_tiny_exp(vec::select(huge, x * V(0x1p-64f), x),
                                   split_float<V>{shifted.hi, shifted_lo});
  // x's sign, also where the product underflows to a zero.
  return vec::abs(product) | vec::sign_bit(x);
}

// s (1 + k) rounded once, for k = hi + lo: 1 + k.hi is summed exactly, so
// a bracket that cancels (k near -1) loses nothing before the product.
template <class V>
VACT_INLINE V times_one_plus(V s, split_float<V> k) {
  const split_float<V> bracket = math::two_sum(V(1.0f), k.hi);
  return times_split(s, split_float<V>{bracket.hi, bracket.lo + k.lo});
}

// Q of degree 16 for gelu_tanh' around its zero x0 =
// -0.75246142207101625849, fitted on x0 + (-0.62, 0.3)
// (poly::gelu_tanh_derivative_zero: 1.57 ULP, 2.4 as evaluated in float).
// Used on x0 + (-0.2, 0.2) only: outside it the general formula, whose
// bracket is carried as hi + lo, is within 2.2 ULP.
constexpr derivative_zero gelu_tanh_derivative_window = {
    poly::gelu_tanh_derivative_x0_hi, poly::gelu_tanh_derivative_x0_lo, -0.2f,
    0.2f};

// ---- argument reduction for e^(-a^2/2) -----------------------------------

// ln(2) for exponents down to -105: with a fused FMA, n * hi stays exact
// inside the FMA, so hi can keep all 24 bits and lo is tiny; without, the
// 15-bit split of math.hpp keeps n * hi exact on its own.
constexpr float ln2_hi24 = 0x1.62e430p-1f;    // ln(2) rounded
constexpr float ln2_lo24 = -0x1.05c610p-29f;  // ln(2) - ln2_hi24, rounded
template <class V>
constexpr float reduction_ln2_hi() {
  return vec_traits<V>::fused_fma ? ln2_hi24 : math::ln2_hi;
}
template <class V>
constexpr float reduction_ln2_lo() {
  return vec_traits<V>::fused_fma ? ln2_lo24 : math::ln2_lo;
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
  const V k =
      vec::fma(y_estimate, V(0.5f * math::log2_e), V(math::round_magic - 1.0f));
  const V n = k - V(math::round_magic - 1.0f);
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
  return math::pow2i<V>(
      vec::as_int(k) -
      int_vector_t<V>(vec::as_int(V(math::round_magic - 1.0f)) +
                      int_vector_t<V>(1 + Extra)));
}

// (e^(s/2) - 1 - s/2) / s^2 = 1/8 + s P(s) for |s| <= ln(2) plus rounding
// (poly::expm1_half_tail: expm1_reduced's polynomial at half the argument;
// up to |s| = 0.705, see gelu_tail_log_estimate, its error is
// 0.012 * 2^-24).
template <class V>
VACT_INLINE V expm1_half_tail(V s) {
  return vec::fma(math::horner(s, poly::expm1_half_tail), s, V(0.125f));
}

// (2 h + lo) e^(r/2) for |r| <= 0.72 and |lo| << |h|, rounded once at the
// end: with e^(r/2) = 1 + r/2 + r q, the large product h r is exact inside
// an FMA and only terms below 0.15 h round before it.
template <class V>
VACT_INLINE V times_exp_half(V h, V lo, V r) {
  const V q = r * expm1_half_tail(r);
  const V two_h = h + h;
  const V lo_times_exp = vec::fma(lo * r, q + V(0.5f), lo);
  return two_h +
         math::mul_add_exact(h, r, vec::fma(two_h * r, q, lo_times_exp));
}

// ---- the upper tail Q(a) ---------------------------------------------------

// Beyond this a, a Q(a) < 2^-151: gelu(x) is x or -0.
constexpr float gelu_tail_max = 14.5f;

// l2(v) = 2 L(v) / v for v in [0, 0.879] (a <= 14.5): degree 11 in
// w = v - 7/16, minimax on the absolute error of v l2 / 2, the exponent
// (poly::gelu_tail: 0.04 * 2^-24). At 7/16, l2 is 0.0008 ulp from a float,
// so c0 adds no error where nothing else can correct it. Evaluated as
// c0 + w S(w), S by Estrin, so that only the last step rounds at the size
// of l2.
template <class V>
VACT_INLINE V gelu_tail_log(V v) {
  const V w = v - V(0.4375f);  // exact for v >= 7/32
  const V s = math::estrin<1>(w, poly::gelu_tail);
  return vec::fma(s, w, V(poly::gelu_tail[0]));
}

// l2 to 0.0055 in the exponent, linearly (poly::gelu_tail_estimate): it
// picks the power of 2 while l2 is computed.
template <class V>
VACT_INLINE V gelu_tail_log_estimate(V v) {
  return math::horner(v, poly::gelu_tail_estimate);
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
  const split_float<V> d = fast_two_sum(V(2.0f), a);  // 2 + a exactly
  const V v = vec::div(a, d.hi);
  const V v_error = division_remainder(v, a, d);
  const V one_minus_v = V(1.0f) - v;
  const V l2 = gelu_tail_log(v);
  const split_float<V> a_squared = math::two_product(a, a);
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
  const V r = math::mul_add_exact(t.v, t.l2, t.e.r);
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
        vec::as_int(t.e.k) - vec::as_int(V(math::round_magic - 1.0f)) - I(1);
    const I half = n_minus_1 >> 1;
    return (y * math::pow2i<V>(half)) * math::pow2i<V>(n_minus_1 - half);
  }
}

// ---- pieces of gelu's derivative -------------------------------------------

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
  const split_float<V> h = split_product(
      a, split_float<V>{V(normal_density_zero_hi), V(normal_density_zero_lo)});
  const V lo = vec::fma(h.hi, e.small, h.lo + h.lo);
  return times_exp_half(h.hi, lo, e.r) * pow2_from_k<0>(e.k);
}

// gelu'(x) = (x - x0) P(t), t = x + 893/1024, for x in [-1.5, -0.3] around
// the zero x0 of gelu', where Phi(x) and x phi(x) cancel. P of degree 8
// (poly::gelu_derivative_zero: 0.13 * 2^-24); at the centre P is
// 0.0002 ulp from a float.
template <class V>
VACT_INLINE V gelu_derivative_near_zero(V x) {
  const V t = x + V(0x1.be8p-1f);  // 893/1024
  const V p = math::horner(t, poly::gelu_derivative_zero);
  // x - x0_hi is exact on [-1.5, -0.3]; one rounding for the product.
  return math::mul_add_exact(x - V(poly::gelu_derivative_x0_hi), p,
                             -(V(poly::gelu_derivative_x0_lo) * p));
}

}  // namespace detail

// gelu_tanh(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (PyTorch's
// approximate="tanh"), computed as x sigmoid(z), z = 2 sqrt(2/pi) (...).
// Keeps the sign of zero; gelu_tanh(-inf) = -0, (+inf) = +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu_tanh(V x) {
  // Past |x| = 20 the result is x or -0 in float; clamping keeps x^3 finite.
  return detail::times_logistic_within<detail::tiny_side::in_line>(
      x, 20.0f, [](V clamped) { return detail::gelu_tanh_argument(clamped); });
}
// gelu_tanh'(x) = s (1 + x (1 - s) z'(x)), s = sigmoid(z),
// z' = 2 sqrt(2/pi) (1 + 3 0.044715 x^2); 1 - s from the accurate side.
// The bracket cancels for x < 0 (by a third at x = -1.57, fully at the
// zero x0 = -0.75): x (1 - s) and z' are carried as hi + lo and the sum is
// exact, so s and one rounding are the only errors of note.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu_tanh_derivative(V x) {
  using math::split_float;
  const V clamped = vec::max(V(-20.0f), vec::min(V(20.0f), x));
  const split_float<V> z = detail::gelu_tanh_argument(clamped);
  const detail::logistic_sides<V> sides = detail::logistic_sides_of_split(z);
  // z' = c1 + 3 c3 x^2 as hi + lo.
  const split_float<V> x2 = math::two_product(clamped, clamped);
  const V c3_times_3(3.0f * detail::gelu_tanh_c3_hi);  // exact
  const split_float<V> cubic_slope = math::two_product(c3_times_3, x2.hi);
  const split_float<V> slope =
      math::two_sum(V(detail::gelu_tanh_c1_hi), cubic_slope.hi);
  const V slope_lo =
      slope.lo +
      vec::fma(c3_times_3, x2.lo,
               vec::fma(V(3.0f * detail::gelu_tanh_c3_lo), x2.hi,
                        cubic_slope.lo + V(detail::gelu_tanh_c1_lo)));
  // x (1 - s) z', then 1 + it.
  const split_float<V> p = detail::split_product(clamped, sides.one_minus_s);
  const split_float<V> k =
      detail::split_product(p, split_float<V>{slope.hi, slope_lo});
  const V y = detail::through_derivative_zero(
      x, detail::times_one_plus(sides.s, k),
      detail::gelu_tanh_derivative_window, poly::gelu_tanh_derivative_zero);
  // Below z = -60: s = e^z, 1 - s = 1.
  const V tiny = detail::with_tiny_side(z.hi, y, [clamped, slope, z] {
    return detail::times_tiny_exp(vec::fma(clamped, slope.hi, V(1.0f)), z);
  });
  // Past |x| = 20 the derivative is 0 or 1 in float.
  return vec::keep_nan(x,
                       vec::select(x < V(-20.0f), V(0.0f),
                                   vec::select(x > V(20.0f), V(1.0f), tiny)));
}

// quick_gelu(x) = x sigmoid(1.702 x), the sigmoid approximation of GELU
// (CLIP's QuickGELU), computed as gelu_tanh with z = 1.702 x. Keeps the
// sign of zero; quick_gelu(-inf) = -0, (+inf) = +inf.
template <class V, class Rare = detail::rare_paths::taken>
VACT_INLINE enable_if_float_vector_t<V> quick_gelu(V x, Rare rare = {}) {
  // Past |x| = 64 the result is x or -0 in float (64 e^-108.9 rounds to
  // -0); clamping keeps z finite.
  return detail::times_logistic_within<detail::tiny_side::branch>(
      x, 64.0f, [](V clamped) { return detail::quick_gelu_argument(clamped); },
      rare);
}
// quick_gelu'(x) = s (1 + z (1 - s)), s = sigmoid(z), z = 1.702 x: silu'
// at z. The bracket cancels for x < 0 as gelu_tanh''s does, so z (1 - s)
// is carried as hi + lo; around the zero, silu''s polynomial in
// u = z - z0 (u from z's hi and lo parts, the first difference exact).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> quick_gelu_derivative(V x) {
  using math::split_float;
  const V clamped = vec::max(V(-64.0f), vec::min(V(64.0f), x));
  const split_float<V> z = detail::quick_gelu_argument(clamped);
  const detail::logistic_sides<V> sides = detail::logistic_sides_of_split(z);
  const V y = detail::through_derivative_zero(
      z,
      detail::times_one_plus(sides.s,
                             detail::split_product(z, sides.one_minus_s)),
      detail::silu_derivative_window, poly::silu_derivative_zero);
  // Below z = -60: s = e^z, 1 - s = 1.
  const V tiny = detail::with_tiny_side(
      z.hi, y, [z] { return detail::times_tiny_exp(V(1.0f) + z.hi, z); });
  // Past |x| = 64 the derivative is 0 or 1 in float.
  return vec::keep_nan(x,
                       vec::select(x < V(-64.0f), V(0.0f),
                                   vec::select(x > V(64.0f), V(1.0f), tiny)));
}

// swish(x) = x sigmoid(beta x) for a finite beta (silu is beta = 1,
// quick_gelu beta = 1.702), with beta x exact as hi + lo (swish_argument):
// the main path below |beta x| = 60, x e^(beta x) beyond on the negative
// side. Keeps the sign of zero; at x = +-inf the limit: x where beta x > 0
// or beta = 0, else +-0.
template <class V, class Rare = detail::rare_paths::taken>
VACT_INLINE enable_if_float_vector_t<V> swish(V x, V beta, Rare rare = {}) {
  const V finite = detail::finite_part(x);
  const math::split_float<V> z = detail::swish_argument(x, finite, beta);
  // x sigmoid(z) rounded once, on the finite x; an infinite x is its own
  // limit wherever the main path holds (sigmoid(z) >= e^-60 there).
  const V y =
      vec::select(vec::abs(x) == V(std::numeric_limits<float>::infinity()), x,
                  detail::times_logistic_main_range(finite, z));
  return vec::keep_nan(
      x,
      detail::with_tiny_side(
          z.hi, y,
          [finite, z] { return detail::times_tiny_exp_any(finite, z); }, rare));
}
// swish'(x) = s (1 + z (1 - s)), s = sigmoid(z), z = beta x: silu' at z,
// computed as quick_gelu' is. swish'(+-inf) is its limit (1, 0 or 1/2).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> swish_derivative(V x, V beta) {
  const math::split_float<V> z =
      detail::swish_argument(x, detail::finite_part(x), beta);
  const detail::logistic_sides<V> sides = detail::logistic_sides_of_split(z);
  const V y = detail::through_derivative_zero(
      z,
      detail::times_one_plus(sides.s,
                             detail::split_product(z, sides.one_minus_s)),
      detail::silu_derivative_window, poly::silu_derivative_zero);
  // Below z = -60: s = e^z, 1 - s = 1.
  return vec::keep_nan(x, detail::with_tiny_side(z.hi, y, [z] {
                         return detail::times_tiny_exp(V(1.0f) + z.hi, z);
                       }));
}

// gelu(x) = x Phi(x) = x erfc(-x / sqrt 2) / 2 (PyTorch's exact GELU), for
// every float x, subnormal results included. Max error 1.50 ULP, 1.53 on
// sse2/sse4.1 (emulated FMA): every float in [-16, 16] checked, beyond it
// the results are x or -0. Same bits on every ISA with a fused FMA (the
// scalar adapter included). gelu(-0) = -0, gelu(+inf) = +inf,
// gelu(-inf) = -0, NaN -> quiet NaN; gelu(x) = x from x = 5.35 on (Phi(x)
// rounds to 1 from 5.42), -0 below x = -14.357.
template <class V, class Rare = detail::rare_paths::taken>
VACT_INLINE enable_if_float_vector_t<V> gelu(V x, Rare rare = {}) {
  const V a = vec::abs(x);
  // gelu = base - a Q(a): base is x for x >= 0 (and NaN), -0 for x < 0.
  const V base = vec::max(V(-0.0f), x);
  // Rare: subnormal or zero tails, huge or infinite x. NaN takes the fast
  // path: whatever it computes, base - tail is NaN.
  if (rare((a > V(13.0f)) | (a < V(0x1p-100f)))) {
    return base -
           detail::gelu_tail<false>(vec::min(V(detail::gelu_tail_max), a));
  }
  return base - detail::gelu_tail<true>(a);
}

// gelu'(x) = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi), for every
// float x: within 4 ULP, or 2^-24 absolute where |gelu'(x)| < 2^-22 (max
// 2.13 ULP, 2.75 on sse2/sse4.1, over every float in [-16, 16]).
// gelu'(+inf) = 1, gelu'(-inf) = 0, NaN -> quiet NaN; 0 below x = -10 and 1
// above x = 10 (the true values are within 1e-21 of these).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu_derivative(V x) {
  const V a = vec::min(V(10.0f), vec::abs(x));  // NaN stays NaN
  const detail::tail_parts<V> t = detail::make_tail_parts(a);
  // Q(a) - a phi(a): gelu'(x) for x < 0, 1 - gelu'(-x) for x >= 0.
  const V r = math::mul_add_exact(t.v, t.l2, t.e.r);
  const V difference =
      detail::upper_tail(t.v, t.v_error, t.one_minus_v, r, t.e.small, t.e.k) -
      detail::times_normal_density(a, t.a_squared.hi, t.a_squared.lo);
  const V lower = vec::select(vec::abs(x) > V(10.0f), V(0.0f), difference);
  const V result = vec::select(x < V(0.0f), lower, V(1.0f) - lower);
  const auto near_zero = (x >= V(-1.5f)) & (x <= V(-0.3f));
  return vec::keep_nan(
      x, vec::select(near_zero, detail::gelu_derivative_near_zero(x), result));
}

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ACTIVATIONS_GELU_HPP
