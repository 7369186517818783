// SPDX-License-Identifier: Apache-2.0
// The fused epilogue for sse41, compiled with the sse41 flags only.
#define VACT_FUSION_INSTANTIATE
#include "fused_epilogue.hpp"

namespace vact_test {
extern const fused_epilogue sse41_fused_epilogue = {
    VACT_ISA_SSE41, &bias_activation<xsimd::sse4_1>};
}  // namespace vact_test
