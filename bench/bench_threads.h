// SPDX-License-Identifier: Apache-2.0
//
// Multi-core scaling: one large array or softmax batch split across threads.

#ifndef VACT_BENCH_BENCH_THREADS_H
#define VACT_BENCH_BENCH_THREADS_H

#include <string>
#include <vector>

#include "vact/vact.h"

namespace vact_bench {

struct NamedIsa {
  std::string name;  // as vact_isa_name() spells it
  vact_isa isa;
};

// Registers "<op>/<isa>-threads<k>/<size>" for sigmoid and gelu_tanh on
// 16,777,216 floats and softmax on 4096x1000, on each of `isas` with k = 1
// and 2 threads. The array is split into k ranges (k row blocks for softmax)
// and each thread calls vact on its own; the threads are created before the
// timed loop and wait on a condition variable between runs (vact has no
// thread pool of its own). Timed in wall-clock time.
void RegisterThreadBenchmarks(const std::vector<NamedIsa>& isas);

}  // namespace vact_bench

#endif  // VACT_BENCH_BENCH_THREADS_H
