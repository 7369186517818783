// SPDX-License-Identifier: Apache-2.0
// The fused epilogue for sse2, compiled with the sse2 flags only.
#define VACT_FUSION_INSTANTIATE
#include "fused_epilogue.hpp"

namespace vact_test {
extern const fused_epilogue sse2_fused_epilogue = {
    VACT_ISA_SSE2, &bias_activation<xsimd::sse2>};
}  // namespace vact_test
