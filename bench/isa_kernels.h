// SPDX-License-Identifier: Apache-2.0
//
// The interface of the files compiled with ISA flags: -mavx2 -mfma (SLEEF,
// Eigen, the AVX2 copy loop) or the AVX-512 ones (SLEEF, Eigen), from
// cmake/VactIsa.cmake. It is kept to plain structs and function pointers on
// purpose: an inline function or template that both these files and the
// baseline files instantiate (std::function, std::string, ...) is emitted in
// both, and the linker keeps one copy, possibly the AVX2 one, which would then
// run on a CPU without AVX2 (the trap docs/architecture.md describes for
// src/isa/). For the same reason the code shared by the AVX2 and AVX-512
// copies of a peer (peer_<peer>_formulas.h) sits in a namespace named after
// the ISA. The baseline code calls these only after checking that the CPU
// has the ISA (CpuHasAvx2, CpuHasAvx512).

#ifndef VACT_BENCH_ISA_KERNELS_H
#define VACT_BENCH_ISA_KERNELS_H

#include <cstddef>

namespace vact_bench {

// y = op(x) over rows x cols contiguous floats (element-wise ops get rows = 1,
// cols = n; softmax and log_softmax work along each row).
using IsaKernelFn = void (*)(const float* x, float* y, std::size_t rows,
                             std::size_t cols);

struct IsaKernel {
  const char* op;  // vact's name of the op: "sigmoid", "softmax", ...
  IsaKernelFn run;
};

struct IsaKernelTable {
  const IsaKernel* kernels;
  std::size_t count;
};

// The textbook formulas over SLEEF's u10 (1.0 ULP) functions, 8 floats at a
// time (AVX2) or 16 (AVX-512).
IsaKernelTable SleefAvx2Kernels();
IsaKernelTable SleefAvx512Kernels();
// The textbook formulas as Eigen 3.4 Array expressions, vectorised for AVX2
// or AVX-512.
IsaKernelTable EigenAvx2Kernels();
IsaKernelTable EigenAvx512Kernels();
// y = x with 256-bit unaligned loads and stores: the plain copy loop.
void Avx2Copy(const float* x, float* y, std::size_t n);

}  // namespace vact_bench

#endif  // VACT_BENCH_ISA_KERNELS_H
