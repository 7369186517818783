// SPDX-License-Identifier: Apache-2.0
//
// Where the activations' general formulas stop working, and what takes
// over, shared by the kernels: the tiny side (arguments whose e^z would be
// subnormal), the limits at infinity of products x f(x), and the zeros of
// derivatives.
#ifndef VACT_SIMD_DETAIL_EDGE_CASES_HPP
#define VACT_SIMD_DETAIL_EDGE_CASES_HPP

#include <cstddef>
#include <limits>

#include "vact/simd/detail/exact.hpp"
#include "vact/simd/detail/rare_paths.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

// ---- the tiny side ---------------------------------------------------------
//
// Below z = -60, e^z < 2^-86 and the formulas would form subnormal
// intermediates (squares, remainders, tails), which x86 CPUs run through
// microcode at a hundred times the cost. So the main path of each kernel
// clamps its argument to [-60, 60], where everything stays normal, and
// lanes below -60 take a path in which the result is x e^z to float
// precision, scaled by 2^64 so that it rounds once even when subnormal.

constexpr float tiny_below = -60.0f;

// x e^z for z = hi + lo (hi < -60): (x e^z 2^64) 2^-64, rounded once.
template <class V>
VACT_INLINE V times_tiny_exp(V x, split_float<V> z) {
  const split_float<V> e = math::exp_split_times_2_64(z.hi);
  const V e_lo = vec::fma(e.hi, z.lo, e.lo);  // e^(hi + lo) = e^hi (1 + lo)
  return times_split(x, split_float<V>{e.hi, e_lo}) * V(0x1p-64f);
}
// x e^z for a float z < -60 (the same operations, with lo = 0).
template <class V>
VACT_INLINE V times_tiny_exp(V x, V z) {
  return times_tiny_exp(x, split_float<V>{z, V(0.0f)});
}

// y, with the lanes where z < -60 replaced by tiny(): a rare path.
template <class V, class Tiny, class Rare = rare_paths::taken>
VACT_INLINE V with_tiny_side(V z, V y, Tiny tiny, Rare rare = {}) {
  const auto below = z < V(tiny_below);
  if (!rare(below)) return y;
  return vec::select(below, tiny(), y);
}

// The main path's argument: z clamped to [-60, 60] (NaN passes).
template <class V>
VACT_INLINE V main_range(V z) {
  return vec::max(V(tiny_below), vec::min(V(-tiny_below), z));
}

// ---- infinities ----------------------------------------------------------

// Exact limits at infinity for products x f(x) whose factors meet 0 * inf.
template <class V>
VACT_INLINE V with_infinite_limits(V x, V finite, V at_minus_inf,
                                   V at_plus_inf) {
  const V inf(std::numeric_limits<float>::infinity());
  return vec::select(x == inf, at_plus_inf,
                     vec::select(x == -inf, at_minus_inf, finite));
}

// ---- zeros of derivatives ------------------------------------------------
//
// Near the zero x0 of a derivative its general formula cancels (1 + x (1 -
// s) ~ 0) and keeps only an absolute accuracy of a few 2^-26. There
// f'(x0 + u) = u Q(u), with u = (x - x0_hi) - x0_lo relative-accurate
// (x - x0_hi is exact) and Q a polynomial without zeros on the window
// (tools/fit_derivative_zeros.py, poly::<op>_derivative_zero), keeps
// relative accuracy through the zero. A rare branch.

struct derivative_zero {
  float x0_hi, x0_lo;  // x0 = x0_hi + x0_lo
  float u_min, u_max;  // the window, x0 + (u_min, u_max)
};

// y, with the lanes inside the window replaced by u Q(u).
template <class V, std::size_t N>
VACT_INLINE V through_derivative_zero(V x, V y, const derivative_zero& z,
                                      const float (&q)[N]) {
  const V u = (x - V(z.x0_hi)) - V(z.x0_lo);
  const auto inside = (u > V(z.u_min)) & (u < V(z.u_max));
  if (!vec::any(inside)) return y;
  return vec::select(inside, u * math::horner(u, q), y);
}

// The same for a function of z = hi + lo (f'(x) = g'(z(x)), g' with the
// zero x0): u = (hi - x0_hi) + (lo - x0_lo), the first difference exact
// inside a window within a factor 2 of x0.
template <class V, std::size_t N>
VACT_INLINE V through_derivative_zero(split_float<V> z, V y,
                                      const derivative_zero& zero,
                                      const float (&q)[N]) {
  const V u = (z.hi - V(zero.x0_hi)) + (z.lo - V(zero.x0_lo));
  const auto inside = (u > V(zero.u_min)) & (u < V(zero.u_max));
  if (!vec::any(inside)) return y;
  return vec::select(inside, u * math::horner(u, q), y);
}

}  // namespace detail
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_DETAIL_EDGE_CASES_HPP
