// SPDX-License-Identifier: Apache-2.0
//
// Peer "sleef": the textbook formulas built from SLEEF 3.5's AVX2 functions
// with a 1.0-ULP bound (Sleef_<f>f8_u10avx2), eight floats at a time
// (peer_sleef_formulas.h). Compiled with the AVX2 flags only; called only
// where the CPU has AVX2 and FMA.

#include <immintrin.h>
#include <sleef.h>

#include <cstddef>

#include "isa_kernels.h"

namespace vact_bench {
namespace avx2 {
namespace {

using Vec = __m256;
constexpr std::size_t kLanes = 8;

Vec Load(const float* p) { return _mm256_loadu_ps(p); }
void Store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
Vec Splat(float value) { return _mm256_set1_ps(value); }
Vec Add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
Vec Sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
Vec Mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
Vec Div(Vec a, Vec b) { return _mm256_div_ps(a, b); }
Vec Max(Vec a, Vec b) { return _mm256_max_ps(a, b); }
// x > 0 ? a : b, lane by lane.
Vec SelectPositive(Vec x, Vec a, Vec b) {
  return _mm256_blendv_ps(b, a, _mm256_cmp_ps(x, Splat(0.0f), _CMP_GT_OQ));
}

// Horizontal max and sum of the eight lanes.
float ReduceMax(Vec v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}
float ReduceSum(Vec v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

Vec Exp(Vec v) { return Sleef_expf8_u10avx2(v); }
Vec Expm1(Vec v) { return Sleef_expm1f8_u10avx2(v); }
Vec Log1p(Vec v) { return Sleef_log1pf8_u10avx2(v); }
Vec Tanh(Vec v) { return Sleef_tanhf8_u10avx2(v); }
Vec Erf(Vec v) { return Sleef_erff8_u10avx2(v); }

}  // namespace
}  // namespace avx2
}  // namespace vact_bench

#define VACT_BENCH_TARGET avx2
#include "peer_sleef_formulas.h"

namespace vact_bench {

IsaKernelTable SleefAvx2Kernels() { return avx2::SleefKernels(); }

}  // namespace vact_bench
