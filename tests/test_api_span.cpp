// SPDX-License-Identifier: Apache-2.0
//
// vact_span_tests: the std::span overloads of vact.hpp, which exist only
// under C++20 and so are invisible to the C++17 suite. Each gives the bits
// of its pointer form; a size mismatch, a partial overlap, or (softmax) a
// size that is not a multiple of cols throws vact::error with the right
// status and leaves the output untouched; empty spans are fine.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "vact/vact.hpp"

static_assert(VACT_HAS_SPAN, "compiled as C++20 with <span>");

namespace {

constexpr std::uint32_t canary_bits = 0x7fc05a11u;

float canary() {
  float f;
  std::memcpy(&f, &canary_bits, sizeof f);
  return f;
}

bool untouched(std::span<const float> v) {
  for (float f : v)
    if (std::memcmp(&f, &canary_bits, sizeof f) != 0) return false;
  return true;
}

bool same_bits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

std::vector<float> inputs(std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = -6.0f + 0.37f * static_cast<float>(i % 37);
  if (n > 2) x[2] = std::numeric_limits<float>::infinity();
  return x;
}

vact_status status_of(const std::function<void()>& f) {
  try {
    f();
    return VACT_OK;
  } catch (const vact::error& e) {
    return e.status();
  }
}

using span_fn = std::function<void(std::span<const float>, std::span<float>)>;
using pointer_fn = std::function<void(const float*, float*, std::size_t)>;

struct elementwise_pair {
  std::string name;
  span_fn with_span;
  pointer_fn with_pointer;
};

// An op's span and pointer forms, with the parameters of ops that need
// them (the others take their defaults).
#define VACT_SPAN_ARGUMENT_none
#define VACT_SPAN_ARGUMENT_alpha
#define VACT_SPAN_ARGUMENT_slope
#define VACT_SPAN_ARGUMENT_beta
#define VACT_SPAN_ARGUMENT_lo_hi , -1.5f, 3.0f
#define VACT_SPAN_ARGUMENT_cap , 5.0f
#define VACT_SPAN_PAIR(FN, params)                                 \
  elementwise_pair {                                               \
#FN,                                                             \
        [](std::span<const float> x, std::span<float> y) {           \
          vact::FN(x, y VACT_SPAN_ARGUMENT_##params);                \
        },                                                           \
        [](const float* x, float* y, std::size_t n) {                \
          vact::FN(x, y, n VACT_SPAN_ARGUMENT_##params);             \
        } \
  }

std::vector<elementwise_pair> elementwise_pairs() {
  std::vector<elementwise_pair> pairs = {
#define VACT_OP(id, name, NAME, params, ...) \
  VACT_SPAN_PAIR(name, params), VACT_SPAN_PAIR(name##_derivative, params),
#include "vact/ops.def"
#undef VACT_OP
      {"elu(alpha = 0.5)",
       [](std::span<const float> x, std::span<float> y) {
         vact::elu(x, y, 0.5f);
       },
       [](const float* x, float* y, std::size_t n) {
         vact::elu(x, y, n, 0.5f);
       }},
      {"leaky_relu_derivative(slope = 0.2)",
       [](std::span<const float> x, std::span<float> y) {
         vact::leaky_relu_derivative(x, y, 0.2f);
       },
       [](const float* x, float* y, std::size_t n) {
         vact::leaky_relu_derivative(x, y, n, 0.2f);
       }},
  };
  vact::params p;
  p.alpha = 0.5f;
  p.slope = 0.2f;
  for (int i = 0; i < VACT_OP_COUNT; ++i) {
    const auto o = static_cast<vact::op>(i);
    const std::string name = vact::name(o);
    pairs.push_back({"apply(" + name + ")",
                     [o, p](std::span<const float> x, std::span<float> y) {
                       vact::apply(o, x, y, p);
                     },
                     [o, p](const float* x, float* y, std::size_t n) {
                       vact::apply(o, x, y, n, p);
                     }});
    pairs.push_back({"apply_derivative(" + name + ")",
                     [o](std::span<const float> x, std::span<float> y) {
                       vact::apply_derivative(o, x, y);
                     },
                     [o](const float* x, float* y, std::size_t n) {
                       vact::apply_derivative(o, x, y, n);
                     }});
  }
  return pairs;
}

TEST_CASE("span overloads give the bits of their pointer forms") {
  const std::size_t n = 67;
  const std::vector<float> x = inputs(n);
  for (const elementwise_pair& f : elementwise_pairs()) {
    CAPTURE(f.name);
    std::vector<float> expected(n), got(n, canary());
    f.with_pointer(x.data(), expected.data(), n);
    f.with_span(x, got);
    CHECK(same_bits(got, expected));
    std::vector<float> in_place = x;
    f.with_span(in_place, in_place);
    CHECK(same_bits(in_place, expected));
  }
}

TEST_CASE("span overloads: sizes must match; empty spans are fine") {
  const std::vector<float> x = inputs(19);
  for (const elementwise_pair& f : elementwise_pairs()) {
    CAPTURE(f.name);
    for (std::size_t y_size :
         {std::size_t{18}, std::size_t{20}, std::size_t{0}}) {
      CAPTURE(y_size);
      std::vector<float> y(y_size + 4, canary());
      CHECK(status_of([&] {
              f.with_span(x, std::span<float>(y).first(y_size));
            }) == VACT_ERROR_INVALID_ARGUMENT);
      CHECK(untouched(y));
    }
    std::vector<float> y(4, canary());
    CHECK(status_of([&] {
            f.with_span(std::span<const float>(), std::span<float>());
          }) == VACT_OK);
    CHECK(status_of([&] {
            f.with_span(std::span<const float>(x).first(0),
                        std::span<float>(y).first(0));
          }) == VACT_OK);
    CHECK(untouched(y));
  }
}

TEST_CASE("span overloads: a partial overlap is VACT_ERROR_OVERLAP") {
  for (const elementwise_pair& f : elementwise_pairs()) {
    CAPTURE(f.name);
    std::vector<float> buffer(40, canary());
    const std::span<float> all(buffer);
    CHECK(status_of([&] {
            f.with_span(all.subspan(0, 19), all.subspan(1, 19));
          }) == VACT_ERROR_OVERLAP);
    CHECK(status_of([&] {
            f.with_span(all.subspan(18, 19), all.subspan(0, 19));
          }) == VACT_ERROR_OVERLAP);
    CHECK(untouched(buffer));
  }
}

TEST_CASE("span softmax/log_softmax: rows of cols, cols must divide the size") {
  const std::size_t rows = 3, cols = 7;
  const std::vector<float> x = inputs(rows * cols);
  for (bool log : {false, true}) {
    CAPTURE(log);
    const auto with_span = [log](std::span<const float> in,
                                 std::span<float> out, std::size_t c) {
      if (log) {
        vact::log_softmax(in, out, c);
      } else {
        vact::softmax(in, out, c);
      }
    };
    std::vector<float> expected(rows * cols), got(rows * cols);
    if (log) {
      vact::log_softmax(x.data(), expected.data(), rows, cols);
    } else {
      vact::softmax(x.data(), expected.data(), rows, cols);
    }
    with_span(x, got, cols);
    CHECK(same_bits(got, expected));
    std::vector<float> in_place = x;
    with_span(in_place, in_place, cols);
    CHECK(same_bits(in_place, expected));

    std::vector<float> y(rows * cols + 2, canary());
    const std::span<float> y_all(y);
    // Not a multiple of cols; cols == 0 with elements; sizes differ.
    CHECK(status_of([&] { with_span(x, y_all.first(x.size()), 4); }) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(status_of([&] { with_span(x, y_all.first(x.size()), 0); }) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(status_of([&] { with_span(x, y_all.first(x.size() - 1), cols); }) ==
          VACT_ERROR_INVALID_ARGUMENT);
    CHECK(untouched(y));
    // Empty is fine, cols == 0 included.
    CHECK(status_of([&] { with_span({}, {}, 0); }) == VACT_OK);
    CHECK(status_of([&] { with_span({}, {}, cols); }) == VACT_OK);
    // A partial overlap.
    std::vector<float> buffer(2 * rows * cols, canary());
    const std::span<float> all(buffer);
    CHECK(status_of([&] {
            with_span(all.first(rows * cols), all.subspan(1, rows * cols),
                      cols);
          }) == VACT_ERROR_OVERLAP);
    CHECK(untouched(buffer));
  }
}

// The 16-bit overloads: each span form gives its pointer form's bits.
template <class T>
void check_16bit_spans() {
  const std::size_t rows = 3, cols = 7, n = rows * cols;
  const std::vector<float> x32 = inputs(n);
  std::vector<T> x(n), expected(n), got(n);
  vact::convert(x32.data(), x.data(), n);
  const auto same = [](const std::vector<T>& a, const std::vector<T>& b) {
    return std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
  };
  vact::params fast;
  fast.accuracy = vact::accuracy::fast;
  vact::apply(vact::op::gelu, x.data(), expected.data(), n, fast);
  vact::apply(vact::op::gelu, std::span<const T>(x), std::span<T>(got), fast);
  CHECK(same(got, expected));
  vact::apply_derivative(vact::op::tanh, x.data(), expected.data(), n);
  vact::apply_derivative(vact::op::tanh, std::span<const T>(x),
                         std::span<T>(got));
  CHECK(same(got, expected));
  std::vector<float> wide_expected(n), wide(n);
  vact::apply(vact::op::silu, x.data(), wide_expected.data(), n);
  vact::apply(vact::op::silu, std::span<const T>(x), std::span<float>(wide));
  CHECK(same_bits(wide, wide_expected));
  vact::convert(std::span<const T>(x), std::span<float>(wide));
  vact::convert(x.data(), wide_expected.data(), n);
  CHECK(same_bits(wide, wide_expected));
  vact::convert(std::span<const float>(x32), std::span<T>(got));
  CHECK(same(got, x));
  vact::softmax(x.data(), expected.data(), rows, cols);
  vact::softmax(std::span<const T>(x), std::span<T>(got), cols);
  CHECK(same(got, expected));
  vact::fast::log_softmax(x.data(), expected.data(), rows, cols);
  vact::fast::log_softmax(std::span<const T>(x), std::span<T>(got), cols);
  CHECK(same(got, expected));
  // Sizes that differ, or rows that do not divide the size, are refused.
  CHECK(status_of([&] {
          vact::apply(vact::op::relu, std::span<const T>(x),
                      std::span<T>(got).first(n - 1));
        }) == VACT_ERROR_INVALID_ARGUMENT);
  CHECK(status_of([&] {
          vact::softmax(std::span<const T>(x), std::span<T>(got), 4);
        }) == VACT_ERROR_INVALID_ARGUMENT);
}

TEST_CASE("span overloads of the bf16 and f16 calls") {
  check_16bit_spans<vact::bf16>();
  check_16bit_spans<vact::f16>();
}

}  // namespace
