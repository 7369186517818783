// SPDX-License-Identifier: Apache-2.0
//
// The engine calls of the C API (vact.h, "engine calls"): argument checks,
// then the active table's kernels. Gated activations and bias + activation
// are composed block by block from the element-wise kernels: a block of
// 1024 floats (4 KiB on the stack) goes through the activation's kernel and
// then the multiply or the next step while it is still in the L1 cache, so
// memory sees each input read once and each output written once, as from a
// fused kernel, and the op's code is not compiled again for each composed
// call. Nothing is written unless every check passes.
#include <cmath>
#include <cstdint>

#include "checks.hpp"
#include "dispatch.hpp"
#include "staggered_block.hpp"
#include "vact/vact.h"

namespace {

using vact::detail::active_kernels;
using vact::detail::check_arrays;
using vact::detail::elementwise_kernel;
using vact::detail::kernel_table;
using vact::detail::max_elements;
using vact::detail::op_parameters;
using vact::detail::parameters_of;
using vact::detail::partially_overlap;
using vact::detail::row_output;
using vact::detail::row_span;
using vact::detail::softmax_ex_arguments;
using vact::detail::storage;
using vact::detail::tier;
using vact::detail::tier_of;
using vact::detail::wraps;

static_assert(sizeof(vact_softmax_state) == 2 * sizeof(float),
              "the kernels write a state as two floats");

// Floats per block of the composed calls.
constexpr std::size_t block = 1024;

bool valid(vact_op op, const vact_params* p) {
  return static_cast<unsigned>(op) < static_cast<unsigned>(VACT_OP_COUNT) &&
         static_cast<unsigned>(tier_of(p)) < vact::detail::tier_count &&
         vact::detail::valid_parameters(op, parameters_of(op, p));
}

// [a, a + a_bytes) and [b, b + b_bytes) share a byte (equal starts
// included).
bool overlap(const void* a, std::size_t a_bytes, const void* b,
             std::size_t b_bytes) {
  const auto a_begin = reinterpret_cast<std::uintptr_t>(a);
  const auto b_begin = reinterpret_cast<std::uintptr_t>(b);
  return a_bytes > 0 && b_bytes > 0 && a_begin < b_begin + b_bytes &&
         b_begin < a_begin + a_bytes;
}

// Rows of `cols` floats `stride` apart: the number of floats from the first
// to the end of the last (0 on overflow or when the range would wrap).
std::size_t checked_span(const void* p, std::size_t rows, std::size_t cols,
                         std::size_t stride) {
  const std::size_t span =
      stride == 0 ? (cols <= max_elements(sizeof(float)) ? cols : 0)
                  : row_span(rows, cols, stride, max_elements(sizeof(float)));
  if (span == 0 || wraps(p, span * sizeof(float))) return 0;
  return span;
}

// The bytes of `rows` (> 0) online-softmax states at p, or 0 when no array
// can hold them (the count overflows, or the range would wrap).
std::size_t state_bytes_at(const void* p, std::size_t rows) {
  if (rows > PTRDIFF_MAX / sizeof(vact_softmax_state)) return 0;
  const std::size_t bytes = rows * sizeof(vact_softmax_state);
  return wraps(p, bytes) ? 0 : bytes;
}

// An element-wise activation as the composed calls run it.
struct activation {
  elementwise_kernel value;
  elementwise_kernel derivative;
  op_parameters parameters;
};
activation activation_of(const kernel_table& table, vact_op op,
                         const vact_params* p) {
  const vact::detail::tier_storage_kernels& kernels =
      table.at(tier_of(p), storage::f32);
  return {kernels.value[op], kernels.derivative[op], parameters_of(op, p)};
}

// y = act(gate) * up over n floats, a block at a time.
void gated_blocks(const kernel_table& table, const activation& act,
                  const float* gate, const float* up, float* y, std::size_t n) {
  vact::detail::staggered_block<block> area;
  float* const values = area.away_from({gate, up, y});
  for (std::size_t i = 0; i < n; i += block) {
    const std::size_t m = n - i < block ? n - i : block;
    act.value(gate + i, values, m, act.parameters);
    table.engine.multiply(values, up + i, y + i, m);
  }
}

// The strided rows' checks of vact_softmax_strided_f32 for rows of x_cols
// floats in and y_cols out; x_span and y_span receive the spans.
vact_status check_rows(const float* x, std::size_t x_stride, std::size_t x_cols,
                       const float* y, std::size_t y_stride, std::size_t y_cols,
                       std::size_t rows, std::size_t* x_span,
                       std::size_t* y_span) {
  if (x_stride < x_cols || y_stride < y_cols)
    return VACT_ERROR_INVALID_ARGUMENT;
  *x_span = *y_span = 0;
  if (rows == 0 || y_cols == 0) return VACT_OK;
  if (x == nullptr || y == nullptr) return VACT_ERROR_NULL_POINTER;
  *x_span = checked_span(x, rows, x_cols, x_stride);
  *y_span = checked_span(y, rows, y_cols, y_stride);
  if (*x_span == 0 || *y_span == 0) return VACT_ERROR_INVALID_ARGUMENT;
  if (static_cast<const void*>(x) == static_cast<const void*>(y)
          ? x_stride != y_stride
          : partially_overlap(x, *x_span * sizeof(float), y,
                              *y_span * sizeof(float)))
    return VACT_ERROR_OVERLAP;
  return VACT_OK;
}

constexpr vact_softmax_params default_softmax_params = VACT_SOFTMAX_PARAMS_INIT;

// The attention softmax's and the chunk's checks beyond their rows', and
// their kernel arguments. `chunk`: log, sinks and masked_row are not read.
vact_status check_softmax_params(const vact_softmax_params& p, bool chunk,
                                 std::size_t rows, std::size_t cols,
                                 const float* y, std::size_t y_span,
                                 softmax_ex_arguments* a) {
  if (static_cast<unsigned>(p.accuracy) >= vact::detail::tier_count ||
      !std::isfinite(p.scale) || !std::isfinite(p.softcap) ||
      !(p.softcap >= 0.0f) || !std::isfinite(p.mask_scale) ||
      !(p.mask_scale > 0.0f))
    return VACT_ERROR_INVALID_ARGUMENT;
  if (!chunk &&
      ((p.log != 0 && p.log != 1) || (p.masked_row != VACT_MASKED_ROW_NAN &&
                                      p.masked_row != VACT_MASKED_ROW_ZERO)))
    return VACT_ERROR_INVALID_ARGUMENT;
  const bool empty = rows == 0 || cols == 0;
  if (!empty && p.mask != nullptr) {
    const std::size_t span =
        checked_span(p.mask, rows, cols, p.mask_row_stride);
    if (span == 0) return VACT_ERROR_INVALID_ARGUMENT;
    if (overlap(p.mask, span * sizeof(float), y, y_span * sizeof(float)))
      return VACT_ERROR_OVERLAP;
  }
  const float* sinks = chunk ? nullptr : p.sinks;
  if (!empty && sinks != nullptr) {
    if (wraps(sinks, rows * sizeof(float))) return VACT_ERROR_INVALID_ARGUMENT;
    if (overlap(sinks, rows * sizeof(float), y, y_span * sizeof(float)))
      return VACT_ERROR_OVERLAP;
  }
  *a = {p.scale,
        p.softcap,
        p.mask_scale,
        p.mask,
        p.mask_row_stride,
        sinks,
        !chunk && p.masked_row == VACT_MASKED_ROW_ZERO,
        nullptr};
  return VACT_OK;
}

// A softmax_ex or chunk call that passed its checks: its spans and its
// kernel arguments.
struct softmax_call {
  std::size_t x_span = 0, y_span = 0;
  softmax_ex_arguments arguments{};
};
vact_status check_softmax_call(const float* x, std::size_t x_stride,
                               const float* y, std::size_t y_stride,
                               std::size_t rows, std::size_t cols,
                               const vact_softmax_params& p, bool chunk,
                               softmax_call* call) {
  const vact_status status = check_rows(x, x_stride, cols, y, y_stride, cols,
                                        rows, &call->x_span, &call->y_span);
  if (status != VACT_OK) return status;
  return check_softmax_params(p, chunk, rows, cols, y, call->y_span,
                              &call->arguments);
}

void run_softmax_ex(const vact_softmax_params& p, row_output output,
                    const float* x, std::size_t x_stride, float* y,
                    std::size_t y_stride, std::size_t rows, std::size_t cols,
                    const softmax_ex_arguments& a) {
  const auto kernel =
      active_kernels().engine.softmax_ex[static_cast<std::size_t>(p.accuracy)]
                                        [static_cast<std::size_t>(output)]
                                        [p.softcap != 0.0f ? 1 : 0]
                                        [p.mask != nullptr ? 1 : 0];
  kernel(x, x_stride, y, y_stride, rows, cols, a);
}

}  // namespace

extern "C" {

vact_status vact_gated_f32(vact_op act, const vact_params* p, const float* gate,
                           const float* up, float* y, size_t n) {
  if (!valid(act, p)) return VACT_ERROR_INVALID_ARGUMENT;
  vact_status status = check_arrays(gate, sizeof(float), y, sizeof(float), n);
  if (status == VACT_OK)
    status = check_arrays(up, sizeof(float), y, sizeof(float), n);
  if (status != VACT_OK || n == 0) return status;
  const kernel_table& table = active_kernels();
  gated_blocks(table, activation_of(table, act, p), gate, up, y, n);
  return VACT_OK;
}

vact_status vact_gated_rows_f32(vact_op act, const vact_params* p,
                                const float* x, size_t x_stride, float* y,
                                size_t y_stride, size_t rows, size_t cols,
                                vact_gate_layout layout) {
  if (!valid(act, p) || static_cast<unsigned>(layout) > VACT_GATE_INTERLEAVED ||
      cols > max_elements(sizeof(float)) / 2)
    return VACT_ERROR_INVALID_ARGUMENT;
  std::size_t x_span, y_span;
  const vact_status status = check_rows(x, x_stride, 2 * cols, y, y_stride,
                                        cols, rows, &x_span, &y_span);
  if (status != VACT_OK || x_span == 0) return status;
  const kernel_table& table = active_kernels();
  const activation a = activation_of(table, act, p);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = x + r * x_stride;
    float* out = y + r * y_stride;
    switch (layout) {
      case VACT_GATE_CONCAT:
        gated_blocks(table, a, row, row + cols, out, cols);
        break;
      case VACT_GATE_CONCAT_SWAPPED:
        gated_blocks(table, a, row + cols, row, out, cols);
        break;
      case VACT_GATE_INTERLEAVED: {
        // Each block is split into its gates and ups before any result of
        // it is written (in place, result j overwrites pair j / 2).
        vact::detail::staggered_block<block> gate_area, up_area;
        float* const gates = gate_area.away_from({row, out});
        float* const ups = up_area.away_from({row, out, gates});
        for (std::size_t i = 0; i < cols; i += block) {
          const std::size_t m = cols - i < block ? cols - i : block;
          for (std::size_t j = 0; j < m; ++j) {
            gates[j] = row[2 * (i + j)];
            ups[j] = row[2 * (i + j) + 1];
          }
          gated_blocks(table, a, gates, ups, out + i, m);
        }
        break;
      }
    }
  }
  return VACT_OK;
}

vact_status vact_gated_backward_f32(vact_op act, const vact_params* p,
                                    const float* gate, const float* up,
                                    const float* dy, float* dgate, float* dup,
                                    size_t n) {
  if (!valid(act, p)) return VACT_ERROR_INVALID_ARGUMENT;
  const float* inputs[] = {gate, up, dy};
  const float* outputs[] = {dgate, dup};
  for (const float* in : inputs)
    for (const float* out : outputs) {
      const vact_status status =
          check_arrays(in, sizeof(float), out, sizeof(float), n);
      if (status != VACT_OK) return status;
    }
  if (n == 0) return VACT_OK;
  if (overlap(dgate, n * sizeof(float), dup, n * sizeof(float)))
    return VACT_ERROR_OVERLAP;
  const kernel_table& table = active_kernels();
  const activation a = activation_of(table, act, p);
  vact::detail::staggered_block<block> value_area, derivative_area;
  float* const values = value_area.away_from({gate, up, dy, dgate, dup});
  float* const derivatives =
      derivative_area.away_from({gate, up, dy, dgate, dup, values});
  for (std::size_t i = 0; i < n; i += block) {
    const std::size_t m = n - i < block ? n - i : block;
    a.value(gate + i, values, m, a.parameters);
    a.derivative(gate + i, derivatives, m, a.parameters);
    table.engine.gated_backward(values, derivatives, up + i, dy + i, dgate + i,
                                dup + i, m);
  }
  return VACT_OK;
}

vact_status vact_bias_apply_f32(vact_op act, const vact_params* p,
                                const float* bias, float* c, size_t ldc,
                                size_t rows, size_t cols) {
  if (!valid(act, p) || ldc < cols) return VACT_ERROR_INVALID_ARGUMENT;
  if (rows == 0 || cols == 0) return VACT_OK;
  if (c == nullptr) return VACT_ERROR_NULL_POINTER;
  const std::size_t span = checked_span(c, rows, cols, ldc);
  if (span == 0) return VACT_ERROR_INVALID_ARGUMENT;
  if (bias != nullptr) {
    if (wraps(bias, cols * sizeof(float))) return VACT_ERROR_INVALID_ARGUMENT;
    if (overlap(bias, cols * sizeof(float), c, span * sizeof(float)))
      return VACT_ERROR_OVERLAP;
  }
  const kernel_table& table = active_kernels();
  const activation a = activation_of(table, act, p);
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = c + r * ldc;
    for (std::size_t i = 0; i < cols; i += block) {
      const std::size_t m = cols - i < block ? cols - i : block;
      if (bias != nullptr) table.engine.add(row + i, bias + i, row + i, m);
      a.value(row + i, row + i, m, a.parameters);
    }
  }
  return VACT_OK;
}

vact_status vact_softmax_ex_f32(const float* x, size_t x_stride, float* y,
                                size_t y_stride, size_t rows, size_t cols,
                                const vact_softmax_params* p) {
  const vact_softmax_params& params =
      p != nullptr ? *p : default_softmax_params;
  softmax_call call;
  const vact_status status = check_softmax_call(x, x_stride, y, y_stride, rows,
                                                cols, params, false, &call);
  if (status != VACT_OK || call.y_span == 0) return status;
  const softmax_ex_arguments& a = call.arguments;
  run_softmax_ex(
      params, params.log != 0 ? row_output::log_softmax : row_output::softmax,
      x, x_stride, y, y_stride, rows, cols, a);
  return VACT_OK;
}

vact_status vact_softmax_chunk_f32(const float* x, size_t x_stride, float* y,
                                   size_t y_stride, size_t rows, size_t cols,
                                   const vact_softmax_params* p,
                                   vact_softmax_state* states) {
  const vact_softmax_params& params =
      p != nullptr ? *p : default_softmax_params;
  softmax_call call;
  const vact_status status = check_softmax_call(x, x_stride, y, y_stride, rows,
                                                cols, params, true, &call);
  if (status != VACT_OK || rows == 0) return status;
  const std::size_t x_span = call.x_span, y_span = call.y_span;
  softmax_ex_arguments& a = call.arguments;
  if (states == nullptr) return VACT_ERROR_NULL_POINTER;
  const std::size_t state_bytes = state_bytes_at(states, rows);
  if (state_bytes == 0) return VACT_ERROR_INVALID_ARGUMENT;
  if (cols == 0) {  // a chunk of no columns: every row's state is empty
    for (std::size_t r = 0; r < rows; ++r) states[r] = {-INFINITY, 0.0f};
    return VACT_OK;
  }
  if (overlap(states, state_bytes, x, x_span * sizeof(float)) ||
      overlap(states, state_bytes, y, y_span * sizeof(float)) ||
      (params.mask != nullptr &&
       overlap(states, state_bytes, params.mask,
               checked_span(params.mask, rows, cols, params.mask_row_stride) *
                   sizeof(float))))
    return VACT_ERROR_OVERLAP;
  a.empty_rows_allowed = true;
  a.states = &states->max;
  run_softmax_ex(params, row_output::chunk, x, x_stride, y, y_stride, rows,
                 cols, a);
  return VACT_OK;
}

vact_status vact_softmax_merge_f32(vact_softmax_state* acc,
                                   const vact_softmax_state* part,
                                   float* acc_factor, float* part_factor,
                                   size_t rows) {
  if (rows == 0) return VACT_OK;
  if (acc == nullptr || part == nullptr) return VACT_ERROR_NULL_POINTER;
  const std::size_t state_bytes = state_bytes_at(acc, rows);
  const std::size_t factor_bytes = rows * sizeof(float);
  if (state_bytes == 0 || state_bytes_at(part, rows) == 0 ||
      (acc_factor != nullptr && wraps(acc_factor, factor_bytes)) ||
      (part_factor != nullptr && wraps(part_factor, factor_bytes)))
    return VACT_ERROR_INVALID_ARGUMENT;
  // acc may be part (each state is read before it is written); the factors
  // are outputs of their own.
  if (partially_overlap(acc, state_bytes, part, state_bytes))
    return VACT_ERROR_OVERLAP;
  float* const factors[] = {acc_factor, part_factor};
  for (float* f : factors) {
    if (f == nullptr) continue;
    if (overlap(f, factor_bytes, acc, state_bytes) ||
        overlap(f, factor_bytes, part, state_bytes))
      return VACT_ERROR_OVERLAP;
  }
  if (acc_factor != nullptr && part_factor != nullptr &&
      overlap(acc_factor, factor_bytes, part_factor, factor_bytes))
    return VACT_ERROR_OVERLAP;
  active_kernels().engine.softmax_merge(&acc->max, &part->max, acc_factor,
                                        part_factor, rows);
  return VACT_OK;
}

vact_status vact_softmax_finish_f32(const vact_softmax_state* states,
                                    float* reciprocal, size_t rows) {
  if (rows == 0) return VACT_OK;
  if (states == nullptr || reciprocal == nullptr)
    return VACT_ERROR_NULL_POINTER;
  const std::size_t state_bytes = state_bytes_at(states, rows);
  if (state_bytes == 0 || wraps(reciprocal, rows * sizeof(float)))
    return VACT_ERROR_INVALID_ARGUMENT;
  if (overlap(states, state_bytes, reciprocal, rows * sizeof(float)))
    return VACT_ERROR_OVERLAP;
  // One IEEE division per row: the same bits on every CPU.
  for (std::size_t r = 0; r < rows; ++r) {
    const float sum = states[r].sum;
    reciprocal[r] = sum == 0.0f ? 0.0f : 1.0f / sum;
  }
  return VACT_OK;
}

}  // extern "C"
