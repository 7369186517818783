// SPDX-License-Identifier: Apache-2.0
//
// softmax and log_softmax, both tiers, on every ISA under test: the
// textbook example, accuracy against a long-double reference over many row
// lengths and value ranges, the edge rules (-inf, NaN, +inf, 1e30), strided
// rows and bit identity across the FMA ISAs.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "test_support.hpp"

namespace vact_test {
namespace {

constexpr float inf = std::numeric_limits<float>::infinity();

using row_fn = vact_status (*)(const float*, float*, size_t, size_t);
using strided_fn = vact_status (*)(const float*, size_t, float*, size_t, size_t,
                                   size_t);

// One tier's row functions and bounds: every softmax element within
// element_ulp of the exact value for rows up to 32,000, row sums within
// sum_tolerance of 1, log_softmax within log_ulp where its error is over
// log_abs_floor.
struct row_tier {
  const char* name;
  row_fn softmax, log_softmax;
  strided_fn softmax_strided, log_softmax_strided;
  double element_ulp, sum_tolerance, log_ulp, log_abs_floor;
  row_fn of(bool log) const { return log ? log_softmax : softmax; }
  strided_fn strided(bool log) const {
    return log ? log_softmax_strided : softmax_strided;
  }
};

const row_tier tiers[] = {
    {"precise", vact_softmax_f32, vact_log_softmax_f32,
     vact_softmax_strided_f32, vact_log_softmax_strided_f32, 4.0, 1e-6, 4.0,
     0x1p-23},
    {"fast", vact_softmax_fast_f32, vact_log_softmax_fast_f32,
     vact_softmax_strided_fast_f32, vact_log_softmax_strided_fast_f32, 8.0,
     2e-6, 8.0, 0x1p-22},
};

// Exact-enough softmax of one row: x_j - m is exact in long double, the sum
// is accumulated in long double.
std::vector<long double> reference_log_softmax(const float* x, std::size_t n) {
  long double m = -INFINITY;
  for (std::size_t j = 0; j < n; ++j) m = std::max<long double>(m, x[j]);
  long double sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += std::exp((long double)x[j] - m);
  std::vector<long double> out(n);
  const long double log_sum = std::log(sum);
  for (std::size_t j = 0; j < n; ++j)
    out[j] = ((long double)x[j] - m) - log_sum;
  return out;
}

std::vector<float> run_rows(row_fn fn, const std::vector<float>& x,
                            std::size_t rows, std::size_t cols) {
  std::vector<float> y(x.size());
  REQUIRE(fn(x.data(), y.data(), rows, cols) == VACT_OK);
  return y;
}

TEST_CASE("softmax of the textbook example") {
  const std::vector<float> x = {1, 5, 2, 0, 6, 7};
  const double expected[] = {1.63793117e-03, 8.94280120e-02, 4.45235855e-03,
                             6.02561205e-04, 2.43090540e-01, 6.60788597e-01};
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const row_tier& tier : tiers) {
      const std::vector<float> y = run_rows(tier.softmax, x, 1, 6);
      for (int j = 0; j < 6; ++j) {
        const std::string isa_name = vact_isa_name(isa);
        CAPTURE(isa_name);
        INFO("tier ", std::string(tier.name));
        CAPTURE(j);
        CHECK(y[j] == doctest::Approx(expected[j]).epsilon(1e-6));
      }
    }
  }
}

// Rows of many lengths (1 to 100,000) and value ranges (up to 1e30), each
// tier against its bounds (row_tier).
TEST_CASE("softmax and log_softmax accuracy") {
  std::mt19937 rng(11);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 70; ++n) lengths.push_back(n);
  for (std::size_t n : {127, 128, 129, 1000, 4097, 32000, 65536, 100000})
    lengths.push_back(n);
  std::uniform_int_distribution<std::size_t> any_length(71, 100000);
  for (int k = 0; k < 4; ++k) lengths.push_back(any_length(rng));
  constexpr std::size_t element_bound_up_to = 32000;
  const float ranges[] = {1.0f, 10.0f, 100.0f, 1e30f};

  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const row_tier& tier : tiers) {
      double worst_softmax = 0, worst_log = 0, worst_sum = 0;
      for (std::size_t n : lengths) {
        for (float range : ranges) {
          std::uniform_real_distribution<float> uniform(-range, range);
          std::vector<float> x(n);
          for (float& v : x) v = uniform(rng);
          const std::vector<long double> exact =
              reference_log_softmax(x.data(), n);
          const std::vector<float> y = run_rows(tier.softmax, x, 1, n);
          const std::vector<float> l = run_rows(tier.log_softmax, x, 1, n);
          double sum = 0;
          for (std::size_t j = 0; j < n; ++j) {
            const double p = static_cast<double>(std::exp(exact[j]));
            if (n <= element_bound_up_to)
              worst_softmax = std::max(worst_softmax, ulp_error(y[j], p));
            sum += static_cast<double>(y[j]);
            const double le = ulp_error(l[j], static_cast<double>(exact[j]));
            const double abs_error = std::fabs(static_cast<double>(l[j]) -
                                               static_cast<double>(exact[j]));
            if (abs_error > tier.log_abs_floor)
              worst_log = std::max(worst_log, le);
          }
          worst_sum = std::max(worst_sum, std::fabs(sum - 1.0));
        }
      }
      const std::string isa_name = vact_isa_name(isa);
      CAPTURE(isa_name);
      INFO("tier ", std::string(tier.name));
      MESSAGE(std::string(vact_isa_name(isa)), " ", std::string(tier.name),
              ": softmax max ", worst_softmax, " ULP, log_softmax max ",
              worst_log, " ULP (where over ", tier.log_abs_floor,
              " absolute), max |row sum - 1| ", worst_sum);
      CHECK(worst_softmax <= tier.element_ulp);
      CHECK(worst_log <= tier.log_ulp);
      CHECK(worst_sum <= tier.sum_tolerance);
    }
  }
}

// Batches of short rows go one row per lane: each row must come out with
// the bits it has when computed alone.
TEST_CASE("softmax batches of short rows give each row's own bits") {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> uniform(-30.0f, 30.0f);
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    for (std::size_t n = 1; n <= 40; ++n) {
      CAPTURE(n);
      constexpr std::size_t rows = 37;
      std::vector<float> x(rows * n);
      for (float& v : x) v = uniform(rng);
      x[3 * n] = -inf;
      for (row_fn fn : {vact_softmax_f32, vact_log_softmax_f32,
                        vact_softmax_fast_f32, vact_log_softmax_fast_f32}) {
        const std::vector<float> batch = run_rows(fn, x, rows, n);
        for (std::size_t r = 0; r < rows; ++r) {
          const std::vector<float> row(x.begin() + r * n,
                                       x.begin() + (r + 1) * n);
          const std::vector<float> alone = run_rows(fn, row, 1, n);
          CHECK(std::memcmp(alone.data(), batch.data() + r * n,
                            n * sizeof(float)) == 0);
        }
      }
    }
  }
}

TEST_CASE("softmax edge rules: -inf, NaN, +inf, huge values") {
  const float nan_value = std::numeric_limits<float>::quiet_NaN();
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    for (const row_tier& tier : tiers) {
      INFO("tier ", std::string(tier.name));
      const row_fn softmax = tier.softmax;
      const row_fn log_softmax = tier.log_softmax;
      for (std::size_t n : {1, 3, 17, 40}) {
        CAPTURE(n);
        // -inf entries give exactly 0 (log: -inf); the rest is a softmax.
        std::vector<float> x(n, 0.0f);
        for (std::size_t j = 0; j < n; j += 2) x[j] = -inf;
        x[n - 1] = 2.0f;
        const std::vector<float> y = run_rows(softmax, x, 1, n);
        const std::vector<float> l = run_rows(log_softmax, x, 1, n);
        for (std::size_t j = 0; j < n; ++j) {
          if (x[j] == -inf) {
            CHECK(bits(y[j]) == bits(0.0f));
            CHECK(l[j] == -inf);
          } else {
            CHECK(y[j] > 0.0f);
            CHECK(std::isfinite(l[j]));
          }
        }
        // All -inf, or any NaN (of any sign or payload) or +inf: the quiet
        // NaN 0x7fc00000 everywhere.
        const float poisons[] = {nan_value, -nan_value, from_bits(0xff8001b1u),
                                 inf};
        std::vector<std::vector<float>> bad_rows = {
            std::vector<float>(n, -inf)};
        for (float poison : poisons) {
          std::vector<float> row(n, 1.0f);
          row[n / 2] = poison;
          bad_rows.push_back(row);
        }
        for (const std::vector<float>& row : bad_rows) {
          for (float v : run_rows(softmax, row, 1, n))
            CHECK(bits(v) == 0x7fc00000u);
          for (float v : run_rows(log_softmax, row, 1, n))
            CHECK(bits(v) == 0x7fc00000u);
        }
        // Huge finite values are safe: max-subtracted.
        std::vector<float> huge(n, 1e30f);
        huge[0] = 3e38f;
        const std::vector<float> h = run_rows(softmax, huge, 1, n);
        CHECK(h[0] == 1.0f);
        for (std::size_t j = 1; j < n; ++j) CHECK(h[j] == 0.0f);
        std::vector<float> equal(n, 1e30f);
        for (float v : run_rows(softmax, equal, 1, n))
          CHECK(v == doctest::Approx(1.0 / static_cast<double>(n)));
      }
    }
  }
}

TEST_CASE("log_softmax near FLT_MAX stays finite where the result is") {
  // x - max = -3.33e38 is a float; TwoSum on it once overflowed into NaN.
  const std::vector<float> x = {0x1.bcbcbcp+125f, 0x1.fffffep127f, -0x1.7p127f};
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    for (const row_tier& tier : tiers) {
      INFO("tier ", std::string(tier.name));
      const std::vector<float> l = run_rows(tier.log_softmax, x, 1, 3);
      CHECK(ulp_error(l[0], -0x1.90d0cfp+127) <= tier.log_ulp);
      CHECK(l[1] == 0.0f);
      CHECK(l[2] == -std::numeric_limits<float>::infinity());  // overflows
    }
  }
}

TEST_CASE("softmax: rows, strides and in place") {
  constexpr std::size_t rows = 5, cols = 19, stride = 23;
  constexpr std::uint32_t canary = 0x7fc0beef;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(-8.0f, 8.0f);
  std::vector<float> strided_x(rows * stride);
  for (float& v : strided_x) v = uniform(rng);
  std::vector<float> packed(rows * cols);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c)
      packed[r * cols + c] = strided_x[r * stride + c];

  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    for (const row_tier& tier : tiers)
      for (bool log : {false, true}) {
        INFO("tier ", std::string(tier.name));
        CAPTURE(log);
        const row_fn contiguous = tier.of(log);
        const strided_fn strided = tier.strided(log);
        const std::vector<float> expected =
            run_rows(contiguous, packed, rows, cols);
        // Row r alone gives the same bits as row r of the batch.
        for (std::size_t r = 0; r < rows; ++r) {
          std::vector<float> one(packed.begin() + r * cols,
                                 packed.begin() + (r + 1) * cols);
          const std::vector<float> y = run_rows(contiguous, one, 1, cols);
          for (std::size_t c = 0; c < cols; ++c)
            CHECK(bits(y[c]) == bits(expected[r * cols + c]));
        }
        // Strided: same bits, and the gaps between rows are not touched.
        std::vector<float> y(rows * stride, from_bits(canary));
        REQUIRE(strided(strided_x.data(), stride, y.data(), stride, rows,
                        cols) == VACT_OK);
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t c = 0; c < stride; ++c)
            CHECK(bits(y[r * stride + c]) ==
                  (c < cols ? bits(expected[r * cols + c]) : canary));
        // In place, contiguous and strided.
        std::vector<float> in_place = packed;
        REQUIRE(contiguous(in_place.data(), in_place.data(), rows, cols) ==
                VACT_OK);
        CHECK(in_place == expected);
        std::vector<float> strided_in_place = strided_x;
        REQUIRE(strided(strided_in_place.data(), stride,
                        strided_in_place.data(), stride, rows,
                        cols) == VACT_OK);
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t c = 0; c < stride; ++c)
            CHECK(bits(strided_in_place[r * stride + c]) ==
                  bits(c < cols ? expected[r * cols + c]
                                : strided_x[r * stride + c]));
      }
  }
}

// Every FMA ISA this CPU supports, whatever VACT_ISA narrows the other tests
// to: a run on sse2 or on scalar alone would have nothing to compare.
TEST_CASE("softmax: FMA ISAs give the scalar table's bits") {
  std::size_t compared = 0;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> uniform(-50.0f, 50.0f);
  for (std::size_t n : {1, 7, 16, 33, 1000, 32000}) {
    std::vector<float> x(n);
    for (float& v : x) v = uniform(rng);
    for (const row_tier& tier : tiers)
      for (bool log : {false, true}) {
        const row_fn fn = tier.of(log);
        std::vector<float> scalar;
        {
          isa_guard guard(VACT_ISA_SCALAR);
          scalar = run_rows(fn, x, 1, n);
        }
        for (vact_isa isa : supported_fma_isas()) {
          if (isa == VACT_ISA_SCALAR) continue;
          isa_guard guard(isa);
          const std::string isa_name = vact_isa_name(isa);
          CAPTURE(isa_name);
          INFO("tier ", std::string(tier.name));
          CAPTURE(n);
          CHECK(run_rows(fn, x, 1, n) == scalar);
          ++compared;
        }
      }
  }
  // A SIMD ISA with FMA on this CPU was compared.
  if (vact_isa_supported(VACT_ISA_AVX2) ||
      vact_isa_supported(VACT_ISA_AVX512) || vact_isa_supported(VACT_ISA_NEON))
    CHECK(compared > 0);
}

}  // namespace
}  // namespace vact_test
