// SPDX-License-Identifier: Apache-2.0
#include "cpu_features.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace vact {
namespace detail {
namespace {

#if defined(__x86_64__) || defined(__i386__)

struct cpuid_registers {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
};

cpuid_registers cpuid(unsigned leaf, unsigned subleaf) {
  cpuid_registers r;
  if (!__get_cpuid_count(leaf, subleaf, &r.eax, &r.ebx, &r.ecx, &r.edx))
    return cpuid_registers{};
  return r;
}

// XCR0: which register states the OS saves on a context switch. Only valid
// when CPUID says OSXSAVE; the instruction is spelt out in bytes so that
// this file needs no -mxsave.
unsigned long long read_xcr0() {
  unsigned eax = 0, edx = 0;
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}

constexpr bool bit(unsigned value, int index) {
  return ((value >> index) & 1u) != 0;
}

cpu_features detect() {
  cpu_features f;
  const unsigned max_leaf = cpuid(0, 0).eax;
  if (max_leaf < 1) return f;
  const cpuid_registers leaf1 = cpuid(1, 0);
  const cpuid_registers leaf7 = max_leaf >= 7 ? cpuid(7, 0) : cpuid_registers{};
  const cpuid_registers leaf7_1 =
      max_leaf >= 7 && leaf7.eax >= 1 ? cpuid(7, 1) : cpuid_registers{};

  f.sse2 = bit(leaf1.edx, 26);
  f.sse41 = f.sse2 && bit(leaf1.ecx, 0) /* sse3 */ &&
            bit(leaf1.ecx, 9) /* ssse3 */ && bit(leaf1.ecx, 19);

  const bool osxsave = bit(leaf1.ecx, 27);
  const unsigned long long xcr0 = osxsave ? read_xcr0() : 0;
  const bool ymm_state = (xcr0 & 0x6) == 0x6;    // SSE + AVX state
  const bool zmm_state = (xcr0 & 0xe6) == 0xe6;  // + opmask, ZMM_Hi256/Hi16
  f.f16c = ymm_state && bit(leaf1.ecx, 28) /* avx */ && bit(leaf1.ecx, 29);
  f.avx2 = f.sse41 && f.f16c && bit(leaf1.ecx, 12) /* fma */ &&
           bit(leaf7.ebx, 5) /* avx2 */;
#if VACT_EMULATED_AVX512
  // A test build whose avx512 table runs on AVX2 (VACT_EMULATE_AVX512).
  (void)zmm_state;
  f.avx512 = f.avx2;
#else
  f.avx512 = f.avx2 && zmm_state && bit(leaf7.ebx, 16) /* f */ &&
             bit(leaf7.ebx, 17) /* dq */ && bit(leaf7.ebx, 28) /* cd */ &&
             bit(leaf7.ebx, 30) /* bw */ && bit(leaf7.ebx, 31) /* vl */;
#endif
  f.avx512_bf16 = f.avx512 && bit(leaf7_1.eax, 5);
  return f;
}

#elif defined(__aarch64__)

cpu_features detect() {
  cpu_features f;
  f.neon = true;  // Advanced SIMD is mandatory in AArch64
  return f;
}

#else

cpu_features detect() { return cpu_features{}; }

#endif

}  // namespace

const cpu_features& detected_cpu_features() {
  static const cpu_features features = detect();
  return features;
}

}  // namespace detail
}  // namespace vact
