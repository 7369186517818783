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

#include "vact/half.hpp"
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

// One enumerator per row of vact/ops.def.
enum class op : int {
#define VACT_OP(id, name, NAME, ...) name = VACT_OP_##NAME,
#include "vact/ops.def"
#undef VACT_OP
};

enum class isa : int {
  scalar = VACT_ISA_SCALAR,
  sse2 = VACT_ISA_SSE2,
  sse41 = VACT_ISA_SSE41,
  avx2 = VACT_ISA_AVX2,
  avx512 = VACT_ISA_AVX512,
  neon = VACT_ISA_NEON,
};

// Accuracy tiers (vact.h's vact_accuracy documents them).
enum class accuracy : int {
  precise = VACT_ACCURACY_PRECISE,
  fast = VACT_ACCURACY_FAST,
};

// Parameters of the table-driven calls, with vact.h's VACT_PARAMS_INIT
// defaults (PyTorch's where PyTorch has the op).
struct params {
  float alpha = 1.0f;   // elu
  float slope = 0.01f;  // leaky_relu
  vact::accuracy accuracy = vact::accuracy::precise;
  float beta = 1.0f;  // swish (1: silu)
  float lo = -1.0f;   // clip (PyTorch's hardtanh; relu6 is 0, 6)
  float hi = 1.0f;
  float cap = 0.0f;  // softcap (0: no cap)
};

// ---- element-wise values and derivatives ---------------------------------
//
// vact::<name>(x, y, n) and vact::<name>_derivative(x, dydx, n) for every op
// of vact/ops.def, the precise tier on f32 arrays; ops with parameters take
// them last: elu's alpha, leaky_relu's slope and swish's beta with
// PyTorch's defaults, clip's lo and hi, softcap's cap.

#define VACT_CPP_PARAMETER_none
#define VACT_CPP_PARAMETER_alpha , float alpha = 1.0f
#define VACT_CPP_PARAMETER_slope , float slope = 0.01f
#define VACT_CPP_PARAMETER_beta , float beta = 1.0f
#define VACT_CPP_PARAMETER_lo_hi , float lo, float hi
#define VACT_CPP_PARAMETER_cap , float cap
#define VACT_CPP_ARGUMENT_none
#define VACT_CPP_ARGUMENT_alpha , alpha
#define VACT_CPP_ARGUMENT_slope , slope
#define VACT_CPP_ARGUMENT_beta , beta
#define VACT_CPP_ARGUMENT_lo_hi , lo, hi
#define VACT_CPP_ARGUMENT_cap , cap

#define VACT_OP(id, name, NAME, params, ...)                                  \
  inline void name(const float* x, float* y,                                  \
                   std::size_t n VACT_CPP_PARAMETER_##params) {               \
    check(vact_##name##_f32(x, y, n VACT_CPP_ARGUMENT_##params));             \
  }                                                                           \
  inline void name##_derivative(const float* x, float* dydx,                  \
                                std::size_t n VACT_CPP_PARAMETER_##params) {  \
    check(                                                                    \
        vact_##name##_derivative_f32(x, dydx, n VACT_CPP_ARGUMENT_##params)); \
  }
#include "vact/ops.def"
#undef VACT_OP

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

namespace detail {
inline vact_params c_params(const params& p) {
  return {p.alpha, p.slope, static_cast<vact_accuracy>(p.accuracy),
          p.beta,  p.lo,    p.hi,
          p.cap};
}
}  // namespace detail

inline void apply(op o, const float* x, float* y, std::size_t n,
                  const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_apply_f32(static_cast<vact_op>(o), &c, x, y, n));
}
inline void apply_derivative(op o, const float* x, float* dydx, std::size_t n,
                             const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_apply_derivative_f32(static_cast<vact_op>(o), &c, x, dydx, n));
}
// The same in tier t, other parameters at their defaults.
inline void apply(op o, accuracy t, const float* x, float* y, std::size_t n) {
  params p;
  p.accuracy = t;
  apply(o, x, y, n, p);
}

// ---- 16-bit storage (vact/half.hpp's bf16 and f16) ------------------------
//
// The same op on bf16 or f16 arrays, computed in f32 and rounded once (or
// with f32 results), and the conversions; vact.h gives the contracts.

namespace detail {
inline const std::uint16_t* bits(const bf16* x) {
  return reinterpret_cast<const std::uint16_t*>(x);
}
inline std::uint16_t* bits(bf16* x) {
  return reinterpret_cast<std::uint16_t*>(x);
}
inline const std::uint16_t* bits(const f16* x) {
  return reinterpret_cast<const std::uint16_t*>(x);
}
inline std::uint16_t* bits(f16* x) {
  return reinterpret_cast<std::uint16_t*>(x);
}
}  // namespace detail

inline void apply(op o, const bf16* x, bf16* y, std::size_t n,
                  const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_apply_bf16(static_cast<vact_op>(o), &c, detail::bits(x),
                        detail::bits(y), n));
}
inline void apply(op o, const f16* x, f16* y, std::size_t n,
                  const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_apply_f16(static_cast<vact_op>(o), &c, detail::bits(x),
                       detail::bits(y), n));
}
inline void apply(op o, const bf16* x, float* y, std::size_t n,
                  const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(
      vact_apply_bf16_f32(static_cast<vact_op>(o), &c, detail::bits(x), y, n));
}
inline void apply(op o, const f16* x, float* y, std::size_t n,
                  const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_apply_f16_f32(static_cast<vact_op>(o), &c, detail::bits(x), y, n));
}
inline void apply_derivative(op o, const bf16* x, bf16* dydx, std::size_t n,
                             const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_apply_derivative_bf16(static_cast<vact_op>(o), &c, detail::bits(x),
                                   detail::bits(dydx), n));
}
inline void apply_derivative(op o, const f16* x, f16* dydx, std::size_t n,
                             const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_apply_derivative_f16(static_cast<vact_op>(o), &c, detail::bits(x),
                                  detail::bits(dydx), n));
}

inline void convert(const float* x, bf16* y, std::size_t n) {
  check(vact_convert_f32_to_bf16(x, detail::bits(y), n));
}
inline void convert(const bf16* x, float* y, std::size_t n) {
  check(vact_convert_bf16_to_f32(detail::bits(x), y, n));
}
inline void convert(const float* x, f16* y, std::size_t n) {
  check(vact_convert_f32_to_f16(x, detail::bits(y), n));
}
inline void convert(const f16* x, float* y, std::size_t n) {
  check(vact_convert_f16_to_f32(detail::bits(x), y, n));
}

// softmax and log_softmax over bf16 or f16 rows (vact_softmax_bf16, ...),
// tier infix `tier` (empty or fast_): computed in f32, rounded once.
#define VACT_CPP_ROWS_16(T, tier)                                              \
  inline void softmax(const T* x, T* y, std::size_t rows, std::size_t cols) {  \
    check(                                                                     \
        vact_softmax_##tier##T(detail::bits(x), detail::bits(y), rows, cols)); \
  }                                                                            \
  inline void log_softmax(const T* x, T* y, std::size_t rows,                  \
                          std::size_t cols) {                                  \
    check(vact_log_softmax_##tier##T(detail::bits(x), detail::bits(y), rows,   \
                                     cols));                                   \
  }                                                                            \
  inline void softmax_strided(const T* x, std::size_t x_stride, T* y,          \
                              std::size_t y_stride, std::size_t rows,          \
                              std::size_t cols) {                              \
    check(vact_softmax_strided_##tier##T(                                      \
        detail::bits(x), x_stride, detail::bits(y), y_stride, rows, cols));    \
  }                                                                            \
  inline void log_softmax_strided(const T* x, std::size_t x_stride, T* y,      \
                                  std::size_t y_stride, std::size_t rows,      \
                                  std::size_t cols) {                          \
    check(vact_log_softmax_strided_##tier##T(                                  \
        detail::bits(x), x_stride, detail::bits(y), y_stride, rows, cols));    \
  }
VACT_CPP_ROWS_16(bf16, )
VACT_CPP_ROWS_16(f16, )

// ---- the fast tier ---------------------------------------------------------
//
// vact::fast::<name>(x, y, n) for every op of vact/ops.def (with elu's and
// leaky_relu's parameter last), and the row functions: the fast tier of
// vact.h's vact_accuracy. Derivatives are the same in both tiers, so they
// stay vact::<name>_derivative.
namespace fast {

#define VACT_FAST_PARAMS_none
#define VACT_FAST_PARAMS_alpha p.alpha = alpha;
#define VACT_FAST_PARAMS_slope p.slope = slope;
#define VACT_FAST_PARAMS_beta p.beta = beta;
#define VACT_FAST_PARAMS_lo_hi \
  p.lo = lo;                   \
  p.hi = hi;
#define VACT_FAST_PARAMS_cap p.cap = cap;
#define VACT_OP(id, name, NAME, params_column, ...)                     \
  inline void name(const float* x, float* y,                            \
                   std::size_t n VACT_CPP_PARAMETER_##params_column) {  \
    vact::params p;                                                     \
    p.accuracy = accuracy::fast;                                        \
    VACT_FAST_PARAMS_##params_column vact::apply(op::name, x, y, n, p); \
  }
#include "vact/ops.def"
#undef VACT_OP
#undef VACT_FAST_PARAMS_none
#undef VACT_FAST_PARAMS_alpha
#undef VACT_FAST_PARAMS_slope
#undef VACT_FAST_PARAMS_beta
#undef VACT_FAST_PARAMS_lo_hi
#undef VACT_FAST_PARAMS_cap

inline void softmax(const float* x, float* y, std::size_t rows,
                    std::size_t cols) {
  check(vact_softmax_fast_f32(x, y, rows, cols));
}
inline void log_softmax(const float* x, float* y, std::size_t rows,
                        std::size_t cols) {
  check(vact_log_softmax_fast_f32(x, y, rows, cols));
}
inline void softmax_strided(const float* x, std::size_t x_stride, float* y,
                            std::size_t y_stride, std::size_t rows,
                            std::size_t cols) {
  check(vact_softmax_strided_fast_f32(x, x_stride, y, y_stride, rows, cols));
}
inline void log_softmax_strided(const float* x, std::size_t x_stride, float* y,
                                std::size_t y_stride, std::size_t rows,
                                std::size_t cols) {
  check(
      vact_log_softmax_strided_fast_f32(x, x_stride, y, y_stride, rows, cols));
}
VACT_CPP_ROWS_16(bf16, fast_)
VACT_CPP_ROWS_16(f16, fast_)
#undef VACT_CPP_ROWS_16

}  // namespace fast

// ---- engine calls: what engines call around a GEMM -------------------------
//
// vact.h's "engine calls" give the contracts; each takes the tier (and elu's
// alpha, leaky_relu's slope) from params.

enum class gate_layout : int {
  concat = VACT_GATE_CONCAT,
  concat_swapped = VACT_GATE_CONCAT_SWAPPED,
  interleaved = VACT_GATE_INTERLEAVED,
};

// y[i] = act(gate[i]) * up[i]: SwiGLU with op::silu, GeGLU with op::gelu.
inline void gated(op act, const float* gate, const float* up, float* y,
                  std::size_t n, const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_gated_f32(static_cast<vact_op>(act), &c, gate, up, y, n));
}
// The same over rows of a fused gate+up projection (2 cols per row of x).
inline void gated_rows(op act, const float* x, std::size_t x_stride, float* y,
                       std::size_t y_stride, std::size_t rows, std::size_t cols,
                       gate_layout layout, const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_gated_rows_f32(static_cast<vact_op>(act), &c, x, x_stride, y,
                            y_stride, rows, cols,
                            static_cast<vact_gate_layout>(layout)));
}
// dgate = dy (up act'(gate)), dup = dy act(gate).
inline void gated_backward(op act, const float* gate, const float* up,
                           const float* dy, float* dgate, float* dup,
                           std::size_t n, const params& p = {}) {
  const vact_params c = detail::c_params(p);
  check(vact_gated_backward_f32(static_cast<vact_op>(act), &c, gate, up, dy,
                                dgate, dup, n));
}
// c[r * ldc + j] = act(c[r * ldc + j] + bias[j]) in place (bias may be null).
inline void bias_apply(op act, const float* bias, float* c, std::size_t ldc,
                       std::size_t rows, std::size_t cols,
                       const params& p = {}) {
  const vact_params cp = detail::c_params(p);
  check(vact_bias_apply_f32(static_cast<vact_op>(act), &cp, bias, c, ldc, rows,
                            cols));
}

// vact_softmax_params with its defaults (VACT_SOFTMAX_PARAMS_INIT).
struct softmax_params {
  vact::accuracy accuracy = vact::accuracy::precise;
  bool log = false;
  float scale = 1.0f;
  float softcap = 0.0f;  // 0: none
  const float* mask = nullptr;
  std::size_t mask_row_stride = 0;  // 0: one mask row for all
  float mask_scale = 1.0f;
  const float* sinks = nullptr;
  bool zero_masked_rows = false;  // VACT_MASKED_ROW_ZERO
};

namespace detail {
inline vact_softmax_params c_softmax_params(const softmax_params& p) {
  vact_softmax_params c = VACT_SOFTMAX_PARAMS_INIT;
  c.accuracy = static_cast<vact_accuracy>(p.accuracy);
  c.log = p.log ? 1 : 0;
  c.scale = p.scale;
  c.softcap = p.softcap;
  c.mask = p.mask;
  c.mask_row_stride = p.mask_row_stride;
  c.mask_scale = p.mask_scale;
  c.sinks = p.sinks;
  c.masked_row =
      p.zero_masked_rows ? VACT_MASKED_ROW_ZERO : VACT_MASKED_ROW_NAN;
  return c;
}
}  // namespace detail

// The attention softmax over strided rows: scale, soft cap, mask, sinks.
inline void softmax_ex(const float* x, std::size_t x_stride, float* y,
                       std::size_t y_stride, std::size_t rows, std::size_t cols,
                       const softmax_params& p = {}) {
  const vact_softmax_params c = detail::c_softmax_params(p);
  check(vact_softmax_ex_f32(x, x_stride, y, y_stride, rows, cols, &c));
}

// Online softmax (vact.h): a chunk's terms and states, merges, the finish.
using softmax_state = vact_softmax_state;
inline void softmax_chunk(const float* x, std::size_t x_stride, float* y,
                          std::size_t y_stride, std::size_t rows,
                          std::size_t cols, softmax_state* states,
                          const softmax_params& p = {}) {
  const vact_softmax_params c = detail::c_softmax_params(p);
  check(
      vact_softmax_chunk_f32(x, x_stride, y, y_stride, rows, cols, &c, states));
}
inline void softmax_merge(softmax_state* acc, const softmax_state* part,
                          float* acc_factor, float* part_factor,
                          std::size_t rows) {
  check(vact_softmax_merge_f32(acc, part, acc_factor, part_factor, rows));
}
inline void softmax_finish(const softmax_state* states, float* reciprocal,
                           std::size_t rows) {
  check(vact_softmax_finish_f32(states, reciprocal, rows));
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
template <class In, class Out>
std::size_t same_size(std::span<const In> x, std::span<Out> y) {
  if (x.size() != y.size()) throw error(VACT_ERROR_INVALID_ARGUMENT);
  return x.size();
}
// The row count of spans holding rows of `cols` elements: x.size() ==
// y.size() must be a multiple of cols.
template <class In, class Out>
std::size_t row_count(std::span<const In> x, std::span<Out> y,
                      std::size_t cols) {
  const std::size_t n = same_size(x, y);
  if (cols == 0 ? n != 0 : n % cols != 0)
    throw error(VACT_ERROR_INVALID_ARGUMENT);
  return cols == 0 ? 0 : n / cols;
}
}  // namespace detail

#define VACT_OP(id, name, NAME, params, ...)                                  \
  inline void name(std::span<const float> x,                                  \
                   std::span<float> y VACT_CPP_PARAMETER_##params) {          \
    name(x.data(), y.data(),                                                  \
         detail::same_size(x, y) VACT_CPP_ARGUMENT_##params);                 \
  }                                                                           \
  inline void name##_derivative(                                              \
      std::span<const float> x,                                               \
      std::span<float> dydx VACT_CPP_PARAMETER_##params) {                    \
    name##_derivative(x.data(), dydx.data(),                                  \
                      detail::same_size(x, dydx) VACT_CPP_ARGUMENT_##params); \
  }
#include "vact/ops.def"
#undef VACT_OP

inline void apply(op o, std::span<const float> x, std::span<float> y,
                  const params& p = {}) {
  apply(o, x.data(), y.data(), detail::same_size(x, y), p);
}
inline void apply_derivative(op o, std::span<const float> x,
                             std::span<float> dydx, const params& p = {}) {
  apply_derivative(o, x.data(), dydx.data(), detail::same_size(x, dydx), p);
}
// Rows of `cols` elements (x.size() a multiple of it), f32, bf16 or f16;
// `scope` qualifies the call (unqualified, argument-dependent lookup would
// also find vact:: from vact::fast).
#define VACT_SPAN_ROWS(T, scope)                                             \
  inline void softmax(std::span<const T> x, std::span<T> y,                  \
                      std::size_t cols) {                                    \
    scope::softmax(x.data(), y.data(), detail::row_count(x, y, cols), cols); \
  }                                                                          \
  inline void log_softmax(std::span<const T> x, std::span<T> y,              \
                          std::size_t cols) {                                \
    scope::log_softmax(x.data(), y.data(), detail::row_count(x, y, cols),    \
                       cols);                                                \
  }
VACT_SPAN_ROWS(float, vact)
VACT_SPAN_ROWS(bf16, vact)
VACT_SPAN_ROWS(f16, vact)

// The 16-bit element-wise calls and conversions.
#define VACT_SPAN_16(T)                                                        \
  inline void apply(op o, std::span<const T> x, std::span<T> y,                \
                    const params& p = {}) {                                    \
    apply(o, x.data(), y.data(), detail::same_size(x, y), p);                  \
  }                                                                            \
  inline void apply(op o, std::span<const T> x, std::span<float> y,            \
                    const params& p = {}) {                                    \
    apply(o, x.data(), y.data(), detail::same_size(x, y), p);                  \
  }                                                                            \
  inline void apply_derivative(op o, std::span<const T> x, std::span<T> dydx,  \
                               const params& p = {}) {                         \
    apply_derivative(o, x.data(), dydx.data(), detail::same_size(x, dydx), p); \
  }                                                                            \
  inline void convert(std::span<const float> x, std::span<T> y) {              \
    convert(x.data(), y.data(), detail::same_size(x, y));                      \
  }                                                                            \
  inline void convert(std::span<const T> x, std::span<float> y) {              \
    convert(x.data(), y.data(), detail::same_size(x, y));                      \
  }
VACT_SPAN_16(bf16)
VACT_SPAN_16(f16)
#undef VACT_SPAN_16

namespace fast {
#define VACT_OP(id, name, NAME, params_column, ...)                         \
  inline void name(std::span<const float> x,                                \
                   std::span<float> y VACT_CPP_PARAMETER_##params_column) { \
    name(x.data(), y.data(),                                                \
         detail::same_size(x, y) VACT_CPP_ARGUMENT_##params_column);        \
  }
#include "vact/ops.def"
#undef VACT_OP

VACT_SPAN_ROWS(float, vact::fast)
VACT_SPAN_ROWS(bf16, vact::fast)
VACT_SPAN_ROWS(f16, vact::fast)
}  // namespace fast
#undef VACT_SPAN_ROWS
#endif  // VACT_HAS_SPAN

}  // namespace vact

#endif  // VACT_VACT_HPP
