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
  // Reported, not required on their own: F16C's f16 widening is part of
  // the avx2 table (and of avx512's, as AVX-512F); AVX512_BF16's conversion
  // flushes subnormals, so no table uses it (docs/architecture.md).
  bool f16c = false;
  bool avx512_bf16 = false;
};

// Detected once; later calls return the cached result.
const cpu_features& detected_cpu_features();

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_CPU_FEATURES_HPP
