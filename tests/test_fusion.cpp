// SPDX-License-Identifier: Apache-2.0
//
// The batch API (vact/simd/) used the way an engine fuses it into a GEMM
// epilogue gives the same bits as a bias add followed by the array API, on
// every ISA this CPU supports.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "fusion/fused_epilogue.hpp"
#include "op_catalogue.hpp"
#include "test_support.hpp"

namespace vact_test {

// Defined by tests/fusion/<isa>.cpp for the ISAs this build compiles.
#define VACT_DECLARE_FUSED(ISA) \
  extern const fused_epilogue ISA##_fused_epilogue;
VACT_DECLARE_FUSED(sse2)
VACT_DECLARE_FUSED(sse41)
VACT_DECLARE_FUSED(avx2)
VACT_DECLARE_FUSED(avx512)
VACT_DECLARE_FUSED(neon)
#undef VACT_DECLARE_FUSED

namespace {

std::vector<const fused_epilogue*> compiled_epilogues() {
  return {
#if VACT_HAVE_SSE2
    &sse2_fused_epilogue,
#endif
#if VACT_HAVE_SSE41
        &sse41_fused_epilogue,
#endif
#if VACT_HAVE_AVX2
        &avx2_fused_epilogue,
#endif
#if VACT_HAVE_AVX512
        &avx512_fused_epilogue,
#endif
#if VACT_HAVE_NEON
        &neon_fused_epilogue,
#endif
  };
}

TEST_CASE(
    "fused bias + activation with vact::simd gives the array API's bits") {
  constexpr std::size_t rows = 7, cols = 64;
  std::mt19937 rng(17);
  std::uniform_real_distribution<float> uniform(-12.0f, 12.0f);
  std::vector<float> acc(rows * cols), bias(cols);
  for (float& v : acc) v = uniform(rng);
  for (float& v : bias) v = uniform(rng);
  acc[3] = -0.0f;  // a few specials through the same path
  bias[3] = -0.0f;
  acc[5] = std::numeric_limits<float>::infinity();

  std::size_t checked = 0;
  for (const fused_epilogue* epilogue : compiled_epilogues()) {
    if (!vact_isa_supported(epilogue->isa)) continue;
    isa_guard guard(epilogue->isa);
    const std::string isa_name = vact_isa_name(epilogue->isa);
    for (const op_case& c : op_catalogue()) {
      const std::string op_name = c.name;
      CAPTURE(isa_name);
      CAPTURE(op_name);
      std::vector<float> fused(rows * cols);
      REQUIRE(epilogue->run(c.op, c.params, acc.data(), bias.data(),
                            fused.data(), rows, cols));
      std::vector<float> expected(rows * cols);
      for (std::size_t i = 0; i < expected.size(); ++i)
        expected[i] = acc[i] + bias[i % cols];
      REQUIRE(vact_apply_f32(c.op, &c.params, expected.data(), expected.data(),
                             expected.size()) == VACT_OK);
      bool same = true;
      for (std::size_t i = 0; i < expected.size(); ++i)
        same &= bits(fused[i]) == bits(expected[i]);
      CHECK(same);
      ++checked;
    }
  }
  CHECK(checked > 0);
}

}  // namespace
}  // namespace vact_test
