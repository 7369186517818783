// SPDX-License-Identifier: Apache-2.0
//
// Every FMA-capable ISA this CPU supports (scalar, avx2, avx512, neon)
// hashes every kernel's outputs to the scalar table's values, and those to
// the checked-in values of expected_output_hashes.hpp: bit identity across
// ISAs and across machines (the aarch64 run under qemu is held to the same
// numbers as the x86 run). sse2 and sse4.1 have no FMA and are exempt. All
// of them in every run, whatever VACT_ISA narrows the other tests to: CI
// runs the binary once per ISA, sse2 and sse4.1 included, and a run on one
// ISA has nothing to compare it with.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "expected_output_hashes.hpp"
#include "output_hashes.hpp"
#include "test_support.hpp"
#include "vact/simd/activations/gelu.hpp"
#include "vact/simd/fast/exp.hpp"

namespace vact_test {
namespace {

std::string hex(std::uint64_t h) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%016llx",
                static_cast<unsigned long long>(h));
  return text;
}

const output_hash* expected_hash(const std::string& kernel) {
  for (const output_hash& e : expected_output_hashes)
    if (kernel == e.kernel) return &e;
  return nullptr;
}

std::vector<computed_hash> hashes_on(vact_isa isa) {
  isa_guard guard(isa);
  return compute_output_hashes();
}

// std::string: doctest prints a const char* as a pointer.
const std::string regenerate =
    "; if a kernel change meant to change results, regenerate the table "
    "with scripts/update-output-hashes.sh (vact_tests --print-hashes)";

// The fast exponential adds k's bits shifted by 19 to this table's entries
// (fast/exp.hpp): each must be math::exp2_sixteenths' entry j less j 2^19
// in its bits, or 2^n table[j] comes out wrong for that j on every ISA.
TEST_CASE("the fast exponential's table is exp2_sixteenths less j 2^19") {
  namespace simd = vact::simd;
  for (std::uint32_t j = 0; j < 16; ++j) {
    CAPTURE(j);
    CHECK(bits(simd::fast::detail::exp2_sixteenths_less_index[j]) ==
          bits(simd::math::exp2_sixteenths[j]) - (j << 19));
  }
}

// gelu_tanh's argument recovers the rounding error of w = c1 + c3 x^2 as
// c3 x^2 + (c1_coarse - w) (activations/gelu.hpp): that subtraction must be
// exact for every w up to |x| = 20.6, and coarse + rest must be c1.
TEST_CASE("gelu_tanh's argument: c1_coarse - w is exact wherever it is taken") {
  namespace detail = vact::simd::detail;
  const double c1 = double(detail::gelu_tanh_c1_hi) + detail::gelu_tanh_c1_lo;
  const double coarse = detail::gelu_tanh_c1_coarse;
  CHECK(std::ldexp(coarse, 19) == std::floor(std::ldexp(coarse, 19)));
  CHECK(std::fabs(coarse + detail::gelu_tanh_c1_rest - c1) <=
        std::ldexp(c1, -46));
  const float w_max =
      std::fma(detail::gelu_tanh_c3_hi, 20.6f * 20.6f, detail::gelu_tanh_c1_hi);
  REQUIRE(w_max < 32.0f);
  std::uint64_t inexact = 0;
  for (float w = detail::gelu_tanh_c1_hi; w <= w_max;
       w = std::nextafter(w, 64.0f)) {
    const float difference = detail::gelu_tanh_c1_coarse - w;
    inexact += double(difference) != coarse - double(w);
  }
  CHECK(inexact == 0);
}

TEST_CASE("FMA ISAs hash every kernel's outputs to the checked-in values") {
  // The scalar table against the checked-in values.
  const std::vector<computed_hash> scalar = hashes_on(VACT_ISA_SCALAR);
  REQUIRE(!scalar.empty());
  std::set<std::string> seen;
  for (const computed_hash& h : scalar) {
    CAPTURE(h.kernel);
    CHECK_MESSAGE(seen.insert(h.kernel).second, "hashed twice");
    const output_hash* e = expected_hash(h.kernel);
    CHECK_MESSAGE(e != nullptr, h.kernel, ": no checked-in hash (new op?)",
                  regenerate);
    if (e != nullptr)
      CHECK_MESSAGE(h.hash == e->hash, h.kernel, " on scalar hashes to ",
                    hex(h.hash), ", the table says ", hex(e->hash), regenerate);
  }
  for (const output_hash& e : expected_output_hashes)
    CHECK_MESSAGE(seen.count(e.kernel) == 1, std::string(e.kernel),
                  " is in the table but no longer computed", regenerate);

  // Every other FMA ISA against the scalar table, kernel by kernel.
  std::vector<std::string> compared = {"scalar"};
  for (vact_isa isa : supported_fma_isas()) {
    if (isa == VACT_ISA_SCALAR) continue;
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    const std::vector<computed_hash> hashes = hashes_on(isa);
    REQUIRE(hashes.size() == scalar.size());
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      REQUIRE(hashes[i].kernel == scalar[i].kernel);
      const output_hash* e = expected_hash(hashes[i].kernel);
      CHECK_MESSAGE(hashes[i].hash == scalar[i].hash, hashes[i].kernel, " on ",
                    isa_name, " hashes to ", hex(hashes[i].hash),
                    ", on scalar to ", hex(scalar[i].hash), " (the table: ",
                    e != nullptr ? hex(e->hash) : std::string("none"), ")");
    }
    compared.push_back(isa_name);
  }

  // Nothing left out: every SIMD ISA with FMA that this CPU has was compared
  // (so a CPU with one has two ISAs compared), whatever VACT_ISA says.
  for (vact_isa isa : {VACT_ISA_AVX2, VACT_ISA_AVX512, VACT_ISA_NEON}) {
    if (!vact_isa_supported(isa)) continue;
    const std::string isa_name = vact_isa_name(isa);
    CHECK_MESSAGE(std::count(compared.begin(), compared.end(), isa_name) == 1,
                  isa_name, " is supported but was not compared with scalar");
  }
}

}  // namespace
}  // namespace vact_test
