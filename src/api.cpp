// SPDX-License-Identifier: Apache-2.0
//
// The C API: argument checks, then one call through the active kernel
// table. Nothing is written unless every check passes.
#include <cstdint>

#include "dispatch.hpp"
#include "vact/vact.h"

#ifndef VACT_VERSION_STRING
#error "the build defines VACT_VERSION_STRING"
#endif

namespace {

using vact::detail::active_kernels;

constexpr std::size_t max_elements = PTRDIFF_MAX / sizeof(float);

// [a, a + n) and [b, b + n) share memory without being the same range.
bool partially_overlap(const float* a, std::size_t a_count, const float* b,
                       std::size_t b_count) {
  const auto a_begin = reinterpret_cast<std::uintptr_t>(a);
  const auto b_begin = reinterpret_cast<std::uintptr_t>(b);
  if (a_begin == b_begin) return false;
  return a_begin < b_begin + b_count * sizeof(float) &&
         b_begin < a_begin + a_count * sizeof(float);
}

// A range that would wrap around the address space.
bool wraps(const float* p, std::size_t count) {
  return reinterpret_cast<std::uintptr_t>(p) >
         UINTPTR_MAX - count * sizeof(float);
}

vact_status check_elementwise(const float* x, const float* y, std::size_t n) {
  if (n == 0) return VACT_OK;
  if (x == nullptr || y == nullptr) return VACT_ERROR_NULL_POINTER;
  if (n > max_elements || wraps(x, n) || wraps(y, n))
    return VACT_ERROR_INVALID_ARGUMENT;
  if (partially_overlap(x, n, y, n)) return VACT_ERROR_OVERLAP;
  return VACT_OK;
}

vact_status run_value(vact_op op, const float* x, float* y, std::size_t n,
                      float parameter) {
  const vact_status status = check_elementwise(x, y, n);
  if (status == VACT_OK && n > 0)
    active_kernels().value[op](x, y, n, parameter);
  return status;
}

vact_status run_derivative(vact_op op, const float* x, float* y, std::size_t n,
                           float parameter) {
  const vact_status status = check_elementwise(x, y, n);
  if (status == VACT_OK && n > 0)
    active_kernels().derivative[op](x, y, n, parameter);
  return status;
}

// Number of elements from the first to the last of `rows` rows, or 0 on
// overflow (rows and cols are not 0 here).
std::size_t row_span(std::size_t rows, std::size_t cols, std::size_t stride) {
  if (cols > max_elements || rows - 1 > (max_elements - cols) / stride)
    return 0;
  return (rows - 1) * stride + cols;
}

vact_status check_rows(const float* x, std::size_t x_stride, const float* y,
                       std::size_t y_stride, std::size_t rows,
                       std::size_t cols) {
  if (x_stride < cols || y_stride < cols) return VACT_ERROR_INVALID_ARGUMENT;
  if (rows == 0 || cols == 0) return VACT_OK;
  if (x == nullptr || y == nullptr) return VACT_ERROR_NULL_POINTER;
  const std::size_t x_span = row_span(rows, cols, x_stride);
  const std::size_t y_span = row_span(rows, cols, y_stride);
  if (x_span == 0 || y_span == 0) return VACT_ERROR_INVALID_ARGUMENT;
  if (wraps(x, x_span) || wraps(y, y_span)) return VACT_ERROR_INVALID_ARGUMENT;
  if (x == y ? x_stride != y_stride : partially_overlap(x, x_span, y, y_span))
    return VACT_ERROR_OVERLAP;
  return VACT_OK;
}

vact_status run_rows(bool log, const float* x, std::size_t x_stride, float* y,
                     std::size_t y_stride, std::size_t rows, std::size_t cols) {
  const vact_status status = check_rows(x, x_stride, y, y_stride, rows, cols);
  if (status != VACT_OK || rows == 0 || cols == 0) return status;
  const vact::detail::kernel_table& kernels = active_kernels();
  (log ? kernels.log_softmax : kernels.softmax)(x, x_stride, y, y_stride, rows,
                                                cols);
  return VACT_OK;
}

bool valid_op(vact_op op) {
  return static_cast<unsigned>(op) < static_cast<unsigned>(VACT_OP_COUNT);
}

// The parameter an op takes from vact_params (PyTorch's defaults for NULL).
float op_parameter(vact_op op, const vact_params* p) {
  switch (op) {
    case VACT_OP_ELU:
      return p != nullptr ? p->alpha : 1.0f;
    case VACT_OP_LEAKY_RELU:
      return p != nullptr ? p->slope : 0.01f;
    default:
      return 0.0f;
  }
}

}  // namespace

extern "C" {

vact_status vact_step_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_STEP, x, y, n, 0.0f);
}
vact_status vact_relu_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_RELU, x, y, n, 0.0f);
}
vact_status vact_sigmoid_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_SIGMOID, x, y, n, 0.0f);
}
vact_status vact_tanh_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_TANH, x, y, n, 0.0f);
}
vact_status vact_elu_f32(const float* x, float* y, size_t n, float alpha) {
  return run_value(VACT_OP_ELU, x, y, n, alpha);
}
vact_status vact_selu_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_SELU, x, y, n, 0.0f);
}
vact_status vact_softplus_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_SOFTPLUS, x, y, n, 0.0f);
}

vact_status vact_gelu_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_GELU, x, y, n, 0.0f);
}
vact_status vact_gelu_tanh_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_GELU_TANH, x, y, n, 0.0f);
}
vact_status vact_silu_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_SILU, x, y, n, 0.0f);
}
vact_status vact_mish_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_MISH, x, y, n, 0.0f);
}
vact_status vact_hardsigmoid_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_HARDSIGMOID, x, y, n, 0.0f);
}
vact_status vact_hardswish_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_HARDSWISH, x, y, n, 0.0f);
}
vact_status vact_softsign_f32(const float* x, float* y, size_t n) {
  return run_value(VACT_OP_SOFTSIGN, x, y, n, 0.0f);
}
vact_status vact_leaky_relu_f32(const float* x, float* y, size_t n,
                                float slope) {
  return run_value(VACT_OP_LEAKY_RELU, x, y, n, slope);
}

vact_status vact_step_derivative_f32(const float* x, float* dydx, size_t n) {
  return run_derivative(VACT_OP_STEP, x, dydx, n, 0.0f);
}
vact_status vact_relu_derivative_f32(const float* x, float* dydx, size_t n) {
  return run_derivative(VACT_OP_RELU, x, dydx, n, 0.0f);
}
vact_status vact_sigmoid_derivative_f32(const float* x, float* dydx, size_t n) {
  return run_derivative(VACT_OP_SIGMOID, x, dydx, n, 0.0f);
}
vact_status vact_tanh_derivative_f32(const float* x, float* dydx, size_t n) {
  return run_derivative(VACT_OP_TANH, x, dydx, n, 0.0f);
}
vact_status vact_elu_derivative_f32(const float* x, float* dydx, size_t n,
                                    float alpha) {
  return run_derivative(VACT_OP_ELU, x, dydx, n, alpha);
}
vact_status vact_selu_derivative_f32(const float* x, float* dydx, size_t n) {
  return run_derivative(VACT_OP_SELU, x, dydx, n, 0.0f);
}
vact_status vact_softplus_derivative_f32(const float* x, float* dydx,
                                         size_t n) {
  return run_derivative(VACT_OP_SOFTPLUS, x, dydx, n, 0.0f);
}

vact_status vact_gelu_derivative_f32(const float* x, float* dydx, size_t n) {
  return run_derivative(VACT_OP_GELU, x, dydx, n, 0.0f);
}
vact_status vact_gelu_tanh_derivative_f32(const float* x, float* dydx,
                                          size_t n) {
  return run_derivative(VACT_OP_GELU_TANH, x, dydx, n, 0.0f);
}
vact_status vact_silu_derivative_f32(const float* x, float* dydx, size_t n) {
  return run_derivative(VACT_OP_SILU, x, dydx, n, 0.0f);
}
vact_status vact_mish_derivative_f32(const float* x, float* dydx, size_t n) {
  return run_derivative(VACT_OP_MISH, x, dydx, n, 0.0f);
}
vact_status vact_hardsigmoid_derivative_f32(const float* x, float* dydx,
                                            size_t n) {
  return run_derivative(VACT_OP_HARDSIGMOID, x, dydx, n, 0.0f);
}
vact_status vact_hardswish_derivative_f32(const float* x, float* dydx,
                                          size_t n) {
  return run_derivative(VACT_OP_HARDSWISH, x, dydx, n, 0.0f);
}
vact_status vact_softsign_derivative_f32(const float* x, float* dydx,
                                         size_t n) {
  return run_derivative(VACT_OP_SOFTSIGN, x, dydx, n, 0.0f);
}
vact_status vact_leaky_relu_derivative_f32(const float* x, float* dydx,
                                           size_t n, float slope) {
  return run_derivative(VACT_OP_LEAKY_RELU, x, dydx, n, slope);
}

vact_status vact_softmax_f32(const float* x, float* y, size_t rows,
                             size_t cols) {
  return run_rows(false, x, cols, y, cols, rows, cols);
}
vact_status vact_log_softmax_f32(const float* x, float* y, size_t rows,
                                 size_t cols) {
  return run_rows(true, x, cols, y, cols, rows, cols);
}
vact_status vact_softmax_strided_f32(const float* x, size_t x_stride, float* y,
                                     size_t y_stride, size_t rows,
                                     size_t cols) {
  return run_rows(false, x, x_stride, y, y_stride, rows, cols);
}
vact_status vact_log_softmax_strided_f32(const float* x, size_t x_stride,
                                         float* y, size_t y_stride, size_t rows,
                                         size_t cols) {
  return run_rows(true, x, x_stride, y, y_stride, rows, cols);
}

vact_status vact_apply_f32(vact_op op, const vact_params* p, const float* x,
                           float* y, size_t n) {
  if (!valid_op(op)) return VACT_ERROR_INVALID_ARGUMENT;
  return run_value(op, x, y, n, op_parameter(op, p));
}
vact_status vact_apply_derivative_f32(vact_op op, const vact_params* p,
                                      const float* x, float* dydx, size_t n) {
  if (!valid_op(op)) return VACT_ERROR_INVALID_ARGUMENT;
  return run_derivative(op, x, dydx, n, op_parameter(op, p));
}

const char* vact_op_name(vact_op op) {
  switch (op) {
    case VACT_OP_STEP:
      return "step";
    case VACT_OP_RELU:
      return "relu";
    case VACT_OP_SIGMOID:
      return "sigmoid";
    case VACT_OP_TANH:
      return "tanh";
    case VACT_OP_ELU:
      return "elu";
    case VACT_OP_SELU:
      return "selu";
    case VACT_OP_SOFTPLUS:
      return "softplus";
    case VACT_OP_GELU_TANH:
      return "gelu_tanh";
    case VACT_OP_SILU:
      return "silu";
    case VACT_OP_MISH:
      return "mish";
    case VACT_OP_HARDSIGMOID:
      return "hardsigmoid";
    case VACT_OP_HARDSWISH:
      return "hardswish";
    case VACT_OP_SOFTSIGN:
      return "softsign";
    case VACT_OP_LEAKY_RELU:
      return "leaky_relu";
    case VACT_OP_GELU:
      return "gelu";
  }
  return nullptr;
}

vact_isa vact_active_isa(void) { return vact::detail::resolved_kernels().isa; }
const char* vact_isa_name(vact_isa isa) { return vact::detail::isa_name(isa); }
int vact_isa_supported(vact_isa isa) {
  return vact::detail::isa_runnable(isa) ? 1 : 0;
}
vact_status vact_set_isa(vact_isa isa) {
  return vact::detail::install_isa(isa) ? VACT_OK : VACT_ERROR_UNSUPPORTED_ISA;
}

const char* vact_status_string(vact_status status) {
  switch (status) {
    case VACT_OK:
      return "ok";
    case VACT_ERROR_NULL_POINTER:
      return "null pointer with a non-empty range";
    case VACT_ERROR_OVERLAP:
      return "input and output overlap partially";
    case VACT_ERROR_INVALID_ARGUMENT:
      return "invalid argument (op, size overflow or stride < cols)";
    case VACT_ERROR_UNSUPPORTED_ISA:
      return "instruction set not compiled in or not supported by this CPU";
  }
  return "unknown vact_status";
}

const char* vact_version(void) { return VACT_VERSION_STRING; }

}  // extern "C"
