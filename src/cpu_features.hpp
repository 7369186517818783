// SPDX-License-Identifier: Apache-2.0
//
// What this CPU and its OS can run, detected with our own CPUID and XGETBV
// (xsimd 8.1's detection misreads SSE2 and never checks XCR0; see
// docs/architecture.md).
#ifndef VACT_SRC_CPU_FEATURES_HPP
#define VACT_SRC_CPU_FEATURES_HPP

namespace vact {
namespace detail {

struct cpu_features {
  bool sse2 = false;
  bool sse41 = false;   // with SSE3 and SSSE3, which xsimd's sse4_1 uses
  bool avx2 = false;    // AVX2 + FMA + F16C, with YMM state enabled by the OS
  bool avx512 = false;  // AVX-512 F/CD/BW/DQ/VL, with ZMM state enabled
  bool neon = false;    // aarch64 Advanced SIMD (always there on aarch64)
  // Not required on their own: F16C's f16 conversions are part of the avx2
  // table (and of avx512's, as AVX-512F); with AVX512_BF16 the avx512 table
  // rounds bf16 by vcvtneps2bf16, its flushed subnormals sent the integer
  // way (src/isa/avx512_bf16.cpp).
  bool f16c = false;
  bool avx512_bf16 = false;
};

// Detected once; later calls return the cached result.
const cpu_features& detected_cpu_features();

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_CPU_FEATURES_HPP
