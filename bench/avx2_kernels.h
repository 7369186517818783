// SPDX-License-Identifier: Apache-2.0
//
// The interface of the files compiled with -mavx2 -mfma (SLEEF, Eigen, the
// AVX2 copy loop). It is kept to plain structs and function pointers on
// purpose: an inline function or template that both these files and the
// baseline files instantiate (std::function, std::string, ...) is emitted in
// both, and the linker keeps one copy, possibly the AVX2 one, which would then
// run on a CPU without AVX2 (the trap DESIGN.md describes for src/isa/). The
// baseline code calls these only after checking that the CPU has AVX2 and
// FMA.

#ifndef VACT_BENCH_AVX2_KERNELS_H
#define VACT_BENCH_AVX2_KERNELS_H

#include <cstddef>

namespace vact_bench {

// y = op(x) over rows x cols contiguous floats (element-wise ops get rows = 1,
// cols = n; softmax and log_softmax work along each row).
using Avx2KernelFn = void (*)(const float* x, float* y, std::size_t rows,
                              std::size_t cols);

struct Avx2Kernel {
  const char* op;  // vact's name of the op: "sigmoid", "softmax", ...
  Avx2KernelFn run;
};

struct Avx2KernelTable {
  const Avx2Kernel* kernels;
  std::size_t count;
};

// The textbook formulas over SLEEF's AVX2 u10 (1.0 ULP) functions.
Avx2KernelTable SleefAvx2Kernels();
// The textbook formulas as Eigen 3.4 Array expressions, vectorised for AVX2.
Avx2KernelTable EigenAvx2Kernels();
// y = x with 256-bit unaligned loads and stores: the plain copy loop.
void Avx2Copy(const float* x, float* y, std::size_t n);

}  // namespace vact_bench

#endif  // VACT_BENCH_AVX2_KERNELS_H
