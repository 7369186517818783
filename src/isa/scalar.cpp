// SPDX-License-Identifier: Apache-2.0
//
// The scalar kernel table. CMake compiles this file, and only this file,
// with the scalar flags (cmake/VactIsa.cmake).
#include "kernels/make_kernel_table.hpp"

namespace vact {
namespace detail {

constexpr kernel_table scalar_kernels =
    make_kernel_table<simd::scalar_arch>(VACT_ISA_SCALAR, "scalar");

}  // namespace detail
}  // namespace vact
