// SPDX-License-Identifier: Apache-2.0
//
// Outputs of vact::simd::stream_outputs_from floats or more are written with
// streaming stores on their vector-aligned part: the same bits as the
// ordinary path (which arrays below the threshold take), nothing written
// outside the output, at every alignment of the output and in place.
#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <vector>

#include "test_support.hpp"
#include "vact/simd/array.hpp"

namespace vact_test {
namespace {

constexpr std::uint32_t canary = 0x7fc0edd3u;

TEST_CASE("streaming stores: same bits as the cached path, at any alignment") {
  const std::size_t n = vact::simd::stream_outputs_from + 37;
  const std::size_t slice = vact::simd::stream_outputs_from / 8;
  std::vector<float> x(n + 16);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
  for (float& v : x) v = uniform(rng);
  std::vector<float> expected(n), y(n + 32);
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    CAPTURE(vact_isa_name(isa));
    for (vact_op op : {VACT_OP_RELU, VACT_OP_SIGMOID}) {
      CAPTURE(vact_op_name(op));
      // The reference: slices below the threshold.
      for (std::size_t i = 0; i < n; i += slice) {
        const std::size_t count = n - i < slice ? n - i : slice;
        REQUIRE(vact_apply_f32(op, nullptr, x.data() + i, expected.data() + i,
                               count) == VACT_OK);
      }
      for (std::size_t offset : {0, 1, 3, 5}) {
        CAPTURE(offset);
        std::fill(y.begin(), y.end(), from_bits(canary));
        float* out = y.data() + offset;
        REQUIRE(vact_apply_f32(op, nullptr, x.data(), out, n) == VACT_OK);
        CHECK(std::memcmp(out, expected.data(), n * sizeof(float)) == 0);
        for (std::size_t i = 0; i < offset; ++i) CHECK(bits(y[i]) == canary);
        for (std::size_t i = offset + n; i < y.size(); ++i)
          CHECK(bits(y[i]) == canary);
      }
      // In place, from a misaligned start.
      std::vector<float> in_place(x.begin() + 1, x.begin() + 1 + n);
      REQUIRE(vact_apply_f32(op, nullptr, in_place.data(), in_place.data(),
                             n) == VACT_OK);
      std::vector<float> shifted(n);
      for (std::size_t i = 0; i < n; i += slice) {
        const std::size_t count = n - i < slice ? n - i : slice;
        REQUIRE(vact_apply_f32(op, nullptr, x.data() + 1 + i,
                               shifted.data() + i, count) == VACT_OK);
      }
      CHECK(std::memcmp(in_place.data(), shifted.data(), n * sizeof(float)) ==
            0);
    }
  }
}

}  // namespace
}  // namespace vact_test
