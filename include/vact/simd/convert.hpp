// SPDX-License-Identifier: Apache-2.0
//
// bf16 and f16 on one vector: widening to f32 and rounding back, written
// once over int32 lanes, so that every ISA gives the same bits (a
// conversion instruction is used only where it gives those bits too: x86's
// f16 pair, NEON's f16 widening, AVX512_BF16's rounding with its flushed
// subnormals sent the integer way; vec.hpp says why each is exact), plus
// load and store helpers and the array driver's element_io for
// vact::bf16 and vact::f16, so that an engine can fuse the conversions into
// its own loops with vact's bits:
//
//   const V x = vact::simd::load_bf16<V>(p);   // 8 / 16 values widened
//   vact::simd::store_bf16(q, vact::simd::fast::silu(x));
//
// Rules (vact.h's vact_convert_*): round to nearest even, subnormals kept,
// overflow to +-inf, a NaN keeps its sign and the top bits of its payload
// and comes out quiet, in both directions.
#ifndef VACT_SIMD_CONVERT_HPP
#define VACT_SIMD_CONVERT_HPP

#include <cstdint>

#include "vact/half.hpp"
#include "vact/simd/array.hpp"
#include "vact/simd/vec.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

// |x|'s bits above this are a NaN.
constexpr std::int32_t f32_infinity_bits = 0x7f800000;

// x's sign bit moved to bit 15.
template <class I>
VACT_INLINE I sign_to_bit15(I bits) {
  return (bits >> 16) & I(0x8000);
}

}  // namespace detail

// ---- bf16 ------------------------------------------------------------------

// bf16 (in the high half of each lane, the low half zero) to f32: the
// bits as they are, the quiet bit set on NaNs (the lanes where x == x is
// false: one operation fewer than masking the sign off and comparing as
// integers).
template <class V>
VACT_INLINE V widen_bf16(int_vector_t<V> bits) {
  using I = int_vector_t<V>;
  const V x = vec::as_float(bits);
  return vec::select(x == x, x, vec::as_float(bits | I(0x00400000)));
}

// narrow_bf16_high for an x whose NaNs are quiet with a zero low half (a
// bf16 NaN widened and quieted, as the ops return one): the bias carries
// nothing into such a NaN's high half, so no lanes need picking out. Four
// operations per vector.
template <class V>
VACT_INLINE int_vector_t<V> narrow_bf16_high_of_widened(V x) {
  using I = int_vector_t<V>;
  const I bits = vec::as_int(x);
  return bits + (((bits >> 16) & I(1)) + I(0x7fff));
}

// f32 to bf16, nearest even, left in the high half of each lane (the
// store takes that half as it is): adding 0x7fff plus the kept half's
// lowest bit carries into it exactly when the dropped half is above the
// midpoint (or at it with an odd kept half); a carry out of the fraction
// steps the exponent, up to inf. The sign bit rides along: no number's sum
// leaves int32 (the largest is 0x7f807fff, from the largest float and from
// inf). A NaN's could reach the sign: a NaN is not rounded but keeps its
// top 7 payload bits and is quieted. Seven operations per vector.
template <class V>
VACT_INLINE int_vector_t<V> narrow_bf16_high(V x) {
  using I = int_vector_t<V>;
  const I bits = vec::as_int(x);
  const I rounded = narrow_bf16_high_of_widened(x);
  const V quiet_nan = vec::as_float(bits | I(0x00400000));
  // x == x, not x != x (vec::is_nan says why).
  return vec::as_int(vec::select(x == x, vec::as_float(rounded), quiet_nan));
}

// ---- f16 -------------------------------------------------------------------

// f16 bits (low half of each lane) to f32, exactly: normal numbers by
// moving the exponent from bias 15 to bias 127, subnormals and zeros as
// (2^-14 + m 2^-24) - 2^-14, infinities and NaNs by moving the exponent to
// 255 (NaNs quieted).
template <class V>
VACT_INLINE V widen_f16(int_vector_t<V> h) {
  using I = int_vector_t<V>;
  const I magnitude = h & I(0x7fff);
  const I shifted = magnitude << 13;
  const I normal = shifted + I((127 - 15) << 23);
  const V subnormal = vec::as_float(shifted + I(113 << 23)) -
                      vec::as_float(I(113 << 23));  // 2^-14 on both sides
  const I special = (shifted + I((255 - 31) << 23)) |
                    vec::select(magnitude > I(0x7c00), I(0x00400000), I(0));
  I bits = vec::select(magnitude < I(0x0400), vec::as_int(subnormal), normal);
  bits = vec::select(magnitude >= I(0x7c00), special, bits);
  return vec::as_float(bits | ((h & I(0x8000)) << 16));
}

// f32 to f16 bits, nearest even: from 2^-14 up as for bf16 (rebias, round
// at bit 13, a carry may step up to inf; anything from 65520 on is inf);
// below 2^-14 by one float addition of 0.5, whose ulp 2^-24 is f16's
// subnormal step, so the sum is rounded to it, nearest even, by the FPU
// itself. NaNs keep their top 10 payload bits and are quieted.
template <class V>
VACT_INLINE int_vector_t<V> narrow_f16(V x) {
  using I = int_vector_t<V>;
  const I bits = vec::as_int(x);
  const I magnitude = bits & I(0x7fffffff);
  const auto nan = magnitude > I(detail::f32_infinity_bits);
  const I number = vec::select(nan, I(0), magnitude);
  const I rebiased = number - I((127 - 15) << 23);
  const I carried = (rebiased + I(0x0fff) + ((rebiased >> 13) & I(1))) >> 13;
  const I normal = vec::select(carried > I(0x7c00), I(0x7c00), carried);
  const I subnormal =
      vec::as_int(vec::as_float(number) + V(0.5f)) - vec::as_int(V(0.5f));
  const I rounded = vec::select(number < I(0x38800000), subnormal, normal);
  const I quiet_nan = ((magnitude >> 13) & I(0x03ff)) | I(0x7e00);
  return detail::sign_to_bit15(bits) | vec::select(nan, quiet_nan, rounded);
}

// ---- loads and stores
// --------------------------------------------------------

// One vector of bf16 or f16 values from p, widened; one vector rounded and
// stored to p.
template <class V>
VACT_INLINE V load_bf16(const vact::bf16* p) {
  return widen_bf16<V>(vec::load_u16<V, vec::half::high>(
      reinterpret_cast<const std::uint16_t*>(p)));
}
template <class V>
VACT_INLINE void store_bf16(vact::bf16* p, V x) {
  auto* bits = reinterpret_cast<std::uint16_t*>(p);
  if constexpr (vec::rounds_to_bf16<V>::value)
    if (vec::round_to_bf16_instruction(bits, x)) return;  // the same bits
  vec::store_u16<vec::half::high>(bits, narrow_bf16_high(x));
}
template <class V>
VACT_INLINE V load_f16(const vact::f16* p) {
  const auto* bits = reinterpret_cast<const std::uint16_t*>(p);
  if constexpr (vec::widens_f16<V>::value)
    return vec::widen_f16_instruction<V>(bits);  // the same bits, faster
  else
    return widen_f16<V>(vec::load_u16<V, vec::half::low>(bits));
}
template <class V>
VACT_INLINE void store_f16(vact::f16* p, V x) {
  auto* bits = reinterpret_cast<std::uint16_t*>(p);
  if constexpr (vec::rounds_to_f16<V>::value)
    vec::round_to_f16_instruction(bits, x);  // the same bits, faster
  else
    vec::store_u16<vec::half::low>(bits, narrow_f16(x));
}

// The array driver's view of the 16-bit types (array.hpp): transform<V>
// then maps over bf16 / f16 arrays like over float ones. No streaming
// stores: plain ones.
template <class V>
struct element_io<V, vact::bf16> {
  static VACT_INLINE V load(const vact::bf16* p) { return load_bf16<V>(p); }
  static VACT_INLINE void store(vact::bf16* p, V v) { store_bf16(p, v); }
  static VACT_INLINE void stream(vact::bf16* p, V v) { store_bf16(p, v); }
};
template <class V>
struct element_io<V, vact::f16> {
  static VACT_INLINE V load(const vact::f16* p) { return load_f16<V>(p); }
  static VACT_INLINE void store(vact::f16* p, V v) { store_f16(p, v); }
  static VACT_INLINE void stream(vact::f16* p, V v) { store_f16(p, v); }
};

}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_CONVERT_HPP
