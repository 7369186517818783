// SPDX-License-Identifier: Apache-2.0
//
// Exact-arithmetic idioms the activations share, on top of math.hpp's
// two_sum, two_product and mul_add_exact: sums and products carried as
// hi + lo, and the exact remainder that corrects a quotient. Each is written
// once here so that every kernel forms it with the same operations in the
// same order (which is what keeps their bits).
//
// The locals these helpers return inside a split_float are not const: GCC's
// scalar replacement of aggregates gives up on const aggregates that are
// stored to after construction, and leaves them in memory (spills in the
// kernels' loops).
#ifndef VACT_SIMD_DETAIL_EXACT_HPP
#define VACT_SIMD_DETAIL_EXACT_HPP

#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

using math::split_float;

// a + b = hi + lo exactly when a's exponent is at least b's (|a| >= |b|
// suffices): Fast2Sum, three operations where two_sum takes six.
template <class V>
VACT_INLINE split_float<V> fast_two_sum(V a, V b) {
  V sum = a + b;
  return {sum, (a - sum) + b};
}

// a + (b.hi + b.lo) as hi + lo, for |a| >= |b.hi|: the Fast2Sum of a and
// b.hi, then b.lo into the error term. The 1 + E of the logistic kernels.
template <class V>
VACT_INLINE split_float<V> fast_two_sum(V a, split_float<V> b) {
  split_float<V> sum = fast_two_sum(a, b.hi);
  return {sum.hi, sum.lo + b.lo};
}

// 1 - s = hi + lo exactly, for 0 <= s <= 1 (Fast2Sum: 1 >= s).
template <class V>
VACT_INLINE split_float<V> one_minus_split(V s) {
  V difference = V(1.0f) - s;
  return {difference, (V(1.0f) - difference) - s};
}

// a b as hi + lo for a factor given as hi + lo: the product of the his
// exact (two_product), the lo products added to its error term. Relative
// error about 2^-46 (the lo products round, lo * lo is left out).
template <class V>
VACT_INLINE split_float<V> split_product(V a, split_float<V> b) {
  split_float<V> p = math::two_product(a, b.hi);
  return {p.hi, vec::fma(a, b.lo, p.lo)};
}
template <class V>
VACT_INLINE split_float<V> split_product(split_float<V> a, V b) {
  split_float<V> p = math::two_product(a.hi, b);
  return {p.hi, vec::fma(a.lo, b, p.lo)};
}
template <class V>
VACT_INLINE split_float<V> split_product(split_float<V> a, split_float<V> b) {
  split_float<V> p = math::two_product(a.hi, b.hi);
  return {p.hi, vec::fma(a.hi, b.lo, vec::fma(a.lo, b.hi, p.lo))};
}

// a (b.hi + b.lo), rounded once: the small product's own rounding is far
// below the final one.
template <class V>
VACT_INLINE V times_split(V a, split_float<V> b) {
  return vec::fma(a, b.hi, a * b.lo);
}
// (a.hi + a.lo) (b.hi + b.lo), rounded once (a.lo b.lo left out).
template <class V>
VACT_INLINE V times_split(split_float<V> a, split_float<V> b) {
  return vec::fma(a.hi, b.hi, vec::fma(a.hi, b.lo, a.lo * b.hi));
}

// n - q d for a quotient q of n / d, d = d.hi + d.lo: the large product
// q d.hi exact (mul_add_exact, on sse2 / sse4.1 too), q d.lo rounded. A
// quotient corrected by remainder / d rounds about once.
template <class V>
VACT_INLINE V division_remainder(V q, V n, split_float<V> d) {
  return vec::fma(-q, d.lo, math::mul_add_exact(-q, d.hi, n));
}
// The same for n = n.hi + n.lo.
template <class V>
VACT_INLINE V division_remainder(V q, split_float<V> n, split_float<V> d) {
  return vec::fma(-q, d.lo, math::mul_add_exact(-q, d.hi, n.hi) + n.lo);
}

// (n.hi + n.lo) / (d.hi + d.lo) as q + correction, for d.hi > 0 normal and
// |n.lo|, |d.lo| below an ULP: q from one division (a reciprocal, so it is
// within about 1.5 ULP), the correction from q's exact remainder. Relative
// error a few 2^-40: a product with it rounds once, as if exact.
template <class V>
VACT_INLINE split_float<V> divide_split(split_float<V> n, split_float<V> d) {
  const V reciprocal = vec::div(V(1.0f), d.hi);
  const V q = n.hi * reciprocal;
  return {q, division_remainder(q, n, d) * reciprocal};
}

}  // namespace detail
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_DETAIL_EXACT_HPP
