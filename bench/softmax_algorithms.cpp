// SPDX-License-Identifier: Apache-2.0
//
// vact_softmax_algorithms: the three softmax algorithms of the performance
// issue, side by side on avx2, one core, over row lengths 10 .. 64M:
//   three-pass  vact's own (max; exponentials + sum, stored; scaling in
//               place): reads x twice and y once.
//   online      Milakov & Gimelshein 2018: one pass keeps a running maximum
//               and rescales the running sum (two exponentials per element),
//               then a second pass recomputes e^(x - max) / sum.
//   two-pass    Dukhan & Ablavatski 2020: one pass keeps each e^x as a
//               mantissa and a power of two, no maximum needed, then a
//               second pass recomputes them, scaled.
// The two experimental ones are plain (no compensated sum, no fixed
// reduction order across ISAs, inputs |x| < 2^21): they measure the memory
// traffic each algorithm saves, not a shippable kernel. The program prints
// G elements/s per algorithm and row shape, and each one's largest relative
// difference from vact's result. Compiled with the avx2 flags; on a CPU
// without AVX2 it says so and exits.
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
#include "vact/vact.h"

namespace {

using V = xsimd::batch<float, xsimd::fma3<xsimd::avx2>>;
namespace math = vact::simd::math;
namespace vec = vact::simd::vec;
constexpr std::size_t kWidth = V::size;

// 2^d for integer-valued d in [-126, 127].
V Pow2(V d) {
  return math::pow2i<V>(vec::as_int(d + V(math::round_magic)) -
                        vec::as_int(V(math::round_magic)));
}

// e^x = p 2^n, p in [0.7, 1.42], n integer-valued (vact's own reduction).
void ExpParts(V x, V* p, V* n) {
  const math::ln2_reduction<V> reduced = math::reduce_by_ln2(x);
  *n = vec::as_float(reduced.n + vec::as_int(V(math::round_magic))) -
       V(math::round_magic);
  *p = math::exp_reduced_split(reduced.r).hi;
}

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
    V p, e;
    ExpParts(V::load_unaligned(x + i), &p, &e);
    const V top_new = vec::max(top, e);
    const V down_old = vec::max(V(-126.0f), top - top_new);
    const V down_new = vec::max(V(-126.0f), e - top_new);
    s = vec::fma(s, Pow2(down_old), p * Pow2(down_new));
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
    V p, e;
    ExpParts(V::load_unaligned(x + i), &p, &e);
    (p * Pow2(vec::max(V(-126.0f), e - top_all)) * scale)
        .store_unaligned(y + i);
  }
  for (std::size_t j = i; j < n; ++j)
    y[j] = static_cast<float>(
        std::exp(static_cast<double>(x[j]) - total_top * std::log(2.0)) / sum);
}

using RowFn = void (*)(const float*, float*, std::size_t);

void ThreePassRow(const float* x, float* y, std::size_t n) {
  vact_softmax_f32(x, y, 1, n);
}

struct Algorithm {
  const char* name;
  RowFn row;
};
const Algorithm kAlgorithms[] = {{"three-pass (vact)", ThreePassRow},
                                 {"online", OnlineRow},
                                 {"two-pass", TwoPassRow}};

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
  const Shape shapes[] = {{100000, 10}, {10000, 100},  {1000, 1000},
                          {100, 10000}, {10, 100000},  {1, 1000000},
                          {1, 4194304}, {1, 16777216}, {1, 67108864}};
  std::printf(
      "softmax algorithms on avx2, one core, inputs uniform in [-10, 10]; G "
      "elements/s (best of several runs), and the largest relative "
      "difference from vact's result\n\n"
      "| rows x cols | three-pass (vact) | online | two-pass | online diff | "
      "two-pass diff |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
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
    double rates[3];
    double diffs[3] = {0, 0, 0};
    for (std::size_t r = 0; r < shape.rows; ++r)
      ThreePassRow(x + r * shape.cols, reference + r * shape.cols, shape.cols);
    for (int a = 0; a < 3; ++a) {
      rates[a] =
          Rate(kAlgorithms[a].row, x, y, shape.rows, shape.cols, repeats);
      for (std::size_t i = 0; i < n; ++i)
        diffs[a] = std::max(
            diffs[a], std::fabs(static_cast<double>(y[i]) - reference[i]) /
                          static_cast<double>(reference[i]));
    }
    std::printf("| %zux%zu | %.3f | %.3f | %.3f | %.1e | %.1e |\n", shape.rows,
                shape.cols, rates[0], rates[1], rates[2], diffs[1], diffs[2]);
    std::fflush(stdout);
  }
  return 0;
}
