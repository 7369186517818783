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

#include "vact/simd/math.hpp"

namespace vact {
namespace simd {

// PyTorch's SELU constants, rounded to float.
constexpr float selu_lambda = 0x1.0cfabep+0f;         // 1.0507009873554805
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

// sigmoid(x) = 1 / (1 + e^-x) in [0, 1]: with E = e^-|x| in (0, 1], it is
// 1 / (1 + E) for x >= 0 and E / (1 + E) for x < 0, so nothing overflows
// and small results (down to subnormals near x = -103) keep their accuracy.
// E is carried as hi + lo, 1 + E likewise, and the quotient is corrected
// with its exact remainder: the only sizeable error left is the final
// rounding.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> sigmoid(V x) {
  const math::split_float<V> e = math::exp_split<true>(-vec::abs(x));
  const V d = V(1.0f) + e.hi;                   // 1 + E = d + d_lo
  const V d_lo = ((V(1.0f) - d) + e.hi) + e.lo;  // Fast2Sum: 1 >= E
  const auto negative = x < V(0.0f);
  const V numerator = vec::select(negative, e.hi, V(1.0f));
  const V numerator_lo = vec::select(negative, e.lo, V(0.0f));
  const V q = numerator / d;                    // a NaN x makes e NaN
  // numerator + numerator_lo - q (d + d_lo), the first product exact.
  const V remainder =
      vec::fma(-q, d_lo, vec::fma(-q, d, numerator) + numerator_lo);
  // 1/d, to the few bits a correction needs: 1 - q for x < 0, else q.
  const V reciprocal = vec::select(negative, V(1.0f) - q, q);
  return vec::fma(remainder, reciprocal, q);
}
// sigmoid'(x) = s (1 - s) with s = sigmoid(-|x|) <= 1/2 (symmetric, so
// both factors come from the accurate small side): 1 - s is split exactly
// into t + t_lo, and one FMA rounds the product.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> sigmoid_derivative(V x) {
  const V s = sigmoid(-vec::abs(x));
  const V t = V(1.0f) - s;
  const V t_lo = (V(1.0f) - t) - s;  // exact: 1 - s = t + t_lo
  return vec::fma(s, t, s * t_lo);
}

// tanh(x), odd: a polynomial for |x| < 0.625; above, 1 - 2E / (1 + E) with
// E = e^-2|x|, where 2E / (1 + E) < 0.45 does not cancel. For a result
// within 1 ULP the quotient q = 2E / (1 + E) is corrected as in sigmoid (E
// and 1 + E carried as hi + lo, plus the division's exact remainder), and
// 1 - q is split exactly before the correction is subtracted.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> tanh(V x) {
  const V a = vec::abs(x);
  const math::split_float<V> e = math::exp_split<true>(V(-2.0f) * a);
  const V d = V(1.0f) + e.hi;                    // 1 + E = d + d_lo
  const V d_lo = ((V(1.0f) - d) + e.hi) + e.lo;  // Fast2Sum: 1 >= E
  const V n = e.hi + e.hi;                       // 2E = n + 2 e.lo, exact
  const V q = n / d;                             // a NaN x makes e NaN
  const V remainder =
      vec::fma(-q, d_lo, vec::fma(-q, d, n) + (e.lo + e.lo));
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
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softplus(V x) {
  const V e = math::exp<true>(-vec::abs(x));
  const V positive_part = vec::max(x, V(0.0f));  // 0 or NaN for NaN
  return positive_part + math::log1p_unit(e);        // e is NaN for NaN
}
// softplus'(x) = sigmoid(x).
template <class V>
VACT_INLINE enable_if_float_vector_t<V> softplus_derivative(V x) {
  return sigmoid(x);
}

}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ACTIVATIONS_HPP
