// SPDX-License-Identifier: Apache-2.0
//
// Every FMA-capable ISA under test (scalar, avx2, avx512, neon) hashes every
// kernel's outputs to the checked-in values of expected_output_hashes.hpp:
// bit identity across ISAs and across machines (the aarch64 run under qemu
// is held to the same numbers as the x86 run). sse2 and sse4.1 have no FMA
// and are exempt.
#include <doctest/doctest.h>

#include <cstdio>
#include <set>
#include <string>

#include "expected_output_hashes.hpp"
#include "output_hashes.hpp"
#include "test_support.hpp"

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

// The scalar table's hash of `kernel` (computed once, on first need).
std::string scalar_hash_of(const std::string& kernel) {
  static const std::vector<computed_hash> scalar = [] {
    isa_guard guard(VACT_ISA_SCALAR);
    return compute_output_hashes();
  }();
  for (const computed_hash& h : scalar)
    if (h.kernel == kernel) return hex(h.hash);
  return "none";
}

// std::string: doctest prints a const char* as a pointer.
const std::string regenerate =
    "; if a kernel change meant to change results, regenerate the table "
    "with scripts/update-output-hashes.sh (vact_tests --print-hashes)";

TEST_CASE("FMA ISAs hash every kernel's outputs to the checked-in values") {
  for (vact_isa isa : isas_under_test()) {
    if (!isa_has_fma(isa)) continue;  // sse2, sse4.1: bounds only
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    const std::vector<computed_hash> hashes = compute_output_hashes();
    REQUIRE(!hashes.empty());
    std::set<std::string> seen;
    for (const computed_hash& h : hashes) {
      seen.insert(h.kernel);
      const output_hash* e = expected_hash(h.kernel);
      CHECK_MESSAGE(e != nullptr, h.kernel, ": no checked-in hash (new op?)",
                    regenerate);
      if (e == nullptr || h.hash == e->hash) continue;
      // Tells an ISA that disagrees with the others from a stale table.
      const std::string scalar_hash =
          isa == VACT_ISA_SCALAR ? hex(h.hash) : scalar_hash_of(h.kernel);
      FAIL_CHECK(h.kernel, " on ", isa_name, " hashes to ", hex(h.hash),
                 " (scalar: ", scalar_hash, "), the table says ", hex(e->hash),
                 regenerate);
    }
    for (const output_hash& e : expected_output_hashes)
      CHECK_MESSAGE(seen.count(e.kernel) == 1, std::string(e.kernel),
                    " is in the table but no longer computed", regenerate);
  }
}

}  // namespace
}  // namespace vact_test
