// SPDX-License-Identifier: Apache-2.0
//
// The fast tier's exponentials: e^z for z <= 0 and (e^u - 1) / 2 for
// u >= 0, each one Cody-Waite reduction, one polynomial and one scaling,
// without the precise tier's hi + lo results, rare paths or subnormal care.
// About 1.3 ULP each (the reduction's rounding 0.25, the polynomial's
// rounding 0.3, the final FMA 0.5, poly::expm1_core 0.007).
//
// 2^n comes from the reduction's own rounding sum: k = z log2(e) + B with
// B = 1.5 * 2^23 + bias holds n + bias in its low mantissa bits, so k's
// bits shifted left by 23 are the float 2^(n + bias - 127), one shift. With
// n + bias in [0, 255] that is a normal float, or +0 for n + bias = 0;
// the callers clamp their arguments to keep it there.
#ifndef VACT_SIMD_FAST_EXP_HPP
#define VACT_SIMD_FAST_EXP_HPP

#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace fast {
namespace detail {

// B for a bias: 1.5 * 2^23 + bias, exact in float.
constexpr float reduction_magic(int bias) {
  return math::round_magic + static_cast<float>(bias);
}

// z = n ln(2) + r, |r| <= ln(2)/2 (plus rounding), for |z| < 2^21, with
// k's bits shifted by 23 giving 2^(n + Bias - 127).
template <int Bias, class V>
struct reduced {
  V r;
  V scale;  // 2^(n + Bias - 127)
};

template <int Bias, class V>
VACT_INLINE reduced<Bias, V> reduce(V z) {
  constexpr float magic = reduction_magic(Bias);
  const V k = vec::fma(z, V(math::log2_e), V(magic));
  const V n = k - V(magic);
  // ln2_hi has 15 bits: n ln2_hi is exact, so the first step is exact on
  // sse2 / sse4.1 too, where fma is a multiply and an add.
  V r = vec::fma(n, V(-math::ln2_hi), z);
  r = vec::fma(n, V(-math::ln2_lo), r);
  return {r, vec::as_float(vec::as_int(k) << 23)};
}

// e^z for z <= 0 (NaN passes, -inf gives 0): 2^n (1 + expm1(r)). Below
// z = -87.68 (n = -127, scale +0) the result is 0 rather than a subnormal
// e^z (< 1.2e-38, far inside the fast tier's 2^-30 absolute floor), so
// the function is monotone there.
template <class V>
VACT_INLINE V exp_nonpositive(V z) {
  // -88 is n = -127 exactly; below, n = -128 would wrap the exponent.
  const reduced<127, V> red = reduce<127>(vec::max(V(-88.0f), z));
  return vec::fma(red.scale, math::expm1_reduced(red.r), red.scale);
}

// (e^u - 1) / 2 for u in [0, 40]: 2^(n-1) p + (2^(n-1) - 1/2), p =
// expm1(r) (math::expm1's identity), whose terms do not cancel: for n = 0
// it is p / 2 exactly, so small u keep their relative accuracy (subnormal
// u included), and for n >= 1 the sum is at least 0.2.
template <class V>
VACT_INLINE V half_expm1(V u) {
  const reduced<126, V> red = reduce<126>(u);  // scale = 2^(n-1)
  return vec::fma(red.scale, math::expm1_reduced(red.r),
                  red.scale - V(0.5f));
}

// e^z - 1 for z <= 0 (NaN passes), -1 below -17.33. Not sign-exact at
// zero (expm1(-0) is +0 here) nor exact for subnormal z (halving rounds):
// the callers take x itself for x >= 0, and subnormal results are inside
// the 2^-30 floor.
template <class V>
VACT_INLINE V expm1_nonpositive(V z) {
  const reduced<126, V> red = reduce<126>(vec::max(V(-26.0f), z));
  const V half = vec::fma(red.scale, math::expm1_reduced(red.r),
                          red.scale - V(0.5f));
  return half + half;
}

}  // namespace detail
}  // namespace fast
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_FAST_EXP_HPP
