// SPDX-License-Identifier: Apache-2.0
//
// Whether one result meets its op's published error bound. Shared by the
// test suite (accuracy.cpp) and the differential fuzzer (fuzz/), which link
// error_bound.cpp and op_catalogue.cpp without the doctest main.
#ifndef VACT_TESTS_ERROR_BOUND_HPP
#define VACT_TESTS_ERROR_BOUND_HPP

#include "op_catalogue.hpp"

namespace vact_test {

// `actual`, op c's value (or derivative) where the reference gives `exact`,
// is within c's bound in ULPs, or, for a derivative, within c's absolute
// floor where |f'| < c.derivative_floor_below.
bool meets_bound(const op_case& c, bool derivative, double exact, float actual);

}  // namespace vact_test

#endif  // VACT_TESTS_ERROR_BOUND_HPP
