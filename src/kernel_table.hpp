// SPDX-License-Identifier: Apache-2.0
//
// One kernel table per compiled ISA (src/isa/<isa>.cpp), and the dispatcher
// that picks the active one (dispatch.cpp).
#ifndef VACT_SRC_KERNEL_TABLE_HPP
#define VACT_SRC_KERNEL_TABLE_HPP

#include <cstddef>

#include "vact/vact.h"

namespace vact {
namespace detail {

// y[i] = f(x[i]) for i < n; `parameter` is the op's parameter (elu's alpha)
// and is ignored by ops without one.
using elementwise_kernel = void (*)(const float* x, float* y, std::size_t n,
                                    float parameter);
// Rows of `cols` elements, row r at x + r * x_stride and y + r * y_stride.
using row_kernel = void (*)(const float* x, std::size_t x_stride, float* y,
                            std::size_t y_stride, std::size_t rows,
                            std::size_t cols);

struct kernel_table {
  vact_isa isa;
  const char* name;          // as VACT_ISA spells it
  std::size_t vector_width;  // floats per vector in this table's kernels
  elementwise_kernel value[VACT_OP_COUNT];
  elementwise_kernel derivative[VACT_OP_COUNT];
  row_kernel softmax;
  row_kernel log_softmax;
};

// Defined by the per-ISA translation units that the build compiles in
// (VACT_HAVE_<ISA> says which).
extern const kernel_table scalar_kernels;
extern const kernel_table sse2_kernels;
extern const kernel_table sse41_kernels;
extern const kernel_table avx2_kernels;
extern const kernel_table avx512_kernels;
extern const kernel_table neon_kernels;

// The table every call goes through: one atomic load. Before the first
// detection it is a table whose entries detect, then forward.
const kernel_table& active_kernels();

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_KERNEL_TABLE_HPP
