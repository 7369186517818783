// SPDX-License-Identifier: Apache-2.0
// The fused epilogue for neon, compiled with the neon flags only.
#define VACT_FUSION_INSTANTIATE
#include "fused_epilogue.hpp"

namespace vact_test {
extern const fused_epilogue neon_fused_epilogue = {
    VACT_ISA_NEON, &bias_activation<xsimd::neon64>};
}  // namespace vact_test
