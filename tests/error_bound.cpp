// SPDX-License-Identifier: Apache-2.0
//
// The ULP measure of test_support.hpp and the bound check of
// error_bound.hpp: no doctest, so that the fuzzer can link them too.
#include "error_bound.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "test_support.hpp"

namespace vact_test {

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
  int exponent = -1000;  // for exact == 0: the subnormal ULP
  if (exact != 0.0) std::frexp(exact, &exponent);  // |exact| in [2^(e-1), 2^e)
  const int ulp_exponent = std::max(exponent - 1, -126) - 23;
  return std::fabs(static_cast<double>(actual) - exact) /
         std::ldexp(1.0, ulp_exponent);
}

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
