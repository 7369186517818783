// SPDX-License-Identifier: Apache-2.0
//
// AVX-512 on an AVX2 CPU, for tests only: the avx512 table compiled with
// -DVACT_EMULATE_AVX512=ON (cmake/VactIsa.cmake) is built with the AVX2
// flags and this header forced in first, so that its kernels, xsimd's
// avx512 backend and vec.hpp's AVX-512 branches run, lane by lane, on a
// machine without AVX-512 and can be checked against the scalar table's
// bits (vact_tests' output hashes and FMA-ISA comparisons).
//
// How: GCC's own AVX-512 headers are skipped (their include guards defined
// before <immintrin.h>), SIMDe's portable AVX-512 (libsimde-dev) takes
// their names, and the intrinsics SIMDe 0.7 lacks are written below, each
// from the Intel definition, lane by lane. Only then are the __AVX512*__
// macros defined, which xsimd and vec.hpp read. Each operation keeps its
// bits: SIMDe runs 512-bit FMAs, min and max as two AVX2 ones (fused, with
// x86's NaN and zero rules), comparisons and divisions as C operations on
// the lanes (IEEE, as the instructions); f16 conversions here are F16C's,
// the rest integer code. A deliberate error in one avx512 branch of
// vec.hpp fails 8 of vact_tests' cases here. GCC only (GCC's guards).
#ifndef VACT_TESTS_EMULATION_AVX512_ON_AVX2_HPP
#define VACT_TESTS_EMULATION_AVX512_ON_AVX2_HPP

#if !defined(__GNUC__) || defined(__clang__) || !defined(__AVX2__) || \
    !defined(__FMA__) || !defined(__F16C__)
#error "emulated AVX-512 needs GCC with -mavx2 -mfma -mf16c"
#endif
#if defined(__AVX512F__)
#error "emulated AVX-512 is for builds without -mavx512f"
#endif

// Every GCC 12 header that declares AVX-512 types or intrinsics.
#define _AVX5124FMAPSINTRIN_H_INCLUDED
#define _AVX5124VNNIWINTRIN_H_INCLUDED
#define _AVX512BITALGINTRIN_H_INCLUDED
#define _AVX512BWINTRIN_H_INCLUDED
#define _AVX512CDINTRIN_H_INCLUDED
#define _AVX512DQINTRIN_H_INCLUDED
#define _AVX512ERINTRIN_H_INCLUDED
#define _AVX512FINTRIN_H_INCLUDED
#define __AVX512FP16INTRIN_H_INCLUDED
#define __AVX512FP16VLINTRIN_H_INCLUDED
#define _AVX512IFMAINTRIN_H_INCLUDED
#define _AVX512IFMAVLINTRIN_H_INCLUDED
#define _AVX512PFINTRIN_H_INCLUDED
#define __AVX512VBMI2INTRIN_H_INCLUDED
#define _AVX512VBMI2VLINTRIN_H_INCLUDED
#define _AVX512VBMIINTRIN_H_INCLUDED
#define _AVX512VBMIVLINTRIN_H_INCLUDED
#define _AVX512VLBWINTRIN_H_INCLUDED
#define _AVX512VLDQINTRIN_H_INCLUDED
#define _AVX512VLINTRIN_H_INCLUDED
#define __AVX512VNNIINTRIN_H_INCLUDED
#define _AVX512VNNIVLINTRIN_H_INCLUDED
#define _AVX512VP2INTERSECTINTRIN_H_INCLUDED
#define _AVX512VP2INTERSECTVLINTRIN_H_INCLUDED
#define _AVX512VPOPCNTDQINTRIN_H_INCLUDED
#define _AVX512VPOPCNTDQVLINTRIN_H_INCLUDED
#define _GFNIINTRIN_H_INCLUDED
#define __VAESINTRIN_H_INCLUDED
#define _VPCLMULQDQINTRIN_H_INCLUDED
#define _AVX512BF16INTRIN_H_INCLUDED
#define _AVX512BF16VLINTRIN_H_INCLUDED
#include <immintrin.h>
// SIMDe takes GCC's bf16 types where these are defined: it defines its own.
#undef _AVX512BF16INTRIN_H_INCLUDED
#undef _AVX512BF16VLINTRIN_H_INCLUDED

#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

typedef simde__mmask8 __mmask8;
typedef simde__mmask16 __mmask16;
typedef simde__mmask32 __mmask32;
typedef simde__mmask64 __mmask64;
typedef short __v32hi __attribute__((__vector_size__(64)));
typedef unsigned short __v32hu __attribute__((__vector_size__(64)));
typedef char __v64qi __attribute__((__vector_size__(64)));
typedef unsigned char __v64qu __attribute__((__vector_size__(64)));

enum {
  _MM_CMPINT_EQ = 0,
  _MM_CMPINT_LT = 1,
  _MM_CMPINT_LE = 2,
  _MM_CMPINT_FALSE = 3,
  _MM_CMPINT_NE = 4,
  _MM_CMPINT_NLT = 5,
  _MM_CMPINT_GE = 5,
  _MM_CMPINT_NLE = 6,
  _MM_CMPINT_GT = 6,
  _MM_CMPINT_TRUE = 7
};

// The intrinsics below are always inlined, as the compiler's own are: an
// out-of-line _mm512_* would carry AVX code under a name that
// tests/check_isa_isolation.sh does not allow it in (the helpers' namespace
// names the ISA, and is internal).
#define VACT_EMULATED_INTRINSIC static inline __attribute__((__always_inline__))

namespace vact_emulated_avx512 {
namespace {

// A register's lanes as a plain array, and back (by size: the register
// types carry attributes that template arguments would drop).
template <class Lane, int Bytes>
struct lanes {
  static constexpr int count = Bytes / static_cast<int>(sizeof(Lane));
  Lane v[count] = {};
  lanes() = default;
  explicit lanes(const void* r) { std::memcpy(v, r, Bytes); }
  void to(void* r) const { std::memcpy(r, v, Bytes); }
};

template <class Lane>
std::uint64_t compare_int(const __m512i& a, const __m512i& b, int op) {
  const lanes<Lane, 64> x(&a), y(&b);
  std::uint64_t mask = 0;
  for (int i = 0; i < x.count; ++i) {
    const Lane p = x.v[i], q = y.v[i];
    bool set = true;
    switch (op & 7) {
      case _MM_CMPINT_EQ:
        set = p == q;
        break;
      case _MM_CMPINT_LT:
        set = p < q;
        break;
      case _MM_CMPINT_LE:
        set = p <= q;
        break;
      case _MM_CMPINT_FALSE:
        set = false;
        break;
      case _MM_CMPINT_NE:
        set = p != q;
        break;
      case _MM_CMPINT_NLT:
        set = !(p < q);
        break;
      case _MM_CMPINT_NLE:
        set = !(p <= q);
        break;
      default:
        break;
    }
    if (set) mask |= std::uint64_t{1} << i;
  }
  return mask;
}

// The 128-bit blocks of the result: 0-1 from a, 2-3 from b, each picked by
// two bits of the immediate (the same for f32x4 and f64x2).
void shuffle_blocks(const void* a, const void* b, void* result, int imm) {
  unsigned char x[64], y[64], r[64];
  std::memcpy(x, a, 64);
  std::memcpy(y, b, 64);
  for (int block = 0; block < 4; ++block)
    std::memcpy(r + 16 * block,
                (block < 2 ? x : y) + 16 * ((imm >> (2 * block)) & 3), 16);
  std::memcpy(result, r, 64);
}

// Arithmetic shifts by an immediate: past the lane width, the sign.
template <class Lane>
__m512i shift_right_arithmetic(__m512i a, unsigned int n) {
  const unsigned int most = 8 * sizeof(Lane) - 1;
  lanes<Lane, 64> x(&a);
  for (Lane& lane : x.v)
    lane = static_cast<Lane>(lane >> (n > most ? most : n));
  x.to(&a);
  return a;
}

}  // namespace
}  // namespace vact_emulated_avx512

// _mm512_cmp_ep{i,u}{8,16,32,64}_mask: one mask bit per lane.
#define VACT_EMULATED_COMPARE(name, Lane, Mask)                     \
  VACT_EMULATED_INTRINSIC Mask name(__m512i a, __m512i b, int op) { \
    return static_cast<Mask>(                                       \
        vact_emulated_avx512::compare_int<Lane>(a, b, op));         \
  }
VACT_EMULATED_COMPARE(_mm512_cmp_epi8_mask, std::int8_t, __mmask64)
VACT_EMULATED_COMPARE(_mm512_cmp_epu8_mask, std::uint8_t, __mmask64)
VACT_EMULATED_COMPARE(_mm512_cmp_epi16_mask, std::int16_t, __mmask32)
VACT_EMULATED_COMPARE(_mm512_cmp_epu16_mask, std::uint16_t, __mmask32)
VACT_EMULATED_COMPARE(_mm512_cmp_epi32_mask, std::int32_t, __mmask16)
VACT_EMULATED_COMPARE(_mm512_cmp_epu32_mask, std::uint32_t, __mmask16)
VACT_EMULATED_COMPARE(_mm512_cmp_epi64_mask, std::int64_t, __mmask8)
VACT_EMULATED_COMPARE(_mm512_cmp_epu64_mask, std::uint64_t, __mmask8)
#undef VACT_EMULATED_COMPARE
VACT_EMULATED_INTRINSIC __mmask16 _mm512_cmplt_epi32_mask(__m512i a,
                                                          __m512i b) {
  return _mm512_cmp_epi32_mask(a, b, _MM_CMPINT_LT);
}

// 32 -> 16 bits, truncated; masked-off lanes 0.
VACT_EMULATED_INTRINSIC __m256i _mm512_maskz_cvtepi32_epi16(__mmask16 k,
                                                            __m512i a) {
  const vact_emulated_avx512::lanes<std::int32_t, 64> x(&a);
  vact_emulated_avx512::lanes<std::int16_t, 32> r;
  for (int i = 0; i < 16; ++i)
    r.v[i] = ((k >> i) & 1) ? static_cast<std::int16_t>(x.v[i]) : 0;
  __m256i result;
  r.to(&result);
  return result;
}
VACT_EMULATED_INTRINSIC __m256i _mm512_cvtepi32_epi16(__m512i a) {
  return _mm512_maskz_cvtepi32_epi16(0xffff, a);
}
VACT_EMULATED_INTRINSIC __m512i _mm512_cvtepu16_epi32(__m256i a) {
  const vact_emulated_avx512::lanes<std::uint16_t, 32> x(&a);
  vact_emulated_avx512::lanes<std::int32_t, 64> r;
  for (int i = 0; i < 16; ++i) r.v[i] = x.v[i];
  __m512i result;
  r.to(&result);
  return result;
}

// f16 <-> f32 by F16C, a half at a time (the same rounding; to f16 a
// macro, since F16C's rounding argument must be a constant).
VACT_EMULATED_INTRINSIC __m512 _mm512_cvtph_ps(__m256i a) {
  const __m256 lo = _mm256_cvtph_ps(_mm256_castsi256_si128(a));
  const __m256 hi = _mm256_cvtph_ps(_mm256_extracti128_si256(a, 1));
  float v[16];
  _mm256_storeu_ps(v, lo);
  _mm256_storeu_ps(v + 8, hi);
  return _mm512_loadu_ps(v);
}
#define _mm512_cvtps_ph(a, rounding)                                        \
  __extension__({                                                           \
    float vact_emulated_f32_[16];                                           \
    _mm512_storeu_ps(vact_emulated_f32_, (a));                              \
    _mm256_set_m128i(                                                       \
        _mm256_cvtps_ph(_mm256_loadu_ps(vact_emulated_f32_ + 8), rounding), \
        _mm256_cvtps_ph(_mm256_loadu_ps(vact_emulated_f32_), rounding));    \
  })

VACT_EMULATED_INTRINSIC __m256 _mm512_extractf32x8_ps(__m512 a, int index) {
  float v[16];
  _mm512_storeu_ps(v, a);
  return _mm256_loadu_ps(v + 8 * (index & 1));
}
VACT_EMULATED_INTRINSIC __m512 _mm512_shuffle_f32x4(__m512 a, __m512 b,
                                                    int imm) {
  __m512 result;
  vact_emulated_avx512::shuffle_blocks(&a, &b, &result, imm);
  return result;
}
VACT_EMULATED_INTRINSIC __m512d _mm512_shuffle_f64x2(__m512d a, __m512d b,
                                                     int imm) {
  __m512d result;
  vact_emulated_avx512::shuffle_blocks(&a, &b, &result, imm);
  return result;
}

// Within each 128-bit block, bit 2i + j of the immediate picks lane i's
// double from a (j = 0) or b (j = 1).
VACT_EMULATED_INTRINSIC __m512d _mm512_shuffle_pd(__m512d a, __m512d b,
                                                  int imm) {
  double x[8], y[8], r[8];
  _mm512_storeu_pd(x, a);
  _mm512_storeu_pd(y, b);
  for (int block = 0; block < 4; ++block) {
    r[2 * block] = x[2 * block + ((imm >> (2 * block)) & 1)];
    r[2 * block + 1] = y[2 * block + ((imm >> (2 * block + 1)) & 1)];
  }
  return _mm512_loadu_pd(r);
}

VACT_EMULATED_INTRINSIC __m512i _mm512_srai_epi32(__m512i a, unsigned int n) {
  return vact_emulated_avx512::shift_right_arithmetic<std::int32_t>(a, n);
}
VACT_EMULATED_INTRINSIC __m512i _mm512_srai_epi64(__m512i a, unsigned int n) {
  return vact_emulated_avx512::shift_right_arithmetic<std::int64_t>(a, n);
}

VACT_EMULATED_INTRINSIC void _mm512_stream_ps(float* p, __m512 a) {
  _mm512_storeu_ps(p, a);
}

// vrangeps as the instruction treats NaNs: a NaN operand comes back
// quieted (SRC1's first), where SIMDe's emulation takes min_ps / max_ps and
// returns a signalling NaN unquieted. Only the form vact uses: imm 0, the
// minimum (-0 below +0) with the compared operand's sign.
namespace vact_emulated_avx512 {
namespace {
__m512 mask_range_minimum(__m512 src, __mmask16 k, __m512 a, __m512 b,
                          int imm) {
  if (imm != 0) std::abort();
  lanes<float, 64> result(&src);
  const lanes<float, 64> x(&a), y(&b);
  for (int i = 0; i < result.count; ++i) {
    if (!((k >> i) & 1)) continue;
    const float p = x.v[i], q = y.v[i];
    if (p != p)
      result.v[i] = p + p;  // quiets it, sign and payload kept
    else if (q != q)
      result.v[i] = q + q;
    else
      result.v[i] = p < q || (p == q && std::signbit(p)) ? p : q;
  }
  result.to(&src);
  return src;
}
}  // namespace
}  // namespace vact_emulated_avx512
#undef _mm512_mask_range_ps
#define _mm512_mask_range_ps(src, k, a, b, imm) \
  vact_emulated_avx512::mask_range_minimum(src, k, a, b, imm)

#define __AVX512F__ 1
#define __AVX512CD__ 1
#define __AVX512BW__ 1
#define __AVX512DQ__ 1
#define __AVX512VL__ 1

#endif  // VACT_TESTS_EMULATION_AVX512_ON_AVX2_HPP
