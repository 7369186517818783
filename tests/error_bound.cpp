// SPDX-License-Identifier: Apache-2.0
//
// The bound check of error_bound.hpp (the ULP measure is in
// test_support.cpp): no doctest, so that the fuzzer can link it too.
#include "error_bound.hpp"

#include <cmath>

#include "test_support.hpp"

namespace vact_test {

bool meets_bound(const op_case& c, bool derivative, double exact,
                 float actual) {
  const double bound = derivative ? c.max_derivative_ulp : c.max_value_ulp;
  if (ulp_error(actual, exact) <= bound) return true;
  // Near a derivative's zeros a relative error means little: the op's
  // absolute floor applies where |f'| < derivative_floor_below.
  const double abs_error = std::fabs(static_cast<double>(actual) - exact);
  return derivative && std::fabs(exact) < c.derivative_floor_below &&
         abs_error <= c.derivative_abs_floor;
}

}  // namespace vact_test
