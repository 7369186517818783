// SPDX-License-Identifier: Apache-2.0
//
// The neon kernel table. CMake compiles this file, and only this file,
// with the neon flags (cmake/VactIsa.cmake).
#include "kernels/make_kernel_table.hpp"

namespace vact {
namespace detail {

constexpr kernel_table neon_kernels =
    make_kernel_table<xsimd::neon64>(VACT_ISA_NEON, "neon");

}  // namespace detail
}  // namespace vact
