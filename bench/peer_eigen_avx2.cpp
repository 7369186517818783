// SPDX-License-Identifier: Apache-2.0
//
// Peer "eigen": the textbook formulas as Eigen 3.4 Array expressions over
// Maps of the caller's buffers (no copies), the way an Eigen user writes
// them. Eigen picks its packet math from the compiler's target macros, so
// this file is compiled with -mavx2 -mfma (AVX2 packets, as vact's avx2
// column) and called only where the CPU has both; avx2_kernels.h says why
// nothing here is shared with the baseline files.

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>  // erf()

#include "avx2_kernels.h"
#include "op_constants.h"

namespace vact_bench {
namespace {

using Eigen::ArrayXf;
using Eigen::Index;
using InputArray = Eigen::Map<const ArrayXf>;
using OutputArray = Eigen::Map<ArrayXf>;

Index Count(std::size_t rows, std::size_t cols) {
  return static_cast<Index>(rows * cols);
}

// The formulas, as Eigen users write them. Eigen 3.4 evaluates select() on
// a comparison with `a` itself one element at a time, in branches that
// random inputs mispredict (0.1 G elements/s for leaky_relu at 4M floats),
// and its float expm1() is scalar: elu, selu and leaky_relu are written with
// max/min and exp(), which vectorise (e^x - 1 is the textbook loop's too).
auto Step(const InputArray& a) {
  return (a > 0.0f).select(ArrayXf::Ones(a.size()), 0.0f);
}
auto Relu(const InputArray& a) { return a.max(0.0f); }
auto Sigmoid(const InputArray& a) { return a.logistic(); }
auto Tanh(const InputArray& a) { return a.tanh(); }
auto Elu(const InputArray& a) {
  return a.max(0.0f) + kEluAlpha * (a.min(0.0f).exp() - 1.0f);
}
auto Selu(const InputArray& a) {
  return kSeluLambda * (a.max(0.0f) + kSeluAlpha * (a.min(0.0f).exp() - 1.0f));
}
auto Softplus(const InputArray& a) { return a.exp().log1p(); }
auto Gelu(const InputArray& a) {
  return 0.5f * a * (1.0f + (a * kSqrtHalf).erf());
}
auto GeluTanh(const InputArray& a) {
  const auto inner = kGeluTanhScale * (a + kGeluTanhCubic * a.cube());
  return 0.5f * a * (1.0f + inner.tanh());
}
auto Silu(const InputArray& a) { return a * a.logistic(); }
auto Mish(const InputArray& a) { return a * a.exp().log1p().tanh(); }
auto Hardsigmoid(const InputArray& a) {
  return (a + 3.0f).max(0.0f).min(6.0f) / 6.0f;
}
auto Hardswish(const InputArray& a) {
  return a * (a + 3.0f).max(0.0f).min(6.0f) / 6.0f;
}
auto Softsign(const InputArray& a) { return a / (1.0f + a.abs()); }
auto LeakyRelu(const InputArray& a) { return a.max(kLeakySlope * a); }

// y = kFormula(x) over rows * cols floats, evaluated by Eigen in one pass.
// The formulas return expression templates that hold the Map and the
// scalars by value, so nothing they refer to is gone when this evaluates.
template <auto kFormula>
void ElementwiseArray(const float* x, float* y, std::size_t rows,
                      std::size_t cols) {
  const Index n = Count(rows, cols);
  OutputArray(y, n) = kFormula(InputArray(x, n));
}

// Row by row over contiguous row Maps: the row max, the exponentials and
// their sum each vectorise along the row.
void SoftmaxRows(const float* x, float* y, std::size_t rows, std::size_t cols) {
  const auto n = static_cast<Index>(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const InputArray x_row(x + r * cols, n);
    OutputArray y_row(y + r * cols, n);
    y_row = (x_row - x_row.maxCoeff()).exp();
    y_row *= 1.0f / y_row.sum();
  }
}

void LogSoftmaxRows(const float* x, float* y, std::size_t rows,
                    std::size_t cols) {
  const auto n = static_cast<Index>(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const InputArray x_row(x + r * cols, n);
    const float max = x_row.maxCoeff();
    const float log_sum = std::log((x_row - max).exp().sum());
    OutputArray(y + r * cols, n) = x_row - (max + log_sum);
  }
}

constexpr Avx2Kernel kEigenKernels[] = {
    {"step", ElementwiseArray<Step>},
    {"relu", ElementwiseArray<Relu>},
    {"sigmoid", ElementwiseArray<Sigmoid>},
    {"tanh", ElementwiseArray<Tanh>},
    {"elu", ElementwiseArray<Elu>},
    {"selu", ElementwiseArray<Selu>},
    {"softplus", ElementwiseArray<Softplus>},
    {"gelu", ElementwiseArray<Gelu>},
    {"gelu_tanh", ElementwiseArray<GeluTanh>},
    {"silu", ElementwiseArray<Silu>},
    {"mish", ElementwiseArray<Mish>},
    {"hardsigmoid", ElementwiseArray<Hardsigmoid>},
    {"hardswish", ElementwiseArray<Hardswish>},
    {"softsign", ElementwiseArray<Softsign>},
    {"leaky_relu", ElementwiseArray<LeakyRelu>},
    {"softmax", SoftmaxRows},
    {"log_softmax", LogSoftmaxRows},
};

}  // namespace

Avx2KernelTable EigenAvx2Kernels() {
  return {kEigenKernels, sizeof(kEigenKernels) / sizeof(kEigenKernels[0])};
}

}  // namespace vact_bench
