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
// lambda = selu_lambda_hi + selu_lambda_lo to 2^-48, both parts positive (hi
// is lambda rounded down), for the product lambda x rounded once.
constexpr float selu_lambda_hi = 0x1.0cfabcp+0f;
constexpr float selu_lambda_lo = 0x1.6a9114p-24f;

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
  // lambda x rounded once: the float lambda alone is 0.55 ULP off, and
  // near FLT_MAX its product overflows where the exact one does not. lo > 0
  // keeps the sign of zero (lo x is a zero of x's sign).
  const V positive = vec::fma(V(selu_lambda_hi), x, V(selu_lambda_lo) * x);
  return vec::select(x >= V(0.0f), positive, negative);
}
// selu'(x) = lambda for x > 0, lambda alpha e^x otherwise.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> selu_derivative(V x) {
  const V negative = V(selu_lambda_alpha) * math::exp(x);
  return vec::select(x > V(0.0f), V(selu_lambda), negative);
}

// softplus(x) = log(1 + e^x), without overflow and without a threshold
// shortcut; softplus(-inf) = 0, (+inf) = +inf. Monotone over consecutive
// floats, which max(x, 0) + log1p(e^-|x|) alone is not near 0: there x's
// steps are smaller than the rounding noise of the log. So below |x| = 1 it
// is ln 2 + x/2 + log(cosh(x/2)) (ln 2 as hi + lo), each step a monotone
// rounding and the even part's noise far below the steps of x/2; from 1 on
// max(x, 0) + log1p(E),
// E = e^-|x| as hi + lo. Below -60 it is e^x.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softplus(V x) {
  const math::split_float<V> e =
      math::exp_split<true>(-vec::abs(main_range(x)));
  const V far = vec::max(x, V(0.0f)) + math::log1p_unit(e);  // NaN for NaN
  const V near = V(math::ln2_hi) +
                 vec::fma(x, V(0.5f), V(math::ln2_lo) + math::log_cosh_half(x));
  const V y = vec::select(vec::abs(x) < V(1.0f), near, far);
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

// Q of degree 16 for gelu_tanh' around x0 = -0.75246142207101625849, fitted
// on x0 + (-0.62, 0.3) (1.57 ULP with these coefficients, 2.4 as evaluated
// in float). Used on x0 + (-0.2, 0.2) only: outside it the general formula,
// whose bracket is carried as hi + lo, is within 2.2 ULP.
constexpr float gelu_tanh_derivative_q[] = {
    -0x1.d4ddf8p-22f, -0x1.cd3a6cp-21f, 0x1.514ee0p-19f, 0x1.8c6516p-18f,
    -0x1.0bfd10p-16f, -0x1.2541d6p-15f, 0x1.0494c4p-13f, 0x1.14bfb2p-12f,
    -0x1.e63f2ep-11f, -0x1.3d8d64p-9f,  0x1.58c9eep-8f,  0x1.427996p-6f,
    -0x1.104a84p-6f,  -0x1.d2b774p-4f,  -0x1.029616p-6f, 0x1.8cd1a2p-2f,
    0x1.b8bacep-2f};
constexpr derivative_zero gelu_tanh_derivative_zero = {
    -0x1.8142a0p-1f, 0x1.85a06cp-27f, -0.2f, 0.2f, gelu_tanh_derivative_q, 17};

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
// The bracket cancels for x < 0 (by a third at x = -1.57, fully at the
// zero x0 = -0.75): x (1 - s) and z' are carried as hi + lo and the sum is
// exact, so s and one rounding are the only errors of note.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> gelu_tanh_derivative(V x) {
  using math::split_float;
  const V clamped = vec::max(V(-20.0f), vec::min(V(20.0f), x));
  const split_float<V> z = math::gelu_tanh_argument(clamped);
  const split_float<V> main{main_range(z.hi), z.lo};
  const V small = math::logistic(-vec::abs(main.hi), math::exp_minus_abs(main));
  const auto negative = main.hi < V(0.0f);
  const V large = V(1.0f) - small;
  const V large_lo = (V(1.0f) - large) - small;  // exact: small <= 1/2
  const V s = vec::select(negative, small, large);
  const V one_minus_s = vec::select(negative, large, small);
  const V one_minus_s_lo = vec::select(negative, large_lo, V(0.0f));
  // z' = c1 + 3 c3 x^2 as hi + lo.
  const split_float<V> x2 = math::two_product(clamped, clamped);
  const V c3_times_3(3.0f * math::gelu_tanh_c3_hi);  // exact
  const split_float<V> cubic_slope = math::two_product(c3_times_3, x2.hi);
  const split_float<V> slope =
      math::two_sum(V(math::gelu_tanh_c1_hi), cubic_slope.hi);
  const V slope_lo =
      slope.lo + vec::fma(c3_times_3, x2.lo,
                          vec::fma(V(3.0f * math::gelu_tanh_c3_lo), x2.hi,
                                   cubic_slope.lo + V(math::gelu_tanh_c1_lo)));
  // x (1 - s) z', then 1 + it.
  const split_float<V> p = math::two_product(clamped, one_minus_s);
  const V p_lo = vec::fma(clamped, one_minus_s_lo, p.lo);
  const split_float<V> k = math::two_product(p.hi, slope.hi);
  const V k_lo = vec::fma(p.hi, slope_lo, vec::fma(p_lo, slope.hi, k.lo));
  const split_float<V> bracket = math::two_sum(V(1.0f), k.hi);
  const V y = through_derivative_zero(
      x, vec::fma(s, bracket.hi, s * (bracket.lo + k_lo)),
      gelu_tanh_derivative_zero);
  // Below z = -60: s = e^z, 1 - s = 1.
  const V tiny = with_tiny_side(z.hi, y, [clamped, slope, z] {
    return times_tiny_exp(vec::fma(clamped, slope.hi, V(1.0f)), z);
  });
  // Past |x| = 20 the derivative is 0 or 1 in float.
  return vec::select(x < V(-20.0f), V(0.0f),
                     vec::select(x > V(20.0f), V(1.0f), tiny));
}

namespace math {
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
  const V n_pos = V(1.0f) + two_f;
  const V n_pos_lo = ((V(1.0f) - n_pos) + two_f) + (e.lo + e.lo);
  const split_float<V> two_f2 = two_product(f, two_f);
  const V d_pos = n_pos + two_f2.hi;
  const V d_pos_lo = ((n_pos - d_pos) + two_f2.hi) +
                     (vec::fma(V(4.0f) * f, e.lo, two_f2.lo) + n_pos_lo);
  // x < 0.
  const V n_neg = V(2.0f) + e.hi;
  const V n_neg_lo = ((V(2.0f) - n_neg) + e.hi) + e.lo;
  const split_float<V> en = two_product(e.hi, n_neg);
  const V d_neg = V(2.0f) + en.hi;
  const V d_neg_lo = ((V(2.0f) - d_neg) + en.hi) +
                     (vec::fma(e.hi, n_neg_lo, e.lo * n_neg) + en.lo);
  return {{vec::select(negative, n_neg, n_pos),
           vec::select(negative, n_neg_lo, n_pos_lo)},
          {vec::select(negative, d_neg, d_pos),
           vec::select(negative, d_neg_lo, d_pos_lo)},
          two_f2};
}
}  // namespace math

// mish(x) = x tanh(softplus(x)) = x F N / D (math::mish_fraction_of) with
// the quotient corrected (math::divide_split) and x E carried as hi + lo,
// so that the final product is the only rounding of note. Keeps the sign
// of zero; mish(-inf) = -0, mish(+inf) = +inf. Below -60 it is x e^x.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> mish(V x) {
  using math::split_float;
  const split_float<V> e = math::exp_split<true>(-vec::abs(main_range(x)));
  const auto negative = x < V(0.0f);
  const math::mish_fraction<V> t = math::mish_fraction_of(e, negative);
  const split_float<V> q = math::divide_split(t.n, t.d);
  // The factor in front: x E (hi + lo) for x < 0, x itself for x >= 0.
  const split_float<V> xe = math::two_product(x, e.hi);
  const V m = vec::select(negative, xe.hi, x);
  const V m_lo = vec::select(negative, vec::fma(x, e.lo, xe.lo), V(0.0f));
  const V y = vec::fma(m, q.hi, vec::fma(m, q.lo, m_lo * q.hi));
  const V small = with_tiny_side(x, y, [x] {
    return times_tiny_exp(x, split_float<V>{x, V(0.0f)});
  });
  const V finite = vec::select(x == V(0.0f), x, small);  // keeps -0
  return with_infinite_limits(x, finite, V(-0.0f), x);
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
  const V z = main_range(x);
  const split_float<V> e = math::exp_split<true>(-vec::abs(z));
  const auto negative = z < V(0.0f);
  const math::mish_fraction<V> t = math::mish_fraction_of(e, negative);
  // 1 + E (Fast2Sum), then H (1 + E).
  const V one_plus_e = V(1.0f) + e.hi;
  const V one_plus_e_lo = ((V(1.0f) - one_plus_e) + e.hi) + e.lo;
  const split_float<V> h = math::two_product(t.two_e2.hi, one_plus_e);
  const V h_lo = vec::fma(t.two_e2.hi, one_plus_e_lo,
                          vec::fma(t.two_e2.lo, one_plus_e, h.lo));
  // 4 x H (1 + E) = (4x) (1 + E) for x < 0, (2x) (2E^2 (1 + E)) for x >= 0.
  const V k_factor = vec::select(negative, V(4.0f) * z, V(2.0f) * z);
  const V k_hi_in = vec::select(negative, one_plus_e, h.hi);
  const V k_lo_in = vec::select(negative, one_plus_e_lo, h_lo);
  const split_float<V> k = math::two_product(k_factor, k_hi_in);
  const V k_lo = vec::fma(k_factor, k_lo_in, k.lo);
  // N D + K and D^2, each as hi + lo.
  const split_float<V> nd = math::two_product(t.n.hi, t.d.hi);
  const V nd_lo = vec::fma(t.n.hi, t.d.lo, vec::fma(t.n.lo, t.d.hi, nd.lo));
  const split_float<V> bracket = math::two_sum(nd.hi, k.hi);
  const V bracket_lo = bracket.lo + (nd_lo + k_lo);
  const split_float<V> d2 = math::two_product(t.d.hi, t.d.hi);
  const V d2_lo = vec::fma(V(2.0f) * t.d.hi, t.d.lo, d2.lo);
  const split_float<V> q = math::divide_split(
      split_float<V>{bracket.hi, bracket_lo}, split_float<V>{d2.hi, d2_lo});
  // Times G: E (hi + lo) for x < 0.
  const V g = vec::select(negative, e.hi, V(1.0f));
  const V g_lo = vec::select(negative, e.lo, V(0.0f));
  const V y = through_derivative_zero(
      x, vec::fma(g, q.hi, vec::fma(g, q.lo, g_lo * q.hi)),
      mish_derivative_zero);
  const V tiny = with_tiny_side(x, y, [x] {
    return times_tiny_exp(V(1.0f) + x, split_float<V>{x, V(0.0f)});
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
