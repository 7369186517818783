// SPDX-License-Identifier: Apache-2.0
//
// Outputs of vact::simd::stream_outputs_from floats or more take their own
// path through vact::simd::transform: on a vector ISA the part of the
// output aligned to the vector size is written on its own, with streaming
// (non-temporal) stores on x86. That path must give the same bits as the
// ordinary one (which arrays below the threshold take), write nothing
// outside the output, at every alignment of the output and in place.
//
// What each ISA does with such an output (array.hpp, vec::stream):
//   scalar  one lane: the ordinary path, the same code as small outputs,
//           so there is nothing to compare and it is not tested here;
//   neon    the aligned part on its own, with plain aligned stores;
//   sse2, sse4.1, avx2, avx512: the aligned part with non-temporal stores.
// Non-temporal stores leave the same bits as plain ones, so what this test
// can see is the split and the stores' values, not that they bypassed the
// cache.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#if VACT_TESTS_SEE_INTERNALS
#include "dispatch.hpp"
#endif
#include "test_support.hpp"
#include "vact/simd/array.hpp"

namespace vact_test {
namespace {

constexpr std::uint32_t canary = 0x7fc0edd3u;

// What an ISA's table does with an output of stream_outputs_from floats or
// more (see the top of the file).
enum class large_outputs {
  ordinary,      // as below the threshold: nothing of its own to check
  aligned_part,  // the aligned part written on its own, plain stores
  streamed,      // the aligned part written with non-temporal stores
};

large_outputs large_outputs_on(vact_isa isa) {
  switch (isa) {
    case VACT_ISA_SSE2:
    case VACT_ISA_SSE41:
    case VACT_ISA_AVX2:
    case VACT_ISA_AVX512:
      return large_outputs::streamed;
    case VACT_ISA_NEON:
      return large_outputs::aligned_part;
    case VACT_ISA_SCALAR:
      break;
  }
  return large_outputs::ordinary;
}

// The ISAs under test that take the large-output path. A run narrowed to
// one that does not (VACT_ISA=scalar) checks the best one that does
// instead: every run on x86-64 checks streaming stores.
std::vector<vact_isa> isas_with_large_output_path() {
  std::vector<vact_isa> isas;
  for (vact_isa isa : isas_under_test())
    if (large_outputs_on(isa) != large_outputs::ordinary) isas.push_back(isa);
  if (!isas.empty()) return isas;
  for (vact_isa isa : {VACT_ISA_AVX512, VACT_ISA_AVX2, VACT_ISA_SSE41,
                       VACT_ISA_SSE2, VACT_ISA_NEON}) {
    if (vact_isa_supported(isa)) return {isa};
  }
  return {};
}

TEST_CASE("streaming stores: same bits as the cached path, at any alignment") {
  const std::vector<vact_isa> isas = isas_with_large_output_path();
#if (defined(__x86_64__) || defined(_M_X64)) && VACT_HAVE_SSE2
  // sse2 is part of x86-64: there, every run checks streaming stores.
  REQUIRE(vact_isa_supported(VACT_ISA_SSE2));
  REQUIRE(std::any_of(isas.begin(), isas.end(), [](vact_isa isa) {
    return large_outputs_on(isa) == large_outputs::streamed;
  }));
#elif defined(__aarch64__) && VACT_HAVE_NEON
  REQUIRE(vact_isa_supported(VACT_ISA_NEON));  // part of aarch64
  REQUIRE(!isas.empty());
#endif

  const std::size_t n = vact::simd::stream_outputs_from + 37;
  const std::size_t slice = vact::simd::stream_outputs_from / 8;
  std::vector<float> x(n + 16);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
  for (float& v : x) v = uniform(rng);
  std::vector<float> expected(n), y(n + 32);
  for (vact_isa isa : isas) {
    isa_guard guard(isa);
    // std::string: doctest prints a const char* as a pointer.
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    for (vact_op op : {VACT_OP_RELU, VACT_OP_SIGMOID}) {
      const std::string op_name = vact_op_name(op);
      CAPTURE(op_name);
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

#if VACT_TESTS_SEE_INTERNALS
TEST_CASE("only the one-lane table takes the ordinary path for large outputs") {
  // What large_outputs_on says, against the tables' vector widths (transform
  // takes the ordinary path for every size when the width is 1).
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    CHECK((large_outputs_on(isa) == large_outputs::ordinary) ==
          (vact::detail::active_kernels().vector_width == 1));
  }
}
#endif

}  // namespace
}  // namespace vact_test
