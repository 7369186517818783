// SPDX-License-Identifier: Apache-2.0
//
// The SLEEF peers' code, written once for the AVX2 and AVX-512 files: the
// textbook formulas over SLEEF's 1.0-ULP functions, and softmax and
// log_softmax row by row. This is what a user who reaches for a vector libm
// writes.
//
// Included by peer_sleef_<isa>.cpp only, after that file has defined
// VACT_BENCH_TARGET (avx2, avx512) and, in namespace
// vact_bench::VACT_BENCH_TARGET, the vector type and its operations:
//   Vec, kLanes, Load, Store, Splat, Add, Sub, Mul, Div, Max,
//   SelectPositive(x, a, b) (x > 0 ? a : b), ReduceMax, ReduceSum,
//   and SLEEF's u10 Exp, Expm1, Log1p, Tanh, Erf.
// Everything here lives in vact_bench::VACT_BENCH_TARGET (and an anonymous
// namespace in it), so the two ISA copies never meet in the linker
// (isa_kernels.h says why that matters).

#ifndef VACT_BENCH_PEER_SLEEF_FORMULAS_H
#define VACT_BENCH_PEER_SLEEF_FORMULAS_H

#ifndef VACT_BENCH_TARGET
#error "define VACT_BENCH_TARGET (the ISA namespace) before including this"
#endif

#include <sleef.h>

#include <cstring>

#include "isa_kernels.h"
#include "op_constants.h"

namespace vact_bench {
namespace VACT_BENCH_TARGET {
namespace {

// The tail (fewer than kLanes floats) goes through a padded copy, so that no
// vector load or store crosses the end of the arrays.
template <typename VectorFormula>
void Map(const float* x, float* y, std::size_t n, VectorFormula formula) {
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) Store(y + i, formula(Load(x + i)));
  if (i < n) {
    float padded[kLanes] = {};
    std::memcpy(padded, x + i, (n - i) * sizeof(float));
    Store(padded, formula(Load(padded)));
    std::memcpy(y + i, padded, (n - i) * sizeof(float));
  }
}

Vec Sigmoid(Vec x) {
  const Vec one = Splat(1.0f);
  return Div(one, Add(one, Exp(Sub(Splat(0.0f), x))));
}

Vec Elu(Vec x, float alpha) {
  return SelectPositive(x, x, Mul(Splat(alpha), Expm1(x)));
}

Vec Softplus(Vec x) { return Log1p(Exp(x)); }

Vec HalfXTimesOnePlus(Vec x, Vec t) {
  return Mul(Mul(Splat(0.5f), x), Add(Splat(1.0f), t));
}

void SigmoidArray(const float* x, float* y, std::size_t rows,
                  std::size_t cols) {
  Map(x, y, rows * cols, Sigmoid);
}

void TanhArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, Tanh);
}

void EluArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](Vec v) { return Elu(v, kEluAlpha); });
}

void SeluArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols,
      [](Vec v) { return Mul(Splat(kSeluLambda), Elu(v, kSeluAlpha)); });
}

void SoftplusArray(const float* x, float* y, std::size_t rows,
                   std::size_t cols) {
  Map(x, y, rows * cols, Softplus);
}

void GeluArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](Vec v) {
    return HalfXTimesOnePlus(v, Erf(Mul(v, Splat(kSqrtHalf))));
  });
}

void GeluTanhArray(const float* x, float* y, std::size_t rows,
                   std::size_t cols) {
  Map(x, y, rows * cols, [](Vec v) {
    const Vec cube = Mul(Mul(v, v), v);
    const Vec inner =
        Mul(Splat(kGeluTanhScale), Add(v, Mul(Splat(kGeluTanhCubic), cube)));
    return HalfXTimesOnePlus(v, Tanh(inner));
  });
}

void SiluArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](Vec v) { return Mul(v, Sigmoid(v)); });
}

void MishArray(const float* x, float* y, std::size_t rows, std::size_t cols) {
  Map(x, y, rows * cols, [](Vec v) { return Mul(v, Tanh(Softplus(v))); });
}

// A row's tail as a full vector, padded with `fill`.
Vec LoadTail(const float* x, std::size_t count, float fill) {
  float padded[kLanes];
  for (std::size_t i = 0; i < kLanes; ++i) padded[i] = i < count ? x[i] : fill;
  return Load(padded);
}

float RowMax(const float* x, std::size_t cols) {
  const float minus_inf = -__builtin_inff();
  Vec max = Splat(minus_inf);
  std::size_t c = 0;
  for (; c + kLanes <= cols; c += kLanes) max = Max(max, Load(x + c));
  if (c < cols) max = Max(max, LoadTail(x + c, cols - c, minus_inf));
  return ReduceMax(max);
}

// Sum of e^(x - max) over the row; writes the exponentials to y when given.
float RowSumExp(const float* x, float* y, std::size_t cols, float max) {
  const Vec shift = Splat(max);
  Vec sum = Splat(0.0f);
  std::size_t c = 0;
  for (; c + kLanes <= cols; c += kLanes) {
    const Vec e = Exp(Sub(Load(x + c), shift));
    if (y != nullptr) Store(y + c, e);
    sum = Add(sum, e);
  }
  if (c < cols) {
    // Padding with -inf makes the padded lanes' exponentials exactly 0.
    const Vec e = Exp(Sub(LoadTail(x + c, cols - c, -__builtin_inff()), shift));
    if (y != nullptr) {
      float padded[kLanes];
      Store(padded, e);
      std::memcpy(y + c, padded, (cols - c) * sizeof(float));
    }
    sum = Add(sum, e);
  }
  return ReduceSum(sum);
}

void SoftmaxRows(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x_row = x + r * cols;
    float* y_row = y + r * cols;
    const float sum = RowSumExp(x_row, y_row, cols, RowMax(x_row, cols));
    const Vec scale = Splat(1.0f / sum);
    Map(y_row, y_row, cols, [scale](Vec v) { return Mul(v, scale); });
  }
}

void LogSoftmaxRows(const float* x, float* y, std::size_t rows,
                    std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x_row = x + r * cols;
    const float max = RowMax(x_row, cols);
    const float log_sum = Sleef_logf_u10(RowSumExp(x_row, nullptr, cols, max));
    const Vec shift = Splat(max + log_sum);
    Map(x_row, y + r * cols, cols, [shift](Vec v) { return Sub(v, shift); });
  }
}

constexpr IsaKernel kSleefKernels[] = {
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

// This ISA's table, for the file's Sleef<Isa>Kernels().
inline IsaKernelTable SleefKernels() {
  return {kSleefKernels, sizeof(kSleefKernels) / sizeof(kSleefKernels[0])};
}

}  // namespace VACT_BENCH_TARGET
}  // namespace vact_bench

#endif  // VACT_BENCH_PEER_SLEEF_FORMULAS_H
