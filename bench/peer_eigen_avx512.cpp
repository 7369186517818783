// SPDX-License-Identifier: Apache-2.0
//
// Peer "eigen-avx512": peer_eigen_formulas.h compiled with vact's AVX-512
// flags (16-float packets, as vact's avx512 column); called only where the
// CPU has them (CpuHasAvx512).

#define VACT_BENCH_TARGET avx512
#include "peer_eigen_formulas.h"

namespace vact_bench {

IsaKernelTable EigenAvx512Kernels() { return avx512::EigenKernels(); }

}  // namespace vact_bench
