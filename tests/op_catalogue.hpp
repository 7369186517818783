// SPDX-License-Identifier: Apache-2.0
//
// The tests' table of element-wise operations: how to call each through the
// table-driven API, its double-precision reference (sharing no code with
// the kernels), and its published error bound.
#ifndef VACT_TESTS_OP_CATALOGUE_HPP
#define VACT_TESTS_OP_CATALOGUE_HPP

#include <cmath>
#include <string>
#include <vector>

#include "vact/vact.h"

namespace vact_test {

// The params column of vact/ops.def: which vact_params field an op reads.
enum class op_parameter { none, alpha, slope, beta, lo_hi, cap };

struct op_case {
  vact_op op;
  op_parameter parameter;
  const char* name;
  const char* formula;         // for docs/accuracy.md's op table
  const char* special_values;  // likewise
  vact_params params;          // what the tests pass (elu: alpha = 1.0)
  double (*value)(double x, const vact_params& p);
  double (*derivative)(double x, const vact_params& p);
  double max_value_ulp;       // bound on f(x), in ULPs
  double max_derivative_ulp;  // bound on f'(x), in ULPs ...
  // ... or this absolute error, near the derivative's zeros where a relative
  // bound means little: where |f'(x)| < derivative_floor_below.
  double derivative_abs_floor;
  double derivative_floor_below;
  // Shape guarantees of f, checked over all inputs by the exhaustive
  // checker: its range, and whether it is monotone non-decreasing.
  double range_min = -HUGE_VAL;
  double range_max = HUGE_VAL;
  bool monotone = false;
  // f(x) is also within bound where |f(x) - exact| <= value_abs_floor
  // (the fast tier's own kernels: 2^-30; 0 otherwise).
  double value_abs_floor = 0;
  // The fast tier's value: whether the op has a kernel of its own there (or
  // runs the precise one), and its bound: max_fast_ulp ULPs, or
  // fast_abs_floor absolute where that is larger (own kernels: 2^-30).
  bool fast_own = false;
  double max_fast_ulp = 0;
  double fast_abs_floor = 0;

  // The tier params.accuracy selects: what vact_apply_f32 runs.
  bool fast() const { return params.accuracy == VACT_ACCURACY_FAST; }
  // "sigmoid", or "sigmoid (fast)" in the fast tier.
  std::string label() const;

  // The parameters a call with p means: *p, or VACT_PARAMS_INIT for NULL.
  static vact_params resolved(const vact_params* p);
};

// VACT_PARAMS_INIT (what NULL params mean) in the given tier.
vact_params default_params(vact_accuracy tier);

// One row per op of vact/ops.def, in enum order: op_catalogue()[op].
const std::vector<op_case>& op_catalogue();
// The same rows in the fast tier (params.accuracy = VACT_ACCURACY_FAST, the
// fast bounds in max_value_ulp and value_abs_floor; derivatives as in the
// precise tier, whose kernels they run).
const std::vector<op_case>& fast_op_catalogue();
// The ops of each tier: op_catalogue() then fast_op_catalogue().
std::vector<const op_case*> all_tiers();

}  // namespace vact_test

#endif  // VACT_TESTS_OP_CATALOGUE_HPP
