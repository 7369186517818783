// SPDX-License-Identifier: Apache-2.0
//
// Activations on one vector: vact::simd::<op>(x) and <op>_derivative(x) for
// x an xsimd::batch<float, Arch> (or the scalar ISA's one-lane adapter).
// These are the very functions the array API runs, so calling them inside
// your own SIMD loop (a GEMM epilogue, say) gives the same bits as
// vact_<op>_f32 on that ISA. Header-only, no global state.
//
// Each function's comment gives its formula and special values; the error
// bounds, measured by the test suite and the accuracy checker, are in the
// README's op table. NaN in gives a quiet NaN out, for every function:
// where the formula carries the NaN through by itself (exp(NaN) is NaN)
// nothing more is done, elsewhere vec::keep_nan restores it.
#ifndef VACT_SIMD_ACTIVATIONS_HPP
#define VACT_SIMD_ACTIVATIONS_HPP

#include <limits>

#include "vact/simd/math.hpp"

namespace vact {
namespace simd {

// PyTorch's SELU constants, rounded to float.
constexpr float selu_lambda = 0x1.0cfabep+0f;        // 1.0507009873554805
constexpr float selu_lambda_alpha = 0x1.c212ccp+0f;  // 1.7580993408473766

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

// ---- the tiny side
// -----------------------------------------------------------
//
// Below z = -60, e^z < 2^-86 and the formulas would form subnormal
// intermediates (squares, remainders, tails), which x86 CPUs run through
// microcode at a hundred times the cost. So the main path of each kernel
// clamps its argument to [-60, 60], where everything stays normal, and
// lanes below -60 take a path in which the result is x e^z to float
// precision, scaled by 2^64 so that it rounds once even when subnormal.

constexpr float tiny_below = -60.0f;

// x e^z for z = hi + lo (hi < -60): (x e^z 2^64) 2^-64, rounded once.
template <class V>
VACT_INLINE V times_tiny_exp(V x, math::split_float<V> z) {
  const math::split_float<V> e = math::exp_split_times_2_64(z.hi);
  const V e_lo = vec::fma(e.hi, z.lo, e.lo);  // e^(hi + lo) = e^hi (1 + lo)
  return vec::fma(x, e.hi, x * e_lo) * V(0x1p-64f);
}

// y, with the lanes where z < -60 replaced by tiny(): for a rare branch.
template <class V, class Tiny>
VACT_INLINE V with_tiny_side(V z, V y, Tiny tiny) {
  const auto below = z < V(tiny_below);
  if (!vec::any(below)) return y;
  return vec::select(below, tiny(), y);
}

// The main path's argument: z clamped to [-60, 60] (NaN passes).
template <class V>
VACT_INLINE V main_range(V z) {
  return vec::max(V(tiny_below), vec::min(V(-tiny_below), z));
}

// sigmoid(x) = 1 / (1 + e^-x) in [0, 1] (math::logistic); sigmoid(-inf) = 0,
// sigmoid(+inf) = 1; below -60 it is e^x, subnormal results included.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> sigmoid(V x) {
  const V z = main_range(x);  // sigmoid(60) = 1 already
  const V y = math::logistic(z, math::exp_split<true>(-vec::abs(z)));
  return with_tiny_side(x, y, [x] {
    return times_tiny_exp(V(1.0f), math::split_float<V>{x, V(0.0f)});
  });
}
// sigmoid'(x) = s (1 - s) with s = sigmoid(-|x|) <= 1/2 (symmetric, so
// both factors come from the accurate small side): 1 - s is split exactly
// into t + t_lo, and one FMA rounds the product. Below -60 in -|x|, it is
// e^-|x|.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> sigmoid_derivative(V x) {
  const V minus_a = -vec::abs(x);
  const V z = main_range(minus_a);
  const V s = math::logistic(z, math::exp_split<true>(z));
  const V t = V(1.0f) - s;
  const V t_lo = (V(1.0f) - t) - s;  // exact: 1 - s = t + t_lo
  const V y = vec::fma(s, t, s * t_lo);
  return with_tiny_side(minus_a, y, [minus_a] {
    return times_tiny_exp(V(1.0f), math::split_float<V>{minus_a, V(0.0f)});
  });
}

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
  const V d = V(1.0f) + e.hi;                    // 1 + E = d + d_lo
  const V d_lo = ((V(1.0f) - d) + e.hi) + e.lo;  // Fast2Sum: 1 >= E
  const V n = e.hi + e.hi;                       // 2E = n + 2 e.lo, exact
  const V q = vec::div(n, d);                    // a NaN x makes e NaN
  const V remainder =
      vec::fma(-q, d_lo, math::mul_add_exact(-q, d, n) + (e.lo + e.lo));
  // remainder / d, with 1/d = 1 - q/2 to the few bits a correction needs.
  const V correction = remainder * vec::fma(V(-0.5f), q, V(1.0f));
  const V one_minus_q = V(1.0f) - q;
  const V one_minus_q_lo = (V(1.0f) - one_minus_q) - q;  // exact
  const V large = one_minus_q + (one_minus_q_lo - correction);
  const V magnitude = vec::select(a < V(0.625f), math::tanh_small(a), large);
  return magnitude | vec::sign_bit(x);  // NaN takes `large`, which is NaN
}
// tanh'(x) = 1 - tanh(x)^2 = 4 sigmoid'(2x) (exact scalings; 2x = +-inf
// past 1.7e38 gives the right limit, 0).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> tanh_derivative(V x) {
  return V(4.0f) * sigmoid_derivative(V(2.0f) * x);
}

// elu(x) = x for x > 0, alpha (e^x - 1) otherwise; elu(-0) = -0 for
// alpha > 0, elu(-inf) = -alpha.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> elu(V x, V alpha) {
  // x >= 0 takes x itself: exact, and elu(-0) = -0.
  const V negative = alpha * math::expm1(x);  // NaN for NaN
  return vec::select(x >= V(0.0f), x, negative);
}
// elu'(x) = 1 for x > 0, alpha e^x otherwise.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> elu_derivative(V x, V alpha) {
  const V negative = alpha * math::exp(x);  // NaN for NaN
  return vec::select(x > V(0.0f), V(1.0f), negative);
}

// selu(x) = lambda x for x > 0, lambda alpha (e^x - 1) otherwise, with
// PyTorch's lambda and alpha; keeps the sign of zero.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> selu(V x) {
  const V negative = V(selu_lambda_alpha) * math::expm1(x);
  const V positive = V(selu_lambda) * x;  // keeps the sign of zero
  return vec::select(x >= V(0.0f), positive, negative);
}
// selu'(x) = lambda for x > 0, lambda alpha e^x otherwise.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> selu_derivative(V x) {
  const V negative = V(selu_lambda_alpha) * math::exp(x);
  return vec::select(x > V(0.0f), V(selu_lambda), negative);
}

// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|), without overflow
// and without a threshold shortcut; softplus(-inf) = 0, (+inf) = +inf.
// Below -60 it is e^x (log1p(E) = E to float precision).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softplus(V x) {
  const V e = math::exp<true>(-vec::abs(main_range(x)));
  const V positive_part = vec::max(x, V(0.0f));     // 0 or NaN for NaN
  const V y = positive_part + math::log1p_unit(e);  // e is NaN for NaN
  return with_tiny_side(x, y, [x] {
    return times_tiny_exp(V(1.0f), math::split_float<V>{x, V(0.0f)});
  });
}
// softplus'(x) = sigmoid(x).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softplus_derivative(V x) {
  return sigmoid(x);
}

// ---- the modern catalogue --------------------------------------------------

// Exact limits at infinity for products x f(x) whose factors meet 0 * inf.
template <class V>
VACT_INLINE V with_infinite_limits(V x, V finite, V at_minus_inf,
                                   V at_plus_inf) {
  const V inf(std::numeric_limits<float>::infinity());
  return vec::select(x == inf, at_plus_inf,
                     vec::select(x == -inf, at_minus_inf, finite));
}

// Near the zero x0 of a derivative its general formula cancels (1 + x (1 -
// s) ~ 0) and keeps only an absolute accuracy of a few 2^-26. There
// f'(x0 + u) = u Q(u), with u = (x - x0_hi) - x0_lo relative-accurate
// (x - x0_hi is exact) and Q a polynomial without zeros on the window
// (tools/fit_derivative_zeros.py: x0 as two floats, Q highest degree
// first), keeps relative accuracy through the zero. A rare branch.
struct derivative_zero {
  float x0_hi, x0_lo;  // x0 = x0_hi + x0_lo
  float u_min, u_max;  // the window, x0 + (u_min, u_max)
  const float* q;
  int q_size;
};

template <class V>
VACT_INLINE V through_derivative_zero(V x, V y, const derivative_zero& z) {
  const V u = (x - V(z.x0_hi)) - V(z.x0_lo);
  const auto inside = (u > V(z.u_min)) & (u < V(z.u_max));
  if (!vec::any(inside)) return y;
  V q(z.q[0]);
  for (int k = 1; k < z.q_size; ++k) q = vec::fma(q, u, V(z.q[k]));
  return vec::select(inside, u * q, y);
}

// Q of degree 7 for silu' around x0 = -1.2784645427610737951, window
// x0 + (-0.6, 0.45): 0.29 ULP with these coefficients.
constexpr float silu_derivative_q[] = {
    0x1.8e47c8p-13f, 0x1.9a3a0ap-11f, 0x1.005240p-13f, -0x1.b0d778p-8f,
    -0x1.f2cc2ep-7f, 0x1.353e64p-6f,  0x1.2c5632p-3f,  0x1.be1410p-3f};
constexpr derivative_zero silu_derivative_zero = {
    -0x1.474974p+0f, 0x1.bdf6fap-27f, -0.6f, 0.45f, silu_derivative_q, 8};

// Q of degree 11 for mish' around x0 = -1.1924312145154952121, window
// x0 + (-0.9, 0.45): 0.72 ULP with these coefficients.
constexpr float mish_derivative_q[] = {
    -0x1.8f2d82p-17f, -0x1.a338d6p-15f, -0x1.635e72p-15f, 0x1.079ec6p-12f,
    0x1.035516p-10f,  0x1.1e7dccp-10f,  -0x1.b8799ap-9f,  -0x1.0336c4p-6f,
    -0x1.4c223ap-6f,  0x1.574f12p-5f,   0x1.a34a26p-3f,   0x1.115accp-2f};
constexpr derivative_zero mish_derivative_zero = {
    -0x1.31432cp+0f, -0x1.a25b08p-29f, -0.9f, 0.45f, mish_derivative_q, 12};

// Q of degree 16 for gelu_tanh' around x0 = -0.75246142207101625849, window
// x0 + (-0.62, 0.3): 1.57 ULP with these coefficients.
constexpr float gelu_tanh_derivative_q[] = {
    -0x1.d4ddf8p-22f, -0x1.cd3a6cp-21f, 0x1.514ee0p-19f, 0x1.8c6516p-18f,
    -0x1.0bfd10p-16f, -0x1.2541d6p-15f, 0x1.0494c4p-13f, 0x1.14bfb2p-12f,
    -0x1.e63f2ep-11f, -0x1.3d8d64p-9f,  0x1.58c9eep-8f,  0x1.427996p-6f,
    -0x1.104a84p-6f,  -0x1.d2b774p-4f,  -0x1.029616p-6f, 0x1.8cd1a2p-2f,
    0x1.b8bacep-2f};
constexpr derivative_zero gelu_tanh_derivative_zero = {
    -0x1.8142a0p-1f, 0x1.85a06cp-27f, -0.62f, 0.3f, gelu_tanh_derivative_q, 17};

// silu(x) = x sigmoid(x); silu(-inf) = -0, keeps the sign of zero.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> silu(V x) {
  const V z = main_range(x);
  const V y = x * math::logistic(z, math::exp_split<true>(-vec::abs(z)));
  const V small = with_tiny_side(x, y, [x] {
    return times_tiny_exp(x, math::split_float<V>{x, V(0.0f)});
  });
  return with_infinite_limits(x, small, V(-0.0f), x);
}
// silu'(x) = s (1 + x (1 - s)), s = sigmoid(x), with 1 - s taken from the
// accurate small side so that x (1 - s) keeps its precision for large |x|.
// Below -60 it is e^x (1 + x).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> silu_derivative(V x) {
  const V z = main_range(x);
  const V minus_a = -vec::abs(z);
  const V small = math::logistic(minus_a, math::exp_split<true>(minus_a));
  const auto negative = z < V(0.0f);
  const V s = vec::select(negative, small, V(1.0f) - small);
  const V one_minus_s = vec::select(negative, V(1.0f) - small, small);
  const V y = through_derivative_zero(x, s * vec::fma(z, one_minus_s, V(1.0f)),
                                      silu_derivative_zero);
  const V tiny = with_tiny_side(x, y, [x] {
    return times_tiny_exp(V(1.0f) + x, math::split_float<V>{x, V(0.0f)});
  });
  return with_infinite_limits(x, tiny, V(0.0f), V(1.0f));
}

namespace math {
// 2 sqrt(2/pi) and 2 sqrt(2/pi) 0.044715 (PyTorch's gelu_tanh constants,
// doubled because 0.5 (1 + tanh(u)) = sigmoid(2u)), each as hi + lo.
constexpr float gelu_tanh_c1_hi = 0x1.988454p+0f;
constexpr float gelu_tanh_c1_lo = -0x1.857936p-25f;
constexpr float gelu_tanh_c3_hi = 0x1.2444f2p-4f;
constexpr float gelu_tanh_c3_lo = 0x1.49b16ap-29f;

// z = 2 sqrt(2/pi) (x + 0.044715 x^3) as hi + lo. sigmoid(z) needs z to
// better than float precision once |z| is large (its relative error grows
// like |z| times z's), hence the exact products.
template <class V>
VACT_INLINE split_float<V> gelu_tanh_argument(V x) {
  const split_float<V> x2 = two_product(x, x);
  const split_float<V> x3 = two_product(x2.hi, x);
  const V x3_lo = vec::fma(x2.lo, x, x3.lo);
  const split_float<V> linear = two_product(V(gelu_tanh_c1_hi), x);
  const split_float<V> cubic = two_product(V(gelu_tanh_c3_hi), x3.hi);
  const split_float<V> z = two_sum(linear.hi, cubic.hi);
  const V linear_lo = vec::fma(V(gelu_tanh_c1_lo), x, linear.lo);
  const V cubic_lo = vec::fma(V(gelu_tanh_c3_lo), x3.hi,
                              vec::fma(V(gelu_tanh_c3_hi), x3_lo, cubic.lo));
  return {z.hi, z.lo + (linear_lo + cubic_lo)};
}

// e^-|z| for z = hi + lo, as hi + lo: e^-|hi| (1 -+ lo).
template <class V>
VACT_INLINE split_float<V> exp_minus_abs(split_float<V> z) {
  split_float<V> e = exp_split<true>(-vec::abs(z.hi));
  const V toward_zero = vec::select(z.hi < V(0.0f), z.lo, -z.lo);
  e.lo = vec::fma(e.hi, toward_zero, e.lo);
  return e;
}
}  // namespace math

// gelu_tanh(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (PyTorch's
// approximate="tanh"), computed as x sigmoid(z), z = 2 sqrt(2/pi) (...).
// Keeps the sign of zero; gelu_tanh(-inf) = -0, (+inf) = +inf.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu_tanh(V x) {
  // Past |x| = 20 the result is x or -0 in float; clamping keeps x^3 finite.
  const V clamped = vec::max(V(-20.0f), vec::min(V(20.0f), x));
  const math::split_float<V> z = math::gelu_tanh_argument(clamped);
  const math::split_float<V> main{main_range(z.hi), z.lo};
  const V y = x * math::logistic(main.hi, math::exp_minus_abs(main));
  const V small =
      with_tiny_side(z.hi, y, [x, z] { return times_tiny_exp(x, z); });
  return vec::select(x < V(-20.0f), V(-0.0f), small);
}
// gelu_tanh'(x) = s (1 + x (1 - s) z'(x)), s = sigmoid(z),
// z' = 2 sqrt(2/pi) (1 + 3 0.044715 x^2); 1 - s from the accurate side.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu_tanh_derivative(V x) {
  const V clamped = vec::max(V(-20.0f), vec::min(V(20.0f), x));
  const math::split_float<V> z = math::gelu_tanh_argument(clamped);
  const math::split_float<V> main{main_range(z.hi), z.lo};
  const V small = math::logistic(-vec::abs(main.hi), math::exp_minus_abs(main));
  const auto negative = main.hi < V(0.0f);
  const V s = vec::select(negative, small, V(1.0f) - small);
  const V one_minus_s = vec::select(negative, V(1.0f) - small, small);
  const V slope = vec::fma(V(3.0f * math::gelu_tanh_c3_hi), clamped * clamped,
                           V(math::gelu_tanh_c1_hi));
  const V y = through_derivative_zero(
      x, s * vec::fma(clamped * one_minus_s, slope, V(1.0f)),
      gelu_tanh_derivative_zero);
  // Below z = -60: s = e^z, 1 - s = 1.
  const V tiny = with_tiny_side(z.hi, y, [clamped, slope, z] {
    return times_tiny_exp(vec::fma(clamped, slope, V(1.0f)), z);
  });
  // Past |x| = 20 the derivative is 0 or 1 in float.
  return vec::select(x < V(-20.0f), V(0.0f),
                     vec::select(x > V(20.0f), V(1.0f), tiny));
}

// mish(x) = x tanh(softplus(x)). With E = e^-|x|, tanh(softplus(x)) is
// (1 + 2E) / (1 + 2E + 2E^2) for x >= 0 and E (E + 2) / (E (E + 2) + 2) for
// x < 0: no overflow, and the small side keeps relative accuracy. Keeps the
// sign of zero; mish(-inf) = -0, mish(+inf) = +inf. Below -60 it is x e^x.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> mish(V x) {
  const math::split_float<V> e =
      math::exp_split<true>(-vec::abs(main_range(x)));
  // x >= 0: tanh(softplus(x)) = 1 - w, w = 2E^2 / (1 + 2E + 2E^2). From
  // x = 27.7 on (E < 2^-40) x w is far below half an ULP of x: flooring E
  // there changes nothing and keeps E^2 normal.
  const V e_floor = vec::max(e.hi, V(0x1p-40f));
  const V two_e2 = V(2.0f) * (e_floor * e_floor);
  const V w = vec::div(two_e2, vec::fma(V(2.0f), e_floor, V(1.0f)) + two_e2);
  const V positive = vec::fma(-x, w, x);
  // x < 0: tanh(softplus(x)) = E (E + 2) / (E^2 + 2E + 2) = E (1 - u) with
  // u = (E + E^2) / (E^2 + 2E + 2) <= 0.4: x E is formed exactly and 1 - u
  // is small-error even where E is tiny (u ~ E / 2).
  const V t = vec::fma(e.hi, e.hi, V(2.0f) * e.hi);  // E^2 + 2E
  const V u = vec::div(vec::fma(e.hi, e.hi, e.hi), t + V(2.0f));
  const V r = V(1.0f) - u;
  const math::split_float<V> xe = math::two_product(x, e.hi);
  const V negative = vec::fma(xe.hi, r, vec::fma(x, e.lo, xe.lo) * r);
  const V y = vec::select(x < V(0.0f), negative, positive);
  const V small = with_tiny_side(x, y, [x] {
    return times_tiny_exp(x, math::split_float<V>{x, V(0.0f)});
  });
  return with_infinite_limits(x, small, V(-0.0f), x);
}
// mish'(x) = q + x sigmoid(x) (1 - q^2), q = tanh(softplus(x)), with
// 1 - q^2 = (1 - q)(1 + q) and 1 - q from the same small-side formulas.
// Below -60 it is e^x (1 + x).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> mish_derivative(V x) {
  const V z = main_range(x);
  const math::split_float<V> e = math::exp_split<true>(-vec::abs(z));
  const auto is_negative = z < V(0.0f);
  const V e_floor = vec::max(e.hi, V(0x1p-40f));  // as in mish
  const V two_e2 = V(2.0f) * (e_floor * e_floor);
  const V positive_den = vec::fma(V(2.0f), e_floor, V(1.0f)) + two_e2;
  const V t = vec::fma(e.hi, e.hi, V(2.0f) * e.hi);
  // 1 - q: 2E^2 / (1 + 2E + 2E^2) for x >= 0, 2 / (t + 2) for x < 0; there
  // q = t / (t + 2) = t (1 - q) / 2 itself, not 1 - (1 - q), which cancels.
  const V one_minus_q =
      vec::div(vec::select(is_negative, V(2.0f), two_e2),
               vec::select(is_negative, t + V(2.0f), positive_den));
  const V q = vec::select(is_negative, t * one_minus_q * V(0.5f),
                          V(1.0f) - one_minus_q);
  const V s = math::logistic(z, e);
  const V y = through_derivative_zero(
      x, vec::fma(z * s, one_minus_q * (V(1.0f) + q), q), mish_derivative_zero);
  const V tiny = with_tiny_side(x, y, [x] {
    return times_tiny_exp(V(1.0f) + x, math::split_float<V>{x, V(0.0f)});
  });
  return with_infinite_limits(x, tiny, V(0.0f), V(1.0f));
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
  const V sixth_hi(0x1.555556p-3f), sixth_lo(-0x1.555556p-28f);
  const V ramp =
      vec::fma(p.hi, sixth_hi, vec::fma(p.hi, sixth_lo, p.lo * sixth_hi));
  return vec::select(x >= V(3.0f), x,
                     vec::select(x <= V(-3.0f), V(-0.0f), ramp));
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
  const V d = V(1.0f) + a;
  const V q = vec::div(a, d);
  const V d_lo = (V(1.0f) - d) + a;  // exact for a < 1 (Fast2Sum)
  const V remainder = vec::fma(-q, d_lo, math::mul_add_exact(-q, d, a));
  const V small = vec::fma(remainder, V(1.0f) - q, q);  // 1/d = 1 - q
  const V large = V(1.0f) - vec::div(V(1.0f), d);
  return vec::select(a < V(1.0f), small, large) | vec::sign_bit(x);
}
// softsign'(x) = 1 / (1 + |x|)^2, as r * r with r = 1 / (1 + |x|) so that
// it underflows gracefully instead of overflowing in the square.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softsign_derivative(V x) {
  const V r = vec::div(V(1.0f), V(1.0f) + vec::abs(x));
  return r * r;
}

// leaky_relu(x) = x for x >= 0, slope x otherwise: exact (one rounding),
// keeps the sign of zero.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> leaky_relu(V x, V slope) {
  return vec::select(x >= V(0.0f), x, slope * x);  // NaN: slope * NaN
}
// leaky_relu'(x) = 1 for x > 0, slope otherwise (PyTorch).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> leaky_relu_derivative(V x, V slope) {
  return vec::keep_nan(x, vec::select(x > V(0.0f), V(1.0f), slope));
}

}  // namespace simd
}  // namespace vact

// gelu and gelu_derivative (the exact, erf-based GELU).
#include "vact/simd/gelu.hpp"

#endif  // VACT_SIMD_ACTIVATIONS_HPP
