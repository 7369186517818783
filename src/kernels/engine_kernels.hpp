// SPDX-License-Identifier: Apache-2.0
//
// The engine calls' kernels of an ISA's table (kernel_table::engine): the
// attention softmax's row kernels, one per tier, output, soft cap and mask,
// and the small loops the composed calls need. Only make_kernel_table.hpp
// includes this.
#ifndef VACT_SRC_KERNELS_ENGINE_KERNELS_HPP
#define VACT_SRC_KERNELS_ENGINE_KERNELS_HPP

#include <limits>
#include <utility>

#include "kernel_table.hpp"
#include "vact/simd/array.hpp"
#include "vact/simd/attention.hpp"
#include "vact/simd/softmax.hpp"

namespace vact {
namespace detail {
namespace {  // internal linkage, as make_kernel_table.hpp says why

// The row kernels' exponentials and sums, and the soft cap's tanh, by tier.
template <tier Tier>
struct row_terms;
template <>
struct row_terms<tier::precise> {
  using type = simd::rows::precise_terms;
  using tanh = simd::rows::precise_tanh;
};
template <>
struct row_terms<tier::fast> {
  using type = simd::rows::fast_terms;
  using tanh = simd::rows::fast_tanh;
};

template <row_output Output>
struct row_output_policy;
template <>
struct row_output_policy<row_output::softmax> {
  using type = simd::rows::softmax_output;
};
template <>
struct row_output_policy<row_output::log_softmax> {
  using type = simd::rows::log_softmax_output;
};
template <>
struct row_output_policy<row_output::chunk> {
  using type = simd::rows::chunk_output;
};

// The attention softmax. Without a soft cap, the row kernels over x with
// the scaled (and masked) logits as their Logits policy; with one, each
// group of rows gets its logits written into y, then the row kernels run
// there in place while it is in the cache (a group is one long row, or 16
// short ones: whole tiles on every width).
template <class Arch, tier Tier, row_output Output, bool Softcap, bool Mask>
void softmax_ex_of(const float* x, std::size_t x_stride, float* y,
                   std::size_t y_stride, std::size_t rows, std::size_t cols,
                   const softmax_ex_arguments& a) {
  using V = simd::float_vector_t<Arch>;
  using tanh = typename row_terms<Tier>::tanh;
  simd::rows::attention_parameters parameters;
  parameters.scale = a.scale;
  parameters.cap = a.cap;
  parameters.mask_scale = a.mask_scale;
  parameters.mask = a.mask;
  parameters.mask_stride = a.mask_stride;
  if constexpr (!Softcap) {
    simd::rows::row_options options;
    options.sinks = a.sinks;
    options.empty_rows_allowed = a.empty_rows_allowed;
    options.states = a.states;
    simd::rows::over_rows<V, typename row_output_policy<Output>::type,
                          typename row_terms<Tier>::type>(
        x, x_stride, y, y_stride, rows, cols,
        simd::rows::scaled_masked_logits<Mask>(parameters), options);
  } else {
    const std::size_t group =
        cols <= simd::rows::short_row_max ? simd::rows::reduction_slots : 1;
    for (std::size_t r = 0; r < rows; r += group) {
      const std::size_t count = rows - r < group ? rows - r : group;
      simd::rows::attention_parameters at = parameters;
      if (Mask) at.mask += r * parameters.mask_stride;
      float* out = y + r * y_stride;
      simd::rows::attention_logits_of<V, tanh, Softcap, Mask>(
          x + r * x_stride, x_stride, out, y_stride, count, cols, at);
      simd::rows::row_options options;
      options.sinks = a.sinks != nullptr ? a.sinks + r : nullptr;
      options.empty_rows_allowed = a.empty_rows_allowed;
      options.states = a.states != nullptr ? a.states + 2 * r : nullptr;
      simd::rows::over_rows<V, typename row_output_policy<Output>::type,
                            typename row_terms<Tier>::type>(
          out, y_stride, out, y_stride, count, cols,
          simd::rows::identity_logits{}, options);
    }
  }
}

template <class Arch>
void multiply_of(const float* a, const float* b, float* y, std::size_t n) {
  using V = simd::float_vector_t<Arch>;
  simd::transform2<V>(a, b, y, n, [](V p, V q) { return p * q; });
}

template <class Arch>
void add_of(const float* a, const float* b, float* y, std::size_t n) {
  using V = simd::float_vector_t<Arch>;
  simd::transform2<V>(a, b, y, n, [](V p, V q) { return p + q; });
}

template <class Arch>
void gated_backward_of(const float* act, const float* act_derivative,
                       const float* up, const float* dy, float* dgate,
                       float* dup, std::size_t n) {
  using V = simd::float_vector_t<Arch>;
  constexpr std::size_t width = simd::vec_traits<V>::width;
  // Every input of a vector is loaded before its results are stored, so
  // each output may be the same array as an input.
  const auto step = [](const float* a, const float* d, const float* u,
                       const float* g, float* dg, float* du) {
    const V dy_v = simd::vec::load<V>(g);
    const V dgate_v = dy_v * (simd::vec::load<V>(u) * simd::vec::load<V>(d));
    const V dup_v = dy_v * simd::vec::load<V>(a);
    simd::vec::store(dg, dgate_v);
    simd::vec::store(du, dup_v);
  };
  std::size_t i = 0;
  for (; i + width <= n; i += width)
    step(act + i, act_derivative + i, up + i, dy + i, dgate + i, dup + i);
  if (i < n) {
    const std::size_t rest = n - i;
    float a[width] = {}, d[width] = {}, u[width] = {}, g[width] = {};
    float dg[width], du[width];
    for (std::size_t j = 0; j < rest; ++j) {
      a[j] = act[i + j];
      d[j] = act_derivative[i + j];
      u[j] = up[i + j];
      g[j] = dy[i + j];
    }
    step(a, d, u, g, dg, du);
    for (std::size_t j = 0; j < rest; ++j) {
      dgate[i + j] = dg[j];
      dup[i + j] = du[j];
    }
  }
}

// One state at a time, in scalar lanes (simd::lane, std::fma on every ISA):
// the same bits everywhere, sse2 included. A side whose maximum is -inf
// (nothing seen yet, or all masked) gets the factor 0.
template <class Arch>
void softmax_merge_of(float* acc, const float* part, float* acc_factor,
                      float* part_factor, std::size_t rows) {
  using L = simd::lane<float>;
  constexpr float infinity = std::numeric_limits<float>::infinity();
  constexpr float minus_infinity = -infinity;
  constexpr float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t r = 0; r < rows; ++r) {
    const float a_max = acc[2 * r], a_sum = acc[2 * r + 1];
    const float b_max = part[2 * r], b_sum = part[2 * r + 1];
    float m, a_factor, b_factor, sum;
    if (a_max != a_max || b_max != b_max || a_sum != a_sum || b_sum != b_sum ||
        a_max == infinity || b_max == infinity) {
      m = a_factor = b_factor = sum = nan;
    } else {
      m = a_max > b_max ? a_max : b_max;
      const auto factor = [m](float side_max) {
        if (side_max == minus_infinity) return 0.0f;
        return simd::rows::precise_terms::exp_shifted(L(side_max), L(m)).value;
      };
      a_factor = factor(a_max);
      b_factor = factor(b_max);
      sum = simd::vec::fma(L(a_sum), L(a_factor), L(b_sum * b_factor)).value;
    }
    acc[2 * r] = m;
    acc[2 * r + 1] = sum;
    if (acc_factor != nullptr) acc_factor[r] = a_factor;
    if (part_factor != nullptr) part_factor[r] = b_factor;
  }
}

template <class Arch, std::size_t... Entries>
constexpr engine_kernels make_engine_kernels(std::index_sequence<Entries...>) {
  static_assert(sizeof...(Entries) == tier_count * row_output_count * 4, "");
  engine_kernels kernels{};
  // Entry e: tier e / 12, output e / 4 % 3, soft cap e / 2 % 2, mask e % 2.
  ((kernels.softmax_ex[Entries / 12][Entries / 4 % 3][Entries / 2 % 2]
                      [Entries % 2] =
        &softmax_ex_of<Arch, static_cast<tier>(Entries / 12),
                       static_cast<row_output>(Entries / 4 % 3),
                       Entries / 2 % 2 == 1, Entries % 2 == 1>),
   ...);
  kernels.multiply = &multiply_of<Arch>;
  kernels.add = &add_of<Arch>;
  kernels.gated_backward = &gated_backward_of<Arch>;
  kernels.softmax_merge = &softmax_merge_of<Arch>;
  return kernels;
}

template <class Arch>
constexpr engine_kernels make_engine_kernels() {
  return make_engine_kernels<Arch>(
      std::make_index_sequence<tier_count * row_output_count * 4>{});
}

}  // namespace
}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_KERNELS_ENGINE_KERNELS_HPP
