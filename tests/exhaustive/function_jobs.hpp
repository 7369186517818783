// SPDX-License-Identifier: Apache-2.0
//
// What the accuracy programs (vact_exhaustive, vact_reference_check) go
// through: each op's value and derivative, in the op table's order,
// optionally narrowed to the ops that `--ops a,b` names.
#ifndef VACT_TESTS_EXHAUSTIVE_FUNCTION_JOBS_HPP
#define VACT_TESTS_EXHAUSTIVE_FUNCTION_JOBS_HPP

#include <algorithm>
#include <string>
#include <vector>

#include "../op_catalogue.hpp"

namespace vact_test {

struct function_job {
  const op_case* op;
  bool derivative;
  std::string label() const {
    return std::string(op->name) + (derivative ? "'" : "") +
           (op->fast() ? " (fast)" : "");
  }
};

// "a,b,c" -> {"a", "b", "c"}.
inline std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = list.find(',', start);
    names.push_back(list.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return names;
}

// Which tiers a run covers.
struct tier_selection {
  bool precise = true;
  bool fast = false;
};

// Every op's value then derivative in the precise tier, then the value of
// every op with a fast kernel of its own (fast derivatives and the other
// ops' fast values run the precise kernels); only those of `ops` when not
// empty.
inline std::vector<function_job> function_jobs(
    const std::vector<std::string>& ops, tier_selection tiers = {}) {
  const auto wanted = [&ops](const op_case& c) {
    return ops.empty() ||
           std::find(ops.begin(), ops.end(), c.name) != ops.end();
  };
  std::vector<function_job> jobs;
  if (tiers.precise)
    for (const op_case& c : op_catalogue())
      if (wanted(c))
        for (bool derivative : {false, true}) jobs.push_back({&c, derivative});
  if (tiers.fast)
    for (const op_case& c : fast_op_catalogue())
      if (wanted(c) && c.fast_own) jobs.push_back({&c, false});
  return jobs;
}

}  // namespace vact_test

#endif  // VACT_TESTS_EXHAUSTIVE_FUNCTION_JOBS_HPP
