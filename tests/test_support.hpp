// SPDX-License-Identifier: Apache-2.0
//
// Shared by the test files: ISA selection, ULP measurement, bit helpers.
#ifndef VACT_TESTS_TEST_SUPPORT_HPP
#define VACT_TESTS_TEST_SUPPORT_HPP

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "vact/vact.hpp"

namespace vact_test {

// The ISA the library picked before any test ran (VACT_ISA honoured).
vact_isa isa_at_startup();

// The ISAs the per-ISA tests run on: the one VACT_ISA names when it is set
// (so that CI can run the binary once per ISA), else every ISA this CPU
// supports.
std::vector<vact_isa> isas_under_test();

// Whether the ISA fuses multiplies and adds, so that its results must be
// bit-identical with the scalar table (sse2 and sse4.1 are not).
bool isa_has_fma(vact_isa isa);

// Every ISA this CPU supports that fuses (isa_has_fma), scalar included,
// whatever VACT_ISA says: bit identity is a property across ISAs, so a run
// narrowed to one ISA (or to sse2) still compares all of them.
std::vector<vact_isa> supported_fma_isas();

// VACT_OK if f returns, the carried status if it throws vact::error (any
// other exception escapes and fails the test): the C++ API as
// status-returning calls.
template <class F>
vact_status status_of(F&& f) {
  try {
    f();
    return VACT_OK;
  } catch (const vact::error& e) {
    return e.status();
  }
}

// Makes `isa` active for the lifetime of the guard, then restores the
// previous one.
class isa_guard {
 public:
  explicit isa_guard(vact_isa isa);
  ~isa_guard();
  isa_guard(const isa_guard&) = delete;
  isa_guard& operator=(const isa_guard&) = delete;

 private:
  vact_isa previous_;
};

inline std::uint32_t bits(float v) {
  std::uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
inline float from_bits(std::uint32_t b) {
  float v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

// A 16-bit pattern as "0x%04x", for failure messages.
std::string hex16(unsigned bits);

// Error of `actual` against the exact value `exact`, in units of the float
// ULP at `exact` (subnormal ULPs below 2^-126; no flush-to-zero excuse).
// Infinite when only one of them is NaN or infinite; 0 when both are the
// same infinity or both NaN.
double ulp_error(float actual, double exact);

// Values at and around the places kernels switch formula, clamp or
// overflow, plus the IEEE specials (no NaN).
std::vector<float> special_inputs();

}  // namespace vact_test

#endif  // VACT_TESTS_TEST_SUPPORT_HPP
