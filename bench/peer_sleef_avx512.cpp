// SPDX-License-Identifier: Apache-2.0
//
// Peer "sleef-avx512": the textbook formulas built from SLEEF 3.5's AVX-512
// functions with a 1.0-ULP bound (Sleef_<f>f16_u10avx512f), sixteen floats at
// a time (peer_sleef_formulas.h). Compiled with vact's AVX-512 flags only;
// called only where the CPU has them (CpuHasAvx512).

#include <immintrin.h>
#include <sleef.h>

#include <cstddef>

#include "isa_kernels.h"

namespace vact_bench {
namespace avx512 {
namespace {

using Vec = __m512;
constexpr std::size_t kLanes = 16;

Vec Load(const float* p) { return _mm512_loadu_ps(p); }
void Store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
Vec Splat(float value) { return _mm512_set1_ps(value); }
Vec Add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
Vec Sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
Vec Mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
Vec Div(Vec a, Vec b) { return _mm512_div_ps(a, b); }
Vec Max(Vec a, Vec b) { return _mm512_max_ps(a, b); }
// x > 0 ? a : b, lane by lane.
Vec SelectPositive(Vec x, Vec a, Vec b) {
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, Splat(0.0f), _CMP_GT_OQ), b,
                              a);
}
float ReduceMax(Vec v) { return _mm512_reduce_max_ps(v); }
float ReduceSum(Vec v) { return _mm512_reduce_add_ps(v); }

Vec Exp(Vec v) { return Sleef_expf16_u10avx512f(v); }
Vec Expm1(Vec v) { return Sleef_expm1f16_u10avx512f(v); }
Vec Log1p(Vec v) { return Sleef_log1pf16_u10avx512f(v); }
Vec Tanh(Vec v) { return Sleef_tanhf16_u10avx512f(v); }
Vec Erf(Vec v) { return Sleef_erff16_u10avx512f(v); }

}  // namespace
}  // namespace avx512
}  // namespace vact_bench

#define VACT_BENCH_TARGET avx512
#include "peer_sleef_formulas.h"

namespace vact_bench {

IsaKernelTable SleefAvx512Kernels() { return avx512::SleefKernels(); }

}  // namespace vact_bench
