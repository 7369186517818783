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

// Defines <Name>Array(x, y, rows, cols) as y = expression of `a` (the input
// as an Eigen array), evaluated by Eigen in one vectorised pass.
#define VACT_EIGEN_ELEMENTWISE(Name, expression)               \
  void Name##Array(const float* x, float* y, std::size_t rows, \
                   std::size_t cols) {                         \
    const Index n = Count(rows, cols);                         \
    const InputArray a(x, n);                                  \
    OutputArray(y, n) = (expression);                          \
  }

VACT_EIGEN_ELEMENTWISE(Step, (a > 0.0f).select(ArrayXf::Ones(n), 0.0f))
VACT_EIGEN_ELEMENTWISE(Relu, a.max(0.0f))
VACT_EIGEN_ELEMENTWISE(Sigmoid, a.logistic())
VACT_EIGEN_ELEMENTWISE(Tanh, a.tanh())
VACT_EIGEN_ELEMENTWISE(Elu, (a > 0.0f).select(a, kEluAlpha* a.expm1()))
VACT_EIGEN_ELEMENTWISE(Selu,
                       kSeluLambda*(a > 0.0f).select(a, kSeluAlpha* a.expm1()))
VACT_EIGEN_ELEMENTWISE(Softplus, a.exp().log1p())
VACT_EIGEN_ELEMENTWISE(Gelu, 0.5f * a * (1.0f + (a * kSqrtHalf).erf()))
VACT_EIGEN_ELEMENTWISE(
    GeluTanh,
    0.5f * a *
        (1.0f + (kGeluTanhScale * (a + kGeluTanhCubic * a.cube())).tanh()))
VACT_EIGEN_ELEMENTWISE(Silu, a* a.logistic())
VACT_EIGEN_ELEMENTWISE(Mish, a* a.exp().log1p().tanh())
VACT_EIGEN_ELEMENTWISE(Hardsigmoid, (a + 3.0f).max(0.0f).min(6.0f) / 6.0f)
VACT_EIGEN_ELEMENTWISE(Hardswish, a*(a + 3.0f).max(0.0f).min(6.0f) / 6.0f)
VACT_EIGEN_ELEMENTWISE(Softsign, a / (1.0f + a.abs()))
VACT_EIGEN_ELEMENTWISE(LeakyRelu, (a >= 0.0f).select(a, kLeakySlope* a))

#undef VACT_EIGEN_ELEMENTWISE

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
    {"step", StepArray},
    {"relu", ReluArray},
    {"sigmoid", SigmoidArray},
    {"tanh", TanhArray},
    {"elu", EluArray},
    {"selu", SeluArray},
    {"softplus", SoftplusArray},
    {"gelu", GeluArray},
    {"gelu_tanh", GeluTanhArray},
    {"silu", SiluArray},
    {"mish", MishArray},
    {"hardsigmoid", HardsigmoidArray},
    {"hardswish", HardswishArray},
    {"softsign", SoftsignArray},
    {"leaky_relu", LeakyReluArray},
    {"softmax", SoftmaxRows},
    {"log_softmax", LogSoftmaxRows},
};

}  // namespace

Avx2KernelTable EigenAvx2Kernels() {
  return {kEigenKernels, sizeof(kEigenKernels) / sizeof(kEigenKernels[0])};
}

}  // namespace vact_bench
