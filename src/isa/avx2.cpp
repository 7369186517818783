// SPDX-License-Identifier: Apache-2.0
//
// The avx2 kernel table. CMake compiles this file, and only this file,
// with the avx2 flags (cmake/VactIsa.cmake).
#include "kernels/make_kernel_table.hpp"

namespace vact {
namespace detail {

constexpr kernel_table avx2_kernels =
    make_kernel_table<xsimd::fma3<xsimd::avx2>>(VACT_ISA_AVX2, "avx2");

}  // namespace detail
}  // namespace vact
