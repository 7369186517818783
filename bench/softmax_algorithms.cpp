// SPDX-License-Identifier: Apache-2.0
//
// vact_softmax_algorithms: the softmax algorithms of the performance issue,
// side by side on avx2, one core, over row lengths 10 .. 64M:
//   three-pass (vact)  max; exponentials + sum, stored; scaling in place:
//                      reads x twice and y twice, writes y twice.
//   two-pass           Dukhan & Ablavatski 2020 with vact's contracts kept:
//   (compensated)      e^x as mantissa and power of two, no maximum,
//                      compensated slot sums in a fixed order; reads x
//                      twice, writes y once, computes e^x twice.
//   online (plain)     Milakov & Gimelshein 2018: one pass keeps a running
//                      maximum and rescales the running sum (two
//                      exponentials per element), then a second pass
//                      recomputes e^(x - max) / sum.
//   two-pass (plain)   the same two passes without compensation.
// The plain ones have no compensated sum, no fixed reduction order across
// ISAs and need |x| < 2^21: they measure the memory traffic each algorithm
// saves. The program prints G elements/s per algorithm and row shape, and
// each one's largest relative difference from vact's three-pass result.
// Compiled with the avx2 flags; on a CPU without AVX2 it says so and exits.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench_support.h"
#include "vact/simd/math.hpp"
#include "vact/simd/softmax.hpp"
#include "vact/vact.h"

namespace {

using V = xsimd::batch<float, xsimd::fma3<xsimd::avx2>>;
namespace math = vact::simd::math;
namespace vec = vact::simd::vec;
constexpr std::size_t kWidth = V::size;

// e^x = p 2^k, p in [0.7, 1.42] within 0.7 ULP (as math::exp), k
// integer-valued: vact's own reduction.
struct ExpParts {
  V p, k;
  explicit ExpParts(V x) {
    const math::ln2_reduction<V> reduced = math::reduce_by_ln2(x);
    p = math::exp_reduced_split(reduced.r).hi;
    k = reduced.n_value;
  }
};

// Lanes of v reduced with op, then the scalar tail.
template <class Op>
float Reduce(V v, Op op) {
  alignas(32) float lanes[kWidth];
  v.store_aligned(lanes);
  float r = lanes[0];
  for (std::size_t l = 1; l < kWidth; ++l) r = op(r, lanes[l]);
  return r;
}

void OnlineRow(const float* x, float* y, std::size_t n) {
  V m(-INFINITY), s(0.0f);
  std::size_t i = 0;
  for (; i + kWidth <= n; i += kWidth) {
    const V v = V::load_unaligned(x + i);
    const V m_new = vec::max(m, v);
    s = vec::fma(s, math::exp(m - m_new), math::exp(v - m_new));
    m = m_new;
  }
  float max = Reduce(m, [](float a, float b) { return std::max(a, b); });
  for (std::size_t j = i; j < n; ++j) max = std::max(max, x[j]);
  const V lane_sums = s * math::exp(m - V(max));
  float sum = Reduce(lane_sums, [](float a, float b) { return a + b; });
  for (std::size_t j = i; j < n; ++j) sum += std::exp(x[j] - max);
  const V scale(1.0f / sum);
  for (i = 0; i + kWidth <= n; i += kWidth)
    (math::exp(V::load_unaligned(x + i) - V(max)) * scale)
        .store_unaligned(y + i);
  for (std::size_t j = i; j < n; ++j) y[j] = std::exp(x[j] - max) / sum;
}

void TwoPassRow(const float* x, float* y, std::size_t n) {
  V s(0.0f), top(-1000.0f);  // per lane: sum of p 2^(n - top)
  std::size_t i = 0;
  for (; i + kWidth <= n; i += kWidth) {
    const ExpParts e(V::load_unaligned(x + i));
    const V top_new = vec::max(top, e.k);
    const V down_old = vec::max(V(-126.0f), top - top_new);
    const V down_new = vec::max(V(-126.0f), e.k - top_new);
    s = vec::fma(s, math::pow2_of_integral(down_old),
                 e.p * math::pow2_of_integral(down_new));
    top = top_new;
  }
  // Tail elements join as their own terms.
  alignas(32) float sums[kWidth], tops[kWidth];
  s.store_aligned(sums);
  top.store_aligned(tops);
  double total_top = -1000.0;
  for (std::size_t l = 0; l < kWidth; ++l)
    total_top = std::max(total_top, static_cast<double>(tops[l]));
  double sum = 0.0;
  for (std::size_t l = 0; l < kWidth; ++l)
    sum += sums[l] * std::ldexp(1.0, static_cast<int>(tops[l] - total_top));
  for (std::size_t j = i; j < n; ++j)
    sum += std::exp(static_cast<double>(x[j]) - total_top * std::log(2.0));
  const V scale(static_cast<float>(1.0 / sum));
  const V top_all(static_cast<float>(total_top));
  for (i = 0; i + kWidth <= n; i += kWidth) {
    const ExpParts e(V::load_unaligned(x + i));
    (e.p * math::pow2_of_integral(vec::max(V(-126.0f), e.k - top_all)) * scale)
        .store_unaligned(y + i);
  }
  for (std::size_t j = i; j < n; ++j)
    y[j] = static_cast<float>(
        std::exp(static_cast<double>(x[j]) - total_top * std::log(2.0)) / sum);
}

using RowFn = void (*)(const float*, float*, std::size_t);

// ---- two passes, compensated
//
// A two-pass kernel that keeps vact's contracts: e^x_j as p_j 2^k_j (p_j in
// [0.7, 1.42], k_j an integer), summed relative to the largest k seen so
// far in vact's 16 compensated slots (element j in slot j mod 16, the same
// fold), so the bits would not depend on the vector width. The row goes in
// chunks of 1024 floats: a look at each chunk's maximum (the sums then
// reread it from L1) gives its largest k up front, so the sums rescale at
// most once per chunk instead of per element. e^x is reduced from x itself
// (no maximum to subtract), which is accurate for |x| <= kTwoPassBound; a
// row outside that domain (or holding NaN or +inf) is left to three passes.
// Entries below -kTwoPassBound count as zeros, which is exact once the row
// maximum is >= 104 - kTwoPassBound.
constexpr float kTwoPassBound = 256.0f;  // |k| <= 370: k ln2_hi is exact
constexpr std::size_t kChunk = 1024;
constexpr std::size_t kSlots = vact::simd::rows::reduction_slots;

// e^max(x, -kTwoPassBound) as ExpParts; max(bound, x) keeps a NaN x (see
// vec::max).
ExpParts ClampedExpParts(V x) {
  return ExpParts(vec::max(V(-kTwoPassBound), x));
}

// 2^d for integer-valued d <= 0, clamped at 2^-90: terms that small change
// nothing a float result shows, and the clamp keeps subnormals (microcode
// on x86) out of the loop.
V SumScale(V d) { return math::pow2_of_integral(vec::max(V(-90.0f), d)); }

// The first pass: the row's sum of e^x_j as S 2^top.
struct TwoPassSums {
  vact::simd::rows::slot_sums<V, vact::simd::rows::slot_layout::lanes_are_slots,
                              vact::simd::rows::precise_terms>
      sums;
  float top = -1000.0f;  // below every k
  float row_max = -INFINITY;

  // Adds x[0, count), count a multiple of 16; false outside the domain.
  bool Add(const float* x, std::size_t count) {
    namespace rows = vact::simd::rows;
    const float chunk_max = rows::horizontal_max(
        rows::lane_max<V>(x, count, rows::identity_logits{}));
    if (!(chunk_max <= kTwoPassBound)) return false;  // +inf, large, NaN
    row_max = std::max(row_max, chunk_max);
    const float chunk_top =
        rows::horizontal_max(ClampedExpParts(V(chunk_max)).k);
    if (chunk_top > top) {
      const V rescale = SumScale(V(top - chunk_top));
      for (std::size_t k = 0; k < kSlots / kWidth; ++k) {
        sums.hi[k] = sums.hi[k] * rescale;
        sums.lo[k] = sums.lo[k] * rescale;
      }
      top = chunk_top;
    }
    const V top_v(top);
    V block[kSlots / kWidth];
    for (std::size_t i = 0; i < count; i += kSlots) {
      for (std::size_t k = 0; k < kSlots / kWidth; ++k) {
        const ExpParts e =
            ClampedExpParts(V::load_unaligned(x + i + k * kWidth));
        block[k] = e.p * SumScale(e.k - top_v);  // NaN stays NaN
      }
      for (std::size_t k = 0; k < kSlots / kWidth; ++k) sums.add(k, block[k]);
    }
    return true;
  }
};

// false, with nothing written, for a row outside the two-pass domain.
bool CompensatedTwoPassRow(const float* x, float* y, std::size_t n) {
  TwoPassSums first;
  const std::size_t whole = n / kSlots * kSlots;
  for (std::size_t i = 0; i < whole; i += kChunk)
    if (!first.Add(x + i, std::min(kChunk, whole - i))) return false;
  if (whole < n) {
    float padded[kSlots];  // -inf: a zero term that moves no maximum
    for (std::size_t j = 0; j < kSlots; ++j)
      padded[j] = whole + j < n ? x[whole + j] : -INFINITY;
    if (!first.Add(padded, kSlots)) return false;
  }
  const float sum = first.sums.total(std::min(n, kSlots)).get(0);
  if (!(sum <= 3e38f) || !(first.row_max >= 104.0f - kTwoPassBound))
    return false;  // a NaN entry makes the sum NaN
  const V scale = vec::div(V(1.0f), V(sum));
  const V top(first.top);
  vact::simd::transform<V>(x, y, n, [scale, top](V v) {
    const ExpParts e = ClampedExpParts(v);
    const V t = e.p * scale;  // > 2^-30 for rows below 2^28 elements
    const V d = e.k - top;
    if (!vec::any(d < V(-64.0f))) return t * math::pow2_of_integral(d);
    // Rare: results that may be subnormal or zero. t 2^d1 stays normal and
    // 2^(d - d1) rounds it once (2^-127 comes out as +0).
    const V d1 = vec::max(V(-64.0f), d);
    const V d2 = vec::max(V(-127.0f), d - d1);
    const V result =
        (t * math::pow2_of_integral(d1)) * math::pow2_of_integral(d2);
    return vec::select(v >= V(-kTwoPassBound), result, V(0.0f));
  });
  return true;
}

void VactThreePassRow(const float* x, float* y, std::size_t n) {
  namespace rows = vact::simd::rows;
  rows::row_pipeline<V, rows::softmax_output, rows::precise_terms>(
      x, y, n, rows::identity_logits{});
}
void CompensatedTwoPass(const float* x, float* y, std::size_t n) {
  if (!CompensatedTwoPassRow(x, y, n)) VactThreePassRow(x, y, n);
}

struct Algorithm {
  const char* name;
  RowFn row;
};
const Algorithm kAlgorithms[] = {{"three-pass (vact)", VactThreePassRow},
                                 {"two-pass (compensated)", CompensatedTwoPass},
                                 {"online (plain)", OnlineRow},
                                 {"two-pass (plain)", TwoPassRow}};
constexpr int kAlgorithmCount = 4;

// G elements/s of the best of `repeats` runs over all rows.
double Rate(RowFn row, const float* x, float* y, std::size_t rows,
            std::size_t cols, int repeats) {
  double best = 1e30;
  for (int k = 0; k < repeats; ++k) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < rows; ++r)
      row(x + r * cols, y + r * cols, cols);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    best = std::min(best, s);
  }
  return static_cast<double>(rows * cols) / best * 1e-9;
}

}  // namespace

int main() {
  if (vact_set_isa(VACT_ISA_AVX2) != VACT_OK) {
    std::printf("vact_softmax_algorithms: this CPU has no AVX2\n");
    return 0;
  }
  struct Shape {
    std::size_t rows, cols;
  };
  const Shape shapes[] = {
      {100000, 10}, {10000, 100}, {1000, 1000}, {100, 10000},  {10, 100000},
      {1, 1000000}, {1, 2097152}, {1, 4194304}, {1, 16777216}, {1, 67108864}};
  std::printf(
      "softmax algorithms on avx2, one core, inputs uniform in [-10, 10]; G "
      "elements/s (best of several runs), and the largest relative "
      "difference from vact's three-pass result\n\n| rows x cols |");
  for (const Algorithm& a : kAlgorithms) std::printf(" %s |", a.name);
  for (int a = 1; a < kAlgorithmCount; ++a)
    std::printf(" %s diff |", kAlgorithms[a].name);
  std::printf("\n| --- |");
  for (int a = 1; a < 2 * kAlgorithmCount; ++a) std::printf(" ---: |");
  std::printf("\n");
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
  for (const Shape& shape : shapes) {
    const std::size_t n = shape.rows * shape.cols;
    vact_bench::AlignedFloats x_buffer(n), reference_buffer(n), y_buffer(n);
    float* x = x_buffer.data();
    float* reference = reference_buffer.data();
    float* y = y_buffer.data();
    for (std::size_t i = 0; i < n; ++i) x[i] = uniform(rng);
    const int repeats = n >= (std::size_t{1} << 24) ? 3 : 10;
    double rates[kAlgorithmCount];
    double diffs[kAlgorithmCount] = {};
    for (std::size_t r = 0; r < shape.rows; ++r)
      VactThreePassRow(x + r * shape.cols, reference + r * shape.cols,
                       shape.cols);
    for (int a = 0; a < kAlgorithmCount; ++a) {
      rates[a] =
          Rate(kAlgorithms[a].row, x, y, shape.rows, shape.cols, repeats);
      for (std::size_t i = 0; i < n; ++i)
        diffs[a] = std::max(
            diffs[a], std::fabs(static_cast<double>(y[i]) - reference[i]) /
                          static_cast<double>(reference[i]));
    }
    std::printf("| %zux%zu |", shape.rows, shape.cols);
    for (int a = 0; a < kAlgorithmCount; ++a) std::printf(" %.3f |", rates[a]);
    for (int a = 1; a < kAlgorithmCount; ++a) std::printf(" %.1e |", diffs[a]);
    std::printf("\n");
    std::fflush(stdout);
  }
  return 0;
}
