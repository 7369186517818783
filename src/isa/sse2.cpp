// SPDX-License-Identifier: Apache-2.0
//
// The sse2 kernel table. CMake compiles this file, and only this file,
// with the sse2 flags (cmake/VactIsa.cmake).
#include "kernels/make_kernel_table.hpp"

namespace vact {
namespace detail {

constexpr kernel_table sse2_kernels =
    make_kernel_table<xsimd::sse2>(VACT_ISA_SSE2, "sse2");

}  // namespace detail
}  // namespace vact
