// SPDX-License-Identifier: Apache-2.0
//
// The avx512 kernel table. CMake compiles this file, and only this file,
// with the avx512 flags (cmake/VactIsa.cmake).
#include "kernels/make_kernel_table.hpp"

namespace vact {
namespace detail {

constexpr kernel_table avx512_kernels =
    make_kernel_table<xsimd::avx512bw>(VACT_ISA_AVX512, "avx512");

}  // namespace detail
}  // namespace vact
