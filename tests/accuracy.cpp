// SPDX-License-Identifier: Apache-2.0
#include "accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>

#include "error_bound.hpp"
#include "test_support.hpp"

namespace vact_test {

const std::vector<float>& accuracy_inputs() {
  static const std::vector<float> inputs = [] {
    std::vector<float> v;
    for (int i = -20 * 4096; i <= 20 * 4096; ++i)
      v.push_back(static_cast<float>(i) / 4096.0f);
    const std::size_t grid = v.size();
    std::mt19937 rng(20261127);
    while (v.size() < grid + 200000) {
      const float f = from_bits(static_cast<std::uint32_t>(rng()));
      if (!std::isnan(f)) v.push_back(f);
    }
    for (float f : special_inputs()) v.push_back(f);
    return v;
  }();
  return inputs;
}

accuracy measure_accuracy(const op_case& c, bool derivative,
                          const std::vector<float>& x) {
  std::vector<float> y(x.size());
  const auto kernel = derivative ? vact_apply_derivative_f32 : vact_apply_f32;
  if (kernel(c.op, &c.params, x.data(), y.data(), x.size()) != VACT_OK)
    throw std::runtime_error("vact_apply failed");
  const auto reference = derivative ? c.derivative : c.value;
  accuracy result;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double exact = reference(static_cast<double>(x[i]), c.params);
    const double ulp = ulp_error(y[i], exact);
    const bool within_floor = within_abs_floor(c, derivative, exact, y[i]);
    if (!ulp_within_bound(c, derivative, ulp, within_floor) &&
        result.over_bound++ == 0)
      result.first_over_bound = x[i];
    // The reported maximum leaves out the results that the absolute floor
    // covers (near a derivative's zeros; fast-tier values within 2^-30).
    if (!within_floor && ulp > result.max_ulp) {
      result.max_ulp = ulp;
      result.worst_input = x[i];
    }
  }
  return result;
}

int print_op_table() {
  const std::vector<float>& x = accuracy_inputs();
  std::printf(
      "| op | formula | special values | bound f (ULP) | max f | "
      "bound f' (ULP) | max f' | fast: bound f | fast: max f |\n"
      "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (const op_case& c : op_catalogue()) {
    const op_case& fast = fast_op_catalogue()[c.op];
    double value = 0, slope = 0, fast_value = 0;
    for (vact_isa isa : isas_under_test()) {
      if (vact_set_isa(isa) != VACT_OK) return 1;
      value = std::max(value, measure_accuracy(c, false, x).max_ulp);
      slope = std::max(slope, measure_accuracy(c, true, x).max_ulp);
      if (c.fast_own)
        fast_value =
            std::max(fast_value, measure_accuracy(fast, false, x).max_ulp);
    }
    char fast_bound[32] = "= precise", fast_max[32] = "= precise";
    if (c.fast_own) {
      std::snprintf(fast_bound, sizeof fast_bound, "%g, 2^-30 abs.",
                    c.max_fast_ulp);
      std::snprintf(fast_max, sizeof fast_max, "%.3f", fast_value);
    }
    std::printf("| %s | %s | %s | %g | %.3f | %g | %.3f | %s | %s |\n", c.name,
                c.formula, c.special_values, c.max_value_ulp, value,
                c.max_derivative_ulp, slope, fast_bound, fast_max);
  }
  std::printf(
      "\nmax f, max f': largest error over %zu inputs (dense grid "
      "of [-20, 20], random bit patterns, specials) on",
      x.size());
  for (vact_isa isa : isas_under_test()) std::printf(" %s", vact_isa_name(isa));
  std::printf(
      "; f' errors below 2^-24 absolute where |f'| < 2^-22 are not "
      "counted in max f', nor fast-tier errors below 2^-30 absolute in "
      "fast: max f. \"= precise\": the fast tier runs the precise kernel; "
      "derivatives are the precise ones in both tiers.\n");
  return 0;
}

}  // namespace vact_test
