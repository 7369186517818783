// SPDX-License-Identifier: Apache-2.0
//
// Row kernels: softmax and log_softmax over rows, as one pipeline:
//   load    every vector read from x goes through a Logits policy, which
//           turns it into logits (identity_logits: the stored values);
//   max     the row maximum m of the logits;
//   reduce  e^(x_j - m) summed in the 16 compensated reduction slots
//           (slot_sums);
//   emit    an Output policy turns each logit, or its term e^(x_j - m),
//           into the result, given m and the sum (softmax_output,
//           log_softmax_output).
// Two strategies run the same pieces: row_pipeline takes one row along the
// vector, in three passes over memory (max; terms and sum; emit);
// tile_pipeline takes `width` rows of up to 32 elements at once, one row
// per lane, where per-row overhead would dominate. A row gets the same bits
// from either. Rows are f32, bf16 or f16 (element_io): the pipeline works
// in f32 vectors, on a 16-bit row widened into a stack block (rows up to
// widened_row_max) or widened in each pass, so a 16-bit row's result is the
// f32 result of its widened values, rounded once. Attention rows
// (attention.hpp) are a Logits policy that scales and masks in every pass (or,
// with a soft cap, whose tanh is too dear to recompute, logits written into y
// first); a sink per row, rows that are all -inf and the online softmax's chunk
// are row_options and chunk_output.
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
//
// Everything here is a template on the vector type V, even where a float
// would do: each ISA's translation unit then gets its own instantiations
// (a plain float helper would be one symbol shared by translation units
// compiled with different ISA flags).
#ifndef VACT_SIMD_SOFTMAX_HPP
#define VACT_SIMD_SOFTMAX_HPP

#include <limits>
#include <type_traits>
#include <utility>

#include "vact/simd/array.hpp"
#include "vact/simd/convert.hpp"
#include "vact/simd/fast/exp.hpp"
#include "vact/simd/math.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace rows {

constexpr std::size_t reduction_slots = 16;
constexpr float minus_infinity = -std::numeric_limits<float>::infinity();
// 0, 1, ..., 15: which slot a lane of a block holds.
constexpr float slot_numbers[reduction_slots] = {0, 1, 2,  3,  4,  5,  6,  7,
                                                 8, 9, 10, 11, 12, 13, 14, 15};

// ---- load: logits from the stored values
//
// A Logits policy turns stored values into logits, lane by lane:
//   reads_mask        whether it also reads a mask row at the same positions
//                     (mask: row 0's, mask_stride: elements between rows);
//   row(r)            the policy for row r (its mask row);
//   operator()(x, m)  the logits of values x, m the mask's values there (0
//                     when reads_mask is false).
// Plain rows' logits are the stored values (identity_logits); attention
// rows' are scaled and masked (attention.hpp), recomputed in each pass
// rather than stored, so that the pipeline reads x as the plain one does.

struct identity_logits {
  static constexpr bool reads_mask = false;
  const float* mask = nullptr;
  std::size_t mask_stride = 0;
  identity_logits row(std::size_t) const { return *this; }
  template <class V>
  VACT_INLINE V operator()(V x, V /*mask*/) const {
    return x;
  }
};

// The logits of elements [j, j + width) of a row at x (f32, bf16 or f16
// values).
template <class V, class In, class Logits>
VACT_INLINE V logits_at(const In* x, std::size_t j, const Logits& logits) {
  const V values = element_io<V, In>::load(x + j);
  if constexpr (Logits::reads_mask)
    return logits(values, vec::load<V>(logits.mask + j));
  else
    return logits(values, V(0.0f));
}

// Copies elements [j, j + count) of a row, and of its mask row where the
// policy reads one, to values[0, count) and masks[0, count): the partial
// blocks, which must not read past the row.
template <class In, class Logits>
VACT_INLINE void copy_row_part(const In* x, std::size_t j, std::size_t count,
                               const Logits& logits, In* values, float* masks) {
  for (std::size_t k = 0; k < count; ++k) values[k] = x[j + k];
  if constexpr (Logits::reads_mask)
    for (std::size_t k = 0; k < count; ++k) masks[k] = logits.mask[j + k];
}

// What a row call does besides its rows: an extra logit per row that joins
// the maximum and the sum but gets no output (attention sinks), what a row
// whose logits are all -inf gives, and where the chunk output reports each
// row's (max, sum).
struct row_options {
  const float* sinks = nullptr;  // row r's at sinks[r], or none
  // A row whose logits (and sink) are all -inf gives the Output's
  // empty_value instead of NaN.
  bool empty_rows_allowed = false;
  float* states = nullptr;  // chunk_output: row r's max, sum at 2r, 2r + 1
};

// ---- reduce: the 16 compensated slot sums and their fixed fold

// Folds `count` compensated sums (hi[s] + lo[s]) into hi[0] + lo[0] along
// a fixed binary tree (s takes s + count/2, then s + count/4, ..., s + 1),
// compensated at each node, for T = float (one row's slots) or T = V (one
// row per lane). Only sums below `used` can be non-zero; a level whose
// partners are all beyond it would add exact zeros, so it is skipped
// without changing a bit. The tree keeps the dependency chain log2(count)
// deep, which short rows feel.
// The node is math::two_sum written out, for T = float: math::two_sum<float>
// would be one symbol shared by translation units compiled with different
// ISA flags, while V makes this code each ISA's own. (math::two_sum on
// vectors broadcast from the slots cost 1-2% on 1000-float rows: the
// compiler no longer vectorized the first levels.)
template <class V, class T>
VACT_INLINE void fold_tree(T* hi, T* lo, std::size_t count, std::size_t used) {
  for (std::size_t step = count / 2; step >= 1; step /= 2) {
    if (used <= step) continue;
    for (std::size_t s = 0; s < step; ++s) {
      const T a = hi[s], b = hi[s + step];
      const T sum = a + b;
      const T b_virtual = sum - a;
      const T rounding = (a - (sum - b_virtual)) + (b - b_virtual);
      hi[s] = sum;
      lo[s] = lo[s] + (lo[s + step] + rounding);
    }
  }
}

// Where the 16 slots of a row live in the slot sums' vectors.
enum class slot_layout {
  lanes_are_slots,  // one row: slot k * width + l in lane l of vector k
  lanes_are_rows,   // one row per lane: slot s in vector s
};

template <class V, slot_layout Layout, class Terms>
struct slot_sums {
  static constexpr std::size_t width = vec_traits<V>::width;
  static constexpr std::size_t vectors = Layout == slot_layout::lanes_are_rows
                                             ? reduction_slots
                                             : reduction_slots / width;
  static_assert(reduction_slots % width == 0, "width must divide 16");

  V hi[vectors];
  V lo[vectors];

  slot_sums() {
    for (std::size_t k = 0; k < vectors; ++k) hi[k] = lo[k] = V(0.0f);
  }
  // Adds `term` to the slots of vector k.
  VACT_INLINE void add(std::size_t k, V term) {
    Terms::accumulate(hi[k], lo[k], term);
  }
  // Each lane's row sum (fold_tree's tree), slots from `used` on being
  // zero. Leaves the sums spent.
  VACT_INLINE V total(std::size_t used) {
    if constexpr (Layout == slot_layout::lanes_are_rows) {
      fold_tree<V>(hi, lo, reduction_slots, used);
      return hi[0] + lo[0];
    } else {
      float hi_slots[reduction_slots], lo_slots[reduction_slots];
      for (std::size_t k = 0; k < vectors; ++k) {
        vec::store(hi_slots + k * width, hi[k]);
        vec::store(lo_slots + k * width, lo[k]);
      }
      fold_tree<V>(hi_slots, lo_slots, reduction_slots, used);
      return V(hi_slots[0] + lo_slots[0]);
    }
  }
};

// ---- the terms: how each tier computes e^(x_j - m) and sums it
//
// A Terms policy gives exp_shifted(x, m) = e^(x - m) (a NaN x, or
// m = +-inf, gives NaN; x = -inf with m finite gives 0), accumulate(hi,
// lo, term), which adds a term to a slot's sum hi + lo, and log_term(logit,
// m, log_sum) = (logit - m) - log_sum, log_softmax's result.

// e^(x - m) from exp(d.hi) (a tier's exponential, for d.hi in [-104, 0] or
// NaN), d = x - m as hi + lo by TwoSum, lo folded back: e^(hi + lo) =
// e^hi (1 + lo). Terms below e^-104 round to 0 (masked entries, -inf
// included): they are made 0 without entering exp, whose rare path would
// otherwise run for almost every block of a masked row (2.5x slower). lo is
// NaN where hi is infinite, which is -inf here (a vanishing term) or a NaN
// row's (all of whose results are one canonical NaN).
template <class V, class Exp>
VACT_INLINE V corrected_exp_shifted(math::split_float<V> d, Exp exp) {
  const auto vanishing = d.hi < V(-104.0f);
  const V e = exp(vec::select(vanishing, V(0.0f), d.hi));
  return vec::select(vanishing, V(0.0f), vec::fma(e, d.lo, e));
}

// Every rounding accounted for: x - m with its error (TwoSum) folded back
// into e^(x - m), so rows spanning a wide range (1e30 included) lose
// nothing to the subtraction, and TwoSum per slot.
struct precise_terms {
  template <class V>
  static VACT_INLINE V exp_shifted(V x, V m) {
    return corrected_exp_shifted(
        math::two_sum(x, -m),
        [](V d) VACT_LAMBDA_INLINE { return math::exp<true>(d); });
  }
  template <class V>
  static VACT_INLINE void accumulate(V& hi, V& lo, V term) {
    const math::split_float<V> sum = math::two_sum(hi, term);
    // Through locals: assigned from the struct directly, GCC spilled the
    // sum to the stack on every block of the avx512 row loop (+1.5%).
    const V sum_hi = sum.hi, sum_lo = sum.lo;
    hi = sum_hi;
    lo = lo + sum_lo;
  }
  template <class V>
  static VACT_INLINE V log_term(V logit, V m, V log_sum) {
    const math::split_float<V> d = math::two_sum(logit, -m);
    // x - max's rounding error matters only while |x - max| is moderate.
    // Past 2^100 it is far below half an ULP of the result, and TwoSum's
    // intermediates can overflow there (rows near FLT_MAX) or are NaN
    // (-inf entries, whose result must be -inf): drop it.
    const V error = vec::select(vec::abs(d.hi) < V(0x1p100f), d.lo, V(0.0f));
    return (d.hi - log_sum) + error;
  }
};

// The fast tier: the same correction of x - m (without it a term 16 below
// the maximum would be off by up to 16 ULP), the fast exponential, and
// Fast2Sum per slot, three operations fewer than TwoSum: exact while the
// slot's sum is at least the term, and where it is not, the new sum is more
// than twice the old, so the roundings lost there add up to at most about
// 2^-23 of the final sum.
struct fast_terms {
  template <class V>
  static VACT_INLINE V exp_shifted(V x, V m) {
    constexpr auto kept = fast::detail::table_error::kept;
    // Terms below 2^-126 of the maximum's keep their accuracy too, and
    // vanishing ones (masked entries) are 0: a rare path for the blocks that
    // hold any, with the same bits where both apply. The common blocks skip
    // corrected_exp_shifted's two selects.
    const math::split_float<V> d = math::two_sum(x, -m);
    if (!vec::any(d.hi < V(-87.3f))) {
      const V e = fast::detail::exp_nonpositive<kept>(d.hi);
      return vec::fma(e, d.lo, e);
    }
    return corrected_exp_shifted(d, [](V hi) VACT_LAMBDA_INLINE {
      return fast::detail::exp_nonpositive_subnormal<kept>(hi);
    });
  }
  template <class V>
  static VACT_INLINE void accumulate(V& hi, V& lo, V term) {
    const V sum = hi + term;
    lo = lo + (term - (sum - hi));
    hi = sum;
  }
  template <class V>
  static VACT_INLINE V log_term(V logit, V m, V log_sum) {
    return (logit - m) - log_sum;
  }
};

// ---- emit: a row's results from its logits (or terms), m and sum

// A row's sum is NaN exactly when the row holds a NaN or +inf or is all
// -inf; such a row's results are all this one NaN, on every ISA (the NaNs
// the arithmetic would make differ: x86's default NaN is negative, NEON's
// positive, and a NaN input's payload would travel).
template <class V>
struct nan_rows {
  decltype(vec::is_nan(std::declval<V>())) in_nan_row;
  explicit nan_rows(V sum) : in_nan_row(vec::is_nan(sum)) {}
  VACT_INLINE V operator()(V result) const {
    return vec::select(in_nan_row, V(std::numeric_limits<float>::quiet_NaN()),
                       result);
  }
};

// Each Output says whether it emits from the terms (kept in y) or from the
// logits, whether it writes results at all, and what a row that is all -inf
// gives where row_options::empty_rows_allowed (a probability of 0, a log
// probability of -inf).

// softmax: e^(x_j - m) / sum, from the terms kept by the reduction.
struct softmax_output {
  static constexpr bool from_terms = true;
  static constexpr bool emits = true;
  static constexpr float empty_value = 0.0f;
  template <class V, class Terms>
  struct emit {
    V reciprocal;
    nan_rows<V> nan_row;
    // sum >= 1 (the maximum contributes e^0), or NaN for a NaN / inf row.
    VACT_INLINE emit(V /*m*/, V sum)
        : reciprocal(vec::div(V(1.0f), sum)), nan_row(sum) {}
    VACT_INLINE V operator()(V term) const {
      return nan_row(term * reciprocal);
    }
  };
};

// log_softmax: (x_j - m) - log(sum), from the logits.
struct log_softmax_output {
  static constexpr bool from_terms = false;
  static constexpr bool emits = true;
  static constexpr float empty_value = minus_infinity;
  template <class V, class Terms>
  struct emit {
    V m;
    V log_sum;
    nan_rows<V> nan_row;
    VACT_INLINE emit(V max, V sum)
        : m(max),
          log_sum(vec::keep_nan(sum, math::log_at_least_one(sum))),
          nan_row(sum) {}
    VACT_INLINE V operator()(V logit) const {
      return nan_row(Terms::log_term(logit, m, log_sum));
    }
  };
};

// The online softmax's chunk: the terms e^(x_j - m) themselves stay in y,
// and each row's (max, sum) goes to row_options::states; a row that is all
// -inf gives terms 0 and (-inf, 0), one with a NaN or +inf the quiet NaN
// 0x7fc00000 for every term, its max and its sum.
struct chunk_output {
  static constexpr bool from_terms = true;
  static constexpr bool emits = false;
  static constexpr float empty_value = 0.0f;
};

// ---- long rows: one row along the vector

// The lane-wise maximum of the logits of x[0, count), count a multiple of
// the width. Four accumulators: one vmaxps chain would wait out its latency
// on every vector. (The maximum is exact, so the order changes no bit; NaN
// rows end in NaN through the sums either way.)
template <class V, class In, class Logits>
VACT_INLINE V lane_max(const In* x, std::size_t count, const Logits& logits) {
  constexpr std::size_t width = vec_traits<V>::width;
  V m[4] = {V(minus_infinity), V(minus_infinity), V(minus_infinity),
            V(minus_infinity)};
  std::size_t i = 0;
  for (; i + 4 * width <= count; i += 4 * width)
    for (std::size_t k = 0; k < 4; ++k)
      m[k] = vec::max(m[k], logits_at<V>(x, i + k * width, logits));
  for (; i < count; i += width)
    m[0] = vec::max(m[0], logits_at<V>(x, i, logits));
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

// The maximum of the logits of x[0, n).
template <class V, class In, class Logits>
float row_max(const In* x, std::size_t n, const Logits& logits) {
  constexpr std::size_t width = vec_traits<V>::width;
  const std::size_t whole = n / width * width;
  float result = horizontal_max(lane_max<V>(x, whole, logits));
  if (whole < n) {
    // The tail's logits from the row's last vector (overlapping the ones
    // above), or from a copy of a row shorter than one; then its elements in
    // order, as a scalar loop over x would.
    V last;
    if (n >= width) {
      last = logits_at<V>(x, n - width, logits);
    } else {
      In values[width] = {};
      float masks[width] = {};
      copy_row_part(x, 0, n, logits, values + width - n, masks + width - n);
      last = logits(element_io<V, In>::load(values), vec::load<V>(masks));
    }
    float lanes[width];
    vec::store(lanes, last);
    for (std::size_t j = width - (n - whole); j < width; ++j)
      result = lanes[j] > result ? lanes[j] : result;
  }
  return result;
}

// The sum over the row of e^(x_j - m), in every lane; writes each term to
// `terms` unless it is null. A sink (unless null) is one more logit after
// the row's: its term goes to slot n mod 16 and is not written.
template <class V, class Terms, class In, class Logits>
V row_sum_exp(const In* x, float* terms, std::size_t n, float m,
              const Logits& logits, const float* sink = nullptr) {
  constexpr std::size_t width = vec_traits<V>::width;
  constexpr std::size_t vectors = reduction_slots / width;
  const V max_v(m);
  slot_sums<V, slot_layout::lanes_are_slots, Terms> sums;
  V block[vectors];
  std::size_t i = 0;
  for (; i + reduction_slots <= n; i += reduction_slots) {
    for (std::size_t k = 0; k < vectors; ++k)
      block[k] =
          Terms::exp_shifted(logits_at<V>(x, i + k * width, logits), max_v);
    for (std::size_t k = 0; k < vectors; ++k) sums.add(k, block[k]);
    if (terms != nullptr)
      for (std::size_t k = 0; k < vectors; ++k)
        vec::store(terms + i + k * width, block[k]);
  }
  if (i < n || sink != nullptr) {
    // The last, partial block: the logits in its first `count` lanes (the
    // sink's after them), m in the others (e^0 stays on the fast path),
    // whose terms are then made exact zeros.
    const std::size_t count = n - i;
    const std::size_t used = count + (sink != nullptr ? 1 : 0);
    const V count_v(static_cast<float>(count));
    const V used_v(static_cast<float>(used));
    In tail[reduction_slots] = {};
    float tail_mask[reduction_slots] = {};
    copy_row_part(x, i, count, logits, tail, tail_mask);
    const V sink_v(sink != nullptr ? *sink : 0.0f);
    for (std::size_t k = 0; k < vectors; ++k) {
      // Lane masks from constants: ones built in memory would be a store
      // forwarding stall ahead of the exponentials.
      const V slot = vec::load<V>(slot_numbers + k * width);
      const auto in_row = slot < count_v;
      const auto in_block = slot < used_v;
      const V logit =
          vec::select(in_row,
                      logits(element_io<V, In>::load(tail + k * width),
                             vec::load<V>(tail_mask + k * width)),
                      vec::select(in_block, sink_v, max_v));
      block[k] =
          vec::select(in_block, Terms::exp_shifted(logit, max_v), V(0.0f));
    }
    for (std::size_t k = 0; k < vectors; ++k) sums.add(k, block[k]);
    if (terms != nullptr) {
      float tail_terms[reduction_slots];
      for (std::size_t k = 0; k < vectors; ++k)
        vec::store(tail_terms + k * width, block[k]);
      for (std::size_t j = 0; j < count; ++j) terms[i + j] = tail_terms[j];
    }
  }
  const std::size_t used = n + (sink != nullptr ? 1 : 0);
  return sums.total(used < reduction_slots ? used : reduction_slots);
}

// y[j] = emit(logit j) for the n elements of a row (y == x is fine).
template <class V, class In, class Out, class Logits, class Emit>
void emit_from_logits(const In* x, Out* y, std::size_t n, const Logits& logits,
                      const Emit& emit) {
  if constexpr (std::is_same<Logits, identity_logits>::value) {
    transform<V>(x, y, n, [&emit](V v) { return emit(v); });
  } else {
    constexpr std::size_t width = vec_traits<V>::width;
    using out_io = element_io<V, Out>;
    std::size_t j = 0;
    for (; j + width <= n; j += width)
      out_io::store(y + j, emit(logits_at<V>(x, j, logits)));
    if (j < n) {
      In values[width] = {};
      float masks[width] = {};
      Out results[width];
      copy_row_part(x, j, n - j, logits, values, masks);
      out_io::store(results, emit(logits(element_io<V, In>::load(values),
                                         vec::load<V>(masks))));
      for (std::size_t k = 0; k < n - j; ++k) y[j + k] = results[k];
    }
  }
}

template <class V>
VACT_INLINE float first_lane(V v) {
  float lanes[vec_traits<V>::width];
  vec::store(lanes, v);
  return lanes[0];
}

// 16-bit rows of up to this many elements are widened into a stack block
// of floats (16 KiB, which stays in the L1 cache), where their softmax
// terms then wait for the sum; longer rows are widened in each pass and
// their terms recomputed from the logits (the same bits, one more
// exponential per element).
constexpr std::size_t widened_row_max = 4096;

// One row of n elements, x to y (y == x is fine), from its maximum m, the
// shift its terms were computed with (m, or 0 for a row that may be all
// -inf) and its sum. `terms` holds the row's terms where Output emits from
// them; null, it recomputes them from the logits.
template <class V, class Output, class Terms, class In, class Out, class Logits>
void emit_row(const In* x, const float* terms, Out* y, std::size_t n,
              const Logits& logits, float m, float shift, V sum,
              bool empty_candidate, float* state) {
  const float total = first_lane(sum);
  if constexpr (!Output::emits) {
    static_assert(std::is_same<Out, float>::value, "chunk terms are f32");
    // A NaN row's terms and state are all the one NaN (its maximum, and so
    // its other terms, differ between ISAs).
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const bool nan_row = total != total;
    if (nan_row)
      for (std::size_t j = 0; j < n; ++j) y[j] = nan;
    // + 0: a zero maximum's sign depends on the order the lanes were
    // compared in; the state reports +0.
    state[0] = nan_row ? nan : m + 0.0f;
    state[1] = nan_row ? nan : total;
  } else {
    if (empty_candidate && total == 0.0f) {
      transform<V>(x, y, n, [](V) { return V(Output::empty_value); });
      return;
    }
    const typename Output::template emit<V, Terms> emit(V(m), sum);
    if constexpr (Output::from_terms) {
      if (terms != nullptr) {
        transform<V>(terms, y, n, emit);
      } else {
        const V shift_v(shift);
        emit_from_logits<V>(x, y, n, logits, [&emit, shift_v](V logit) {
          return emit(Terms::exp_shifted(logit, shift_v));
        });
      }
    } else {
      emit_from_logits<V>(x, y, n, logits, emit);
    }
  }
}

// One row of n elements, x to y: its maximum, its sum (each term also
// written to `terms` unless that is null) and its results (emit_row).
// `terms` may be x itself (a row is read before its terms are written).
template <class V, class Output, class Terms, class In, class Out, class Logits>
void row_through(const In* x, float* terms, Out* y, std::size_t n,
                 const Logits& logits, const float* sink,
                 bool empty_rows_allowed, float* state) {
  float m = row_max<V>(x, n, logits);
  if (sink != nullptr) m = *sink > m ? *sink : m;
  // A row that is all -inf has no maximum to subtract: with any finite one
  // instead, its terms are exact zeros (and a NaN still gives a NaN sum).
  const bool empty_candidate = empty_rows_allowed && m == minus_infinity;
  const float shift = empty_candidate ? 0.0f : m;
  const V sum = row_sum_exp<V, Terms>(x, terms, n, shift, logits, sink);
  emit_row<V, Output, Terms>(x, terms, y, n, logits, m, shift, sum,
                             empty_candidate, state);
}

// One row of n elements, x to y (y == x is fine). An f32 row's terms, where
// Output emits from them, wait in y for the sum. A 16-bit row of up to
// widened_row_max elements is widened once into a stack block, where its
// terms then wait too; a longer one is widened in each pass and its terms
// computed again for the results. `sink` (or null) is the row's extra
// logit; `state` (chunk_output) receives its max and sum.
template <class V, class Output, class Terms, class In, class Out, class Logits>
void row_pipeline(const In* x, Out* y, std::size_t n, const Logits& logits,
                  const float* sink = nullptr, bool empty_rows_allowed = false,
                  float* state = nullptr) {
  if (n == 0) return;
  if constexpr (std::is_same<In, float>::value &&
                std::is_same<Out, float>::value) {
    row_through<V, Output, Terms>(x, Output::from_terms ? y : nullptr, y, n,
                                  logits, sink, empty_rows_allowed, state);
  } else if (n <= widened_row_max) {
    float block[widened_row_max];
    transform<V>(x, block, n, [](V v) { return v; });
    row_through<V, Output, Terms>(block, Output::from_terms ? block : nullptr,
                                  y, n, logits, sink, empty_rows_allowed,
                                  state);
  } else {
    row_through<V, Output, Terms>(x, nullptr, y, n, logits, sink,
                                  empty_rows_allowed, state);
  }
}

// ---- short rows: one row per lane
//
// Rows of up to 32 elements spend most of their time in per-row overhead
// (the reductions across lanes, the 16-slot fold, the partial block). A
// batch of them is taken `width` rows at a time instead, row l in lane l:
// the same operations in the same order as row_pipeline (slot j mod 16,
// TwoSum per slot, the same fold), so the bits are its.

constexpr std::size_t short_row_max = 32;

// The columns of `width` rows of n <= short_row_max elements, one vector
// each: column[j] lane l = row l's element j; a sink takes column n.
template <class V>
struct row_tile {
  static constexpr std::size_t width = vec_traits<V>::width;
  V column[short_row_max + 1];

  // Column by column: filling a whole buffer first measured 20% slower.
  template <class In, class Logits>
  void load(const In* x, std::size_t stride, std::size_t n,
            const Logits& logits) {
    In lanes[width];
    float masks[width] = {};
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t l = 0; l < width; ++l) lanes[l] = x[l * stride + j];
      if constexpr (Logits::reads_mask)
        for (std::size_t l = 0; l < width; ++l)
          masks[l] = logits.mask[l * logits.mask_stride + j];
      column[j] = logits(element_io<V, In>::load(lanes), vec::load<V>(masks));
    }
  }
  template <class Out>
  void store(Out* y, std::size_t stride, std::size_t n) const {
    Out lanes[width];
    for (std::size_t j = 0; j < n; ++j) {
      element_io<V, Out>::store(lanes, column[j]);
      for (std::size_t l = 0; l < width; ++l) y[l * stride + j] = lanes[l];
    }
  }
};

// Each lane's row maximum (row_max's, up to the sign of a zero maximum,
// which x - m does not see).
template <class V>
VACT_INLINE V tile_max(const row_tile<V>& tile, std::size_t n) {
  V m(minus_infinity);
  for (std::size_t j = 0; j < n; ++j) m = vec::max(m, tile.column[j]);
  return m;
}

// Each lane's row_sum_exp (the padding of its partial block adds exact
// zeros there, which change no bit of the total); with KeepTerms the
// terms replace the logits in the tile.
template <class V, class Terms, bool KeepTerms>
VACT_INLINE V tile_sum_exp(row_tile<V>& tile, std::size_t n, V m) {
  slot_sums<V, slot_layout::lanes_are_rows, Terms> sums;
  for (std::size_t j = 0; j < n; ++j) {
    const V term = Terms::exp_shifted(tile.column[j], m);
    sums.add(j % reduction_slots, term);
    if constexpr (KeepTerms) tile.column[j] = term;
  }
  return sums.total(n < reduction_slots ? n : reduction_slots);
}

// `width` rows of n <= short_row_max elements, row l at x + l * x_stride,
// with row_pipeline's options (sinks and states already at the tile's
// first row).
template <class V, class Output, class Terms, class In, class Out, class Logits>
void tile_pipeline(const In* x, std::size_t x_stride, Out* y,
                   std::size_t y_stride, std::size_t n, const Logits& logits,
                   const row_options& options = {}) {
  constexpr std::size_t width = vec_traits<V>::width;
  row_tile<V> tile;
  tile.load(x, x_stride, n, logits);
  // A sink is the row's logit n (row_pipeline's order, so its bits).
  const std::size_t used = n + (options.sinks != nullptr ? 1 : 0);
  if (options.sinks != nullptr) tile.column[n] = vec::load<V>(options.sinks);
  const V m = tile_max(tile, used);
  const V minus_infinity_v(minus_infinity);
  const auto empty_candidate = m == minus_infinity_v;
  const bool any_empty =
      options.empty_rows_allowed && vec::any(empty_candidate);
  const V shift = any_empty ? vec::select(empty_candidate, V(0.0f), m) : m;
  const V sum = tile_sum_exp<V, Terms, Output::from_terms>(tile, used, shift);
  if constexpr (!Output::emits) {
    const auto nan_row = vec::is_nan(sum);
    const V nan_v(std::numeric_limits<float>::quiet_NaN());
    float maxima[width], sums[width];
    vec::store(maxima, vec::select(nan_row, nan_v, m + V(0.0f)));  // +0
    vec::store(sums, vec::select(nan_row, nan_v, sum));
    if (vec::any(nan_row))
      for (std::size_t j = 0; j < n; ++j)
        tile.column[j] = vec::select(nan_row, nan_v, tile.column[j]);
    for (std::size_t l = 0; l < width; ++l) {
      options.states[2 * l] = maxima[l];
      options.states[2 * l + 1] = sums[l];
    }
  } else {
    const typename Output::template emit<V, Terms> emit(m, sum);
    for (std::size_t j = 0; j < n; ++j) tile.column[j] = emit(tile.column[j]);
    if (any_empty) {
      const auto empty = sum == V(0.0f);
      for (std::size_t j = 0; j < n; ++j)
        tile.column[j] =
            vec::select(empty, V(Output::empty_value), tile.column[j]);
    }
  }
  tile.store(y, y_stride, n);
}

// ---- the entry points

// Output's pipeline over `rows` rows, element (r, c) at x[r * x_stride + c]:
// short rows a tile at a time, the rest (and the last rows mod width) one
// by one.
template <class V, class Output, class Terms, class In, class Out, class Logits>
void over_rows(const In* x, std::size_t x_stride, Out* y, std::size_t y_stride,
               std::size_t rows, std::size_t cols, const Logits& logits,
               const row_options& options = {}) {
  constexpr std::size_t width = vec_traits<V>::width;
  // Row r's options: its sink and its state.
  const auto options_at = [&options](std::size_t r) {
    row_options at = options;
    if (at.sinks != nullptr) at.sinks += r;
    if (at.states != nullptr) at.states += 2 * r;
    return at;
  };
  std::size_t r = 0;
  if (width > 1 && cols > 0 && cols <= short_row_max) {
    for (; r + width <= rows; r += width) {
      if constexpr (std::is_same<In, float>::value) {
        tile_pipeline<V, Output, Terms>(x + r * x_stride, x_stride,
                                        y + r * y_stride, y_stride, cols,
                                        logits.row(r), options_at(r));
      } else {
        // 16-bit rows are widened first, a vector at a time (the tile's
        // loads take one element per lane: widening there cost 30%).
        float widened[width * short_row_max];
        const auto same = [](V v) { return v; };
        if (x_stride == cols) {
          transform<V>(x + r * x_stride, widened, width * cols, same);
        } else {
          for (std::size_t l = 0; l < width; ++l)
            transform<V>(x + (r + l) * x_stride, widened + l * cols, cols,
                         same);
        }
        tile_pipeline<V, Output, Terms>(widened, cols, y + r * y_stride,
                                        y_stride, cols, logits.row(r),
                                        options_at(r));
      }
    }
  }
  for (; r < rows; ++r) {
    const row_options at = options_at(r);
    row_pipeline<V, Output, Terms>(x + r * x_stride, y + r * y_stride, cols,
                                   logits.row(r), at.sinks,
                                   at.empty_rows_allowed, at.states);
  }
}

// softmax and log_softmax over `rows` rows of `cols` elements, element
// (r, c) at x[r * x_stride + c], in the tier of Terms (precise_terms or
// fast_terms); x and y are f32, bf16 or f16 arrays.
template <class V, class Terms = precise_terms, class In, class Out>
void softmax(const In* x, std::size_t x_stride, Out* y, std::size_t y_stride,
             std::size_t rows, std::size_t cols) {
  over_rows<V, softmax_output, Terms>(x, x_stride, y, y_stride, rows, cols,
                                      identity_logits{});
}

template <class V, class Terms = precise_terms, class In, class Out>
void log_softmax(const In* x, std::size_t x_stride, Out* y,
                 std::size_t y_stride, std::size_t rows, std::size_t cols) {
  over_rows<V, log_softmax_output, Terms>(x, x_stride, y, y_stride, rows, cols,
                                          identity_logits{});
}

}  // namespace rows
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_SOFTMAX_HPP
