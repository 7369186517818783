// SPDX-License-Identifier: Apache-2.0
//
// Row kernels: softmax and log_softmax of one contiguous row, three passes
// (max; exponentials and their sum; normalisation).
//
// Determinism: element j of a row always goes to reduction slot j mod 16,
// each slot sums its elements in row order (compensated, TwoSum), and the
// 16 slots are folded in a fixed order. A W-lane ISA just holds 16/W slot
// vectors, so the result does not depend on the vector width: scalar,
// avx2, avx512 and neon give the same bits.
//
// Accuracy: x_j - m is computed with its rounding error (TwoSum) and that
// error is folded back into e^(x_j - m), so rows spanning a wide range
// (1e30 included) lose nothing to the subtraction; the row sum is
// compensated, so long rows do not accumulate rounding error.
#ifndef VACT_SIMD_SOFTMAX_HPP
#define VACT_SIMD_SOFTMAX_HPP

#include <limits>

#include "vact/simd/array.hpp"
#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
namespace rows {

constexpr std::size_t reduction_slots = 16;
constexpr float minus_infinity = -std::numeric_limits<float>::infinity();

// a + b = sum + error exactly (Knuth's TwoSum; needs round to nearest and
// no reassociation, hence -ffp-contract=off and never -ffast-math).
template <class V>
struct two_sum {
  V sum;
  V error;
  two_sum(V a, V b) : sum(a + b) {
    const V b_virtual = sum - a;
    error = (a - (sum - b_virtual)) + (b - b_virtual);
  }
};

// Folds 16 compensated slot sums (hi[s] + lo[s]) into slot 0 along a fixed
// binary tree (slot s takes slot s + 8, then s + 4, s + 2, s + 1),
// compensated at each node, for T = float (one row) or T = V (one row per
// lane). Only slots below `used` can be non-zero; a level whose partners
// are all beyond it would add exact zeros, so it is skipped without
// changing a bit. The tree keeps the dependency chain 4 deep, which short
// rows feel. Tag (the ISA's vector type) makes the float instantiation
// each ISA's own: a plain template on float would be one symbol shared by
// translation units compiled with different ISA flags.
template <class Tag, class T>
VACT_INLINE void fold_slots(T* hi, T* lo, std::size_t used) {
  for (std::size_t step = reduction_slots / 2; step >= 1; step /= 2) {
    if (used <= step) continue;
    for (std::size_t s = 0; s < step; ++s) {
      const T a = hi[s], b = hi[s + step];
      const T sum_ab = a + b;  // TwoSum, written out for T = float too
      const T b_virtual = sum_ab - a;
      const T rounding = (a - (sum_ab - b_virtual)) + (b - b_virtual);
      hi[s] = sum_ab;
      lo[s] = lo[s] + (lo[s + step] + rounding);
    }
  }
}

// 16 compensated partial sums, one per reduction slot.
template <class V>
struct slot_sums {
  static constexpr std::size_t width = vec_traits<V>::width;
  static constexpr std::size_t vectors = reduction_slots / width;
  static_assert(reduction_slots % width == 0, "width must divide 16");

  V sum[vectors];
  V error[vectors];

  slot_sums() {
    for (std::size_t k = 0; k < vectors; ++k) sum[k] = error[k] = V(0.0f);
  }
  // Adds the 16 values of one block, slot by slot.
  void add(const V* block) {
    for (std::size_t k = 0; k < vectors; ++k) {
      const two_sum<V> s(sum[k], block[k]);
      sum[k] = s.sum;
      error[k] = error[k] + s.error;
    }
  }
  // Folds the 16 slots into one float (fold_slots' tree).
  float total(std::size_t used) const {
    float hi[reduction_slots];
    float lo[reduction_slots];
    for (std::size_t k = 0; k < vectors; ++k) {
      vec::store(hi + k * width, sum[k]);
      vec::store(lo + k * width, error[k]);
    }
    fold_slots<V>(hi, lo, used);
    return hi[0] + lo[0];
  }
};

// e^(x - m), with the rounding error of x - m folded back in. A NaN x, or
// m = +-inf, gives NaN; x = -inf (with m finite) gives 0.
template <class V>
VACT_INLINE V exp_shifted(V x, V m) {
  const two_sum<V> d(x, -m);
  const V e = math::exp<true>(d.sum);  // x - max <= 0
  // d.error is NaN when d.sum is infinite; e is 0 there anyway.
  const V error = vec::select(d.sum >= V(-104.0f), d.error, V(0.0f));
  return vec::fma(e, error, e);  // e^(d + error) = e^d (1 + error)
}

// The lane-wise maximum of x[0, count) for count a multiple of the width.
// Four accumulators: one vmaxps chain would wait out its latency on every
// vector. (The maximum is exact, so the order changes no bit; NaN rows end
// in NaN through the sums either way.)
template <class V>
VACT_INLINE V lane_max(const float* x, std::size_t count) {
  constexpr std::size_t width = vec_traits<V>::width;
  V m[4] = {V(minus_infinity), V(minus_infinity), V(minus_infinity),
            V(minus_infinity)};
  std::size_t i = 0;
  for (; i + 4 * width <= count; i += 4 * width)
    for (std::size_t k = 0; k < 4; ++k)
      m[k] = vec::max(m[k], vec::load<V>(x + i + k * width));
  for (; i < count; i += width) m[0] = vec::max(m[0], vec::load<V>(x + i));
  return vec::max(vec::max(m[0], m[1]), vec::max(m[2], m[3]));
}

template <class V>
VACT_INLINE float horizontal_max(V v) {
  constexpr std::size_t width = vec_traits<V>::width;
  float lanes[width];
  vec::store(lanes, v);
  float m = lanes[0];
  for (std::size_t l = 1; l < width; ++l) m = lanes[l] > m ? lanes[l] : m;
  return m;
}

template <class V>
float row_max(const float* x, std::size_t n) {
  constexpr std::size_t width = vec_traits<V>::width;
  const std::size_t whole = n / width * width;
  float result = horizontal_max(lane_max<V>(x, whole));
  for (std::size_t i = whole; i < n; ++i)
    result = x[i] > result ? x[i] : result;
  return result;
}

// Sum over the row of e^(x_j - m) in the 16 reduction slots; writes each
// term to y unless y is null.
template <class V>
float sum_exp_shifted(const float* x, float* y, std::size_t n, float m) {
  constexpr std::size_t width = vec_traits<V>::width;
  constexpr std::size_t vectors = reduction_slots / width;
  const V max_v(m);
  slot_sums<V> sums;
  V block[vectors];
  std::size_t i = 0;
  for (; i + reduction_slots <= n; i += reduction_slots) {
    for (std::size_t k = 0; k < vectors; ++k)
      block[k] = exp_shifted(vec::load<V>(x + i + k * width), max_v);
    sums.add(block);
    if (y != nullptr)
      for (std::size_t k = 0; k < vectors; ++k)
        vec::store(y + i + k * width, block[k]);
  }
  if (i < n) {
    // The last, partial block: padded with m (e^0 stays on the fast path),
    // then the padding's terms are masked to exact zeros.
    const std::size_t count = n - i;
    constexpr std::uint32_t all_ones = 0xffffffffu;
    float padded[reduction_slots];
    float keep[reduction_slots] = {};  // bit masks: all ones, or +0
    for (std::size_t j = 0; j < reduction_slots; ++j) {
      padded[j] = j < count ? x[i + j] : m;
      if (j < count) std::memcpy(&keep[j], &all_ones, sizeof(float));
    }
    for (std::size_t k = 0; k < vectors; ++k)
      block[k] = exp_shifted(vec::load<V>(padded + k * width), max_v) &
                 vec::load<V>(keep + k * width);
    sums.add(block);
    if (y != nullptr) {
      for (std::size_t k = 0; k < vectors; ++k)
        vec::store(padded + k * width, block[k]);
      for (std::size_t j = 0; j < count; ++j) y[i + j] = padded[j];
    }
  }
  return sums.total(n < reduction_slots ? n : reduction_slots);
}

template <class V>
void softmax_row(const float* x, float* y, std::size_t n) {
  if (n == 0) return;
  const float m = row_max<V>(x, n);
  const float sum = sum_exp_shifted<V>(x, y, n, m);
  // sum >= 1 (the maximum contributes e^0), or NaN for a NaN / inf row.
  const V scale = vec::div(V(1.0f), V(sum));
  transform<V>(y, y, n, [scale](V e) { return e * scale; });
}

template <class V>
void log_softmax_row(const float* x, float* y, std::size_t n) {
  if (n == 0) return;
  const float m = row_max<V>(x, n);
  const V sum(sum_exp_shifted<V>(x, nullptr, n, m));
  const V log_sum = vec::keep_nan(sum, math::log_at_least_one(sum));
  const V max_v(m);
  transform<V>(x, y, n, [max_v, log_sum](V v) {
    const two_sum<V> d(v, -max_v);
    // x - max's rounding error matters only while |x - max| is moderate.
    // Past 2^100 it is far below half an ULP of the result, and TwoSum's
    // intermediates can overflow there (rows near FLT_MAX) or are NaN
    // (-inf entries, whose result must be -inf): drop it.
    const V error =
        vec::select(vec::abs(d.sum) < V(0x1p100f), d.error, V(0.0f));
    return (d.sum - log_sum) + error;
  });
}

// ---- short rows, one row per lane
//
// Rows of up to 32 elements spend most of their time in per-row overhead
// (the reductions across lanes, the 16-slot fold, the partial block). A
// batch of them is taken `width` rows at a time instead, row l in lane l:
// the same operations in the same order as the row kernels above (slot j
// mod 16, TwoSum per slot, the same fold), so the bits are theirs.

constexpr std::size_t short_row_max = 32;

// The columns of `width` rows of n <= short_row_max elements, one vector
// each: column[j] lane l = row l's element j.
template <class V>
struct row_tile {
  static constexpr std::size_t width = vec_traits<V>::width;
  V column[short_row_max];

  // Column by column: filling a whole buffer first measured 20% slower.
  void load(const float* x, std::size_t stride, std::size_t n) {
    float lanes[width];
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t l = 0; l < width; ++l) lanes[l] = x[l * stride + j];
      column[j] = vec::load<V>(lanes);
    }
  }
  void store(float* y, std::size_t stride, std::size_t n) const {
    float lanes[width];
    for (std::size_t j = 0; j < n; ++j) {
      vec::store(lanes, column[j]);
      for (std::size_t l = 0; l < width; ++l) y[l * stride + j] = lanes[l];
    }
  }
};

// Each lane's row maximum (row_max's, up to the sign of a zero maximum,
// which x - m does not see).
template <class V>
VACT_INLINE V tile_max(const row_tile<V>& x, std::size_t n) {
  V m(minus_infinity);
  for (std::size_t j = 0; j < n; ++j) m = vec::max(m, x.column[j]);
  return m;
}

// Each lane's sum_exp_shifted: the terms go to e, the sums through the 16
// slots and fold_slots' tree. (The padding of a partial block adds
// exact zeros there, which change no bit of the total.)
template <class V>
VACT_INLINE V tile_sum_exp_shifted(const row_tile<V>& x, row_tile<V>& e,
                                   std::size_t n, V m) {
  V hi[reduction_slots], lo[reduction_slots];
  for (std::size_t s = 0; s < reduction_slots; ++s) hi[s] = lo[s] = V(0.0f);
  for (std::size_t j = 0; j < n; ++j) {
    e.column[j] = exp_shifted(x.column[j], m);
    const std::size_t s = j % reduction_slots;
    const two_sum<V> t(hi[s], e.column[j]);
    hi[s] = t.sum;
    lo[s] = lo[s] + t.error;
  }
  fold_slots<V>(hi, lo, n < reduction_slots ? n : reduction_slots);
  return hi[0] + lo[0];
}

template <class V>
void softmax_short_rows(const float* x, std::size_t x_stride, float* y,
                        std::size_t y_stride, std::size_t n) {
  row_tile<V> tile;
  tile.load(x, x_stride, n);
  const V m = tile_max(tile, n);
  const V scale = vec::div(V(1.0f), tile_sum_exp_shifted(tile, tile, n, m));
  for (std::size_t j = 0; j < n; ++j) tile.column[j] = tile.column[j] * scale;
  tile.store(y, y_stride, n);
}

template <class V>
void log_softmax_short_rows(const float* x, std::size_t x_stride, float* y,
                            std::size_t y_stride, std::size_t n) {
  row_tile<V> tile, terms;
  tile.load(x, x_stride, n);
  const V m = tile_max(tile, n);
  const V sum = tile_sum_exp_shifted(tile, terms, n, m);
  const V log_sum = vec::keep_nan(sum, math::log_at_least_one(sum));
  for (std::size_t j = 0; j < n; ++j) {
    // As in log_softmax_row.
    const two_sum<V> d(tile.column[j], -m);
    const V error =
        vec::select(vec::abs(d.sum) < V(0x1p100f), d.error, V(0.0f));
    tile.column[j] = (d.sum - log_sum) + error;
  }
  tile.store(y, y_stride, n);
}

// Row kernels over `rows` rows, element (r, c) at x[r * x_stride + c].
template <class V, class ShortRows, class Row>
void over_rows(const float* x, std::size_t x_stride, float* y,
               std::size_t y_stride, std::size_t rows, std::size_t cols,
               ShortRows short_rows, Row row) {
  constexpr std::size_t width = vec_traits<V>::width;
  std::size_t r = 0;
  if (width > 1 && cols > 0 && cols <= short_row_max)
    for (; r + width <= rows; r += width)
      short_rows(x + r * x_stride, x_stride, y + r * y_stride, y_stride, cols);
  for (; r < rows; ++r) row(x + r * x_stride, y + r * y_stride, cols);
}

template <class V>
void softmax(const float* x, std::size_t x_stride, float* y,
             std::size_t y_stride, std::size_t rows, std::size_t cols) {
  over_rows<V>(x, x_stride, y, y_stride, rows, cols, softmax_short_rows<V>,
               softmax_row<V>);
}

template <class V>
void log_softmax(const float* x, std::size_t x_stride, float* y,
                 std::size_t y_stride, std::size_t rows, std::size_t cols) {
  over_rows<V>(x, x_stride, y, y_stride, rows, cols, log_softmax_short_rows<V>,
               log_softmax_row<V>);
}

}  // namespace rows
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_SOFTMAX_HPP
