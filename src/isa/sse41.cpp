// SPDX-License-Identifier: Apache-2.0
//
// The sse4.1 kernel table. CMake compiles this file, and only this file,
// with the sse4.1 flags (cmake/VactIsa.cmake).
#include "kernels/make_kernel_table.hpp"

namespace vact {
namespace detail {

constexpr kernel_table sse41_kernels =
    make_kernel_table<xsimd::sse4_1>(VACT_ISA_SSE41, "sse4.1");

}  // namespace detail
}  // namespace vact
