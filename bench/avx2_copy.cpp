// SPDX-License-Identifier: Apache-2.0
//
// A plain AVX2 copy loop, the second bandwidth limit beside memcpy (which
// glibc may run with non-temporal stores or `rep movsb`, depending on the
// size and the CPU). Compiled with -mavx2; called only when the CPU has it.

#include <immintrin.h>

#include "isa_kernels.h"

namespace vact_bench {

void Avx2Copy(const float* x, float* y, std::size_t n) {
  constexpr std::size_t kLanes = 8;
  std::size_t i = 0;
  // Two vectors per iteration, as a compiler would unroll a copy loop.
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    const __m256 a = _mm256_loadu_ps(x + i);
    const __m256 b = _mm256_loadu_ps(x + i + kLanes);
    _mm256_storeu_ps(y + i, a);
    _mm256_storeu_ps(y + i + kLanes, b);
  }
  for (; i + kLanes <= n; i += kLanes) {
    _mm256_storeu_ps(y + i, _mm256_loadu_ps(x + i));
  }
  for (; i < n; ++i) y[i] = x[i];
}

}  // namespace vact_bench
