// SPDX-License-Identifier: Apache-2.0
//
// The fast tier's own kernels: vact::simd::fast::<op>(x) for the
// transcendental ops whose row in vact/ops.def says `own`. Within
// max(4 ULP, 2^-30) of f(x) (absolute), where the precise kernels keep
// 1-2 ULP down to the subnormals: one fast exponential (fast/exp.hpp), at
// most one division, no hi + lo chains except where the function's
// condition demands them (the argument of gelu_tanh and quick_gelu, whose
// error e^z multiplies by |z|), no rare branches.
//
// The shape rules are the precise tier's: ranges, exact limits at +-inf,
// the sign of zero, and a NaN input gives that NaN quieted (vec::keep_nan,
// the last step of each kernel, so that no clamp can lose it). The bits
// are the same on every FMA ISA: the same operations in the same order,
// correctly rounded division, no estimates.
#ifndef VACT_SIMD_FAST_ACTIVATIONS_HPP
#define VACT_SIMD_FAST_ACTIVATIONS_HPP

#include "vact/simd/activations/elu.hpp"
#include "vact/simd/activations/gelu.hpp"
#include "vact/simd/fast/exp.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace fast {
namespace detail {

// sigmoid(z) from z's sign and e = e^-|z|: f = e / (1 + e) is the small
// side sigmoid(-|z|), accurate down to 2^-126; the large side 1 - f loses
// nothing (f <= 1/2, so 1 - f is at least 1/2 and rounds once). At z = +-0
// both sides are 1/2, so z's sign bit picks.
template <class V>
VACT_INLINE V logistic_of(V z, V e) {
  const V f = vec::div(e, V(1.0f) + e);
  return vec::select_on_sign_or_complement(z, f);
}

// sigmoid(z) for a float z (NaN passes).
template <class V>
VACT_INLINE V logistic(V z) {
  return logistic_of(z, exp_nonpositive(vec::minus_abs(z)));
}

// sigmoid(z) for z = hi + lo: e^-|z| = e^-|hi| (1 - sign(hi) lo).
template <class V>
VACT_INLINE V logistic(math::split_float<V> z) {
  const V e = exp_nonpositive(vec::minus_abs(z.hi));
  const V toward_zero = vec::select_on_sign(z.hi, z.lo, -z.lo);  // lo = 0 at 0
  return logistic_of(z.hi, vec::fma(e, toward_zero, e));
}

// Where x f(x) has f(x) = 0 to float precision (x <= -x_floor): x is
// clamped to -x_floor there, so that x f(x) is -0, not -inf * 0.
template <class V>
VACT_INLINE V floored(V x, float x_floor) {
  return vec::max(V(-x_floor), x);
}

// x sigmoid(z(x)) for z = argument(x) as hi + lo, x clamped to
// [-x_limit, x_limit] for the argument (its cube stays finite) and floored
// at -x_limit for the product, past which sigmoid(z) is 0 or 1 exactly.
template <class V, class Argument>
VACT_INLINE V times_logistic_of(V x, float x_limit, Argument argument) {
  const V x_floored = floored(x, x_limit);
  const math::split_float<V> z = argument(vec::min(x_floored, V(x_limit)));
  return vec::keep_nan(x, x_floored * logistic(z));
}

// 1/3, 1/5, ..., 1/13: log1p(e) = 2 atanh(w) = 2w (1 + t Q(t)), w =
// e / (2 + e), t = w^2 <= 1/9 for e in [0, 1]. The series' first omitted
// term, t^7 / 15 <= 1.4e-8 (0.23 ULP), bounds the truncation.
constexpr float atanh_series[] = {1.0f / 3, 1.0f / 5,  1.0f / 7,
                                  1.0f / 9, 1.0f / 11, 1.0f / 13};

}  // namespace detail

// sigmoid(x) = 1 / (1 + e^-x) in [0, 1]; exactly 0 from x = -87.68 on
// (below 1.2e-38), 1 at +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> sigmoid(V x) {
  const V e =
      detail::exp_nonpositive<detail::table_error::kept>(vec::minus_abs(x));
  return vec::keep_nan(x, detail::logistic_of(x, e));
}

// silu(x) = x sigmoid(x); keeps the sign of zero, silu(-inf) = -0.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> silu(V x) {
  return vec::keep_nan(x, detail::floored(x, 88.0f) * detail::logistic(x));
}

// tanh(x) = E / (1 + E), E = (e^2|x| - 1) / 2 (detail::half_expm1), with
// x's sign: odd, keeps -0, no cancellation near 0. From |x| = 10 on it is
// +-1 (tanh rounds to 1 from 9.01).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> tanh(V x) {
  const V a = vec::min(vec::abs(x), V(10.0f));
  const V e = detail::half_expm1(a + a);
  const V magnitude = vec::div(e, V(1.0f) + e);
  return vec::keep_nan(x, magnitude | vec::sign_bit(x));
}

// softcap(x) = cap tanh(x / cap) as the precise tier computes it (x / cap
// corrected by its exact remainder), with the fast tanh.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softcap(V x, V cap) {
  return simd::detail::capped_tanh(x, cap, [](V t) { return fast::tanh(t); });
}

// elu(x) = x for x >= 0 (keeps -0), alpha (e^x - 1) otherwise.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> elu(V x, V alpha) {
  const V negative = alpha * detail::expm1_nonpositive(x);
  return vec::nonnegative_or(x, negative);
}

// selu(x) = lambda x for x >= 0 (rounded once, keeps -0), lambda alpha
// (e^x - 1) otherwise; PyTorch's constants.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> selu(V x) {
  namespace precise = simd::detail;
  const V negative =
      V(precise::selu_lambda_alpha) * detail::expm1_nonpositive(x);
  const V positive =
      vec::fma(V(precise::selu_lambda_hi), x, V(precise::selu_lambda_lo) * x);
  return vec::keep_nan(x, vec::select(x >= V(0.0f), positive, negative));
}

// softplus(x) = max(x, 0) + log1p(e^-|x|), log1p as 2 atanh(e / (2 + e))
// (detail::atanh_series): no cancellation, one division. softplus(-inf)
// = 0, (+inf) = +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softplus(V x) {
  const V e = detail::exp_nonpositive(vec::minus_abs(x));
  const V w = vec::div(e, V(2.0f) + e);
  const V two_w = w + w;
  const V t = w * w;
  const V log1p_e =
      vec::fma(two_w, t * math::horner(t, detail::atanh_series), two_w);
  return vec::keep_nan(x, vec::max(x, V(0.0f)) + log1p_e);
}

// mish(x) = x tanh(softplus(x)) = x N / D with E = e^-|x|: N = E (E + 2),
// D = N + 2 for x < 0; N = 1 + 2E, D = N + 2E^2 for x >= 0 (no overflow,
// no cancellation; at x = +-0 both give 3 / 5, so x's sign bit picks).
// Keeps the sign of zero; mish(-inf) = -0.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> mish(V x) {
  const V e = detail::exp_nonpositive(vec::minus_abs(x));
  const V two_e = e + e;
  const V n = vec::select_on_sign(x, vec::fma(e, e, two_e), V(1.0f) + two_e);
  const V d = vec::select_on_sign(x, n + V(2.0f), vec::fma(two_e, e, n));
  return vec::keep_nan(x, vec::div(detail::floored(x, 100.0f) * n, d));
}

// gelu_tanh(x) = x sigmoid(z), z = 2 sqrt(2/pi) (x + 0.044715 x^3) as
// hi + lo (the precise tier's argument: sigmoid(z)'s relative error is
// |z| times z's, up to 25 where results still exceed 2^-30). Keeps the
// sign of zero; gelu_tanh(-inf) = -0, (+inf) = +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu_tanh(V x) {
  return detail::times_logistic_of(x, 30.0f, [](V clamped) {
    return simd::detail::gelu_tanh_argument(clamped);
  });
}

// quick_gelu(x) = x sigmoid(1.702 x), 1.702 x as hi + lo (see gelu_tanh).
// Keeps the sign of zero; quick_gelu(-inf) = -0, (+inf) = +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> quick_gelu(V x) {
  return detail::times_logistic_of(x, 60.0f, [](V clamped) {
    return simd::detail::quick_gelu_argument(clamped);
  });
}

// swish(x) = x sigmoid(beta x), beta x as hi + lo (the precise tier's
// swish_argument: sigmoid(z)'s relative error is |z| times z's). Keeps the
// sign of zero; at x = +-inf the precise tier's limits. The fast bound
// needs |beta| >= 2^-89 (or beta = 0): below, x e^(beta x) can exceed 2^-30
// for |x| > 2^96 where the fast exponential has flushed e^(beta x) to 0.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> swish(V x, V beta) {
  const V finite = simd::detail::finite_part(x);
  const math::split_float<V> z = simd::detail::swish_argument(x, finite, beta);
  // Where sigmoid(z) may be 0 (z < 0) the finite x: +-inf * 0 would be NaN.
  const V factor = vec::select(z.hi < V(0.0f), finite, x);
  return vec::keep_nan(x, factor * detail::logistic(z));
}

namespace detail {

// gelu's upper tail a Q(a) = v e^(-a^2/2 + v S(w)), v = a / (2 + a),
// w = v - 2/5: the precise tier's form (activations/gelu.hpp), with S fitted
// to the fast bound rather than to 0.04 ULP. Where the result may lose
// relative accuracy (a Q(a) below 2^-8 for x < 0, or below 4 ulp(x) next
// to x for x > 0) S only has to keep the 2^-30 floor, so degree 7 does
// (tools/fit_fast_gelu.py: 0.07 * 2^-24 in the exponent where relative
// accuracy counts, weighted as the fast bound weighs it; 0.5 as evaluated
// in float).
constexpr float fast_gelu_tail_centre = 0.4f;
constexpr float fast_gelu_tail[] = {
    -0x1.823232p-1f, -0x1.9cdd1ap-2f, 0x1.d0988cp-5f,  0x1.f954fcp-3f,
    0x1.34214ap-3f,  -0x1.204c02p-4f, -0x1.9c2448p-3f, -0x1.0def48p-3f};
// a is clamped here: e^(-a^2/2) is then 0 (the exponential's clamp), so
// gelu is x or -0 from |x| = 13.2 on, as it is to float precision.
constexpr float fast_gelu_tail_limit = 13.5f;

// S(w) ~= e0 + e1 v + e2 v^2 within 0.0014 (times v, in the exponent): it
// picks the power of 2 while S is evaluated, off the critical path; r
// then reaches 0.0231 instead of 0.0217.
constexpr float fast_gelu_tail_estimate[] = {-0x1.220f96p-1f, -0x1.1bba10p-1f,
                                             0x1.874d10p-3f};

// a Q(a) = v e for a in [0, 13.5] (0 from about 13.2 on), as its factors.
template <class V>
struct tail_factors {
  V v, e;
};
template <class V>
VACT_INLINE tail_factors<V> gelu_tail(V a) {
  const V v = vec::div(a, V(2.0f) + a);
  // -a^2/2 = hi + lo exactly.
  const math::split_float<V> minus_half_square =
      math::two_product(a * V(-0.5f), a);
  // The exponent's nearest m/16 ln(2) from its estimate, clamped as
  // exp_nonpositive's argument is; r from the exact pieces, v S added by an
  // FMA at r's small size rather than rounded at |v S| <= 0.92.
  const V estimate = vec::max(
      V(exp_clamp), vec::fma(v, math::horner(v, fast_gelu_tail_estimate),
                             minus_half_square.hi));
  const math::sixteenths<V> m = math::nearest_sixteenths(estimate);
  const V r_hi =
      vec::fma(m.value, V(-math::ln2_sixteenth_hi), minus_half_square.hi);
  const V r_lo =
      vec::fma(m.value, V(-math::ln2_sixteenth_lo), minus_half_square.lo);
  const V s = math::estrin(v - V(fast_gelu_tail_centre), fast_gelu_tail);
  const V r = vec::fma(v, s, r_hi) + r_lo;
  // 2^(m/16) from m itself rather than from k's bits as exp_nonpositive
  // does (scaled_by_sixteenths): the same bits, and in this long, spilled
  // loop GCC 12's schedule of the shorter form ran 8% slower on avx2 (TSC
  // minima at n = 16,384; two other arrangements 6% and 15%).
  const V table = vec::lookup16(math::exp2_sixteenths, m.m);
  const V scale = vec::as_float(vec::as_int(table) + ((m.m >> 4) << 23));
  return {v, vec::fma(scale, expm1_sixteenth(r), scale)};
}

}  // namespace detail

// gelu(x) = x Phi(x): x - a Q(a) for x >= 0, -a Q(a) for x < 0 (a = |x|,
// no 1 + erf to cancel). Keeps the sign of zero; gelu(-inf) = -0, (+inf)
// = +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu(V x) {
  const V a = vec::min(vec::abs(x), V(detail::fast_gelu_tail_limit));
  const detail::tail_factors<V> tail = detail::gelu_tail(a);
  // max(x, 0) - v e, rounded once, has x's sign once the sign bit is ORed
  // in: -0 where the tail is 0 for x <= -0.
  const V y = vec::fnma(tail.v, tail.e, vec::max(x, V(0.0f))) | (x & V(-0.0f));
  return vec::keep_nan(x, y);
}

}  // namespace fast
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_FAST_ACTIVATIONS_HPP
