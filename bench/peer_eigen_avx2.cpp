// SPDX-License-Identifier: Apache-2.0
//
// Peer "eigen": peer_eigen_formulas.h compiled with the AVX2 flags (-mavx2
// -mfma: 8-float packets, as vact's avx2 column); called only where the CPU
// has AVX2 and FMA.

#define VACT_BENCH_TARGET avx2
#include "peer_eigen_formulas.h"

namespace vact_bench {

IsaKernelTable EigenAvx2Kernels() { return avx2::EigenKernels(); }

}  // namespace vact_bench
