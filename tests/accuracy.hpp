// SPDX-License-Identifier: Apache-2.0
//
// Accuracy measurement of the element-wise ops on the active ISA, shared by
// the tests (which assert the bounds) and `vact_tests --op-table` (which
// prints docs/accuracy.md's op table with the measured figures).
#ifndef VACT_TESTS_ACCURACY_HPP
#define VACT_TESTS_ACCURACY_HPP

#include <cstddef>
#include <vector>

#include "op_catalogue.hpp"

namespace vact_test {

// A dense grid of [-20, 20] (step 2^-12), 200,000 random bit patterns from
// the whole float range (NaNs excluded: they have their own test), and the
// specials.
const std::vector<float>& accuracy_inputs();

struct accuracy {
  double max_ulp = 0;     // largest error, derivatives' near-zeros left out
  float worst_input = 0;  // where it occurs
  std::size_t over_bound = 0;
  float first_over_bound = 0;
};

// Runs op c (its value, or its derivative) on the active ISA over `inputs`
// and compares with the reference.
accuracy measure_accuracy(const op_case& c, bool derivative,
                          const std::vector<float>& inputs);

// Prints docs/accuracy.md's op table (markdown): formula, special values, the
// published bounds and the largest error measured on every ISA this CPU
// supports. Returns the process exit status.
int print_op_table();

}  // namespace vact_test

#endif  // VACT_TESTS_ACCURACY_HPP
