// SPDX-License-Identifier: Apache-2.0
//
// The fast tier's exponentials, without the precise tier's hi + lo
// results, rare paths or subnormal care:
//   exp_nonpositive(z) = e^z for z <= 0, from a 16-entry table of 2^(j/16)
//     and a cubic (sigmoid, silu, softplus, mish, the GELUs, softmax);
//   half_expm1(u) = (e^u - 1) / 2 for u >= 0 and expm1_nonpositive(z) =
//     e^z - 1 for z <= 0 (tanh, elu, selu), from a reduction by ln(2) and
//     expm1's polynomial: near 0 they must keep relative accuracy, which
//     the table's 2^(j/16) - 1 would lose.
// About 1 to 1.5 ULP each.
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

// expm1(r) = r + r^2 q(r) for |r| <= ln(2)/2, q(r) = 1/2 + r P(r) with P
// poly::expm1_core_fast: degree 3 (0.24 ULP), where the precise tier's
// degree 4 (0.007 ULP) cost one more FMA per vector. By Estrin's scheme:
// three FMAs deep instead of Horner's five, for one more multiply. Both
// measured the same: these kernels are bound by the FMA pipes, not by
// latency.
constexpr float expm1_quotient[] = {
    0.5f, poly::expm1_core_fast[0], poly::expm1_core_fast[1],
    poly::expm1_core_fast[2], poly::expm1_core_fast[3]};

template <class V>
VACT_INLINE V expm1_reduced(V r) {
  return vec::fma(math::estrin(r, expm1_quotient), r * r, r);
}

// z is clamped to this: m = -2032 there, n = -127 and j = 0, so the
// exponent field of 2^n table[0] is 0 and the scale +0 (also for -inf).
// Between it and -87.3 (n = -127, j > 0) the scale is subnormal, the table
// entry's fraction 2^-126 (table[j] - 1) instead of 2^-127 table[j]: below
// 2^-126 either way, and still increasing with z.
constexpr float exp_clamp = -88.05f;

// Whether a table exponential folds the table's rounding back into r
// (folded) or keeps it (kept): folding costs a second lookup and an add
// (8% of sigmoid's time on avx512, 20% on avx2) and saves up to half an
// ULP; kernels with the margin (sigmoid, softmax) keep it.
enum class table_error { folded, kept };

// z = m ln(2)/16 + r, |r| <= 0.0217: m (math::sixteenths: as an integer,
// a float and k's bits) and r.
template <class V>
struct table_reduction {
  math::sixteenths<V> nearest;  // m, the nearest integer to 16 z / ln(2)
  V r;                          // z - m ln(2)/16, plus table[j]'s rounding
};

template <table_error Error, class V>
VACT_INLINE table_reduction<V> reduce_by_sixteenths(V z) {
  const math::sixteenths<V> m = math::nearest_sixteenths(z);
  V r = vec::fma(m.value, V(-math::ln2_sixteenth_hi), z);
  r = vec::fma(m.value, V(-math::ln2_sixteenth_lo), r);
  if constexpr (Error == table_error::folded)
    r = r + vec::lookup16(math::exp2_sixteenths_error, m.k_bits);
  return {m, r};
}

// e^r - 1 for the reduced r.
template <class V>
VACT_INLINE V expm1_sixteenth(V r) {
  return vec::fma(vec::fma(V(1.0f / 6), r, V(0.5f)), r * r, r);
}

// math::exp2_sixteenths[j] with j 2^19 taken from its bits (in hex, the
// exponent one lower for j >= 1; a test checks every entry). For m = 16 n +
// j, entry j plus m 2^19 as integers is table[j] 2^n: 2^n is added to the
// exponent with one shift of k's bits and one add, and m itself is never
// formed (where (m >> 4) << 23 took a subtraction and two shifts).
constexpr float exp2_sixteenths_less_index[16] = {
    0x1.000000p+0f, 0x1.fb5586p-1f, 0x1.f72b84p-1f, 0x1.f387a6p-1f,
    0x1.f06fe0p-1f, 0x1.edea64p-1f, 0x1.ebfdaep-1f, 0x1.eab07ep-1f,
    0x1.ea09e6p-1f, 0x1.ea1148p-1f, 0x1.eace54p-1f, 0x1.ec4918p-1f,
    0x1.ee89fap-1f, 0x1.f199bep-1f, 0x1.f5818ep-1f, 0x1.fa4afap-1f};

// 2^(m/16) e^r = 2^n table[j] e^r for the reduction's m (as k's bits),
// where the result's exponent field stays in [0, 254] (exp_clamp).
template <class V>
VACT_INLINE V scaled_by_sixteenths(int_vector_t<V> k_bits, V r) {
  const V scale = vec::as_float(
      vec::as_int(vec::lookup16(exp2_sixteenths_less_index, k_bits)) +
      (k_bits << 19));
  return vec::fma(scale, expm1_sixteenth(r), scale);
}

// e^z for z <= 0 (NaN passes, -inf gives 0) as 2^(m/16) e^r: m = 16 n + j
// the nearest integer to 16 z / ln(2), 2^(m/16) = 2^n table[j] (the
// exponent added as an integer), and e^r = 1 + r + r^2 (1/2 + r/6), whose
// omitted terms are below 1e-8: 7 operations on the FMA pipes, which bound
// these kernels, instead of 12 for the polynomial alone. About 1 ULP: the
// reduction's rounding 0.25 (the table's own rounding folded into r; 0.5
// more where it is kept), the final FMA 0.5. Below z = -87.3 the result is not
// e^z but below 2^-126 (far inside the fast tier's 2^-30 absolute floor), still
// non-decreasing, and 0 from -88.03 down (exp_clamp).
template <table_error Error = table_error::folded, class V>
VACT_INLINE V exp_nonpositive(V z) {
  const table_reduction<V> red =
      reduce_by_sixteenths<Error>(vec::max(V(exp_clamp), z));  // NaN passes
  return scaled_by_sixteenths(red.nearest.k_bits, red.r);
}

// e^z for z <= 0 with subnormal results too (rounded once), 0 below
// about -103.97: the same reduction, 2^n applied in two normal factors.
// Where e^z is normal it gives exp_nonpositive's bits (both round
// table[j] 2^n (1 + p) once; scaling by a power of 2 is exact there), so
// a caller may take it only for the vectors that need it.
template <table_error Error = table_error::folded, class V>
VACT_INLINE V exp_nonpositive_subnormal(V z) {
  using I = int_vector_t<V>;
  const table_reduction<V> red =
      reduce_by_sixteenths<Error>(vec::max(V(-104.0f), z));  // n >= -151
  const V table = vec::lookup16(math::exp2_sixteenths, red.nearest.k_bits);
  const V t = vec::fma(table, expm1_sixteenth(red.r), table);
  const I n = red.nearest.m >> 4;
  const I n1 = n >> 1;
  return (t * math::pow2i<V>(n1)) * math::pow2i<V>(n - n1);
}

// (e^u - 1) / 2 for u in [-26, 40]: 2^(n-1) p + (2^(n-1) - 1/2), p =
// expm1(r) (math::expm1's identity), whose terms do not cancel: for n = 0
// it is p / 2 exactly, so small u keep their relative accuracy (subnormal
// u included, to the halving's rounding), and for n >= 1 the sum is at
// least 0.2.
template <class V>
VACT_INLINE V half_expm1(V u) {
  const reduced<126, V> red = reduce<126>(u);  // scale = 2^(n-1)
  return vec::fma(red.scale, expm1_reduced(red.r), red.scale - V(0.5f));
}

// e^z - 1 for z <= 0 (NaN passes), -1 below -17.33: half_expm1's sum at
// twice the scale, 2^n p + (2^n - 1), the same bits as half_expm1(z)
// doubled but for subnormal results (which half_expm1's halving rounds),
// one addition fewer. Not sign-exact at zero (expm1(-0) is +0 here): the
// callers take x itself for x >= 0.
template <class V>
VACT_INLINE V expm1_nonpositive(V z) {
  const reduced<127, V> red = reduce<127>(vec::max(V(-26.0f), z));
  return vec::fma(red.scale, expm1_reduced(red.r), red.scale - V(1.0f));
}

}  // namespace detail
}  // namespace fast
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_FAST_EXP_HPP
