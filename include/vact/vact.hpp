// SPDX-License-Identifier: Apache-2.0
//
// vact C++ API: the C API's operations in namespace vact, taking pointer +
// count (and std::span under C++20), throwing vact::error on bad arguments.
// Same contracts as vact.h, which documents each function's formula, special
// values and aliasing rules. Includes no xsimd.
#ifndef VACT_VACT_HPP
#define VACT_VACT_HPP

#include <cstddef>
#include <stdexcept>
#include <string>

#include "vact/vact.h"

#if __cplusplus >= 202002L && __has_include(<span>)
#include <span>
#define VACT_HAS_SPAN 1
#else
#define VACT_HAS_SPAN 0
#endif

namespace vact {

// A bad argument: carries the vact_status the C API returned.
class error : public std::invalid_argument {
 public:
  explicit error(vact_status status)
      : std::invalid_argument(std::string("vact: ") +
                              vact_status_string(status)),
        status_(status) {}
  vact_status status() const noexcept { return status_; }

 private:
  vact_status status_;
};

// Throws vact::error unless status is VACT_OK.
inline void check(vact_status status) {
  if (status != VACT_OK) throw error(status);
}

enum class op : int {
  step = VACT_OP_STEP,
  relu = VACT_OP_RELU,
  sigmoid = VACT_OP_SIGMOID,
  tanh = VACT_OP_TANH,
  elu = VACT_OP_ELU,
  selu = VACT_OP_SELU,
  softplus = VACT_OP_SOFTPLUS,
  gelu_tanh = VACT_OP_GELU_TANH,
  silu = VACT_OP_SILU,
  mish = VACT_OP_MISH,
  hardsigmoid = VACT_OP_HARDSIGMOID,
  hardswish = VACT_OP_HARDSWISH,
  softsign = VACT_OP_SOFTSIGN,
  leaky_relu = VACT_OP_LEAKY_RELU,
  gelu = VACT_OP_GELU,
};

enum class isa : int {
  scalar = VACT_ISA_SCALAR,
  sse2 = VACT_ISA_SSE2,
  sse41 = VACT_ISA_SSE41,
  avx2 = VACT_ISA_AVX2,
  avx512 = VACT_ISA_AVX512,
  neon = VACT_ISA_NEON,
};

// Parameters of the parameterised ops, with PyTorch's defaults.
struct params {
  float alpha = 1.0f;   // elu
  float slope = 0.01f;  // leaky_relu
};

// ---- element-wise values and derivatives ---------------------------------

#define VACT_CPP_ELEMENTWISE(NAME)                                            \
  inline void NAME(const float* x, float* y, std::size_t n) {                 \
    check(vact_##NAME##_f32(x, y, n));                                        \
  }                                                                           \
  inline void NAME##_derivative(const float* x, float* dydx, std::size_t n) { \
    check(vact_##NAME##_derivative_f32(x, dydx, n));                          \
  }

VACT_CPP_ELEMENTWISE(step)
VACT_CPP_ELEMENTWISE(relu)
VACT_CPP_ELEMENTWISE(sigmoid)
VACT_CPP_ELEMENTWISE(tanh)
VACT_CPP_ELEMENTWISE(selu)
VACT_CPP_ELEMENTWISE(softplus)
VACT_CPP_ELEMENTWISE(gelu)
VACT_CPP_ELEMENTWISE(gelu_tanh)
VACT_CPP_ELEMENTWISE(silu)
VACT_CPP_ELEMENTWISE(mish)
VACT_CPP_ELEMENTWISE(hardsigmoid)
VACT_CPP_ELEMENTWISE(hardswish)
VACT_CPP_ELEMENTWISE(softsign)
#undef VACT_CPP_ELEMENTWISE

inline void elu(const float* x, float* y, std::size_t n, float alpha = 1.0f) {
  check(vact_elu_f32(x, y, n, alpha));
}
inline void elu_derivative(const float* x, float* dydx, std::size_t n,
                           float alpha = 1.0f) {
  check(vact_elu_derivative_f32(x, dydx, n, alpha));
}

inline void leaky_relu(const float* x, float* y, std::size_t n,
                       float slope = 0.01f) {
  check(vact_leaky_relu_f32(x, y, n, slope));
}
inline void leaky_relu_derivative(const float* x, float* dydx, std::size_t n,
                                  float slope = 0.01f) {
  check(vact_leaky_relu_derivative_f32(x, dydx, n, slope));
}

// ---- rows ------------------------------------------------------------------

inline void softmax(const float* x, float* y, std::size_t rows,
                    std::size_t cols) {
  check(vact_softmax_f32(x, y, rows, cols));
}
inline void log_softmax(const float* x, float* y, std::size_t rows,
                        std::size_t cols) {
  check(vact_log_softmax_f32(x, y, rows, cols));
}
inline void softmax_strided(const float* x, std::size_t x_stride, float* y,
                            std::size_t y_stride, std::size_t rows,
                            std::size_t cols) {
  check(vact_softmax_strided_f32(x, x_stride, y, y_stride, rows, cols));
}
inline void log_softmax_strided(const float* x, std::size_t x_stride, float* y,
                                std::size_t y_stride, std::size_t rows,
                                std::size_t cols) {
  check(vact_log_softmax_strided_f32(x, x_stride, y, y_stride, rows, cols));
}

// ---- table-driven ----------------------------------------------------------

inline void apply(op o, const float* x, float* y, std::size_t n,
                  const params& p = {}) {
  const vact_params c{p.alpha, p.slope};
  check(vact_apply_f32(static_cast<vact_op>(o), &c, x, y, n));
}
inline void apply_derivative(op o, const float* x, float* dydx, std::size_t n,
                             const params& p = {}) {
  const vact_params c{p.alpha, p.slope};
  check(vact_apply_derivative_f32(static_cast<vact_op>(o), &c, x, dydx, n));
}
// "sigmoid", ...; throws vact::error for a value outside the enum.
inline const char* name(op o) {
  const char* n = vact_op_name(static_cast<vact_op>(o));
  if (n == nullptr) throw error(VACT_ERROR_INVALID_ARGUMENT);
  return n;
}

// ---- instruction sets ------------------------------------------------------

inline isa active_isa() { return static_cast<isa>(vact_active_isa()); }
inline bool isa_supported(isa i) {
  return vact_isa_supported(static_cast<vact_isa>(i)) != 0;
}
// Throws vact::error (VACT_ERROR_UNSUPPORTED_ISA) and changes nothing if the
// ISA cannot run here.
inline void set_isa(isa i) { check(vact_set_isa(static_cast<vact_isa>(i))); }
inline const char* name(isa i) {
  const char* n = vact_isa_name(static_cast<vact_isa>(i));
  if (n == nullptr) throw error(VACT_ERROR_INVALID_ARGUMENT);
  return n;
}
inline const char* version() { return vact_version(); }

#if VACT_HAS_SPAN
// ---- std::span overloads (C++20): y.size() must equal x.size() -------------

namespace detail {
inline std::size_t same_size(std::span<const float> x, std::span<float> y) {
  if (x.size() != y.size()) throw error(VACT_ERROR_INVALID_ARGUMENT);
  return x.size();
}
}  // namespace detail

#define VACT_CPP_SPAN(NAME)                                               \
  inline void NAME(std::span<const float> x, std::span<float> y) {        \
    NAME(x.data(), y.data(), detail::same_size(x, y));                    \
  }                                                                       \
  inline void NAME##_derivative(std::span<const float> x,                 \
                                std::span<float> dydx) {                  \
    NAME##_derivative(x.data(), dydx.data(), detail::same_size(x, dydx)); \
  }

VACT_CPP_SPAN(step)
VACT_CPP_SPAN(relu)
VACT_CPP_SPAN(sigmoid)
VACT_CPP_SPAN(tanh)
VACT_CPP_SPAN(selu)
VACT_CPP_SPAN(softplus)
VACT_CPP_SPAN(gelu)
VACT_CPP_SPAN(gelu_tanh)
VACT_CPP_SPAN(silu)
VACT_CPP_SPAN(mish)
VACT_CPP_SPAN(hardsigmoid)
VACT_CPP_SPAN(hardswish)
VACT_CPP_SPAN(softsign)
#undef VACT_CPP_SPAN

inline void elu(std::span<const float> x, std::span<float> y,
                float alpha = 1.0f) {
  elu(x.data(), y.data(), detail::same_size(x, y), alpha);
}
inline void elu_derivative(std::span<const float> x, std::span<float> dydx,
                           float alpha = 1.0f) {
  elu_derivative(x.data(), dydx.data(), detail::same_size(x, dydx), alpha);
}
inline void leaky_relu(std::span<const float> x, std::span<float> y,
                       float slope = 0.01f) {
  leaky_relu(x.data(), y.data(), detail::same_size(x, y), slope);
}
inline void leaky_relu_derivative(std::span<const float> x,
                                  std::span<float> dydx, float slope = 0.01f) {
  leaky_relu_derivative(x.data(), dydx.data(), detail::same_size(x, dydx),
                        slope);
}
inline void apply(op o, std::span<const float> x, std::span<float> y,
                  const params& p = {}) {
  apply(o, x.data(), y.data(), detail::same_size(x, y), p);
}
inline void apply_derivative(op o, std::span<const float> x,
                             std::span<float> dydx, const params& p = {}) {
  apply_derivative(o, x.data(), dydx.data(), detail::same_size(x, dydx), p);
}
// Rows of `cols` elements: x.size() == y.size() must be a multiple of cols.
inline void softmax(std::span<const float> x, std::span<float> y,
                    std::size_t cols) {
  const std::size_t n = detail::same_size(x, y);
  if (cols == 0 ? n != 0 : n % cols != 0)
    throw error(VACT_ERROR_INVALID_ARGUMENT);
  softmax(x.data(), y.data(), cols == 0 ? 0 : n / cols, cols);
}
inline void log_softmax(std::span<const float> x, std::span<float> y,
                        std::size_t cols) {
  const std::size_t n = detail::same_size(x, y);
  if (cols == 0 ? n != 0 : n % cols != 0)
    throw error(VACT_ERROR_INVALID_ARGUMENT);
  log_softmax(x.data(), y.data(), cols == 0 ? 0 : n / cols, cols);
}
#endif  // VACT_HAS_SPAN

}  // namespace vact

#endif  // VACT_VACT_HPP
