// SPDX-License-Identifier: Apache-2.0
//
// The exponential linear units: elu and selu, and their derivatives. Part of
// vact/simd/activations.hpp, whose comment gives the conventions.
#ifndef VACT_SIMD_ACTIVATIONS_ELU_HPP
#define VACT_SIMD_ACTIVATIONS_ELU_HPP

#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

// PyTorch's SELU constants, rounded to float.
constexpr float selu_lambda = 0x1.0cfabep+0f;        // 1.0507009873554805
constexpr float selu_lambda_alpha = 0x1.c212ccp+0f;  // 1.7580993408473766
// lambda = selu_lambda_hi + selu_lambda_lo to 2^-48, both parts positive (hi
// is lambda rounded down), for the product lambda x rounded once.
constexpr float selu_lambda_hi = 0x1.0cfabcp+0f;
constexpr float selu_lambda_lo = 0x1.6a9114p-24f;

}  // namespace detail

// elu(x) = x for x > 0, alpha (e^x - 1) otherwise; elu(-0) = -0 for
// alpha > 0, elu(-inf) = -alpha.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> elu(V x, V alpha) {
  // x >= 0 takes x itself: exact, and elu(-0) = -0.
  const V negative = alpha * math::expm1(x);
  // A NaN x gives its own NaN: with a NaN alpha as well, the product's NaN
  // would depend on the operand order.
  return vec::nonnegative_or(x, negative);
}
// elu'(x) = 1 for x > 0, alpha e^x otherwise.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> elu_derivative(V x, V alpha) {
  const V negative = alpha * math::exp(x);
  return vec::keep_nan(x, vec::select(x > V(0.0f), V(1.0f), negative));
}

// selu(x) = lambda x for x > 0, lambda alpha (e^x - 1) otherwise, with
// PyTorch's lambda and alpha; keeps the sign of zero.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> selu(V x) {
  const V negative = V(detail::selu_lambda_alpha) * math::expm1(x);
  // lambda x rounded once: the float lambda alone is 0.55 ULP off, and
  // near FLT_MAX its product overflows where the exact one does not. lo > 0
  // keeps the sign of zero (lo x is a zero of x's sign).
  const V positive =
      vec::fma(V(detail::selu_lambda_hi), x, V(detail::selu_lambda_lo) * x);
  return vec::select(x >= V(0.0f), positive, negative);
}
// selu'(x) = lambda for x > 0, lambda alpha e^x otherwise.
template <class V>
VACT_INLINE enable_if_float_vector_t<V> selu_derivative(V x) {
  const V negative = V(detail::selu_lambda_alpha) * math::exp(x);
  return vec::select(x > V(0.0f), V(detail::selu_lambda), negative);
}

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ACTIVATIONS_ELU_HPP
