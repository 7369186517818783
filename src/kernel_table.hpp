// SPDX-License-Identifier: Apache-2.0
//
// One kernel table per compiled ISA (src/isa/<isa>.cpp), and the dispatcher
// that picks the active one (dispatch.cpp).
//
// A table is indexed by accuracy tier and storage type, then by op: each
// new dimension is one more index here and one more template parameter of
// the generic kernels (src/kernels/make_kernel_table.hpp), never a copy per
// op.
#ifndef VACT_SRC_KERNEL_TABLE_HPP
#define VACT_SRC_KERNEL_TABLE_HPP

#include <cstddef>
#include <cstdint>

#include "vact/vact.h"

namespace vact {
namespace detail {

// Accuracy tiers (vact_accuracy): each has its own per-vector functions,
// vact::simd::<op> and vact::simd::fast::<op>.
enum class tier : int { precise, fast, count };
constexpr std::size_t tier_count = static_cast<std::size_t>(tier::count);

// Element types of an array call, input and output: the kernels widen them
// into f32 vectors and round results back (storage_types in
// kernels/make_kernel_table.hpp). bf16_f32 and f16_f32: 16-bit in, f32 out.
enum class storage : int { f32, bf16, f16, bf16_f32, f16_f32, count };
constexpr std::size_t storage_count = static_cast<std::size_t>(storage::count);

// Bytes per input and per output element.
constexpr std::size_t input_size(storage s) {
  return s == storage::f32 ? sizeof(float) : sizeof(std::uint16_t);
}
constexpr std::size_t output_size(storage s) {
  return s == storage::bf16 || s == storage::f16 ? sizeof(std::uint16_t)
                                                 : sizeof(float);
}

// Every parameter an element-wise op may read (an op reads the fields its
// params column in vact/ops.def names).
struct op_parameters {
  float alpha;
  float slope;
  float beta;
  float lo;
  float hi;
  float cap;
};
// vact.h's VACT_PARAMS_INIT: what NULL params and the per-op functions'
// other fields mean.
constexpr op_parameters default_parameters{1.0f,  0.01f, 1.0f,
                                           -1.0f, 1.0f,  0.0f};

// y[i] = f(x[i]) for i < n, x and y in the storage type's elements.
using elementwise_kernel = void (*)(const void* x, void* y, std::size_t n,
                                    const op_parameters& parameters);
// Rows of `cols` elements, row r at x + r * x_stride and y + r * y_stride
// (strides in elements).
using row_kernel = void (*)(const void* x, std::size_t x_stride, void* y,
                            std::size_t y_stride, std::size_t rows,
                            std::size_t cols);

// The kernels of one tier and one storage type. The row kernels are null
// for the mixed storage types (bf16_f32, f16_f32).
struct tier_storage_kernels {
  elementwise_kernel value[VACT_OP_COUNT];
  elementwise_kernel derivative[VACT_OP_COUNT];
  row_kernel softmax;
  row_kernel log_softmax;
};

// y[i] = x[i] converted (vact_convert_*).
using convert_kernel = void (*)(const void* x, void* y, std::size_t n);
enum class conversion : int {
  f32_to_bf16,
  bf16_to_f32,
  f32_to_f16,
  f16_to_f32,
  count
};
constexpr std::size_t conversion_count =
    static_cast<std::size_t>(conversion::count);

// ---- the engine calls (f32): what engines call around a GEMM ------------
//
// Gated activations and bias + activation are composed from the kernels
// above block by block (src/engine_calls.cpp); what they need besides is
// here: the attention softmax's row kernels and a few loops.

// An attention softmax call's arguments besides its rows (vact.h's
// vact_softmax_params, checked).
struct softmax_ex_arguments {
  float scale;
  float cap;  // read by the soft-capped kernels only
  float mask_scale;
  const float* mask;  // row 0's, read by the masked kernels only
  std::size_t mask_stride;
  const float* sinks;       // one per row, or null
  bool empty_rows_allowed;  // VACT_MASKED_ROW_ZERO
  float* states;            // the chunk output's (max, sum) per row
};
// What a row kernel writes: softmax, log_softmax, or the online softmax's
// chunk (the terms e^(x - max) and each row's state).
enum class row_output : int { softmax, log_softmax, chunk, count };
constexpr std::size_t row_output_count =
    static_cast<std::size_t>(row_output::count);
using softmax_ex_kernel = void (*)(const float* x, std::size_t x_stride,
                                   float* y, std::size_t y_stride,
                                   std::size_t rows, std::size_t cols,
                                   const softmax_ex_arguments& arguments);

struct engine_kernels {
  // [tier][row_output][soft cap][mask]: a kernel per combination, so that
  // a row without a cap or a mask pays nothing for them.
  softmax_ex_kernel softmax_ex[tier_count][row_output_count][2][2];
  // y = a * b and y = a + b.
  void (*multiply)(const float* a, const float* b, float* y, std::size_t n);
  void (*add)(const float* a, const float* b, float* y, std::size_t n);
  // The gated backward's last step: dgate = dy (up act'), dup = dy act.
  void (*gated_backward)(const float* act, const float* act_derivative,
                         const float* up, const float* dy, float* dgate,
                         float* dup, std::size_t n);
  // Online softmax: merges part's (max, sum) states into acc's and writes
  // the factors that rescale each side (either may be null).
  void (*softmax_merge)(float* acc, const float* part, float* acc_factor,
                        float* part_factor, std::size_t rows);
};

struct kernel_table {
  vact_isa isa;
  const char* name;          // as VACT_ISA spells it
  std::size_t vector_width;  // floats per vector in this table's kernels
  // Tier t and storage s at [t * storage_count + s].
  tier_storage_kernels kernels[tier_count * storage_count];
  convert_kernel convert[conversion_count];
  engine_kernels engine;

  constexpr const tier_storage_kernels& at(tier t, storage s) const {
    return kernels[static_cast<std::size_t>(t) * storage_count +
                   static_cast<std::size_t>(s)];
  }
};

// Defined by the per-ISA translation units that the build compiles in
// (VACT_HAVE_<ISA> says which).
extern const kernel_table scalar_kernels;
extern const kernel_table sse2_kernels;
extern const kernel_table sse41_kernels;
extern const kernel_table avx2_kernels;
extern const kernel_table avx512_kernels;
extern const kernel_table neon_kernels;

// Replaces the entries of a copy of avx512_kernels that write bf16 (the
// conversion from f32, every op's bf16 kernels) with ones that round by
// AVX512_BF16's vcvtneps2bf16: the same bits, in one instruction instead
// of eleven. Only for CPUs with AVX512_BF16 (the dispatcher checks);
// defined in src/isa/avx512_bf16.cpp where VACT_HAVE_AVX512_BF16 (with
// the avx512 flags, hence avx512 in its name: check_isa_isolation.sh).
void use_avx512_bf16_rounding(kernel_table& avx512);

// The table every call goes through: one atomic load, and on the very
// first call the detection (which installs the best table, or VACT_ISA's).
const kernel_table& active_kernels();

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_KERNEL_TABLE_HPP
