// SPDX-License-Identifier: Apache-2.0
//
// The Eigen peers' code, written once for the AVX2 and AVX-512 files: the
// textbook formulas as Eigen 3.4 Array expressions over Maps of the caller's
// buffers (no copies), the way an Eigen user writes them. Eigen picks its
// packet width from the compiler's target macros, so each including file,
// compiled with its own ISA flags, gets its own vectorisation.
//
// Included by peer_eigen_<isa>.cpp only, after that file has defined
// VACT_BENCH_TARGET (avx2, avx512). Everything here lives in
// vact_bench::VACT_BENCH_TARGET (and an anonymous namespace in it), so the two
// ISA copies never meet in the linker (isa_kernels.h says why that matters).
// Eigen's own templates are the same in both files, though, and the linker
// would keep one copy of whatever is not inlined: the entry points are
// flattened (everything they call is inlined into them) so that no Eigen
// function is emitted out of line; `nm -C` on the two objects shows no
// Eigen symbol.

#ifndef VACT_BENCH_PEER_EIGEN_FORMULAS_H
#define VACT_BENCH_PEER_EIGEN_FORMULAS_H

#ifndef VACT_BENCH_TARGET
#error "define VACT_BENCH_TARGET (the ISA namespace) before including this"
#endif

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <unsupported/Eigen/SpecialFunctions>  // erf()

#include "isa_kernels.h"
#include "op_constants.h"

namespace vact_bench {
namespace VACT_BENCH_TARGET {
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
[[gnu::flatten]] void ElementwiseArray(const float* x, float* y,
                                       std::size_t rows, std::size_t cols) {
  const Index n = Count(rows, cols);
  OutputArray(y, n) = kFormula(InputArray(x, n));
}

// Row by row over contiguous row Maps: the row max, the exponentials and
// their sum each vectorise along the row.
[[gnu::flatten]] void SoftmaxRows(const float* x, float* y, std::size_t rows,
                                  std::size_t cols) {
  const auto n = static_cast<Index>(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const InputArray x_row(x + r * cols, n);
    OutputArray y_row(y + r * cols, n);
    y_row = (x_row - x_row.maxCoeff()).exp();
    y_row *= 1.0f / y_row.sum();
  }
}

[[gnu::flatten]] void LogSoftmaxRows(const float* x, float* y, std::size_t rows,
                                     std::size_t cols) {
  const auto n = static_cast<Index>(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const InputArray x_row(x + r * cols, n);
    const float max = x_row.maxCoeff();
    const float log_sum = std::log((x_row - max).exp().sum());
    OutputArray(y + r * cols, n) = x_row - (max + log_sum);
  }
}

constexpr IsaKernel kEigenKernels[] = {
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

// This ISA's table, for the file's Eigen<Isa>Kernels().
inline IsaKernelTable EigenKernels() {
  return {kEigenKernels, sizeof(kEigenKernels) / sizeof(kEigenKernels[0])};
}

}  // namespace VACT_BENCH_TARGET
}  // namespace vact_bench

#endif  // VACT_BENCH_PEER_EIGEN_FORMULAS_H
