// SPDX-License-Identifier: Apache-2.0
//
// softmax and log_softmax over bf16 and f16 rows (vact.h). The definition,
// checked bit for bit on every ISA, both tiers, contiguous, strided and in
// place: a 16-bit row's result is the f32 function's result on the widened
// row, rounded once (the f32 row functions and the conversions are proven
// on their own in test_softmax.cpp and test_storage16.cpp). Then the bound
// that follows, measured against a long-double softmax: within 1 ULP of
// the output format. Then the FMA ISAs' bit identity, the edge rules and
// the argument contract of all 16 entry points and the C++ overloads.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "vact/vact.hpp"

namespace vact_test {
namespace {

using rows16_fn = vact_status (*)(const std::uint16_t*, std::size_t,
                                  std::uint16_t*, std::size_t, std::size_t,
                                  std::size_t);
using rows32_fn = vact_status (*)(const float*, std::size_t, float*,
                                  std::size_t, std::size_t, std::size_t);

// The f32 row functions, [tier][log], that define the 16-bit ones.
const rows32_fn rows32[2][2] = {
    {vact_softmax_strided_f32, vact_log_softmax_strided_f32},
    {vact_softmax_strided_fast_f32, vact_log_softmax_strided_fast_f32}};
const char* const tier_names[2] = {"precise", "fast"};
// log_softmax's f32 bounds have an absolute floor (test_softmax.cpp's
// row_tier): below it, the bound here is that floor plus 1 ULP.
const double log_abs_floor[2] = {0x1p-23, 0x1p-22};

struct format_rows {
  const char* name;
  int fraction_bits;
  int min_exponent;  // of the smallest normal number
  float largest;     // finite
  std::uint16_t quiet_nan;
  vact_status (*narrow)(const float*, std::uint16_t*, std::size_t);
  vact_status (*widen)(const std::uint16_t*, float*, std::size_t);
  rows16_fn strided[2][2];  // [tier][log]
  std::uint16_t round(float v) const {
    std::uint16_t b = 0;
    narrow(&v, &b, 1);  // checked in test_storage16.cpp
    return b;
  }
};

const format_rows bf16_rows = {
    "bf16",
    7,
    -126,
    3.3e38f,
    0x7fc0,
    vact_convert_f32_to_bf16,
    vact_convert_bf16_to_f32,
    {{vact_softmax_strided_bf16, vact_log_softmax_strided_bf16},
     {vact_softmax_strided_fast_bf16, vact_log_softmax_strided_fast_bf16}}};
const format_rows f16_rows = {
    "f16",
    10,
    -14,
    65504.0f,
    0x7e00,
    vact_convert_f32_to_f16,
    vact_convert_f16_to_f32,
    {{vact_softmax_strided_f16, vact_log_softmax_strided_f16},
     {vact_softmax_strided_fast_f16, vact_log_softmax_strided_fast_f16}}};
const format_rows* const formats[] = {&bf16_rows, &f16_rows};

constexpr std::uint16_t canary16 = 0x5a5a;

// ---- rows -------------------------------------------------------------------

struct shape {
  std::size_t rows, cols, x_stride, y_stride;
  std::size_t x_span() const { return (rows - 1) * x_stride + cols; }
  std::size_t y_span() const { return (rows - 1) * y_stride + cols; }
};

// Row lengths where the kernels change path: the one-row-per-lane tiles
// (up to 32), partial blocks of 16, the terms held on the stack (up to
// 4096) or computed again (past it).
std::vector<shape> interesting_shapes() {
  std::vector<shape> shapes;
  for (std::size_t cols : {1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 100, 1000,
                           4095, 4096, 4097, 9000}) {
    const std::size_t rows = cols <= 33 ? 37 : cols < 4096 ? 5 : 2;
    shapes.push_back({rows, cols, cols, cols});
    shapes.push_back({rows, cols, cols + 3, cols + 1});
  }
  return shapes;
}

// Rows of x (16-bit, `s.x_stride` apart) of values in [-range, range]
// rounded to the format, a few of them -inf, the padding NaN (so that a
// kernel reading it would turn its row into NaN). Row 1 (where there is
// one) is a row of special values: NaN, +inf or all -inf, by `seed`.
std::vector<std::uint16_t> rows_of(const format_rows& f, const shape& s,
                                   float range, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-range, range);
  std::uniform_int_distribution<int> percent(0, 99);
  std::vector<std::uint16_t> x(s.x_span(), f.quiet_nan);
  for (std::size_t r = 0; r < s.rows; ++r)
    for (std::size_t c = 0; c < s.cols; ++c)
      x[r * s.x_stride + c] =
          f.round(percent(rng) < 3 ? -std::numeric_limits<float>::infinity()
                                   : uniform(rng));
  if (s.rows > 1) {
    std::uint16_t* row = &x[s.x_stride];
    const std::size_t at = seed % s.cols;
    switch (seed % 3) {
      case 0:
        row[at] = f.quiet_nan;
        break;
      case 1:
        row[at] = f.round(std::numeric_limits<float>::infinity());
        break;
      default:
        for (std::size_t c = 0; c < s.cols; ++c)
          row[c] = f.round(-std::numeric_limits<float>::infinity());
    }
  }
  return x;
}

std::vector<float> widened(const format_rows& f,
                           const std::vector<std::uint16_t>& x) {
  std::vector<float> v(x.size());
  REQUIRE(f.widen(x.data(), v.data(), x.size()) == VACT_OK);
  return v;
}

// The definition: the f32 row function on the widened rows, each result
// rounded once; padding keeps the canary.
std::vector<std::uint16_t> defined_result(const format_rows& f, int tier,
                                          bool log, const shape& s,
                                          const std::vector<std::uint16_t>& x) {
  const std::vector<float> x32 = widened(f, x);
  std::vector<float> y32(s.y_span());
  REQUIRE(rows32[tier][log](x32.data(), s.x_stride, y32.data(), s.y_stride,
                            s.rows, s.cols) == VACT_OK);
  std::vector<std::uint16_t> y(s.y_span(), canary16);
  for (std::size_t r = 0; r < s.rows; ++r)
    REQUIRE(f.narrow(&y32[r * s.y_stride], &y[r * s.y_stride], s.cols) ==
            VACT_OK);
  return y;
}

// The first element where a and b differ, as text ("" if none).
std::string first_difference(const std::vector<std::uint16_t>& a,
                             const std::vector<std::uint16_t>& b,
                             std::size_t stride) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i])
      return "row " + std::to_string(i / stride) + " col " +
             std::to_string(i % stride) + ": " + hex16(a[i]) + ", expected " +
             hex16(b[i]);
  return "";
}

TEST_CASE(
    "softmax16: a 16-bit row's result is the f32 result of the widened row, "
    "rounded once (every ISA, both tiers, strided, in place)") {
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const format_rows* format : formats) {
      const format_rows& f = *format;
      unsigned seed = 0;
      for (const shape& s : interesting_shapes()) {
        for (float range : {1.0f, 30.0f, f.largest}) {
          ++seed;
          const std::vector<std::uint16_t> x = rows_of(f, s, range, seed);
          for (int tier = 0; tier < 2; ++tier) {
            for (bool log : {false, true}) {
              const std::string what = std::string(vact_isa_name(isa)) + " " +
                                       f.name + " " + tier_names[tier] +
                                       (log ? " log_softmax" : " softmax") +
                                       ", " + std::to_string(s.rows) + " x " +
                                       std::to_string(s.cols) + ", strides " +
                                       std::to_string(s.x_stride) + "/" +
                                       std::to_string(s.y_stride) + ", range " +
                                       std::to_string(range);
              const std::vector<std::uint16_t> expected =
                  defined_result(f, tier, log, s, x);
              std::vector<std::uint16_t> y(s.y_span(), canary16);
              REQUIRE(f.strided[tier][log](x.data(), s.x_stride, y.data(),
                                           s.y_stride, s.rows,
                                           s.cols) == VACT_OK);
              CHECK_MESSAGE(y == expected, what, ": ",
                            first_difference(y, expected, s.y_stride));
              if (s.x_stride != s.y_stride) continue;
              std::vector<std::uint16_t> z = x;
              REQUIRE(f.strided[tier][log](z.data(), s.x_stride, z.data(),
                                           s.x_stride, s.rows,
                                           s.cols) == VACT_OK);
              // In place: the rows as above, the padding still x's.
              std::vector<std::uint16_t> expected_in_place = x;
              for (std::size_t r = 0; r < s.rows; ++r)
                std::memcpy(&expected_in_place[r * s.x_stride],
                            &expected[r * s.y_stride],
                            s.cols * sizeof(std::uint16_t));
              CHECK_MESSAGE(z == expected_in_place, what, ", in place: ",
                            first_difference(z, expected_in_place, s.x_stride));
            }
          }
        }
      }
    }
  }
}

// ---- accuracy
// -----------------------------------------------------------------

// The format's ULP at the exact value's binade (subnormal ULPs below the
// smallest normal binade, also at 0).
double ulp_at(const format_rows& f, double exact) {
  const double magnitude = std::fabs(exact);
  const int e = magnitude == 0
                    ? f.min_exponent
                    : std::max(std::ilogb(magnitude), f.min_exponent);
  return std::ldexp(1.0, e - f.fraction_bits);
}

// Exact-enough log_softmax of one row of widened values: x_j - m exact in
// long double, the sum in long double.
std::vector<long double> reference_log_softmax(const float* x, std::size_t n) {
  long double m = -INFINITY;
  for (std::size_t j = 0; j < n; ++j) m = std::max<long double>(m, x[j]);
  long double sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += std::exp((long double)x[j] - m);
  const long double log_sum = std::log(sum);
  std::vector<long double> out(n);
  for (std::size_t j = 0; j < n; ++j)
    out[j] = ((long double)x[j] - m) - log_sum;
  return out;
}

TEST_CASE(
    "softmax16: every element within 1 ULP of the exact value in the output "
    "format") {
  std::mt19937 rng(16);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 40; ++n) lengths.push_back(n);
  for (std::size_t n : {100, 1000, 4096, 4097, 10000, 32000})
    lengths.push_back(n);
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const format_rows* format : formats) {
      const format_rows& f = *format;
      for (int tier = 0; tier < 2; ++tier) {
        double worst_softmax = 0, worst_log = 0;
        for (std::size_t n : lengths) {
          for (float range : {1.0f, 10.0f, 100.0f, 1e4f}) {
            std::uniform_real_distribution<float> uniform(-range, range);
            std::vector<std::uint16_t> x(n);
            for (std::uint16_t& v : x) v = f.round(uniform(rng));
            const std::vector<float> x32 = widened(f, x);
            const std::vector<long double> exact =
                reference_log_softmax(x32.data(), n);
            std::vector<std::uint16_t> p(n), l(n);
            REQUIRE(f.strided[tier][0](x.data(), n, p.data(), n, 1, n) ==
                    VACT_OK);
            REQUIRE(f.strided[tier][1](x.data(), n, l.data(), n, 1, n) ==
                    VACT_OK);
            const std::vector<float> p32 = widened(f, p);
            const std::vector<float> l32 = widened(f, l);
            for (std::size_t j = 0; j < n; ++j) {
              const double pe = static_cast<double>(std::exp(exact[j]));
              worst_softmax = std::max(worst_softmax,
                                       std::fabs(p32[j] - pe) / ulp_at(f, pe));
              const double le = static_cast<double>(exact[j]);
              const double error = std::fabs(l32[j] - le);
              // Where the f32 bound's absolute floor applies, that floor
              // is allowed on top of the ULP.
              const double over_floor =
                  std::max(0.0, error - log_abs_floor[tier]);
              worst_log = std::max(worst_log,
                                   std::min(error, over_floor) / ulp_at(f, le));
            }
          }
        }
        MESSAGE(std::string(vact_isa_name(isa)), " ", std::string(f.name), " ",
                std::string(tier_names[tier]), ": softmax max ", worst_softmax,
                " ULP, log_softmax max ", worst_log, " ULP");
        CHECK(worst_softmax <= 1.0);
        CHECK(worst_log <= 1.0);
      }
    }
  }
}

// ---- bits across ISAs, edge rules -----------------------------------------

TEST_CASE("softmax16: FMA ISAs give the scalar table's bits") {
  for (const format_rows* format : formats) {
    const format_rows& f = *format;
    unsigned seed = 100;
    for (const shape& s : interesting_shapes()) {
      const std::vector<std::uint16_t> x = rows_of(f, s, 20.0f, ++seed);
      for (int tier = 0; tier < 2; ++tier) {
        for (bool log : {false, true}) {
          std::vector<std::uint16_t> scalar(s.y_span(), canary16);
          {
            isa_guard guard(VACT_ISA_SCALAR);
            REQUIRE(f.strided[tier][log](x.data(), s.x_stride, scalar.data(),
                                         s.y_stride, s.rows,
                                         s.cols) == VACT_OK);
          }
          for (vact_isa isa : supported_fma_isas()) {
            isa_guard guard(isa);
            std::vector<std::uint16_t> y(s.y_span(), canary16);
            REQUIRE(f.strided[tier][log](x.data(), s.x_stride, y.data(),
                                         s.y_stride, s.rows,
                                         s.cols) == VACT_OK);
            CHECK_MESSAGE(y == scalar, vact_isa_name(isa), " ", f.name, " ",
                          tier_names[tier], log ? " log_softmax " : " softmax ",
                          s.rows, " x ", s.cols, ": ",
                          first_difference(y, scalar, s.y_stride));
          }
        }
      }
    }
  }
}

TEST_CASE("softmax16: -inf entries, NaN rows and all -inf rows") {
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const format_rows* format : formats) {
      const format_rows& f = *format;
      const std::uint16_t minus_inf =
          f.round(-std::numeric_limits<float>::infinity());
      const std::uint16_t plus_inf =
          f.round(std::numeric_limits<float>::infinity());
      const std::uint16_t zero = 0, one = f.round(1.0f);
      const std::uint16_t minus_zero = 0x8000;
      for (int tier = 0; tier < 2; ++tier) {
        CAPTURE(vact_isa_name(isa));
        CAPTURE(f.name);
        CAPTURE(tier_names[tier]);
        // One finite entry among -inf: probability 1 (log: 0), the rest 0
        // (log: -inf).
        const std::vector<std::uint16_t> x = {minus_inf, f.round(3.0f),
                                              minus_inf};
        std::vector<std::uint16_t> y(3), l(3);
        REQUIRE(f.strided[tier][0](x.data(), 3, y.data(), 3, 1, 3) == VACT_OK);
        REQUIRE(f.strided[tier][1](x.data(), 3, l.data(), 3, 1, 3) == VACT_OK);
        CHECK(y == std::vector<std::uint16_t>{zero, one, zero});
        CHECK((l[1] == zero || l[1] == minus_zero));
        CHECK(l[0] == minus_inf);
        CHECK(l[2] == minus_inf);
        // A NaN, a +inf, or nothing but -inf: the row is the quiet NaN.
        const std::vector<std::uint16_t> bad_rows[] = {
            {one, 0x7fff, one}, {one, plus_inf, one}, {minus_inf, minus_inf}};
        for (const std::vector<std::uint16_t>& row : bad_rows) {
          for (bool log : {false, true}) {
            std::vector<std::uint16_t> out(row.size());
            REQUIRE(f.strided[tier][log](row.data(), row.size(), out.data(),
                                         row.size(), 1, row.size()) == VACT_OK);
            for (std::uint16_t v : out) CHECK(v == f.quiet_nan);
          }
        }
        // Signalling NaNs of either sign give the same, on each path: a
        // short row alone, a tile of short rows (one per lane), a row
        // widened once and one too long for that (bf16 rows are read
        // without quieting their NaNs: make_kernel_table.hpp).
        const std::uint16_t signalling = static_cast<std::uint16_t>(
            (f.quiet_nan & ~(1u << (f.fraction_bits - 1))) | 1u);
        for (unsigned sign : {0u, 0x8000u}) {
          for (std::size_t rows : {1, 16}) {
            for (std::size_t cols : {3, 2000, 5000}) {
              if (rows > 1 && cols > 3) continue;
              CAPTURE(rows);
              CAPTURE(cols);
              std::vector<std::uint16_t> in(rows * cols, one);
              in[cols / 2] = static_cast<std::uint16_t>(signalling | sign);
              for (bool log : {false, true}) {
                std::vector<std::uint16_t> out(in.size());
                REQUIRE(f.strided[tier][log](in.data(), cols, out.data(), cols,
                                             rows, cols) == VACT_OK);
                for (std::size_t j = 0; j < cols; ++j)
                  CHECK(out[j] == f.quiet_nan);
                for (std::size_t j = cols; j < out.size(); ++j)
                  CHECK(out[j] != f.quiet_nan);
              }
            }
          }
        }
      }
    }
  }
}

// ---- the argument contract ------------------------------------------------

// Every 16-bit row entry point as one strided signature; the contiguous
// ones REQUIRE both strides to equal cols.
struct rows16_entry_point {
  std::string name;
  std::function<vact_status(const std::uint16_t*, std::size_t, std::uint16_t*,
                            std::size_t, std::size_t, std::size_t)>
      call;
  bool strided;
};

template <class T>
const T* as(const std::uint16_t* p) {
  return reinterpret_cast<const T*>(p);
}
template <class T>
T* as(std::uint16_t* p) {
  return reinterpret_cast<T*>(p);
}

#define VACT_TEST_CONTIGUOUS16(NAME, CALL)                                 \
  rows16_entry_point {                                                     \
    NAME,                                                                  \
        [](const std::uint16_t* x, std::size_t x_stride, std::uint16_t* y, \
           std::size_t y_stride, std::size_t rows, std::size_t cols) {     \
          REQUIRE(x_stride == cols);                                       \
          REQUIRE(y_stride == cols);                                       \
          return CALL;                                                     \
        },                                                                 \
        false                                                              \
  }
#define VACT_TEST_STRIDED16(NAME, CALL)                              \
  rows16_entry_point {                                               \
    NAME,                                                            \
        [](const std::uint16_t* x, std::size_t xs, std::uint16_t* y, \
           std::size_t ys, std::size_t rows,                         \
           std::size_t cols) { return CALL; },                       \
        true                                                         \
  }
// The C entry points of one format and tier infix, and the C++ overloads
// for its type T in namespace `scope`.
#define VACT_TEST_ROWS16(type, tier, T, scope)                                 \
  VACT_TEST_CONTIGUOUS16("vact_softmax_" #tier #type,                          \
                         vact_softmax_##tier##type(x, y, rows, cols)),         \
      VACT_TEST_CONTIGUOUS16("vact_log_softmax_" #tier #type,                  \
                             vact_log_softmax_##tier##type(x, y, rows, cols)), \
      VACT_TEST_STRIDED16(                                                     \
          "vact_softmax_strided_" #tier #type,                                 \
          vact_softmax_strided_##tier##type(x, xs, y, ys, rows, cols)),        \
      VACT_TEST_STRIDED16(                                                     \
          "vact_log_softmax_strided_" #tier #type,                             \
          vact_log_softmax_strided_##tier##type(x, xs, y, ys, rows, cols)),    \
      VACT_TEST_CONTIGUOUS16(#scope "::softmax(" #T ")", status_of([&] {       \
                               scope::softmax(as<T>(x), as<T>(y), rows, cols); \
                             })),                                              \
      VACT_TEST_STRIDED16(#scope "::log_softmax_strided(" #T ")",              \
                          status_of([&] {                                      \
                            scope::log_softmax_strided(as<T>(x), xs, as<T>(y), \
                                                       ys, rows, cols);        \
                          }))

std::vector<rows16_entry_point> rows16_entry_points() {
  return {VACT_TEST_ROWS16(bf16, , vact::bf16, vact),
          VACT_TEST_ROWS16(bf16, fast_, vact::bf16, vact::fast),
          VACT_TEST_ROWS16(f16, , vact::f16, vact),
          VACT_TEST_ROWS16(f16, fast_, vact::f16, vact::fast)};
}

bool untouched(const std::vector<std::uint16_t>& v) {
  return std::all_of(v.begin(), v.end(),
                     [](std::uint16_t b) { return b == canary16; });
}

TEST_CASE("softmax16: bad arguments are refused and nothing is written") {
  const std::size_t rows = 3, cols = 8, span = rows * cols;
  for (const rows16_entry_point& f : rows16_entry_points()) {
    CAPTURE(f.name);
    std::vector<std::uint16_t> x(4 * span, canary16), y(4 * span, canary16);
    // Null pointers with rows, cols > 0.
    CHECK(f.call(nullptr, cols, y.data(), cols, rows, cols) ==
          VACT_ERROR_NULL_POINTER);
    CHECK(f.call(x.data(), cols, nullptr, cols, rows, cols) ==
          VACT_ERROR_NULL_POINTER);
    // Empty calls touch nothing, null or not.
    CHECK(f.call(nullptr, cols, nullptr, cols, 0, cols) == VACT_OK);
    CHECK(f.call(x.data(), 0, y.data(), 0, rows, 0) == VACT_OK);
    // Partial overlaps of the two spans.
    CHECK(f.call(x.data(), cols, x.data() + 1, cols, rows, cols) ==
          VACT_ERROR_OVERLAP);
    CHECK(f.call(x.data() + span - 1, cols, x.data(), cols, rows, cols) ==
          VACT_ERROR_OVERLAP);
    // A span that wraps the address space.
    const auto* near_end = reinterpret_cast<const std::uint16_t*>(
        std::uintptr_t{0} - 16 * sizeof(std::uint16_t));
    CHECK(f.call(near_end, cols, y.data(), cols, rows, cols) ==
          VACT_ERROR_INVALID_ARGUMENT);
    if (f.strided) {
      CHECK(f.call(x.data(), cols - 1, y.data(), cols, rows, cols) ==
            VACT_ERROR_INVALID_ARGUMENT);
      CHECK(f.call(x.data(), cols, y.data(), cols - 1, rows, cols) ==
            VACT_ERROR_INVALID_ARGUMENT);
      // In place needs equal strides.
      CHECK(f.call(x.data(), cols, x.data(), 2 * cols, rows, cols) ==
            VACT_ERROR_OVERLAP);
      // Rows interleaved in each other's padding.
      CHECK(f.call(x.data(), 2 * cols, x.data() + cols, 2 * cols, rows, cols) ==
            VACT_ERROR_OVERLAP);
    }
    CHECK(untouched(x));
    CHECK(untouched(y));
    // Adjacent spans are fine.
    std::vector<std::uint16_t> both(2 * span, bf16_rows.round(0.5f));
    CHECK(f.call(both.data(), cols, both.data() + span, cols, rows, cols) ==
          VACT_OK);
  }
}

}  // namespace
}  // namespace vact_test
