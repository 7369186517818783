// SPDX-License-Identifier: Apache-2.0
//
// The engine calls against the sequences of calls they replace (see
// bench_engine.h).
#include "bench_engine.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "bench_support.h"
#include "peers.h"

namespace vact_bench {
namespace {

constexpr std::size_t kRows = 1024, kCols = 4096, kItems = kRows * kCols;

// Times body() on `isa`, kItems items per call; one untimed call first.
// prepare() (untimed) runs before each call when given.
void Run(benchmark::State& state, vact_isa isa,
         const std::function<bool()>& body,
         const std::function<void()>& prepare = {}) {
  if (prepare) prepare();
  if (vact_set_isa(isa) != VACT_OK || !body()) {
    state.SkipWithError("the call failed");
    return;
  }
  for (auto _ : state) {
    if (prepare) {
      state.PauseTiming();
      prepare();
      state.ResumeTiming();
    }
    body();
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(kItems));
}

void Register(const std::string& name,
              std::function<void(benchmark::State&)> body) {
  // With --benchmark_repetitions, "_min" too: on a shared machine the
  // fastest repetition is the one least disturbed by other work.
  benchmark::RegisterBenchmark(name.c_str(), std::move(body))
      ->Unit(benchmark::kMillisecond)
      ->ComputeStatistics("min", [](const std::vector<double>& v) {
        return *std::min_element(v.begin(), v.end());
      });
}

// Inputs shared by every variant: made once.
struct Inputs {
  const float* x;  // uniform [-10, 10]
  std::vector<float> up, mask, bias;
  Inputs() : x(UniformInput(kItems)), up(kItems), mask(kItems), bias(kCols) {
    for (std::size_t i = 0; i < kItems; ++i) {
      up[i] = x[(i * 7 + 3) % kItems] * 0.25f;
      // A causal-style mask: about one key in four hidden.
      mask[i] = (i * 2654435761u) % 4 == 0
                    ? -std::numeric_limits<float>::infinity()
                    : 0.0f;
    }
    for (std::size_t j = 0; j < kCols; ++j) bias[j] = x[j] * 0.01f;
  }
};

}  // namespace

void RegisterEngineBenchmarks(vact_isa isa) {
  static Inputs* inputs = nullptr;
  static AlignedFloats* y = nullptr;
  static AlignedFloats* work = nullptr;
  if (inputs == nullptr) {
    inputs = new Inputs;
    y = new AlignedFloats(kItems);
    work = new AlignedFloats(2 * kItems);
  }
  const std::string isa_name = vact_isa_name(isa);
  const std::string size = std::to_string(kItems);
  const std::string shape = std::to_string(kRows) + "x" + std::to_string(kCols);
  for (const vact_accuracy accuracy :
       {VACT_ACCURACY_PRECISE, VACT_ACCURACY_FAST}) {
    const std::string tier =
        isa_name + (accuracy == VACT_ACCURACY_FAST ? "-fast" : "");
    const vact_params p = BenchParams(accuracy);
    const float* x = inputs->x;
    const float* up = inputs->up.data();
    float* out = y->data();

    Register("swiglu/" + tier + "-fused/" + size, [=](benchmark::State& state) {
      Run(state, isa, [=] {
        return vact_gated_f32(VACT_OP_SILU, &p, x, up, out, kItems) == VACT_OK;
      });
    });
    Register(
        "swiglu/" + tier + "-unfused/" + size, [=](benchmark::State& state) {
          Run(state, isa, [=] {
            if (vact_apply_f32(VACT_OP_SILU, &p, x, out, kItems) != VACT_OK)
              return false;
            for (std::size_t i = 0; i < kItems; ++i) out[i] *= up[i];
            return true;
          });
        });
    // The fused projection's output: [gate | up] per row.
    float* projection = work->data();
    for (std::size_t i = 0; i < 2 * kItems; ++i)
      projection[i] = inputs->x[i % kItems];
    Register("swiglu_rows/" + tier + "-fused/" + shape,
             [=](benchmark::State& state) {
               Run(state, isa, [=] {
                 return vact_gated_rows_f32(VACT_OP_SILU, &p, projection,
                                            2 * kCols, out, kCols, kRows, kCols,
                                            VACT_GATE_CONCAT) == VACT_OK;
               });
             });

    const float* mask = inputs->mask.data();
    const float scale = 0.125f;
    Register("softmax_masked/" + tier + "-fused/" + shape,
             [=](benchmark::State& state) {
               Run(state, isa, [=] {
                 vact_softmax_params sp = VACT_SOFTMAX_PARAMS_INIT;
                 sp.accuracy = accuracy;
                 sp.scale = scale;
                 sp.mask = mask;
                 sp.mask_row_stride = kCols;
                 return vact_softmax_ex_f32(x, kCols, out, kCols, kRows, kCols,
                                            &sp) == VACT_OK;
               });
             });
    Register("softmax_masked/" + tier + "-fused-shared_mask/" + shape,
             [=](benchmark::State& state) {
               Run(state, isa, [=] {
                 vact_softmax_params sp = VACT_SOFTMAX_PARAMS_INIT;
                 sp.accuracy = accuracy;
                 sp.scale = scale;
                 sp.mask = mask;  // one mask row for every row
                 return vact_softmax_ex_f32(x, kCols, out, kCols, kRows, kCols,
                                            &sp) == VACT_OK;
               });
             });
    float* logits = work->data();
    Register("softmax_masked/" + tier + "-unfused/" + shape,
             [=](benchmark::State& state) {
               Run(state, isa, [=] {
                 for (std::size_t i = 0; i < kItems; ++i)
                   logits[i] = x[i] * scale + mask[i];
                 const auto softmax = accuracy == VACT_ACCURACY_FAST
                                          ? vact_softmax_fast_f32
                                          : vact_softmax_f32;
                 return softmax(logits, out, kRows, kCols) == VACT_OK;
               });
             });
    Register("softmax_masked/" + tier + "-plain/" + shape,
             [=](benchmark::State& state) {
               Run(state, isa, [=] {
                 const auto softmax = accuracy == VACT_ACCURACY_FAST
                                          ? vact_softmax_fast_f32
                                          : vact_softmax_f32;
                 return softmax(x, out, kRows, kCols) == VACT_OK;
               });
             });

    // In place, as an epilogue: the tile is restored before each call,
    // untimed (so it starts in the cache, as a GEMM's output would).
    const float* bias = inputs->bias.data();
    const auto restore = [=] { std::copy(x, x + kItems, out); };
    Register("bias_gelu/" + tier + "-fused/" + shape,
             [=](benchmark::State& state) {
               Run(
                   state, isa,
                   [=] {
                     return vact_bias_apply_f32(VACT_OP_GELU, &p, bias, out,
                                                kCols, kRows, kCols) == VACT_OK;
                   },
                   restore);
             });
    Register("bias_gelu/" + tier + "-unfused/" + shape,
             [=](benchmark::State& state) {
               Run(
                   state, isa,
                   [=] {
                     for (std::size_t r = 0; r < kRows; ++r)
                       for (std::size_t j = 0; j < kCols; ++j)
                         out[r * kCols + j] += bias[j];
                     return vact_apply_f32(VACT_OP_GELU, &p, out, out,
                                           kItems) == VACT_OK;
                   },
                   restore);
             });
  }

#if VACT_BENCH_HAVE_ONEDNN
  // oneDNN's one-primitive forms (peers.h), on the same operands; oneDNN
  // picks its own ISA.
  const float* bias = inputs->bias.data();
  float* out = y->data();
  const OnednnEngineCalls onednn = MakeOnednnEngineCalls(
      inputs->x, inputs->up.data(), out, kItems, bias, out, kRows, kCols);
  if (onednn.swiglu)
    Register("swiglu/onednn-postop/" + size,
             [=](benchmark::State& state) { Run(state, isa, onednn.swiglu); });
  if (onednn.bias_gelu) {
    const float* x = inputs->x;
    Register("bias_gelu/onednn-postop/" + shape, [=](benchmark::State& state) {
      Run(state, isa, onednn.bias_gelu, [=] { std::copy(x, x + kItems, out); });
    });
  }
#endif
}

}  // namespace vact_bench
