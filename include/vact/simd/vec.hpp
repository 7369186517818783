// SPDX-License-Identifier: Apache-2.0
//
// The small vocabulary every vact kernel is written in, for three kinds of
// vector type:
//   - xsimd::batch<float, Arch> for the SIMD ISAs (sse2 ... avx512, neon);
//   - vact::simd::lane<float>, a one-lane stand-in for the scalar ISA
//     (xsimd 8.1 has no scalar batch), whose fma is std::fma so that it
//     yields the same bits as the FMA-capable SIMD ISAs;
//   - vact::simd::lockstep<V, N>, N of either computed together (below).
//
// ISA isolation: a translation unit compiled with AVX2 flags and one
// compiled for SSE2 both instantiate these headers, and the linker keeps
// one copy of each inline function or template instantiation of the same
// name. So everything in vact::simd lives in an inline namespace named
// after the instruction set the translation unit is compiled for
// (VACT_SIMD_TARGET below): the two copies have different names and cannot
// merge, in vact's own per-ISA tables as in a user's program that includes
// vact/simd/ with several flag sets. Kernels are also templates on the
// vector type, and tests/check_isa_isolation.sh disassembles the library as
// a second line of defence.
//
// Bits: every FMA is written on purpose (vec::fma); compile users of these
// headers with -ffp-contract=off (the vact::simd CMake target says so), or
// the compiler may fuse a multiply and an add that the kernels keep apart,
// and the results stop matching the array API's and the other ISAs'.
#ifndef VACT_SIMD_VEC_HPP
#define VACT_SIMD_VEC_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <xsimd/xsimd.hpp>

// The math helpers return small structs of vectors; GCC's heuristics
// sometimes keep them out of line, which costs a call and spills per
// vector. Kernels are short and hot: inline them always.
#if defined(__GNUC__) || defined(__clang__)
#define VACT_INLINE inline __attribute__((always_inline))
#else
#define VACT_INLINE inline
#endif
// The same for lambdas, after the parameter list.
#if defined(__GNUC__) || defined(__clang__)
#define VACT_LAMBDA_INLINE __attribute__((always_inline))
#else
#define VACT_LAMBDA_INLINE
#endif

// The instruction set this translation unit is compiled for, as the name
// of vact::simd's inline namespace. The flag sets of vact's own ISA table
// (cmake/VactIsa.cmake) each get their own name; another combination gets
// the name of the largest ISA it enables.
#if defined(__AVX512F__) && defined(__AVX512CD__) && defined(__AVX512BW__) && \
    defined(__AVX512DQ__) && defined(__AVX512VL__) && defined(__FMA__) &&     \
    defined(__AVX512BF16__)
#define VACT_SIMD_TARGET avx512_bf16
#elif defined(__AVX512F__) && defined(__AVX512CD__) &&                         \
    defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__) && \
    defined(__FMA__)
#define VACT_SIMD_TARGET avx512
#elif defined(__AVX512F__)
#define VACT_SIMD_TARGET avx512_other
#elif defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#define VACT_SIMD_TARGET avx2
#elif defined(__AVX2__) && defined(__FMA__)
#define VACT_SIMD_TARGET avx2_without_f16c
#elif defined(__AVX__)
#define VACT_SIMD_TARGET avx_other
#elif defined(__SSE4_1__)
#define VACT_SIMD_TARGET sse41
#elif defined(__SSE2__)
#define VACT_SIMD_TARGET sse2
#elif defined(__aarch64__)
#define VACT_SIMD_TARGET neon
#else
#define VACT_SIMD_TARGET portable
#endif

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {

// Architecture tag of the one-lane adapter.
struct scalar_arch {
  static constexpr char const* name() { return "scalar"; }
};

template <class T>
struct lane_bool {
  bool value;
  lane_bool operator&(lane_bool o) const { return {value && o.value}; }
  lane_bool operator|(lane_bool o) const { return {value || o.value}; }
  lane_bool operator~() const { return {!value}; }
};

// One float or int32 lane with the operators of xsimd::batch that the
// kernels use. Bitwise operators act on the IEEE representation.
template <class T>
struct lane {
  using value_type = T;
  using bits_type = std::int32_t;
  static_assert(sizeof(T) == sizeof(bits_type), "float or int32 lanes only");
  static constexpr std::size_t size = 1;

  T value;
  lane() = default;
  lane(T v) : value(v) {}  // NOLINT: implicit, like xsimd's broadcast

  static bits_type bits(T v) {
    bits_type b;
    std::memcpy(&b, &v, sizeof b);
    return b;
  }
  static T from_bits(bits_type b) {
    T v;
    std::memcpy(&v, &b, sizeof v);
    return v;
  }

  // Integer lanes wrap around like SIMD integer lanes do (signed overflow
  // would be undefined behaviour in C++): NaN inputs carry garbage exponents
  // through the integer steps before the result is replaced.
  friend lane operator+(lane a, lane b) {
    if constexpr (std::is_integral<T>::value)
      return static_cast<T>(static_cast<std::uint32_t>(a.value) +
                            static_cast<std::uint32_t>(b.value));
    else
      return a.value + b.value;
  }
  friend lane operator-(lane a, lane b) {
    if constexpr (std::is_integral<T>::value)
      return static_cast<T>(static_cast<std::uint32_t>(a.value) -
                            static_cast<std::uint32_t>(b.value));
    else
      return a.value - b.value;
  }
  friend lane operator*(lane a, lane b) { return a.value * b.value; }
  friend lane operator/(lane a, lane b) { return a.value / b.value; }
  lane operator-() const { return -value; }
  friend lane operator&(lane a, lane b) {
    return from_bits(bits(a.value) & bits(b.value));
  }
  friend lane operator|(lane a, lane b) {
    return from_bits(bits(a.value) | bits(b.value));
  }
  friend lane operator^(lane a, lane b) {
    return from_bits(bits(a.value) ^ bits(b.value));
  }
  // Integer shifts, as xsimd's: << logical, >> arithmetic for int32.
  friend lane operator<<(lane a, int k) {
    return static_cast<T>(static_cast<std::uint32_t>(a.value) << k);
  }
  friend lane operator>>(lane a, int k) { return a.value >> k; }
  friend lane_bool<T> operator<(lane a, lane b) { return {a.value < b.value}; }
  friend lane_bool<T> operator<=(lane a, lane b) {
    return {a.value <= b.value};
  }
  friend lane_bool<T> operator>(lane a, lane b) { return {a.value > b.value}; }
  friend lane_bool<T> operator>=(lane a, lane b) {
    return {a.value >= b.value};
  }
  friend lane_bool<T> operator==(lane a, lane b) {
    return {a.value == b.value};
  }
  friend lane_bool<T> operator!=(lane a, lane b) {
    return {a.value != b.value};
  }
};

// ---- traits: is V one of our float vector types, and its companions ------

template <class V>
struct vec_traits {
  static constexpr bool is_float_vector = false;
};

template <class Arch>
struct vec_traits<xsimd::batch<float, Arch>> {
  static constexpr bool is_float_vector = true;
  using arch = Arch;
  using int_vector = xsimd::batch<std::int32_t, Arch>;
  static constexpr std::size_t width = xsimd::batch<float, Arch>::size;
  // Whether vec::fma rounds once (sse2 and sse4.1 emulate it).
  static constexpr bool fused_fma = !std::is_same<Arch, xsimd::sse2>::value &&
                                    !std::is_same<Arch, xsimd::sse4_1>::value;
};

template <>
struct vec_traits<lane<float>> {
  static constexpr bool is_float_vector = true;
  using arch = scalar_arch;
  using int_vector = lane<std::int32_t>;
  static constexpr std::size_t width = 1;
  static constexpr bool fused_fma = true;  // std::fma
};

template <class V>
using enable_if_float_vector_t =
    std::enable_if_t<vec_traits<V>::is_float_vector, V>;

template <class V>
using int_vector_t = typename vec_traits<V>::int_vector;

// The vector type of an architecture: xsimd's batch, or the one lane.
template <class Arch>
struct float_vector_of {
  using type = xsimd::batch<float, Arch>;
};
template <>
struct float_vector_of<scalar_arch> {
  using type = lane<float>;
};
template <class Arch>
using float_vector_t = typename float_vector_of<Arch>::type;

namespace vec {

// ---- memory ---------------------------------------------------------------

template <class Arch>
xsimd::batch<float, Arch> load(const float* p, xsimd::batch<float, Arch>*) {
  return xsimd::batch<float, Arch>::load_unaligned(p);
}
template <class T>
lane<T> load(const T* p, lane<T>*) {
  return *p;
}
// load<V>(p): unaligned load of one vector.
template <class V>
V load(const float* p) {
  return load(p, static_cast<V*>(nullptr));
}

template <class Arch>
void store(float* p, xsimd::batch<float, Arch> v) {
  v.store_unaligned(p);
}
template <class T>
void store(T* p, lane<T> v) {
  *p = v.value;
}

// Which half of each int32 lane holds a 16-bit value: load_u16 and
// store_u16 (the 16-bit storage types, vact/simd/convert.hpp) move it
// there and back. bf16 goes in the high half, where it sits in an f32;
// f16 in the low.
enum class half { low, high };

// load_u16<V, Half>(p): one vector's worth of 16-bit values, each in the
// Half half of its lane, the other half zero. One or two instructions on
// the SIMD ISAs.
template <half Half, class Arch>
VACT_INLINE xsimd::batch<std::int32_t, Arch> load_u16(
    const std::uint16_t* p, xsimd::batch<float, Arch>*) {
  using I = xsimd::batch<std::int32_t, Arch>;
  constexpr bool high = Half == half::high;
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
    const __m512i bits = _mm512_cvtepu16_epi32(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return I(high ? _mm512_slli_epi32(bits, 16) : bits);
  } else
#endif
#if defined(__AVX2__)
      if constexpr (std::is_base_of<xsimd::avx2, Arch>::value) {
    if constexpr (high) {
      // The 8 values in both 128-bit halves (a load, no shuffle), then
      // each one's two bytes moved to the top of its lane.
      const __m256i both = _mm256_broadcastsi128_si256(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
      return I(_mm256_shuffle_epi8(
          both, _mm256_setr_epi8(-1, -1, 0, 1, -1, -1, 2, 3, -1, -1, 4, 5, -1,
                                 -1, 6, 7, -1, -1, 8, 9, -1, -1, 10, 11, -1, -1,
                                 12, 13, -1, -1, 14, 15)));
    } else {
      return I(_mm256_cvtepu16_epi32(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
    }
  } else
#endif
#if defined(__SSE2__)
      if constexpr (std::is_base_of<xsimd::sse2, Arch>::value) {
    const __m128i four = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
    const __m128i zero = _mm_setzero_si128();
#if defined(__SSE4_1__)
    if constexpr (!high) return I(_mm_cvtepu16_epi32(four));  // one pmovzxwd
#endif
    return I(high ? _mm_unpacklo_epi16(zero, four)
                  : _mm_unpacklo_epi16(four, zero));
  } else
#endif
#if defined(__aarch64__)
      if constexpr (std::is_base_of<xsimd::neon64, Arch>::value) {
    const uint16x4_t four = vld1_u16(p);
    return I(
        vreinterpretq_s32_u32(high ? vshll_n_u16(four, 16) : vmovl_u16(four)));
  } else
#endif
  {
    alignas(64) std::int32_t lanes[I::size];
    for (std::size_t l = 0; l < I::size; ++l)
      lanes[l] =
          static_cast<std::int32_t>(std::uint32_t{p[l]} << (high ? 16 : 0));
    return I::load_aligned(lanes);
  }
}
template <half Half, class T>
VACT_INLINE lane<std::int32_t> load_u16(const std::uint16_t* p, lane<T>*) {
  return static_cast<std::int32_t>(std::uint32_t{*p}
                                   << (Half == half::high ? 16 : 0));
}
template <class V, half Half>
VACT_INLINE int_vector_t<V> load_u16(const std::uint16_t* p) {
  return load_u16<Half>(p, static_cast<V*>(nullptr));
}

// store_u16<Half>(p, v): the Half half of each lane of v stored to p (the
// other half is ignored). Two or three instructions on the SIMD ISAs.
template <half Half, class Arch>
VACT_INLINE void store_u16(std::uint16_t* p,
                           xsimd::batch<std::int32_t, Arch> v) {
  using I = xsimd::batch<std::int32_t, Arch>;
  constexpr bool high = Half == half::high;
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
    const __m512i bits = high ? _mm512_srli_epi32(v, 16) : __m512i(v);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p),
                        _mm512_cvtepi32_epi16(bits));
  } else
#endif
#if defined(__AVX2__)
      if constexpr (std::is_base_of<xsimd::avx2, Arch>::value) {
    // Each 128-bit half's four wanted pairs of bytes gathered into its low
    // 8 bytes, then the two halves' low quarters put side by side.
    const __m256i pick =
        high ? _mm256_setr_epi8(2, 3, 6, 7, 10, 11, 14, 15, -1, -1, -1, -1, -1,
                                -1, -1, -1, 2, 3, 6, 7, 10, 11, 14, 15, -1, -1,
                                -1, -1, -1, -1, -1, -1)
             : _mm256_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1,
                                -1, -1, -1, 0, 1, 4, 5, 8, 9, 12, 13, -1, -1,
                                -1, -1, -1, -1, -1, -1);
    const __m256i packed = _mm256_shuffle_epi8(v, pick);
    _mm_storeu_si128(
        reinterpret_cast<__m128i*>(p),
        _mm256_castsi256_si128(_mm256_permute4x64_epi64(packed, 0x08)));
  } else
#endif
#if defined(__SSE2__)
      if constexpr (std::is_base_of<xsimd::sse2, Arch>::value) {
    // The wanted half sign-extended over the lane, so that packing with
    // signed saturation keeps its 16 bits as they are.
    const __m128i bits = high ? _mm_srai_epi32(v, 16)
                              : _mm_srai_epi32(_mm_slli_epi32(v, 16), 16);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p),
                     _mm_packs_epi32(bits, bits));
  } else
#endif
#if defined(__aarch64__)
      if constexpr (std::is_base_of<xsimd::neon64, Arch>::value) {
    const uint32x4_t bits = vreinterpretq_u32_s32(v);
    vst1_u16(p, high ? vshrn_n_u32(bits, 16) : vmovn_u32(bits));
  } else
#endif
  {
    alignas(64) std::int32_t lanes[I::size];
    v.store_aligned(lanes);
    for (std::size_t l = 0; l < I::size; ++l)
      p[l] = static_cast<std::uint16_t>(
          high ? static_cast<std::uint32_t>(lanes[l]) >> 16 : lanes[l]);
  }
}
template <half Half>
VACT_INLINE void store_u16(std::uint16_t* p, lane<std::int32_t> v) {
  const auto bits = static_cast<std::uint32_t>(v.value);
  *p = static_cast<std::uint16_t>(Half == half::high ? bits >> 16 : bits);
}

// Whether Arch has x86's f16 conversions, vcvtph2ps and vcvtps2ph:
// AVX-512F's, or F16C's beside AVX2.
template <class Arch>
constexpr bool has_x86_f16_conversions() {
#if defined(__AVX512F__)
  if (std::is_base_of<xsimd::avx512f, Arch>::value) return true;
#endif
#if defined(__F16C__)
  if (std::is_base_of<xsimd::avx2, Arch>::value) return true;
#endif
  return false;
}

// Whether the ISA widens f16 values to f32 in one instruction: x86's
// vcvtph2ps or NEON's fcvtl. The widening is exact, so these give the bits
// of convert.hpp's integer widening, NaNs included (checked over all 65,536
// patterns on every ISA), which the other ISAs run.
template <class V>
struct widens_f16 : std::false_type {};
template <class Arch>
struct widens_f16<xsimd::batch<float, Arch>>
    : std::integral_constant<bool,
                             has_x86_f16_conversions<Arch>()
#if defined(__aarch64__)
                                 || std::is_base_of<xsimd::neon64, Arch>::value
#endif
                             > {
};

// One vector of f16 values from p, widened by that instruction (only where
// widens_f16<V>).
template <class V>
VACT_INLINE V widen_f16_instruction(const std::uint16_t* p) {
  using Arch [[maybe_unused]] = typename V::arch_type;
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
    return V(_mm512_cvtph_ps(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))));
  } else
#endif
#if defined(__F16C__)
      if constexpr (std::is_base_of<xsimd::avx2, Arch>::value) {
    return V(
        _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
  } else
#endif
#if defined(__aarch64__)
      if constexpr (std::is_base_of<xsimd::neon64, Arch>::value) {
    return V(vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p))));
  } else
#endif
  {
    static_assert(widens_f16<V>::value, "only where the ISA has one");
    (void)p;
    return V();
  }
}

// Whether the ISA rounds f32 to f16 in one instruction: vcvtps2ph with
// round-to-nearest-even as its immediate (AVX-512F's, F16C's), which gives
// convert.hpp's integer rounding bit for bit (checked over all 2^32 floats
// by `conversions_exhaustive`) whatever MXCSR says: its flush-to-zero is
// ignored (f16 subnormals are kept), and denormals-are-zero only turns f32
// subnormals, far below f16's smallest subnormal, into the zero of the same
// sign they round to anyway. NEON's fcvtn is left out: under FPCR.FZ16 it
// would flush f16 subnormals.
template <class V>
struct rounds_to_f16 : std::false_type {};
template <class Arch>
struct rounds_to_f16<xsimd::batch<float, Arch>>
    : std::integral_constant<bool, has_x86_f16_conversions<Arch>()> {};

// One vector rounded to f16 and stored to p by that instruction (only
// where rounds_to_f16<V>).
template <class V>
VACT_INLINE void round_to_f16_instruction(std::uint16_t* p, V v) {
  using Arch [[maybe_unused]] = typename V::arch_type;
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p),
                        _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
  } else
#endif
#if defined(__F16C__)
      if constexpr (std::is_base_of<xsimd::avx2, Arch>::value) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p),
                     _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
  } else
#endif
  {
    static_assert(rounds_to_f16<V>::value, "only where the ISA has one");
    (void)p;
    (void)v;
  }
}

// Whether the ISA rounds f32 to bf16 in one instruction: AVX512_BF16's
// vcvtneps2bf16, where the translation unit is compiled for it (the
// dispatcher runs such code only on CPUs that have it:
// src/isa/avx512_bf16.cpp). It rounds to nearest even and quiets a NaN
// keeping its top bits, as convert.hpp's narrow_bf16_high does, whatever MXCSR
// says; but it flushes subnormal inputs to zero, so a vector with one goes
// the integer way instead (round_to_bf16_instruction). Checked over all
// 2^32 floats by `conversions_exhaustive`.
template <class V>
struct rounds_to_bf16 : std::false_type {};
#if defined(__AVX512BF16__) && defined(__AVX512F__)
template <class Arch>
struct rounds_to_bf16<xsimd::batch<float, Arch>>
    : std::is_base_of<xsimd::avx512f, Arch> {};
#endif

// One vector rounded to bf16 and stored to p by that instruction (only
// where rounds_to_bf16<V>), unless a lane is subnormal: then nothing is
// stored and the result is false. The lanes are told apart by their bits
// (a magnitude, zero exponent): vfpclassps's test would miss subnormals
// under MXCSR's denormals-are-zero.
template <class V>
VACT_INLINE bool round_to_bf16_instruction(std::uint16_t* p, V v) {
#if defined(__AVX512BF16__) && defined(__AVX512F__)
  if constexpr (rounds_to_bf16<V>::value) {
    // |x|'s bits minus 1 are below 0x7fffff, unsigned, only for subnormals.
    const __m512i below = _mm512_sub_epi32(
        _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(0x7fffffff)),
        _mm512_set1_epi32(1));
    if (_mm512_cmplt_epu32_mask(below, _mm512_set1_epi32(0x7fffff)) != 0)
      return false;
    const __m256bh rounded = _mm512_cvtneps_pbh(v);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p),
                        reinterpret_cast<const __m256i&>(rounded));
    return true;
  } else
#endif
  {
    static_assert(rounds_to_bf16<V>::value, "only where the ISA has one");
    (void)p;
    (void)v;
    return false;
  }
}

// stream(p, v): a non-temporal store of one vector to p, aligned to the
// vector's size: the line is written without being read into the caches
// first, which saves a third of the memory traffic for outputs too large
// for the last-level cache. A plain store where the ISA has none (scalar,
// neon). stream_fence<V>() orders the streamed stores before later ones.
template <class Arch>
VACT_INLINE void stream(float* p, xsimd::batch<float, Arch> v) {
#if defined(__SSE2__)
  // Told apart by size: on x86, the only SIMD ISA there is, __m512, __m256
  // and __m128 are 64, 32 and 16 bytes.
  constexpr std::size_t bytes =
      sizeof(typename xsimd::batch<float, Arch>::register_type);
#if defined(__AVX512F__)
  if constexpr (bytes == 64) {
    _mm512_stream_ps(p, v);
    return;
  }
#endif
#if defined(__AVX__)
  if constexpr (bytes == 32) {
    _mm256_stream_ps(p, v);
    return;
  }
#endif
  if constexpr (bytes == 16) {
    _mm_stream_ps(p, v);
    return;
  }
#endif
  v.store_aligned(p);
}
template <class T>
VACT_INLINE void stream(T* p, lane<T> v) {
  *p = v.value;
}
template <class V>
VACT_INLINE void stream_fence() {
#if defined(__SSE2__)
  if constexpr (!std::is_same<V, lane<float>>::value) _mm_sfence();
#endif
}

// ---- arithmetic -----------------------------------------------------------

// a * b + c with one rounding on FMA ISAs and in the scalar adapter; two
// roundings on sse2 / sse4.1 (xsimd's emulation), which is why those ISAs
// are exempt from bit identity, not from the error bounds.
template <class Arch>
xsimd::batch<float, Arch> fma(xsimd::batch<float, Arch> a,
                              xsimd::batch<float, Arch> b,
                              xsimd::batch<float, Arch> c) {
#if defined(__AVX512F__)
  // xsimd 8.1 has no AVX-512 fma: its generic fallback computes a * b + c
  // with two roundings, which would break bit identity with avx2 and neon.
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value)
    return _mm512_fmadd_ps(a, b, c);
  else
#endif
    return xsimd::fma(a, b, c);
}
template <class T>
lane<T> fma(lane<T> a, lane<T> b, lane<T> c) {
  return std::fma(a.value, b.value, c.value);
}

// c - a * b and a * b - c, as vec::fma with a negated operand (the same
// bits), in one instruction where the compiler would not fold the negation:
// FMA3's and AVX-512's vfnmadd / vfmsub.
template <class Arch>
xsimd::batch<float, Arch> fnma(xsimd::batch<float, Arch> a,
                               xsimd::batch<float, Arch> b,
                               xsimd::batch<float, Arch> c) {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value)
    return _mm512_fnmadd_ps(a, b, c);
  else
#endif
#if defined(__AVX2__) && defined(__FMA__)
      if constexpr (std::is_base_of<xsimd::avx2, Arch>::value)
    return _mm256_fnmadd_ps(a, b, c);
  else
#endif
    return fma(-a, b, c);
}
template <class T>
lane<T> fnma(lane<T> a, lane<T> b, lane<T> c) {
  return std::fma(-a.value, b.value, c.value);
}
template <class Arch>
xsimd::batch<float, Arch> fms(xsimd::batch<float, Arch> a,
                              xsimd::batch<float, Arch> b,
                              xsimd::batch<float, Arch> c) {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value)
    return _mm512_fmsub_ps(a, b, c);
  else
#endif
#if defined(__AVX2__) && defined(__FMA__)
      if constexpr (std::is_base_of<xsimd::avx2, Arch>::value)
    return _mm256_fmsub_ps(a, b, c);
  else
#endif
    return fma(a, b, -c);
}
template <class T>
lane<T> fms(lane<T> a, lane<T> b, lane<T> c) {
  return std::fma(a.value, b.value, -c.value);
}

// a / b, correctly rounded on every ISA. xsimd 8.1's neon64 has no float
// division of its own: it inherits armv7's reciprocal estimate plus two
// Newton steps, which is neither correctly rounded nor the other ISAs' bits.
template <class Arch>
xsimd::batch<float, Arch> div(xsimd::batch<float, Arch> a,
                              xsimd::batch<float, Arch> b) {
#if defined(__aarch64__)
  if constexpr (std::is_base_of<xsimd::neon64, Arch>::value)
    return vdivq_f32(a, b);
  else
#endif
    return a / b;
}
template <class T>
lane<T> div(lane<T> a, lane<T> b) {
  return a / b;
}

template <class Arch, class T>
xsimd::batch<T, Arch> select(xsimd::batch_bool<T, Arch> m,
                             xsimd::batch<T, Arch> a, xsimd::batch<T, Arch> b) {
  return xsimd::select(m, a, b);
}
template <class T>
lane<T> select(lane_bool<T> m, lane<T> a, lane<T> b) {
  return m.value ? a : b;
}

// min / max that return b when a or b is NaN on x86 (minps/maxps) and in
// the scalar adapter; NEON returns the NaN either way. So min(bound, x)
// passes a NaN x through on every ISA, which is how the kernels clamp.
template <class Arch>
xsimd::batch<float, Arch> min(xsimd::batch<float, Arch> a,
                              xsimd::batch<float, Arch> b) {
  return xsimd::min(a, b);
}
template <class T>
lane<T> min(lane<T> a, lane<T> b) {
  return a.value < b.value ? a : b;
}
template <class Arch>
xsimd::batch<float, Arch> max(xsimd::batch<float, Arch> a,
                              xsimd::batch<float, Arch> b) {
  return xsimd::max(a, b);
}
template <class T>
lane<T> max(lane<T> a, lane<T> b) {
  return a.value > b.value ? a : b;
}

// table[index mod 16] per lane, for a table of 16 floats and any int32
// indices (their low 4 bits pick the entry): one permute on avx512, two and
// a blend on avx2, which read only those bits (so callers pass their index
// unmasked), lane by lane elsewhere. Every ISA reads the same table, so the
// results are the same bits.
template <class Arch>
xsimd::batch<float, Arch> lookup16(const float (&table)[16],
                                   xsimd::batch<std::int32_t, Arch> index) {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
    return _mm512_permutexvar_ps(index, _mm512_loadu_ps(table));
  } else
#endif
#if defined(__AVX2__)
      if constexpr (std::is_base_of<xsimd::avx2, Arch>::value) {
    const __m256 low = _mm256_permutevar8x32_ps(_mm256_loadu_ps(table), index);
    const __m256 high =
        _mm256_permutevar8x32_ps(_mm256_loadu_ps(table + 8), index);
    // Index bit 3 moved to the sign bit picks the upper half.
    return _mm256_blendv_ps(low, high,
                            _mm256_castsi256_ps(_mm256_slli_epi32(index, 28)));
  } else
#endif
  {
    constexpr std::size_t width = xsimd::batch<float, Arch>::size;
    alignas(64) std::int32_t indices[width];
    alignas(64) float values[width];
    index.store_aligned(indices);
    for (std::size_t l = 0; l < width; ++l) values[l] = table[indices[l] & 15];
    return xsimd::batch<float, Arch>::load_aligned(values);
  }
}
template <class T>
lane<float> lookup16(const float (&table)[16], lane<T> index) {
  return table[index.value & 15];
}

// Whether any lane of a mask is set: for a rare slow path.
template <class Arch, class T>
bool any(xsimd::batch_bool<T, Arch> m) {
  return xsimd::any(m);
}
template <class T>
bool any(lane_bool<T> m) {
  return m.value;
}

// ---- bit reinterpretation ------------------------------------------------

template <class Arch>
xsimd::batch<std::int32_t, Arch> as_int(xsimd::batch<float, Arch> v) {
  return xsimd::bitwise_cast<xsimd::batch<std::int32_t, Arch>>(v);
}
template <class T>
lane<std::int32_t> as_int(lane<T> v) {
  return lane<T>::bits(v.value);
}

template <class Arch>
xsimd::batch<float, Arch> as_float(xsimd::batch<std::int32_t, Arch> v) {
  return xsimd::bitwise_cast<xsimd::batch<float, Arch>>(v);
}
template <class T>
lane<float> as_float(lane<T> v) {
  return lane<float>::from_bits(v.value);
}

// a where s's sign bit is set, else b: select(s < 0, a, b) except that
// -0 and NaNs with the sign bit pick a. Where a caller's a and b agree at
// s = +-0, one blend: SSE4.1's and AVX's blendv read the sign bit itself,
// AVX-512 and NEON turn it into a mask in one operation, as a comparison
// would.
template <class Arch>
xsimd::batch<float, Arch> select_on_sign(xsimd::batch<float, Arch> s,
                                         xsimd::batch<float, Arch> a,
                                         xsimd::batch<float, Arch> b) {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, Arch>::value) {
    const __mmask16 sign =
        _mm512_cmplt_epi32_mask(_mm512_castps_si512(s), _mm512_setzero_si512());
    return _mm512_mask_blend_ps(sign, b, a);
  } else
#endif
#if defined(__AVX__)
      if constexpr (std::is_base_of<xsimd::avx, Arch>::value) {
    return _mm256_blendv_ps(b, a, s);
  } else
#endif
#if defined(__SSE4_1__)
      if constexpr (std::is_base_of<xsimd::sse4_1, Arch>::value) {
    return _mm_blendv_ps(b, a, s);
  } else
#endif
#if defined(__aarch64__)
      if constexpr (std::is_base_of<xsimd::neon64, Arch>::value) {
    const uint32x4_t sign =
        vreinterpretq_u32_s32(vshrq_n_s32(vreinterpretq_s32_f32(s), 31));
    return vbslq_f32(sign, a, b);
  } else
#endif
  {
    // The sign bit spread over the lane: a mask of the float's type.
    const auto sign = as_float(as_int(s) >> 31);
    return b ^ ((a ^ b) & sign);
  }
}
template <class T>
lane<T> select_on_sign(lane<T> s, lane<T> a, lane<T> b) {
  return std::signbit(s.value) ? a : b;
}

}  // namespace vec

// ---- lockstep<V, N>: N vectors, each operation applied to all N ----------
//
// N independent vectors that every operation of this vocabulary applies to
// one after the other, so that a kernel written once on V runs on N vectors
// with their instructions interleaved (simd::transform maps kernels on
// lockstep<V, 4>). Why: the long kernels are dependency chains (about 65
// core cycles from x to y for sigmoid) of about 55 instructions per vector.
// Fed one vector after another, the core's schedulers fill with the waiting
// instructions of one or two vectors while the pipes idle; interleaved,
// each step of the chain has N independent instructions ready at once. The
// results are the same bits: each lane goes through the same operations;
// only vec::any, which picks a rare path whose results equal the common
// path's, looks at all N vectors.

namespace detail {
// result(f(0), ..., f(N-1)): every operation of lockstep is one pack
// expansion, so that each part has a constant index from the start and the
// compiler keeps the parts in registers (loops over the parts, unrolled
// only after scalar replacement, left them on the stack).
template <class Result, std::size_t... K, class F>
VACT_INLINE Result each_part(std::index_sequence<K...>, F&& f) {
  return Result(f(std::integral_constant<std::size_t, K>())...);
}
}  // namespace detail

template <class Mask, std::size_t N>
struct lockstep_bool {
  Mask part[N];

  lockstep_bool() = default;
  template <class... Masks>
  VACT_INLINE explicit lockstep_bool(const Masks&... m) : part{m...} {}

  template <class F>
  static VACT_INLINE lockstep_bool each(F&& f) {
    return detail::each_part<lockstep_bool>(std::make_index_sequence<N>(), f);
  }
  friend VACT_INLINE lockstep_bool operator&(const lockstep_bool& a,
                                             const lockstep_bool& b) {
    return each([&](auto k)
                    VACT_LAMBDA_INLINE { return a.part[k] & b.part[k]; });
  }
  friend VACT_INLINE lockstep_bool operator|(const lockstep_bool& a,
                                             const lockstep_bool& b) {
    return each([&](auto k)
                    VACT_LAMBDA_INLINE { return a.part[k] | b.part[k]; });
  }
  VACT_INLINE lockstep_bool operator~() const {
    return each([&](auto k) VACT_LAMBDA_INLINE { return ~part[k]; });
  }
};

template <class V, std::size_t N>
struct lockstep {
  static_assert(N >= 2, "one vector is V itself");
  using value_type = typename V::value_type;
  using bool_type = lockstep_bool<decltype(V() < V()), N>;

  V part[N];

  lockstep() = default;
  // A constant in every lane, like xsimd's broadcast constructor.
  VACT_INLINE lockstep(value_type s)  // NOLINT: implicit on purpose
      : lockstep(each([s](auto) VACT_LAMBDA_INLINE { return V(s); })) {}
  // One vector in every part.
  VACT_INLINE explicit lockstep(const V& v)
      : lockstep(each([&v](auto) VACT_LAMBDA_INLINE { return v; })) {}
  // The N parts.
  template <class... Parts, class = std::enable_if_t<sizeof...(Parts) == N - 1>>
  VACT_INLINE lockstep(const V& first, const Parts&... rest)
      : part{first, rest...} {}

  // lockstep(f(0), ..., f(N-1)), or the lockstep_bool of those masks.
  template <class Result = lockstep, class F>
  static VACT_INLINE Result each(F&& f) {
    return detail::each_part<Result>(std::make_index_sequence<N>(), f);
  }

#define VACT_LOCKSTEP_BINARY(OP, RESULT)                                    \
  friend VACT_INLINE RESULT operator OP(const lockstep& a,                  \
                                        const lockstep& b) {                \
    return each<RESULT>(                                                    \
        [&](auto k) VACT_LAMBDA_INLINE { return a.part[k] OP b.part[k]; }); \
  }
  VACT_LOCKSTEP_BINARY(+, lockstep)
  VACT_LOCKSTEP_BINARY(-, lockstep)
  VACT_LOCKSTEP_BINARY(*, lockstep)
  VACT_LOCKSTEP_BINARY(/, lockstep)
  VACT_LOCKSTEP_BINARY(&, lockstep)
  VACT_LOCKSTEP_BINARY(|, lockstep)
  VACT_LOCKSTEP_BINARY(^, lockstep)
  VACT_LOCKSTEP_BINARY(<, bool_type)
  VACT_LOCKSTEP_BINARY(<=, bool_type)
  VACT_LOCKSTEP_BINARY(>, bool_type)
  VACT_LOCKSTEP_BINARY(>=, bool_type)
  VACT_LOCKSTEP_BINARY(==, bool_type)
  VACT_LOCKSTEP_BINARY(!=, bool_type)
#undef VACT_LOCKSTEP_BINARY

  VACT_INLINE lockstep operator-() const {
    return each([&](auto k) VACT_LAMBDA_INLINE { return -part[k]; });
  }
  friend VACT_INLINE lockstep operator<<(const lockstep& a, int s) {
    return each([&](auto k) VACT_LAMBDA_INLINE { return a.part[k] << s; });
  }
  friend VACT_INLINE lockstep operator>>(const lockstep& a, int s) {
    return each([&](auto k) VACT_LAMBDA_INLINE { return a.part[k] >> s; });
  }
};

template <class V, std::size_t N>
struct vec_traits<lockstep<V, N>> {
  static constexpr bool is_float_vector = vec_traits<V>::is_float_vector;
  using arch = typename vec_traits<V>::arch;
  using int_vector = lockstep<int_vector_t<V>, N>;
  static constexpr std::size_t width = N * vec_traits<V>::width;
  static constexpr bool fused_fma = vec_traits<V>::fused_fma;
};

namespace vec {

// The part-by-part forms of vec::fma, fnma, fms, div, min and max.
#define VACT_LOCKSTEP_FUNCTION2(NAME)                            \
  template <class V, std::size_t N>                              \
  VACT_INLINE lockstep<V, N> NAME(const lockstep<V, N>& a,       \
                                  const lockstep<V, N>& b) {     \
    return lockstep<V, N>::each([&](auto k) VACT_LAMBDA_INLINE { \
      return vec::NAME(a.part[k], b.part[k]);                    \
    });                                                          \
  }
#define VACT_LOCKSTEP_FUNCTION3(NAME)                            \
  template <class V, std::size_t N>                              \
  VACT_INLINE lockstep<V, N> NAME(const lockstep<V, N>& a,       \
                                  const lockstep<V, N>& b,       \
                                  const lockstep<V, N>& c) {     \
    return lockstep<V, N>::each([&](auto k) VACT_LAMBDA_INLINE { \
      return vec::NAME(a.part[k], b.part[k], c.part[k]);         \
    });                                                          \
  }
VACT_LOCKSTEP_FUNCTION3(fma)
VACT_LOCKSTEP_FUNCTION3(fnma)
VACT_LOCKSTEP_FUNCTION3(fms)
VACT_LOCKSTEP_FUNCTION2(div)
VACT_LOCKSTEP_FUNCTION2(min)
VACT_LOCKSTEP_FUNCTION2(max)
#undef VACT_LOCKSTEP_FUNCTION2
#undef VACT_LOCKSTEP_FUNCTION3

template <class V, std::size_t N, class Mask>
VACT_INLINE lockstep<V, N> select(const lockstep_bool<Mask, N>& m,
                                  const lockstep<V, N>& a,
                                  const lockstep<V, N>& b) {
  return lockstep<V, N>::each([&](auto k) VACT_LAMBDA_INLINE {
    return vec::select(m.part[k], a.part[k], b.part[k]);
  });
}
template <class V, std::size_t N>
VACT_INLINE lockstep<V, N> select_on_sign(const lockstep<V, N>& s,
                                          const lockstep<V, N>& a,
                                          const lockstep<V, N>& b) {
  return lockstep<V, N>::each([&](auto k) VACT_LAMBDA_INLINE {
    return vec::select_on_sign(s.part[k], a.part[k], b.part[k]);
  });
}
template <class Mask, std::size_t N>
VACT_INLINE bool any(const lockstep_bool<Mask, N>& m) {
  Mask all = m.part[0];
  for (std::size_t k = 1; k < N; ++k) all = all | m.part[k];
  return vec::any(all);
}
template <class V, std::size_t N>
VACT_INLINE lockstep<int_vector_t<V>, N> as_int(const lockstep<V, N>& v) {
  return lockstep<V, N>::template each<lockstep<int_vector_t<V>, N>>(
      [&](auto k) VACT_LAMBDA_INLINE { return vec::as_int(v.part[k]); });
}
template <class I, std::size_t N>
VACT_INLINE auto as_float(const lockstep<I, N>& v) {
  using F = lockstep<decltype(vec::as_float(v.part[0])), N>;
  return lockstep<I, N>::template each<F>(
      [&](auto k) VACT_LAMBDA_INLINE { return vec::as_float(v.part[k]); });
}
template <class I, std::size_t N>
VACT_INLINE auto lookup16(const float (&table)[16], const lockstep<I, N>& j) {
  using F = lockstep<decltype(vec::lookup16(table, j.part[0])), N>;
  return F::each([&](auto k) VACT_LAMBDA_INLINE {
    return vec::lookup16(table, j.part[k]);
  });
}

// ---- derived helpers, written once for every kind -----------------------

// |x| by clearing the sign bit (exact, keeps NaN).
template <class V>
V abs(V x) {
  return x & vec::as_float(int_vector_t<V>(0x7fffffff));
}

// -|x| by setting the sign bit: one OR, where -abs(x) is an AND and an XOR
// (avx512: a subtraction from 0, which gives +0 for +-0 and quiets a
// signalling NaN, where this gives -0 and keeps it; the kernels' results
// do not see the difference).
template <class V>
V minus_abs(V x) {
  return x | V(-0.0f);
}

// The sign bit of x alone (+0 or -0, or the sign of a NaN).
template <class V>
V sign_bit(V x) {
  return x & V(-0.0f);
}

// Lanes holding a NaN. Not x != x: xsimd 8.1's AVX comparison for != is
// the ordered one (_CMP_NEQ_OQ), false for NaN; the negated == is right on
// every ISA.
template <class V>
auto is_nan(V x) {
  return ~(x == x);
}

// Whether V is an AVX-512 float vector: the closing steps below take one
// masked operation there where the other ISAs take an operation and a
// blend, with the same bits.
template <class V>
constexpr bool is_avx512_vector() {
  return std::is_base_of<xsimd::avx512f, typename vec_traits<V>::arch>::value;
}

// NaN inputs pass through as quiet NaNs; other lanes take result. Kernels
// end with this so that intermediate clamps (whose NaN handling differs
// between ISAs) cannot lose or alter a NaN.
template <class V>
V keep_nan(V x, V result) {
#if defined(__AVX512F__)
  if constexpr (is_avx512_vector<V>()) {
    // x + x added into result's NaN lanes only: two operations, where the
    // sum and a blend make three.
    return _mm512_mask_add_ps(result, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x,
                              x);
  }
#endif
  // x == x with the select's operands swapped, rather than is_nan(x):
  // is_nan inverts the mask (xsimd's float != is the ordered compare), one
  // more operation per vector on sse2, avx2 and neon in every kernel.
  return vec::select(x == x, result, x + x);
}
template <class V, std::size_t N>
lockstep<V, N> keep_nan(const lockstep<V, N>& x, const lockstep<V, N>& result) {
  return lockstep<V, N>::each([&](auto k) VACT_LAMBDA_INLINE {
    return vec::keep_nan(x.part[k], result.part[k]);
  });
}

// f where s's sign bit is set, else 1 - f: select_on_sign(s, f, 1 - f),
// the two sides of a logistic function.
template <class V>
V select_on_sign_or_complement(V s, V f) {
#if defined(__AVX512F__)
  if constexpr (is_avx512_vector<V>()) {
    // 1 - f subtracted into the lanes whose sign bit is clear only: two
    // operations, where the difference and a blend make three.
    const __mmask16 positive =
        _mm512_cmpge_epi32_mask(_mm512_castps_si512(s), _mm512_setzero_si512());
    return _mm512_mask_sub_ps(f, positive, _mm512_set1_ps(1.0f), f);
  }
#endif
  return vec::select_on_sign(s, f, V(1.0f) - f);
}
template <class V, std::size_t N>
lockstep<V, N> select_on_sign_or_complement(const lockstep<V, N>& s,
                                            const lockstep<V, N>& f) {
  return lockstep<V, N>::each([&](auto k) VACT_LAMBDA_INLINE {
    return vec::select_on_sign_or_complement(s.part[k], f.part[k]);
  });
}

// x where x >= 0 (-0 included), negative where x < 0, and x's NaN quieted:
// keep_nan(x, select(x >= 0, x, negative)), the shape of elu and
// leaky_relu.
template <class V>
V nonnegative_or(V x, V negative) {
#if defined(__AVX512F__)
  if constexpr (is_avx512_vector<V>()) {
    // min(x, x) by vrangeps into the lanes that are not below 0, NaNs
    // included: x itself (-0 too), and a NaN quieted as x + x quiets it.
    // Two operations where a comparison, a blend and keep_nan's two make
    // four. (Not x * 1, which GCC folds to x, signalling NaNs unquieted.)
    const __mmask16 not_below =
        _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NLT_UQ);
    return _mm512_mask_range_ps(negative, not_below, x, x, 0);
  }
#endif
  return vec::keep_nan(x, vec::select(x >= V(0.0f), x, negative));
}
template <class V, std::size_t N>
lockstep<V, N> nonnegative_or(const lockstep<V, N>& x,
                              const lockstep<V, N>& negative) {
  return lockstep<V, N>::each([&](auto k) VACT_LAMBDA_INLINE {
    return vec::nonnegative_or(x.part[k], negative.part[k]);
  });
}

}  // namespace vec
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_VEC_HPP
