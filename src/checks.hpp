// SPDX-License-Identifier: Apache-2.0
//
// The argument checks and parameter readings the C entry points share
// (api.cpp, engine_calls.cpp).
#ifndef VACT_SRC_CHECKS_HPP
#define VACT_SRC_CHECKS_HPP

#include <cstddef>
#include <cstdint>

#include "kernel_table.hpp"
#include "vact/vact.h"

namespace vact {
namespace detail {

// [a, a + a_bytes) and [b, b + b_bytes) share memory without starting at
// the same address.
inline bool partially_overlap(const void* a, std::size_t a_bytes, const void* b,
                              std::size_t b_bytes) {
  const auto a_begin = reinterpret_cast<std::uintptr_t>(a);
  const auto b_begin = reinterpret_cast<std::uintptr_t>(b);
  if (a_begin == b_begin) return false;
  return a_begin < b_begin + b_bytes && b_begin < a_begin + a_bytes;
}

// The largest element count of a range of `element_size` bytes each.
inline std::size_t max_elements(std::size_t element_size) {
  return PTRDIFF_MAX / element_size;
}

// A range of `bytes` from p that would wrap around the address space.
inline bool wraps(const void* p, std::size_t bytes) {
  return reinterpret_cast<std::uintptr_t>(p) > UINTPTR_MAX - bytes;
}

// n elements of in_size bytes from x to n of out_size bytes at y: the
// checks of every element-wise call and conversion.
inline vact_status check_arrays(const void* x, std::size_t in_size,
                                const void* y, std::size_t out_size,
                                std::size_t n) {
  if (n == 0) return VACT_OK;
  if (x == nullptr || y == nullptr) return VACT_ERROR_NULL_POINTER;
  if (n > max_elements(in_size) || n > max_elements(out_size) ||
      wraps(x, n * in_size) || wraps(y, n * out_size))
    return VACT_ERROR_INVALID_ARGUMENT;
  // In place needs the same element size (each element is read before its
  // result is written over it).
  const bool same_start = x == y;
  if (same_start ? in_size != out_size
                 : partially_overlap(x, n * in_size, y, n * out_size))
    return VACT_ERROR_OVERLAP;
  return VACT_OK;
}

// Number of elements from the first to the last of `rows` rows, or 0 on
// overflow (rows and cols are not 0 here).
inline std::size_t row_span(std::size_t rows, std::size_t cols,
                            std::size_t stride, std::size_t limit) {
  if (cols > limit || rows - 1 > (limit - cols) / stride) return 0;
  return (rows - 1) * stride + cols;
}

// The params column of each op of vact/ops.def.
enum class parameter_kind { none, alpha, slope, beta, lo_hi, cap };
constexpr parameter_kind op_parameter_kinds[] = {
#define VACT_OP(id, name, NAME, params, ...) parameter_kind::params,
#include "vact/ops.def"
#undef VACT_OP
};
static_assert(sizeof op_parameter_kinds ==
                  VACT_OP_COUNT * sizeof(parameter_kind),
              "one entry per op");

// vact_params as op reads it, or the defaults for NULL. Of the fields
// appended after 0.2 (beta, lo, hi, cap) only those op reads are read: a
// program built against 0.2 passes the shorter struct (the C ABI of 0.x is
// kept), and its ops read none of them.
inline op_parameters parameters_of(vact_op op, const vact_params* p) {
  op_parameters q = default_parameters;
  if (p == nullptr) return q;
  q.alpha = p->alpha;
  q.slope = p->slope;
  if (static_cast<unsigned>(op) >= static_cast<unsigned>(VACT_OP_COUNT))
    return q;  // refused by the caller's checks
  switch (op_parameter_kinds[op]) {
    case parameter_kind::beta:
      q.beta = p->beta;
      break;
    case parameter_kind::lo_hi:
      q.lo = p->lo;
      q.hi = p->hi;
      break;
    case parameter_kind::cap:
      q.cap = p->cap;
      break;
    case parameter_kind::none:
    case parameter_kind::alpha:
    case parameter_kind::slope:
      break;
  }
  return q;
}

// Whether op (a valid vact_op) can take these parameters: vact.h's
// vact_params lists what it cannot. Fields the op does not read are free.
inline bool valid_parameters(vact_op op, const op_parameters& p) {
  switch (op_parameter_kinds[op]) {
    case parameter_kind::beta:
      return p.beta - p.beta == 0.0f;  // finite
    case parameter_kind::lo_hi:
      return p.lo <= p.hi;  // false for a NaN
    case parameter_kind::cap:
      return p.cap >= 0.0f;  // false for a NaN
    case parameter_kind::none:
    case parameter_kind::alpha:
    case parameter_kind::slope:
      break;
  }
  return true;
}
// The tier p asks for (NULL: precise). A value outside vact_accuracy stays
// out of range, for check() to reject.
inline tier tier_of(const vact_params* p) {
  if (p == nullptr) return tier::precise;
  return static_cast<tier>(static_cast<int>(p->accuracy));
}

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_CHECKS_HPP
