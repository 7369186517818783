// SPDX-License-Identifier: Apache-2.0
//
// The C API: argument checks, then one call through the active kernel
// table. Nothing is written unless every check passes.
#include <cstdint>

#include "checks.hpp"
#include "dispatch.hpp"
#include "vact/vact.h"

#ifndef VACT_VERSION_STRING
#error "the build defines VACT_VERSION_STRING"
#endif

namespace {

using vact::detail::active_kernels;
using vact::detail::check_arrays;
using vact::detail::conversion;
using vact::detail::max_elements;
using vact::detail::op_parameters;
using vact::detail::parameters_of;
using vact::detail::partially_overlap;
using vact::detail::row_span;
using vact::detail::storage;
using vact::detail::tier;
using vact::detail::tier_of;
using vact::detail::wraps;

// One element-wise call, as every element-wise entry point describes it.
struct elementwise_call {
  vact_op op;
  bool derivative;
  tier accuracy;
  storage types;
  const void* x;
  void* y;
  std::size_t n;
};

vact_status check(const elementwise_call& c) {
  if (static_cast<unsigned>(c.op) >= static_cast<unsigned>(VACT_OP_COUNT) ||
      static_cast<unsigned>(c.accuracy) >= vact::detail::tier_count)
    return VACT_ERROR_INVALID_ARGUMENT;
  return check_arrays(c.x, vact::detail::input_size(c.types), c.y,
                      vact::detail::output_size(c.types), c.n);
}

// The one element-wise entry point: checks, then one call through the
// active table. Nothing is written unless every check passes.
vact_status run(const elementwise_call& c, const op_parameters& parameters) {
  const vact_status status = check(c);
  if (status != VACT_OK) return status;
  if (!vact::detail::valid_parameters(c.op, parameters))
    return VACT_ERROR_INVALID_ARGUMENT;
  if (c.n == 0) return VACT_OK;
  const vact::detail::tier_storage_kernels& kernels =
      active_kernels().at(c.accuracy, c.types);
  (c.derivative ? kernels.derivative : kernels.value)[c.op](c.x, c.y, c.n,
                                                            parameters);
  return VACT_OK;
}

// A conversion: the element-wise checks (y == x is an overlap, the element
// sizes differ), then one call through the active table.
vact_status convert(conversion which, const void* x, void* y, std::size_t n) {
  const bool widening =
      which == conversion::bf16_to_f32 || which == conversion::f16_to_f32;
  const std::size_t in_size = widening ? sizeof(std::uint16_t) : sizeof(float);
  const std::size_t out_size = widening ? sizeof(float) : sizeof(std::uint16_t);
  const vact_status status = check_arrays(x, in_size, y, out_size, n);
  if (status != VACT_OK || n == 0) return status;
  active_kernels().convert[static_cast<std::size_t>(which)](x, y, n);
  return VACT_OK;
}

// One softmax or log_softmax call over strided rows.
struct row_call {
  bool log;
  tier accuracy;
  storage types;
  const void* x;
  std::size_t x_stride;
  void* y;
  std::size_t y_stride;
  std::size_t rows;
  std::size_t cols;
};

vact_status check(const row_call& c) {
  if (c.x_stride < c.cols || c.y_stride < c.cols)
    return VACT_ERROR_INVALID_ARGUMENT;
  if (c.rows == 0 || c.cols == 0) return VACT_OK;
  if (c.x == nullptr || c.y == nullptr) return VACT_ERROR_NULL_POINTER;
  const std::size_t in_size = vact::detail::input_size(c.types);
  const std::size_t out_size = vact::detail::output_size(c.types);
  const std::size_t x_span =
      row_span(c.rows, c.cols, c.x_stride, max_elements(in_size));
  const std::size_t y_span =
      row_span(c.rows, c.cols, c.y_stride, max_elements(out_size));
  if (x_span == 0 || y_span == 0) return VACT_ERROR_INVALID_ARGUMENT;
  if (wraps(c.x, x_span * in_size) || wraps(c.y, y_span * out_size))
    return VACT_ERROR_INVALID_ARGUMENT;
  if (c.x == c.y
          ? c.x_stride != c.y_stride || in_size != out_size
          : partially_overlap(c.x, x_span * in_size, c.y, y_span * out_size))
    return VACT_ERROR_OVERLAP;
  return VACT_OK;
}

// The one row entry point, like run(elementwise_call) above.
vact_status run(const row_call& c) {
  const vact_status status = check(c);
  if (status != VACT_OK || c.rows == 0 || c.cols == 0) return status;
  const vact::detail::tier_storage_kernels& kernels =
      active_kernels().at(c.accuracy, c.types);
  (c.log ? kernels.log_softmax : kernels.softmax)(c.x, c.x_stride, c.y,
                                                  c.y_stride, c.rows, c.cols);
  return VACT_OK;
}

// The per-op functions' parameter arguments, by the params column of
// vact/ops.def: the defaults, with the ones the op reads overridden.
template <class Set>
op_parameters defaults_with(Set set) {
  op_parameters p = vact::detail::default_parameters;
  set(p);
  return p;
}
#define VACT_PARAMETERS_none vact::detail::default_parameters
#define VACT_PARAMETERS_alpha \
  defaults_with([&](op_parameters& p) { p.alpha = alpha; })
#define VACT_PARAMETERS_slope \
  defaults_with([&](op_parameters& p) { p.slope = slope; })
#define VACT_PARAMETERS_beta \
  defaults_with([&](op_parameters& p) { p.beta = beta; })
#define VACT_PARAMETERS_lo_hi           \
  defaults_with([&](op_parameters& p) { \
    p.lo = lo;                          \
    p.hi = hi;                          \
  })
#define VACT_PARAMETERS_cap \
  defaults_with([&](op_parameters& p) { p.cap = cap; })

}  // namespace

extern "C" {

// vact_<name>_f32 and vact_<name>_derivative_f32 for every op: the precise
// tier on f32 arrays.
#define VACT_OP(id, name, NAME, params, ...)                                   \
  vact_status vact_##name##_f32(const float* x, float* y,                      \
                                size_t n VACT_PARAM_DECLARATION_##params) {    \
    return run({VACT_OP_##NAME, false, tier::precise, storage::f32, x, y, n},  \
               VACT_PARAMETERS_##params);                                      \
  }                                                                            \
  vact_status vact_##name##_derivative_f32(                                    \
      const float* x, float* dydx, size_t n VACT_PARAM_DECLARATION_##params) { \
    return run(                                                                \
        {VACT_OP_##NAME, true, tier::precise, storage::f32, x, dydx, n},       \
        VACT_PARAMETERS_##params);                                             \
  }
#include "vact/ops.def"
#undef VACT_OP

// The eight row entry points of one storage type: softmax and log_softmax,
// contiguous and strided, each tier.
#define VACT_ROW_ENTRY_POINTS(type, S, T)                                      \
  vact_status vact_softmax_##type(const T* x, T* y, size_t rows,               \
                                  size_t cols) {                               \
    return run(                                                                \
        row_call{false, tier::precise, S, x, cols, y, cols, rows, cols});      \
  }                                                                            \
  vact_status vact_log_softmax_##type(const T* x, T* y, size_t rows,           \
                                      size_t cols) {                           \
    return run(                                                                \
        row_call{true, tier::precise, S, x, cols, y, cols, rows, cols});       \
  }                                                                            \
  vact_status vact_softmax_strided_##type(const T* x, size_t x_stride, T* y,   \
                                          size_t y_stride, size_t rows,        \
                                          size_t cols) {                       \
    return run(row_call{false, tier::precise, S, x, x_stride, y, y_stride,     \
                        rows, cols});                                          \
  }                                                                            \
  vact_status vact_log_softmax_strided_##type(const T* x, size_t x_stride,     \
                                              T* y, size_t y_stride,           \
                                              size_t rows, size_t cols) {      \
    return run(row_call{true, tier::precise, S, x, x_stride, y, y_stride,      \
                        rows, cols});                                          \
  }                                                                            \
  vact_status vact_softmax_fast_##type(const T* x, T* y, size_t rows,          \
                                       size_t cols) {                          \
    return run(row_call{false, tier::fast, S, x, cols, y, cols, rows, cols});  \
  }                                                                            \
  vact_status vact_log_softmax_fast_##type(const T* x, T* y, size_t rows,      \
                                           size_t cols) {                      \
    return run(row_call{true, tier::fast, S, x, cols, y, cols, rows, cols});   \
  }                                                                            \
  vact_status vact_softmax_strided_fast_##type(const T* x, size_t x_stride,    \
                                               T* y, size_t y_stride,          \
                                               size_t rows, size_t cols) {     \
    return run(                                                                \
        row_call{false, tier::fast, S, x, x_stride, y, y_stride, rows, cols}); \
  }                                                                            \
  vact_status vact_log_softmax_strided_fast_##type(                            \
      const T* x, size_t x_stride, T* y, size_t y_stride, size_t rows,         \
      size_t cols) {                                                           \
    return run(                                                                \
        row_call{true, tier::fast, S, x, x_stride, y, y_stride, rows, cols});  \
  }
VACT_ROW_ENTRY_POINTS(f32, storage::f32, float)
VACT_ROW_ENTRY_POINTS(bf16, storage::bf16, uint16_t)
VACT_ROW_ENTRY_POINTS(f16, storage::f16, uint16_t)
#undef VACT_ROW_ENTRY_POINTS

vact_status vact_apply_f32(vact_op op, const vact_params* p, const float* x,
                           float* y, size_t n) {
  return run({op, false, tier_of(p), storage::f32, x, y, n},
             parameters_of(op, p));
}
vact_status vact_apply_derivative_f32(vact_op op, const vact_params* p,
                                      const float* x, float* dydx, size_t n) {
  return run({op, true, tier_of(p), storage::f32, x, dydx, n},
             parameters_of(op, p));
}

// ---- 16-bit storage -------------------------------------------------------

vact_status vact_apply_bf16(vact_op op, const vact_params* p, const uint16_t* x,
                            uint16_t* y, size_t n) {
  return run({op, false, tier_of(p), storage::bf16, x, y, n},
             parameters_of(op, p));
}
vact_status vact_apply_derivative_bf16(vact_op op, const vact_params* p,
                                       const uint16_t* x, uint16_t* dydx,
                                       size_t n) {
  return run({op, true, tier_of(p), storage::bf16, x, dydx, n},
             parameters_of(op, p));
}
vact_status vact_apply_f16(vact_op op, const vact_params* p, const uint16_t* x,
                           uint16_t* y, size_t n) {
  return run({op, false, tier_of(p), storage::f16, x, y, n},
             parameters_of(op, p));
}
vact_status vact_apply_derivative_f16(vact_op op, const vact_params* p,
                                      const uint16_t* x, uint16_t* dydx,
                                      size_t n) {
  return run({op, true, tier_of(p), storage::f16, x, dydx, n},
             parameters_of(op, p));
}
vact_status vact_apply_bf16_f32(vact_op op, const vact_params* p,
                                const uint16_t* x, float* y, size_t n) {
  return run({op, false, tier_of(p), storage::bf16_f32, x, y, n},
             parameters_of(op, p));
}
vact_status vact_apply_f16_f32(vact_op op, const vact_params* p,
                               const uint16_t* x, float* y, size_t n) {
  return run({op, false, tier_of(p), storage::f16_f32, x, y, n},
             parameters_of(op, p));
}

vact_status vact_convert_f32_to_bf16(const float* x, uint16_t* y, size_t n) {
  return convert(conversion::f32_to_bf16, x, y, n);
}
vact_status vact_convert_bf16_to_f32(const uint16_t* x, float* y, size_t n) {
  return convert(conversion::bf16_to_f32, x, y, n);
}
vact_status vact_convert_f32_to_f16(const float* x, uint16_t* y, size_t n) {
  return convert(conversion::f32_to_f16, x, y, n);
}
vact_status vact_convert_f16_to_f32(const uint16_t* x, float* y, size_t n) {
  return convert(conversion::f16_to_f32, x, y, n);
}

const char* vact_op_name(vact_op op) {
  switch (op) {
#define VACT_OP(id, name, NAME, ...) \
  case VACT_OP_##NAME:               \
    return #name;
#include "vact/ops.def"
#undef VACT_OP
  }
  return nullptr;
}

vact_isa vact_active_isa(void) { return active_kernels().isa; }
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
