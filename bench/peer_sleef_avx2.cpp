// SPDX-License-Identifier: Apache-2.0
//
// Peer "sleef": the textbook formulas built from SLEEF 3.5's AVX2 functions
// with a 1.0-ULP bound (Sleef_<f>f8_u10avx2), eight floats at a time. This is
// what a user who reaches for a vector libm writes. Compiled with -mavx2 -mfma
// only; see avx2_kernels.h for why everything here stays in this file.

#include <immintrin.h>
#include <sleef.h>

#include <cstring>

#include "avx2_kernels.h"
#include "op_constants.h"

namespace vact_bench {
namespace {

constexpr std::size_t kLanes = 8;

__m256 Splat(float value) { return _mm256_set1_ps(value); }

// The tail (fewer than 8 floats) goes through a padded copy, so that no
// vector load or store crosses the end of the arrays.
template <typename VectorFormula>
void Map(const float* x, float* y, std::size_t n, VectorFormula formula) {
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    _mm256_storeu_ps(y + i, formula(_mm256_loadu_ps(x + i)));
  }
  if (i < n) {
    float padded[kLanes] = {};
    std::memcpy(padded, x + i, (n - i) * sizeof(float));
    _mm256_storeu_ps(padded, formula(_mm256_loadu_ps(padded)));
    std::memcpy(y + i, padded, (n - i) * sizeof(float));
  }
}

__m256 Sigmoid(__m256 x) {
  const __m256 one = Splat(1.0f);
  const __m256 e = Sleef_expf8_u10avx2(_mm256_sub_ps(_mm256_setzero_ps(), x));
  return _mm256_div_ps(one, _mm256_add_ps(one, e));
}

__m256 Elu(__m256 x, float alpha) {
  const __m256 negative = _mm256_mul_ps(Splat(alpha), Sleef_expm1f8_u10avx2(x));
  const __m256 positive = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ);
  return _mm256_blendv_ps(negative, x, positive);
}

__m256 Softplus(__m256 x) {
  return Sleef_log1pf8_u10avx2(Sleef_expf8_u10avx2(x));
}

__m256 HalfXTimesOnePlus(__m256 x, __m256 t) {
  return _mm256_mul_ps(_mm256_mul_ps(Splat(0.5f), x),
                       _mm256_add_ps(Splat(1.0f), t));
}

void SigmoidArray(const float* x, float* y, std::size_t rows,
                  std::size_t cols) {
  Map(x, y, rows * cols, Sigmoid);
}

void TanhArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](__m256 v) { return Sleef_tanhf8_u10avx2(v); });
}

void EluArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](__m256 v) { return Elu(v, kEluAlpha); });
}

void SeluArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](__m256 v) {
    return _mm256_mul_ps(Splat(kSeluLambda), Elu(v, kSeluAlpha));
  });
}

void SoftplusArray(const float* x, float* y, std::size_t rows,
                   std::size_t cols) {
  Map(x, y, rows * cols, Softplus);
}

void GeluArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](__m256 v) {
    const __m256 erf = Sleef_erff8_u10avx2(_mm256_mul_ps(v, Splat(kSqrtHalf)));
    return HalfXTimesOnePlus(v, erf);
  });
}

void GeluTanhArray(const float* x, float* y, std::size_t rows,
                   std::size_t cols) {
  Map(x, y, rows * cols, [](__m256 v) {
    const __m256 cube = _mm256_mul_ps(_mm256_mul_ps(v, v), v);
    const __m256 inner = _mm256_mul_ps(
        Splat(kGeluTanhScale),
        _mm256_add_ps(v, _mm256_mul_ps(Splat(kGeluTanhCubic), cube)));
    return HalfXTimesOnePlus(v, Sleef_tanhf8_u10avx2(inner));
  });
}

void SiluArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](__m256 v) { return _mm256_mul_ps(v, Sigmoid(v)); });
}

void MishArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](__m256 v) {
    return _mm256_mul_ps(v, Sleef_tanhf8_u10avx2(Softplus(v)));
  });
}

// Horizontal max and sum of the eight lanes.
float ReduceMax(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}
float ReduceSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// A row's tail as a full vector, padded with `fill`.
__m256 LoadTail(const float* x, std::size_t count, float fill) {
  float padded[kLanes];
  for (std::size_t i = 0; i < kLanes; ++i) padded[i] = i < count ? x[i] : fill;
  return _mm256_loadu_ps(padded);
}

float RowMax(const float* x, std::size_t cols) {
  const float minus_inf = -__builtin_inff();
  __m256 max = Splat(minus_inf);
  std::size_t c = 0;
  for (; c + kLanes <= cols; c += kLanes) {
    max = _mm256_max_ps(max, _mm256_loadu_ps(x + c));
  }
  if (c < cols) max = _mm256_max_ps(max, LoadTail(x + c, cols - c, minus_inf));
  return ReduceMax(max);
}

// Sum of e^(x - max) over the row; writes the exponentials to y when given.
float RowSumExp(const float* x, float* y, std::size_t cols, float max) {
  const __m256 shift = Splat(max);
  __m256 sum = _mm256_setzero_ps();
  std::size_t c = 0;
  for (; c + kLanes <= cols; c += kLanes) {
    const __m256 e =
        Sleef_expf8_u10avx2(_mm256_sub_ps(_mm256_loadu_ps(x + c), shift));
    if (y != nullptr) _mm256_storeu_ps(y + c, e);
    sum = _mm256_add_ps(sum, e);
  }
  if (c < cols) {
    // Padding with -inf makes the padded lanes' exponentials exactly 0.
    const __m256 tail = LoadTail(x + c, cols - c, -__builtin_inff());
    const __m256 e = Sleef_expf8_u10avx2(_mm256_sub_ps(tail, shift));
    if (y != nullptr) {
      float padded[kLanes];
      _mm256_storeu_ps(padded, e);
      std::memcpy(y + c, padded, (cols - c) * sizeof(float));
    }
    sum = _mm256_add_ps(sum, e);
  }
  return ReduceSum(sum);
}

void SoftmaxRows(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x_row = x + r * cols;
    float* y_row = y + r * cols;
    const float sum = RowSumExp(x_row, y_row, cols, RowMax(x_row, cols));
    const __m256 scale = Splat(1.0f / sum);
    Map(y_row, y_row, cols,
        [scale](__m256 v) { return _mm256_mul_ps(v, scale); });
  }
}

void LogSoftmaxRows(const float* x, float* y, std::size_t rows,
                    std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x_row = x + r * cols;
    const float max = RowMax(x_row, cols);
    const float log_sum = Sleef_logf_u10(RowSumExp(x_row, nullptr, cols, max));
    const __m256 shift = Splat(max + log_sum);
    Map(x_row, y + r * cols, cols,
        [shift](__m256 v) { return _mm256_sub_ps(v, shift); });
  }
}

constexpr Avx2Kernel kSleefKernels[] = {
    {"sigmoid", SigmoidArray},
    {"tanh", TanhArray},
    {"elu", EluArray},
    {"selu", SeluArray},
    {"softplus", SoftplusArray},
    {"gelu", GeluArray},
    {"gelu_tanh", GeluTanhArray},
    {"silu", SiluArray},
    {"mish", MishArray},
    {"softmax", SoftmaxRows},
    {"log_softmax", LogSoftmaxRows},
};

}  // namespace

Avx2KernelTable SleefAvx2Kernels() {
  return {kSleefKernels, sizeof(kSleefKernels) / sizeof(kSleefKernels[0])};
}

}  // namespace vact_bench
