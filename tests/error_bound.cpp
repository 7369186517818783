// SPDX-License-Identifier: Apache-2.0
//
// The bound check of error_bound.hpp (the ULP measure is in
// test_support.cpp): no doctest, so that the fuzzer can link it too.
#include "error_bound.hpp"

#include <cmath>

#include "test_support.hpp"

namespace vact_test {

bool within_abs_floor(const op_case& c, bool derivative, double exact,
                      float actual) {
  const double error = std::fabs(static_cast<double>(actual) - exact);
  if (!derivative) return c.value_abs_floor > 0 && error <= c.value_abs_floor;
  return std::fabs(exact) < c.derivative_floor_below &&
         error <= c.derivative_abs_floor;
}

bool meets_bound(const op_case& c, bool derivative, double exact,
                 float actual) {
  return ulp_within_bound(c, derivative, ulp_error(actual, exact),
                          within_abs_floor(c, derivative, exact, actual));
}

}  // namespace vact_test
