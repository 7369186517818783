// SPDX-License-Identifier: Apache-2.0
// The fused epilogue for avx2, compiled with the avx2 flags only.
#define VACT_FUSION_INSTANTIATE
#include "fused_epilogue.hpp"

namespace vact_test {
extern const fused_epilogue avx2_fused_epilogue = {
    VACT_ISA_AVX2, &bias_activation<xsimd::fma3<xsimd::avx2>>};
}  // namespace vact_test
