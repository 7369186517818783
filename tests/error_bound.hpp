// SPDX-License-Identifier: Apache-2.0
//
// Whether one result meets its op's published error bound. Shared by the
// test suite (accuracy.cpp) and the differential fuzzer (fuzz/), which link
// error_bound.cpp and op_catalogue.cpp without the doctest main.
#ifndef VACT_TESTS_ERROR_BOUND_HPP
#define VACT_TESTS_ERROR_BOUND_HPP

#include "op_catalogue.hpp"

namespace vact_test {

// `actual`, where the reference gives `exact`, is within c's absolute
// floor, which replaces the ULP bound: for a derivative near a zero of f'
// (|f'| < c.derivative_floor_below) c.derivative_abs_floor; for a value
// c.value_abs_floor (the fast tier's 2^-30).
bool within_abs_floor(const op_case& c, bool derivative, double exact,
                      float actual);

// A result `ulp` ULPs off (within_floor: as above) meets c's bound.
inline bool ulp_within_bound(const op_case& c, bool derivative, double ulp,
                             bool within_floor) {
  return ulp <= (derivative ? c.max_derivative_ulp : c.max_value_ulp) ||
         within_floor;
}

// `actual`, op c's value (or derivative) where the reference gives `exact`,
// is within c's bound in ULPs or within its absolute floor (above).
bool meets_bound(const op_case& c, bool derivative, double exact, float actual);

}  // namespace vact_test

#endif  // VACT_TESTS_ERROR_BOUND_HPP
