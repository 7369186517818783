// SPDX-License-Identifier: Apache-2.0
//
// What the benchmark's baseline-compiled files share: aligned buffers and the
// cached inputs. The ISA-compiled files (AVX2, AVX-512) never include this
// (isa_kernels.h says why).

#ifndef VACT_BENCH_BENCH_SUPPORT_H
#define VACT_BENCH_BENCH_SUPPORT_H

#include <cstddef>
#include <memory>

#include "op_constants.h"
#include "vact/vact.h"

namespace vact_bench {

// A float array aligned to 64 bytes (a cache line and an AVX-512 vector).
class AlignedFloats {
 public:
  explicit AlignedFloats(std::size_t n);
  float* data() const { return data_.get(); }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  std::unique_ptr<float, Free> data_;
};

// n floats uniform in [-10, 10] (both branches of relu/elu, the saturated
// ends of sigmoid/tanh), from a fixed seed. Made once per size and shared by
// every variant, which therefore sees the same bits; Google Benchmark calls a
// benchmark function several times while it sizes the iteration count, and
// regenerating 4M numbers each time would slow the run down for nothing.
// Not thread-safe: call it from the main thread only (the multi-thread
// benchmarks fetch their input before they hand it to their workers).
const float* UniformInput(std::size_t n);

// The table-driven calls' parameters: the bench's (op_constants.h), in the
// given tier, so that every vact call computes what the textbook loops and
// the peers do.
constexpr vact_params BenchParams(vact_accuracy accuracy) {
  return {kEluAlpha, kLeakySlope, accuracy,   kSwishBeta,
          kClipLo,   kClipHi,     kSoftcapCap};
}

}  // namespace vact_bench

#endif  // VACT_BENCH_BENCH_SUPPORT_H
