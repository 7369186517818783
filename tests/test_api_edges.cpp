// SPDX-License-Identifier: Apache-2.0
//
// Row-API edges that test_api.cpp leaves out: strides checked even for an
// empty shape, empty shapes with huge row counts, and a single row, whose
// stride is never stepped, with the largest stride.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace vact_test {
namespace {

constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();
constexpr std::uint32_t canary = 0x7fc0edd3u;

using strided_fn = vact_status (*)(const float*, std::size_t, float*,
                                   std::size_t, std::size_t, std::size_t);

struct strided_entry {
  const char* name;
  strided_fn fn;
};
const strided_entry strided_entries[] = {
    {"vact_softmax_strided_f32", vact_softmax_strided_f32},
    {"vact_log_softmax_strided_f32", vact_log_softmax_strided_f32}};

bool untouched(const std::vector<float>& v) {
  for (float f : v)
    if (bits(f) != canary) return false;
  return true;
}

TEST_CASE("rows: a stride below cols is refused even when rows == 0") {
  for (const strided_entry& e : strided_entries) {
    CAPTURE(std::string(e.name));
    std::vector<float> x(16, from_bits(canary)), y(16, from_bits(canary));
    CHECK(e.fn(x.data(), 3, y.data(), 8, 0, 8) == VACT_ERROR_INVALID_ARGUMENT);
    CHECK(e.fn(x.data(), 8, y.data(), 3, 0, 8) == VACT_ERROR_INVALID_ARGUMENT);
    CHECK(e.fn(nullptr, 0, nullptr, 0, 0, 1) == VACT_ERROR_INVALID_ARGUMENT);
    CHECK(untouched(x));
    CHECK(untouched(y));
  }
}

TEST_CASE("rows: cols == 0 is VACT_OK for any row count, touching nothing") {
  std::vector<float> x(16, from_bits(canary)), y(16, from_bits(canary));
  for (const strided_entry& e : strided_entries) {
    CAPTURE(std::string(e.name));
    for (std::size_t stride : {std::size_t{0}, std::size_t{5}, size_max}) {
      CAPTURE(stride);
      CHECK(e.fn(x.data(), stride, y.data(), stride, size_max, 0) == VACT_OK);
      CHECK(e.fn(nullptr, stride, nullptr, stride, size_max, 0) == VACT_OK);
    }
  }
  CHECK(vact_softmax_f32(x.data(), y.data(), size_max, 0) == VACT_OK);
  CHECK(vact_log_softmax_f32(nullptr, nullptr, size_max, 0) == VACT_OK);
  CHECK(untouched(x));
  CHECK(untouched(y));
}

TEST_CASE("rows: one row with the largest stride is an ordinary row") {
  const std::vector<float> x = {1, 5, 2, 0, 6, 7, -3};
  const std::size_t cols = x.size();
  for (const strided_entry& e : strided_entries) {
    CAPTURE(std::string(e.name));
    std::vector<float> expected(cols), y(cols + 4, from_bits(canary));
    REQUIRE(e.fn(x.data(), cols, expected.data(), cols, 1, cols) == VACT_OK);
    REQUIRE(e.fn(x.data(), size_max, y.data(), size_max, 1, cols) == VACT_OK);
    CHECK(std::memcmp(y.data(), expected.data(), cols * sizeof(float)) == 0);
    for (std::size_t i = cols; i < y.size(); ++i) CHECK(bits(y[i]) == canary);
    // Two rows with that stride cannot exist.
    CHECK(e.fn(x.data(), size_max, y.data(), size_max, 2, cols) ==
          VACT_ERROR_INVALID_ARGUMENT);
  }
}

}  // namespace
}  // namespace vact_test
