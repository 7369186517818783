// SPDX-License-Identifier: Apache-2.0
// The fused epilogue for avx512, compiled with the avx512 flags only.
#define VACT_FUSION_INSTANTIATE
#include "fused_epilogue.hpp"

namespace vact_test {
extern const fused_epilogue avx512_fused_epilogue = {
    VACT_ISA_AVX512, &bias_activation<xsimd::avx512bw>};
}  // namespace vact_test
