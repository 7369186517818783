// SPDX-License-Identifier: Apache-2.0
//
// The parts of test_support.hpp that need no doctest (the exhaustive
// checker and the fuzzer link them too).
#include "test_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>

namespace vact_test {

bool isa_has_fma(vact_isa isa) {
  return isa != VACT_ISA_SSE2 && isa != VACT_ISA_SSE41;
}

std::string hex16(unsigned bits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%04x", bits & 0xffffu);
  return text;
}

double ulp_error(float actual, double exact) {
  if (std::isnan(exact) || std::isnan(actual))
    return std::isnan(exact) && std::isnan(actual)
               ? 0.0
               : std::numeric_limits<double>::infinity();
  if (std::isinf(actual) || std::isinf(exact)) {
    // An exact value beyond FLT_MAX (plus half an ULP) rounds to infinity.
    const double rounded = static_cast<double>(static_cast<float>(exact));
    return static_cast<double>(actual) == rounded
               ? 0.0
               : std::numeric_limits<double>::infinity();
  }
  // The float ULP at |exact| in [2^e, 2^(e+1)) is 2^(max(e, -126) - 23),
  // read off the double's exponent field (frexp and ldexp are slow in the
  // exhaustive checker's inner loop). exact = 0 counts as subnormal.
  std::uint64_t exact_bits;
  std::memcpy(&exact_bits, &exact, sizeof exact_bits);
  const int exponent = static_cast<int>((exact_bits >> 52) & 0x7ff) - 1023;
  const int ulp_exponent = std::max(exponent, -126) - 23;
  const std::uint64_t ulp_bits = static_cast<std::uint64_t>(ulp_exponent + 1023)
                                 << 52;
  double ulp;
  std::memcpy(&ulp, &ulp_bits, sizeof ulp);
  return std::fabs(static_cast<double>(actual) - exact) / ulp;
}

std::vector<float> special_inputs() {
  constexpr float inf = std::numeric_limits<float>::infinity();
  std::vector<float> v = {0.0f,   -0.0f,   inf,    -inf,    1.0f,   -1.0f,
                          0.5f,   -0.5f,   0.625f, -0.625f, 88.72f, -88.72f,
                          89.0f,  -89.0f,  103.9f, -103.9f, 104.0f, -104.0f,
                          17.33f, -17.33f, 26.0f,  -26.0f,  1e-30f, -1e-30f,
                          1e30f,  -1e30f};
  const float limits[] = {std::numeric_limits<float>::min(),
                          std::numeric_limits<float>::denorm_min(),
                          std::numeric_limits<float>::max()};
  for (float l : limits) {
    v.push_back(l);
    v.push_back(-l);
  }
  // Neighbours of the switch points.
  for (float p : {0.625f, 0.5f, 0.3466f, 88.0f, 87.3f, 88.3f, 103.0f}) {
    for (float s : {p, -p}) {
      v.push_back(std::nextafter(s, inf));
      v.push_back(std::nextafter(s, -inf));
    }
  }
  return v;
}

}  // namespace vact_test
