// SPDX-License-Identifier: Apache-2.0
//
// vact_bench: throughput of every vact kernel against the loop a user would
// write without vact ("textbook": plain scalar code, which the compiler
// auto-vectorises where it can at baseline flags), on every ISA this CPU
// supports, with memcpy as the memory-bandwidth limit.
//
// Benchmark names are "<op>/<variant>/<size>": variant is "textbook", an ISA
// name as vact_isa_name() spells it (vact's precise tier), "<isa>-fast" (its
// fast tier, for the ops whose fast tier has a kernel of its own and for
// softmax and log_softmax), "memcpy", a peer library (--peers: xnnpack,
// onednn, sleef, sleef-avx512, eigen, eigen-avx512, and avx2copy for the copy
// loop; onednn-<isa> under DNNL_MAX_CPU_ISA=<ISA>) or "<isa>-threads<k>"
// (--threads); size is n, or "<rows>x<cols>" for softmax and log_softmax.
// After Google Benchmark's usual console output comes a markdown summary
// (G elements/s and speedups), the table docs/performance.md embeds. Quick run:
//   vact_bench --benchmark_filter='sigmoid|relu' --benchmark_min_time=0.05
// `vact_bench --help` lists the flags that add rows to the default run.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bench_engine.h"
#include "bench_support.h"
#include "bench_threads.h"
#include "op_constants.h"
#include "peers.h"
#include "vact/vact.h"

namespace {

using vact_bench::AlignedFloats;
using vact_bench::kClipHi;
using vact_bench::kClipLo;
using vact_bench::kEluAlpha;
using vact_bench::kGeluTanhScale;
using vact_bench::kLeakySlope;
using vact_bench::kSeluAlpha;
using vact_bench::kSeluLambda;
using vact_bench::kSoftcapCap;
using vact_bench::kSwishBeta;
using vact_bench::UniformInput;

// Moderate default, so that a full default run (about 1000 benchmarks on an
// AVX-512 CPU, a fifth of them the fast tier's) takes minutes, not hours.
// Google Benchmark 1.7.1 parses this flag as a plain double in seconds (the
// "0.2s" form came in 1.8); a --benchmark_min_time given by the user wins.
constexpr const char* kDefaultMinTimeFlag = "--benchmark_min_time=0.25";

constexpr std::size_t kSizes[] = {1000, 16384, 262144, 4194304};

// --large: the memory-limit case, 256 MiB in and 256 MiB out, for the ops
// that should run at the speed of memcpy.
constexpr std::size_t kLargeSize = 67108864;
constexpr const char* kMemoryBoundOps[] = {"relu", "leaky_relu", "step",
                                           "hardsigmoid", "hardswish"};

// --sweep: n = 1024 * 4^k up to 64M, for the plots of throughput against n.
constexpr std::size_t kSweepSizes[] = {
    1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};

struct RowsShape {
  std::size_t rows;
  std::size_t cols;
};
// Small classifier head, a typical hidden size, an LLM vocabulary, and one
// row as long as the largest element-wise size.
constexpr RowsShape kRowsShapes[] = {
    {4096, 10}, {1024, 1000}, {64, 32000}, {1, 4194304}};

// ---- textbook formulas: what a user writes without vact ------------------

float StepTextbook(float x) { return x > 0.0f ? 1.0f : 0.0f; }
float ReluTextbook(float x) { return std::max(x, 0.0f); }
float SigmoidTextbook(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float TanhTextbook(float x) { return std::tanh(x); }
float EluTextbook(float x) {
  return x > 0.0f ? x : kEluAlpha * (std::exp(x) - 1.0f);
}
float SeluTextbook(float x) {
  return kSeluLambda * (x > 0.0f ? x : kSeluAlpha * (std::exp(x) - 1.0f));
}
float SoftplusTextbook(float x) { return std::log(1.0f + std::exp(x)); }

float StepDerivativeTextbook(float /*x*/) { return 0.0f; }
float ReluDerivativeTextbook(float x) { return x > 0.0f ? 1.0f : 0.0f; }
float SigmoidDerivativeTextbook(float x) {
  const float s = SigmoidTextbook(x);
  return s * (1.0f - s);
}
float TanhDerivativeTextbook(float x) {
  const float t = std::tanh(x);
  return 1.0f - t * t;
}
float EluDerivativeTextbook(float x) {
  return x > 0.0f ? 1.0f : kEluAlpha * std::exp(x);
}
float SeluDerivativeTextbook(float x) {
  return x > 0.0f ? kSeluLambda : kSeluLambda * kSeluAlpha * std::exp(x);
}
float SoftplusDerivativeTextbook(float x) { return SigmoidTextbook(x); }

float GeluTextbook(float x) {
  return 0.5f * x * (1.0f + std::erf(x * vact_bench::kSqrtHalf));
}
float GeluTanhTextbook(float x) {
  return 0.5f * x *
         (1.0f + std::tanh(kGeluTanhScale * (x + 0.044715f * x * x * x)));
}
float SiluTextbook(float x) { return x / (1.0f + std::exp(-x)); }
float MishTextbook(float x) { return x * std::tanh(std::log1p(std::exp(x))); }
float Relu6Textbook(float x) { return std::min(std::max(x, 0.0f), 6.0f); }
float HardsigmoidTextbook(float x) { return Relu6Textbook(x + 3.0f) / 6.0f; }
float HardswishTextbook(float x) { return x * Relu6Textbook(x + 3.0f) / 6.0f; }
float SoftsignTextbook(float x) { return x / (1.0f + std::fabs(x)); }
float LeakyReluTextbook(float x) { return x >= 0.0f ? x : kLeakySlope * x; }

float GeluDerivativeTextbook(float x) {
  constexpr float kInvSqrt2Pi = 0.3989422804f;  // 1/sqrt(2 pi)
  const float cdf = 0.5f * (1.0f + std::erf(x * vact_bench::kSqrtHalf));
  return cdf + x * kInvSqrt2Pi * std::exp(-0.5f * x * x);
}
float GeluTanhDerivativeTextbook(float x) {
  const float u = kGeluTanhScale * (x + 0.044715f * x * x * x);
  const float t = std::tanh(u);
  const float du = kGeluTanhScale * (1.0f + 3.0f * 0.044715f * x * x);
  return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du;
}
float SiluDerivativeTextbook(float x) {
  const float s = SigmoidTextbook(x);
  return s * (1.0f + x * (1.0f - s));
}
float MishDerivativeTextbook(float x) {
  const float t = std::tanh(std::log1p(std::exp(x)));
  return t + x * SigmoidTextbook(x) * (1.0f - t * t);
}
float HardsigmoidDerivativeTextbook(float x) {
  return x > -3.0f && x < 3.0f ? 1.0f / 6.0f : 0.0f;
}
float HardswishDerivativeTextbook(float x) {
  return x < -3.0f ? 0.0f : x > 3.0f ? 1.0f : x / 3.0f + 0.5f;
}
float SoftsignDerivativeTextbook(float x) {
  const float d = 1.0f + std::fabs(x);
  return 1.0f / (d * d);
}
float LeakyReluDerivativeTextbook(float x) {
  return x > 0.0f ? 1.0f : kLeakySlope;
}
float SwishTextbook(float x) { return x / (1.0f + std::exp(-kSwishBeta * x)); }
float SwishDerivativeTextbook(float x) {
  const float s = 1.0f / (1.0f + std::exp(-kSwishBeta * x));
  return s * (1.0f + kSwishBeta * x * (1.0f - s));
}
float ClipTextbook(float x) { return std::min(std::max(x, kClipLo), kClipHi); }
float ClipDerivativeTextbook(float x) {
  return x > kClipLo && x < kClipHi ? 1.0f : 0.0f;
}
float SoftcapTextbook(float x) {
  return kSoftcapCap * std::tanh(x / kSoftcapCap);
}
float SoftcapDerivativeTextbook(float x) {
  const float t = std::tanh(x / kSoftcapCap);
  return 1.0f - t * t;
}

// The plain loop over one formula. The formula is a template argument so it
// is inlined and the loop is vectorised where the compiler can (step, relu);
// the others call libm once per element, as the user's code would.
template <float (*kFormula)(float)>
void TextbookLoop(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = kFormula(x[i]);
}

// Textbook softmax: no max subtraction (it would overflow for x > 88, which
// does not happen on [-10, 10]).
void SoftmaxTextbook(const float* x, float* y, std::size_t rows,
                     std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x_row = x + r * cols;
    float* y_row = y + r * cols;
    float sum = 0.0f;
    for (std::size_t c = 0; c < cols; ++c) {
      y_row[c] = std::exp(x_row[c]);
      sum += y_row[c];
    }
    for (std::size_t c = 0; c < cols; ++c) y_row[c] = y_row[c] / sum;
  }
}

void LogSoftmaxTextbook(const float* x, float* y, std::size_t rows,
                        std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x_row = x + r * cols;
    float* y_row = y + r * cols;
    float sum = 0.0f;
    for (std::size_t c = 0; c < cols; ++c) sum += std::exp(x_row[c]);
    const float log_sum = std::log(sum);
    for (std::size_t c = 0; c < cols; ++c) y_row[c] = x_row[c] - log_sum;
  }
}

// ---- the operations --------------------------------------------------------

// The textbook loop of each op that has one, by benchmark name.
struct TextbookFormula {
  const char* name;
  void (*loop)(const float* x, float* y, std::size_t n);
};
const TextbookFormula kTextbookFormulas[] = {
    {"step", TextbookLoop<StepTextbook>},
    {"relu", TextbookLoop<ReluTextbook>},
    {"sigmoid", TextbookLoop<SigmoidTextbook>},
    {"tanh", TextbookLoop<TanhTextbook>},
    {"elu", TextbookLoop<EluTextbook>},
    {"selu", TextbookLoop<SeluTextbook>},
    {"softplus", TextbookLoop<SoftplusTextbook>},
    {"gelu", TextbookLoop<GeluTextbook>},
    {"gelu_tanh", TextbookLoop<GeluTanhTextbook>},
    {"silu", TextbookLoop<SiluTextbook>},
    {"mish", TextbookLoop<MishTextbook>},
    {"hardsigmoid", TextbookLoop<HardsigmoidTextbook>},
    {"hardswish", TextbookLoop<HardswishTextbook>},
    {"softsign", TextbookLoop<SoftsignTextbook>},
    {"leaky_relu", TextbookLoop<LeakyReluTextbook>},
    {"swish", TextbookLoop<SwishTextbook>},
    {"clip", TextbookLoop<ClipTextbook>},
    {"softcap", TextbookLoop<SoftcapTextbook>},
    {"step_derivative", TextbookLoop<StepDerivativeTextbook>},
    {"relu_derivative", TextbookLoop<ReluDerivativeTextbook>},
    {"sigmoid_derivative", TextbookLoop<SigmoidDerivativeTextbook>},
    {"tanh_derivative", TextbookLoop<TanhDerivativeTextbook>},
    {"elu_derivative", TextbookLoop<EluDerivativeTextbook>},
    {"selu_derivative", TextbookLoop<SeluDerivativeTextbook>},
    {"softplus_derivative", TextbookLoop<SoftplusDerivativeTextbook>},
    {"gelu_derivative", TextbookLoop<GeluDerivativeTextbook>},
    {"gelu_tanh_derivative", TextbookLoop<GeluTanhDerivativeTextbook>},
    {"silu_derivative", TextbookLoop<SiluDerivativeTextbook>},
    {"mish_derivative", TextbookLoop<MishDerivativeTextbook>},
    {"hardsigmoid_derivative", TextbookLoop<HardsigmoidDerivativeTextbook>},
    {"hardswish_derivative", TextbookLoop<HardswishDerivativeTextbook>},
    {"softsign_derivative", TextbookLoop<SoftsignDerivativeTextbook>},
    {"leaky_relu_derivative", TextbookLoop<LeakyReluDerivativeTextbook>},
    {"swish_derivative", TextbookLoop<SwishDerivativeTextbook>},
    {"clip_derivative", TextbookLoop<ClipDerivativeTextbook>},
    {"softcap_derivative", TextbookLoop<SoftcapDerivativeTextbook>},
};

using TextbookLoopFn = void (*)(const float* x, float* y, std::size_t n);
TextbookLoopFn TextbookOf(const char* name) {
  for (const TextbookFormula& formula : kTextbookFormulas)
    if (std::strcmp(formula.name, name) == 0) return formula.loop;
  return nullptr;
}

using ElementwiseFn = vact_status (*)(const float* x, float* y, std::size_t n);
using RowsFn = vact_status (*)(const float* x, float* y, std::size_t rows,
                               std::size_t cols);

// vact's accuracy tiers, the benchmark's second dimension beside the ISA:
// the precise tier's variants are named by the ISA alone ("avx512"), the fast
// tier's with a suffix ("avx512-fast"). An op whose fast tier runs the
// precise kernel (vact/ops.def's fast column: precise) has no fast variant.
struct Tier {
  vact_accuracy accuracy;  // the index into the op tables' kernels
  const char* suffix;      // appended to the ISA's name
};
constexpr const char* kFastSuffix = "-fast";
constexpr Tier kTiers[] = {{VACT_ACCURACY_PRECISE, ""},
                           {VACT_ACCURACY_FAST, kFastSuffix}};
constexpr std::size_t kTierCount = std::size(kTiers);

struct ElementwiseOp {
  const char* name;
  TextbookLoopFn textbook;  // null where the bench has no textbook formula
  // vact's kernel per tier, indexed by vact_accuracy; null where the tier
  // has none of its own.
  ElementwiseFn vact[kTierCount];
};

// The parameters the bench passes to the per-op functions that take any.
#define VACT_BENCH_ARGUMENT_none
#define VACT_BENCH_ARGUMENT_alpha , kEluAlpha
#define VACT_BENCH_ARGUMENT_slope , kLeakySlope
#define VACT_BENCH_ARGUMENT_beta , kSwishBeta
#define VACT_BENCH_ARGUMENT_lo_hi , kClipLo, kClipHi
#define VACT_BENCH_ARGUMENT_cap , kSoftcapCap

// The fast tier through the table-driven call, with the bench's parameters.
const vact_params kFastParams = vact_bench::BenchParams(VACT_ACCURACY_FAST);

// An op's fast kernel, by the fast column of vact/ops.def.
#define VACT_BENCH_FAST_KERNEL_own(NAME)                          \
  [](const float* x, float* y, std::size_t n) {                   \
    return vact_apply_f32(VACT_OP_##NAME, &kFastParams, x, y, n); \
  }
#define VACT_BENCH_FAST_KERNEL_precise(NAME) nullptr

// Every op of vact/ops.def, its value (both tiers) and its derivative (one
// kernel for both tiers: the fast tier's derivatives are the precise ones).
const ElementwiseOp kElementwiseOps[] = {
#define VACT_OP(id, name, NAME, params, range, order, value_ulp,               \
                derivative_ulp, fast, ...)                                     \
  {#name,                                                                      \
   TextbookOf(#name),                                                          \
   {[](const float* x, float* y, std::size_t n) {                              \
      return vact_##name##_f32(x, y, n VACT_BENCH_ARGUMENT_##params);          \
    },                                                                         \
    VACT_BENCH_FAST_KERNEL_##fast(NAME)}},                                     \
      {#name "_derivative",                                                    \
       TextbookOf(#name "_derivative"),                                        \
       {[](const float* x, float* y, std::size_t n) {                          \
          return vact_##name##_derivative_f32(x, y,                            \
                                              n VACT_BENCH_ARGUMENT_##params); \
        },                                                                     \
        nullptr}},
#include "vact/ops.def"
#undef VACT_OP
};

bool IsDerivative(const std::string& op) {
  return op.find("_derivative") != std::string::npos;
}

struct RowsOp {
  const char* name;
  void (*textbook)(const float* x, float* y, std::size_t rows,
                   std::size_t cols);
  RowsFn vact[kTierCount];  // per tier, as ElementwiseOp's
};

const RowsOp kRowsOps[] = {
    {"softmax", SoftmaxTextbook, {vact_softmax_f32, vact_softmax_fast_f32}},
    {"log_softmax",
     LogSoftmaxTextbook,
     {vact_log_softmax_f32, vact_log_softmax_fast_f32}},
};

// "textbook", or vact on one ISA.
struct Variant {
  std::string name;
  std::optional<vact_isa> isa;  // empty: textbook
};

constexpr const char* kTextbook = "textbook";
constexpr const char* kMemcpy = "memcpy";
constexpr const char* kAvx2Copy = "avx2copy";

// ---- timing ----------------------------------------------------------------

// Times kernel(x, y) on `items` input elements into a separate output. The
// kernel returns false on error. For a vact variant its ISA is selected
// right before the timed loop, and checked: vact_set_isa is global state.
template <typename Kernel>
void RunTimed(benchmark::State& state, std::optional<vact_isa> isa,
              std::size_t items, const Kernel& kernel) {
  const float* x = UniformInput(items);
  AlignedFloats y(items);
  if (isa.has_value() &&
      (vact_set_isa(*isa) != VACT_OK || vact_active_isa() != *isa)) {
    state.SkipWithError("vact_set_isa did not make this ISA the active one");
    return;
  }
  // Untimed call: checks the status and faults the output's pages in.
  if (!kernel(x, y.data())) {
    state.SkipWithError("the kernel returned an error status");
    return;
  }
  for (auto _ : state) {
    kernel(x, y.data());
    // The output is otherwise dead: keep the textbook loops from vanishing.
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(items));
}

// Times a peer's op, bound to its input and output before the timed loop.
void RunPeerTimed(benchmark::State& state, const vact_bench::PeerOp& op,
                  std::size_t rows, std::size_t cols) {
  const std::size_t items = rows * cols;
  const float* x = UniformInput(items);
  AlignedFloats y(items);
  const vact_bench::BoundKernel kernel = op.bind(x, y.data(), rows, cols);
  // Untimed call: checks the peer runs and faults the output's pages in.
  if (!kernel || !kernel()) {
    state.SkipWithError("the peer could not run this op");
    return;
  }
  for (auto _ : state) {
    kernel();
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(items));
}

// ---- registration ----------------------------------------------------------

// What to run besides the default rows; see PrintHelp.
struct RunOptions {
  bool peers = false;
  bool large = false;
  bool threads = false;
  bool sweep = false;
  bool storage16 = false;
  bool engine = false;
  // --peer-values=FILE: no benchmark; every peer's element-wise ops on the
  // accuracy plots' grid, written to FILE (WritePeerValues).
  std::string peer_values;
};

// textbook, then every ISA this CPU and build support; one stderr line for
// each ISA left out.
std::vector<Variant> SupportedVariants() {
  std::vector<Variant> variants = {{kTextbook, std::nullopt}};
  for (int i = 0; i < VACT_ISA_COUNT; ++i) {
    const auto isa = static_cast<vact_isa>(i);
    if (vact_isa_supported(isa)) {
      variants.push_back({vact_isa_name(isa), isa});
    } else {
      std::cerr << "skipping " << vact_isa_name(isa)
                << ": not supported by this CPU/build\n";
    }
  }
  return variants;
}

void Register(const std::string& op, const std::string& variant,
              const std::string& size,
              std::function<void(benchmark::State&)> body) {
  const std::string name = op + "/" + variant + "/" + size;
  benchmark::RegisterBenchmark(name.c_str(), std::move(body));
}

// One benchmark per peer that has `op`, on rows x cols.
void RegisterPeers(const std::vector<vact_bench::Peer>& peers,
                   const std::string& op, std::size_t rows, std::size_t cols,
                   const std::string& size) {
  for (const vact_bench::Peer& peer : peers) {
    const vact_bench::PeerOp* peer_op = peer.Find(op);
    if (peer_op == nullptr) continue;
    Register(op, peer.name, size,
             [peer_op = *peer_op, rows, cols](benchmark::State& state) {
               RunPeerTimed(state, peer_op, rows, cols);
             });
  }
}

bool IsMemoryBound(const std::string& op) {
  return std::find(std::begin(kMemoryBoundOps), std::end(kMemoryBoundOps),
                   op) != std::end(kMemoryBoundOps);
}

// The element-wise sizes of `op`: the default ones, 64M too for the
// memory-bound ops with --large; --sweep replaces them all by the sweep.
std::vector<std::size_t> SizesOf(const std::string& op,
                                 const RunOptions& options) {
  if (options.sweep) {
    return {std::begin(kSweepSizes), std::end(kSweepSizes)};
  }
  std::vector<std::size_t> sizes(std::begin(kSizes), std::end(kSizes));
  if (options.large && (IsMemoryBound(op) || op == kMemcpy)) {
    sizes.push_back(kLargeSize);
  }
  return sizes;
}

// All variants of one op and size are registered together, so that they
// appear next to each other in the console output: textbook, then per ISA
// each tier that has a kernel of its own ("avx2", "avx2-fast", ...), then
// the peers.
void RegisterAll(const std::vector<Variant>& variants,
                 const std::vector<vact_bench::Peer>& peers,
                 const RunOptions& options) {
  for (const ElementwiseOp& op : kElementwiseOps) {
    // The sweep is for the plots of the ops themselves.
    if (options.sweep && IsDerivative(op.name)) continue;
    for (const std::size_t n : SizesOf(op.name, options)) {
      const std::string size = std::to_string(n);
      for (const Variant& variant : variants) {
        if (!variant.isa.has_value()) {
          if (op.textbook == nullptr) continue;
          Register(op.name, variant.name, size,
                   [loop = op.textbook, n](benchmark::State& state) {
                     RunTimed(state, std::nullopt, n,
                              [&](const float* x, float* y) {
                                loop(x, y, n);
                                return true;
                              });
                   });
          continue;
        }
        for (const Tier& tier : kTiers) {
          const ElementwiseFn kernel = op.vact[tier.accuracy];
          if (kernel == nullptr) continue;
          Register(op.name, variant.name + tier.suffix, size,
                   [kernel, isa = variant.isa, n](benchmark::State& state) {
                     RunTimed(state, isa, n, [&](const float* x, float* y) {
                       return kernel(x, y, n) == VACT_OK;
                     });
                   });
        }
      }
      RegisterPeers(peers, op.name, 1, n, size);
    }
  }
  if (!options.sweep) {
    for (const RowsOp& op : kRowsOps) {
      for (const RowsShape shape : kRowsShapes) {
        const std::string size =
            std::to_string(shape.rows) + "x" + std::to_string(shape.cols);
        const std::size_t items = shape.rows * shape.cols;
        for (const Variant& variant : variants) {
          if (!variant.isa.has_value()) {
            Register(
                op.name, variant.name, size,
                [loop = op.textbook, shape, items](benchmark::State& state) {
                  RunTimed(state, std::nullopt, items,
                           [&](const float* x, float* y) {
                             loop(x, y, shape.rows, shape.cols);
                             return true;
                           });
                });
            continue;
          }
          for (const Tier& tier : kTiers) {
            const RowsFn kernel = op.vact[tier.accuracy];
            if (kernel == nullptr) continue;
            Register(
                op.name, variant.name + tier.suffix, size,
                [kernel, isa = variant.isa, shape,
                 items](benchmark::State& state) {
                  RunTimed(state, isa, items, [&](const float* x, float* y) {
                    return kernel(x, y, shape.rows, shape.cols) == VACT_OK;
                  });
                });
          }
        }
        RegisterPeers(peers, op.name, shape.rows, shape.cols, size);
      }
    }
  }
  const vact_bench::CopyFn avx2_copy =
      options.peers ? vact_bench::Avx2CopyIfSupported() : nullptr;
  for (const std::size_t n : SizesOf(kMemcpy, options)) {
    Register(kMemcpy, kMemcpy, std::to_string(n), [n](benchmark::State& state) {
      RunTimed(state, std::nullopt, n, [n](const float* x, float* y) {
        std::memcpy(y, x, n * sizeof(float));
        return true;
      });
    });
    if (avx2_copy != nullptr) {
      Register(kMemcpy, kAvx2Copy, std::to_string(n),
               [n, avx2_copy](benchmark::State& state) {
                 RunTimed(state, std::nullopt, n,
                          [n, avx2_copy](const float* x, float* y) {
                            avx2_copy(x, y, n);
                            return true;
                          });
               });
    }
  }
}

// The 16-bit input of a --storage16 benchmark: x rounded to bf16 or f16 on
// the first call (RunTimed's untimed one), then reused.
struct Storage16Input {
  std::vector<std::uint16_t> bits;
  const std::uint16_t* of(const float* x, std::size_t n, bool bf16) {
    if (bits.size() != n) {
      bits.resize(n);
      (bf16 ? vact_convert_f32_to_bf16 : vact_convert_f32_to_f16)(
          x, bits.data(), n);
    }
    return bits.data();
  }
};

// --storage16: every op's value in both tiers on 16-bit arrays, on the best
// ISA; softmax and log_softmax on 16-bit rows; the conversions; memcpy of 2
// bytes per element.
void RegisterStorage16(const RunOptions& options,
                       const std::vector<vact_bench::Peer>& peers16) {
  const vact_isa isa = vact_active_isa();
  const std::string isa_name = vact_isa_name(isa);
  using Apply16 =
      vact_status (*)(vact_op, const vact_params*, const std::uint16_t*,
                      std::uint16_t*, std::size_t);
  using Apply16To32 = vact_status (*)(
      vact_op, const vact_params*, const std::uint16_t*, float*, std::size_t);
  for (int i = 0; i < VACT_OP_COUNT; ++i) {
    const auto op = static_cast<vact_op>(i);
    for (const std::size_t n : SizesOf(vact_op_name(op), options)) {
      const std::string size = std::to_string(n);
      for (const Tier& tier : kTiers) {
        const vact_params params = vact_bench::BenchParams(tier.accuracy);
        for (const bool bf16 : {true, false}) {
          const std::string format = bf16 ? "bf16" : "f16";
          const Apply16 apply = bf16 ? vact_apply_bf16 : vact_apply_f16;
          Register(vact_op_name(op), isa_name + tier.suffix + "-" + format,
                   size, [=](benchmark::State& state) {
                     Storage16Input input;
                     RunTimed(state, isa, n, [&](const float* x, float* y) {
                       return apply(op, &params, input.of(x, n, bf16),
                                    reinterpret_cast<std::uint16_t*>(y),
                                    n) == VACT_OK;
                     });
                   });
          const Apply16To32 widening =
              bf16 ? vact_apply_bf16_f32 : vact_apply_f16_f32;
          if (tier.accuracy == VACT_ACCURACY_PRECISE && bf16)
            RegisterPeers(peers16, vact_op_name(op), 1, n, size);
          Register(vact_op_name(op),
                   isa_name + tier.suffix + "-" + format + "_f32", size,
                   [=](benchmark::State& state) {
                     Storage16Input input;
                     RunTimed(state, isa, n, [&](const float* x, float* y) {
                       return widening(op, &params, input.of(x, n, bf16), y,
                                       n) == VACT_OK;
                     });
                   });
        }
      }
    }
  }
  // softmax and log_softmax on 16-bit rows, [log][tier][format (bf16,
  // f16)].
  using Rows16 = vact_status (*)(const std::uint16_t*, std::uint16_t*,
                                 std::size_t, std::size_t);
  const Rows16 rows16[2][kTierCount][2] = {
      {{vact_softmax_bf16, vact_softmax_f16},
       {vact_softmax_fast_bf16, vact_softmax_fast_f16}},
      {{vact_log_softmax_bf16, vact_log_softmax_f16},
       {vact_log_softmax_fast_bf16, vact_log_softmax_fast_f16}}};
  for (const RowsShape shape : kRowsShapes) {
    const std::string size =
        std::to_string(shape.rows) + "x" + std::to_string(shape.cols);
    const std::size_t items = shape.rows * shape.cols;
    for (const bool log : {false, true}) {
      RegisterPeers(peers16, log ? "log_softmax" : "softmax", shape.rows,
                    shape.cols, size);
      for (const Tier& tier : kTiers) {
        for (const bool bf16 : {true, false}) {
          const Rows16 kernel = rows16[log][tier.accuracy][bf16 ? 0 : 1];
          Register(log ? "log_softmax" : "softmax",
                   isa_name + tier.suffix + "-" + (bf16 ? "bf16" : "f16"), size,
                   [=](benchmark::State& state) {
                     Storage16Input input;
                     RunTimed(state, isa, items, [&](const float* x, float* y) {
                       return kernel(input.of(x, items, bf16),
                                     reinterpret_cast<std::uint16_t*>(y),
                                     shape.rows, shape.cols) == VACT_OK;
                     });
                   });
        }
      }
    }
  }
  for (const std::size_t n : SizesOf(kMemcpy, options)) {
    const std::string size = std::to_string(n);
    for (const bool bf16 : {true, false}) {
      const std::string format = bf16 ? "bf16" : "f16";
      const auto narrow =
          bf16 ? vact_convert_f32_to_bf16 : vact_convert_f32_to_f16;
      const auto widen =
          bf16 ? vact_convert_bf16_to_f32 : vact_convert_f16_to_f32;
      Register("convert_f32_to_" + format, isa_name, size,
               [=](benchmark::State& state) {
                 RunTimed(state, isa, n, [&](const float* x, float* y) {
                   return narrow(x, reinterpret_cast<std::uint16_t*>(y), n) ==
                          VACT_OK;
                 });
               });
      Register("convert_" + format + "_to_f32", isa_name, size,
               [=](benchmark::State& state) {
                 Storage16Input input;
                 RunTimed(state, isa, n, [&](const float* x, float* y) {
                   return widen(input.of(x, n, bf16), y, n) == VACT_OK;
                 });
               });
    }
    Register(kMemcpy, "memcpy-16bit", size, [n](benchmark::State& state) {
      RunTimed(state, std::nullopt, n, [n](const float* x, float* y) {
        std::memcpy(y, x, n * sizeof(std::uint16_t));
        return true;
      });
    });
  }
}

// avx2 and the best ISA, for the multi-thread rows.
std::vector<vact_bench::NamedIsa> ThreadIsas(
    const std::vector<Variant>& variants) {
  std::vector<vact_bench::NamedIsa> isas;
  for (const Variant& variant : variants) {
    if (variant.isa == VACT_ISA_AVX2)
      isas.push_back({variant.name, *variant.isa});
  }
  const Variant& best = variants.back();
  if (best.isa.has_value() && best.isa != VACT_ISA_AVX2) {
    isas.push_back({best.name, *best.isa});
  }
  return isas;
}

// vact's result of `op` on the active ISA, the reference for the peer check.
bool VactReference(const std::string& op, const float* x, float* y,
                   std::size_t rows, std::size_t cols) {
  for (const RowsOp& rows_op : kRowsOps) {
    if (op == rows_op.name) {
      return rows_op.vact[VACT_ACCURACY_PRECISE](x, y, rows, cols) == VACT_OK;
    }
  }
  for (const ElementwiseOp& elementwise_op : kElementwiseOps) {
    if (op == elementwise_op.name) {
      return elementwise_op.vact[VACT_ACCURACY_PRECISE](x, y, rows * cols) ==
             VACT_OK;
    }
  }
  return false;
}

// ---- summary ---------------------------------------------------------------

// A markdown table whose columns are padded to line up in a terminal too.
class MarkdownTable {
 public:
  // A header starting with '>' is a right-aligned (numeric) column.
  explicit MarkdownTable(std::vector<std::string> headers) {
    for (std::string& header : headers) {
      const bool right = !header.empty() && header[0] == '>';
      right_aligned_.push_back(right);
      header_.push_back(right ? header.substr(1) : std::move(header));
    }
  }
  void AddRow(std::vector<std::string> cells) {
    cells.resize(header_.size());
    rows_.push_back(std::move(cells));
  }
  bool empty() const { return rows_.empty(); }

  void Print(std::ostream& out) const {
    std::vector<std::size_t> widths(header_.size(), 3);
    for (const auto* row : AllRows()) {
      for (std::size_t c = 0; c < row->size(); ++c) {
        widths[c] = std::max(widths[c], (*row)[c].size());
      }
    }
    PrintRow(out, header_, widths);
    std::vector<std::string> rule;
    for (std::size_t c = 0; c < widths.size(); ++c) {
      rule.push_back(right_aligned_[c] ? std::string(widths[c] - 1, '-') + ":"
                                       : std::string(widths[c], '-'));
    }
    PrintRow(out, rule, widths);
    for (const auto& row : rows_) PrintRow(out, row, widths);
  }

 private:
  std::vector<const std::vector<std::string>*> AllRows() const {
    std::vector<const std::vector<std::string>*> all = {&header_};
    for (const auto& row : rows_) all.push_back(&row);
    return all;
  }
  void PrintRow(std::ostream& out, const std::vector<std::string>& cells,
                const std::vector<std::size_t>& widths) const {
    out << "|";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const auto width = static_cast<int>(widths[c]);
      out << " " << (right_aligned_[c] ? std::right : std::left)
          << std::setw(width) << cells[c] << " |";
    }
    out << std::left << "\n";
  }

  std::vector<std::string> header_;
  std::vector<bool> right_aligned_;
  std::vector<std::vector<std::string>> rows_;
};

std::string Fixed(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

// The console reporter, plus a summary of all runs printed at the end.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  SummaryReporter(OutputOptions options, std::vector<std::string> isa_names)
      : ConsoleReporter(options), isa_names_(std::move(isa_names)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
      const auto rate = run.counters.find("items_per_second");
      if (rate == run.counters.end()) continue;
      Record(run.run_name.function_name, rate->second.value);
    }
  }

  void Finalize() override {
    std::ostream& out = GetOutputStream();
    const MarkdownTable speed = SpeedTable();
    if (!speed.empty()) {
      out << "\nThroughput in G elements/s (median over repetitions); "
             "speedups over the textbook loop";
      if (HasFast()) {
        out << ". The ISA columns are the precise tier; \"fast\" is the "
               "fast tier on the best ISA (\"-\": the op's fast tier runs "
               "its precise kernel)";
      }
      out << "\n\n";
      speed.Print(out);
    }
    const MarkdownTable bandwidth = ReluVsMemcpyTable();
    if (!bandwidth.empty()) {
      out << "\nrelu against the memory-bandwidth limit (memcpy of the same "
             "n floats), in G elements/s\n\n";
      bandwidth.Print(out);
    }
    const MarkdownTable threads = ThreadsTable();
    if (!threads.empty()) {
      out << "\nOne array or softmax batch split across threads (wall-clock "
             "time), in G elements/s\n\n";
      threads.Print(out);
    }
    out << std::flush;
  }

 private:
  // Items per second of each variant, for one op and one size.
  struct Cell {
    std::string op;
    std::string size;
    std::map<std::string, std::vector<double>> rates;
  };

  // Splits "<op>/<variant>/<size>" and files the rate.
  void Record(const std::string& name, double items_per_second) {
    const std::size_t first = name.find('/');
    const std::size_t last = name.rfind('/');
    if (first == std::string::npos || first == last) return;
    const std::string op = name.substr(0, first);
    const std::string size = name.substr(last + 1);
    const std::string variant = name.substr(first + 1, last - first - 1);
    auto cell = std::find_if(cells_.begin(), cells_.end(), [&](const Cell& c) {
      return c.op == op && c.size == size;
    });
    if (cell == cells_.end()) {
      cells_.push_back(Cell{op, size, {}});
      cell = std::prev(cells_.end());
    }
    cell->rates[variant].push_back(items_per_second);
  }

  // G elements/s of one variant; empty if it did not run.
  static std::optional<double> GigaRate(const Cell& cell,
                                        const std::string& variant) {
    const auto found = cell.rates.find(variant);
    if (found == cell.rates.end()) return std::nullopt;
    std::vector<double> rates = found->second;
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2] / 1e9;
  }

  static std::string FormatRate(std::optional<double> rate) {
    return rate ? Fixed(*rate, 3) : "-";
  }
  static std::string FormatSpeedup(std::optional<double> rate,
                                   std::optional<double> baseline) {
    return rate && baseline ? Fixed(*rate / *baseline, 1) + "x" : "-";
  }
  // A fraction of the bandwidth limit, where 0.1 steps are too coarse.
  static std::string FormatFraction(std::optional<double> rate,
                                    std::optional<double> limit) {
    return rate && limit ? Fixed(*rate / *limit, 2) : "-";
  }

  // Whether any fast-tier variant ("<isa>-fast") ran.
  bool HasFast() const {
    for (const Cell& cell : cells_) {
      for (const std::string& isa : isa_names_) {
        if (cell.rates.count(isa + kFastSuffix) != 0) return true;
      }
    }
    return false;
  }

  // The fastest ISA of a cell (precise tier) and its rate.
  std::pair<std::string, std::optional<double>> Best(const Cell& cell) const {
    std::pair<std::string, std::optional<double>> best = {"-", std::nullopt};
    for (const std::string& isa : isa_names_) {
      const std::optional<double> rate = GigaRate(cell, isa);
      if (rate && (!best.second || *rate > *best.second)) best = {isa, rate};
    }
    return best;
  }

  bool HasAvx2() const {
    return std::find(isa_names_.begin(), isa_names_.end(), "avx2") !=
           isa_names_.end();
  }

  MarkdownTable SpeedTable() const {
    std::vector<std::string> headers = {"op", ">size",
                                        ">" + std::string(kTextbook)};
    for (const std::string& isa : isa_names_) headers.push_back(">" + isa);
    headers.insert(headers.end(), {"best", ">best vs textbook"});
    const bool fast = HasFast();
    if (fast) headers.insert(headers.end(), {">fast", ">fast vs textbook"});
    if (HasAvx2()) headers.push_back(">avx2 vs textbook");
    MarkdownTable table(std::move(headers));
    for (const Cell& cell : cells_) {
      if (cell.op == kMemcpy) continue;
      const std::optional<double> textbook = GigaRate(cell, kTextbook);
      // Cells of the threads alone (the 16M multi-thread arrays) have their
      // own table.
      if (!textbook && !Best(cell).second) continue;
      std::vector<std::string> row = {cell.op, cell.size, FormatRate(textbook)};
      for (const std::string& isa : isa_names_) {
        row.push_back(FormatRate(GigaRate(cell, isa)));
      }
      const auto [best_isa, best_rate] = Best(cell);
      row.push_back(best_isa);
      row.push_back(FormatSpeedup(best_rate, textbook));
      if (fast) {
        const std::optional<double> fast_rate =
            GigaRate(cell, best_isa + kFastSuffix);
        row.push_back(FormatRate(fast_rate));
        row.push_back(FormatSpeedup(fast_rate, textbook));
      }
      if (HasAvx2()) {
        row.push_back(FormatSpeedup(GigaRate(cell, "avx2"), textbook));
      }
      table.AddRow(std::move(row));
    }
    return table;
  }

  MarkdownTable ReluVsMemcpyTable() const {
    MarkdownTable table({">n", ">memcpy", ">relu textbook", ">relu best",
                         "best", ">textbook / memcpy", ">best / memcpy"});
    for (const Cell& memcpy_cell : cells_) {
      if (memcpy_cell.op != kMemcpy) continue;
      const auto relu =
          std::find_if(cells_.begin(), cells_.end(), [&](const Cell& c) {
            return c.op == "relu" && c.size == memcpy_cell.size;
          });
      if (relu == cells_.end()) continue;
      const std::optional<double> memcpy_rate = GigaRate(memcpy_cell, kMemcpy);
      const std::optional<double> textbook = GigaRate(*relu, kTextbook);
      const auto [best_isa, best_rate] = Best(*relu);
      table.AddRow({memcpy_cell.size, FormatRate(memcpy_rate),
                    FormatRate(textbook), FormatRate(best_rate), best_isa,
                    FormatFraction(textbook, memcpy_rate),
                    FormatFraction(best_rate, memcpy_rate)});
    }
    return table;
  }

  // Variants "<isa>-threads<k>": 1 and k threads side by side per ISA.
  MarkdownTable ThreadsTable() const {
    MarkdownTable table({"op", ">size", "isa", ">1 thread", ">threads",
                         ">k threads", ">scaling"});
    const std::string marker = "-threads";
    for (const Cell& cell : cells_) {
      for (const std::string& isa : isa_names_) {
        const std::optional<double> one = GigaRate(cell, isa + marker + "1");
        if (!one) continue;
        for (const auto& [variant, rates] : cell.rates) {
          const std::string prefix = isa + marker;
          if (variant.rfind(prefix, 0) != 0) continue;
          const std::string count = variant.substr(prefix.size());
          if (count == "1") continue;
          const std::optional<double> many = GigaRate(cell, variant);
          table.AddRow({cell.op, cell.size, isa, FormatRate(one), count,
                        FormatRate(many), FormatSpeedup(many, one)});
        }
      }
    }
    return table;
  }

  std::vector<std::string> isa_names_;
  std::vector<Cell> cells_;  // in the order the benchmarks ran
};

// ---- main ------------------------------------------------------------------

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

// The value of the last --benchmark_format=<value>, "console" by default.
std::string OutputFormat(int argc, char** argv) {
  const std::string prefix = "--benchmark_format=";
  std::string format = "console";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind(prefix, 0) == 0) format = arg.substr(prefix.size());
  }
  return format;
}

// Takes vact_bench's own flags out of argv (Google Benchmark rejects flags
// it does not know).
RunOptions TakeRunOptions(std::vector<char*>& args) {
  RunOptions options;
  const std::pair<const char*, bool*> flags[] = {
      {"--peers", &options.peers},     {"--large", &options.large},
      {"--threads", &options.threads}, {"--storage16", &options.storage16},
      {"--engine", &options.engine},   {"--sweep", &options.sweep}};
  const std::string peer_values_flag = "--peer-values=";
  std::vector<char*> kept;
  for (char* arg : args) {
    bool taken = false;
    for (const auto& [flag, value] : flags) {
      if (std::strcmp(arg, flag) == 0) *value = taken = true;
    }
    if (std::strncmp(arg, peer_values_flag.c_str(), peer_values_flag.size()) ==
        0) {
      options.peer_values = arg + peer_values_flag.size();
      taken = true;
    }
    if (!taken) kept.push_back(arg);
  }
  args = std::move(kept);
  return options;
}

void PrintHelp() {
  std::cout <<
      R"(vact_bench: textbook loops vs vact on every ISA this CPU supports.
The default run times every op at n = 1000, 16384, 262144 and 4194304 (rows:
4096x10, 1024x1000, 64x32000, 1x4194304) and memcpy, vact in both accuracy
tiers ("<op>/<isa>/<size>" precise, "<op>/<isa>-fast/<size>" fast, where the
op's fast tier has a kernel of its own). These flags add rows:
  --peers    also XNNPACK, oneDNN, SLEEF and Eigen where this build found them
             ("<op>/<peer>/<size>"; SLEEF and Eigen built for AVX2, "sleef"
             and "eigen", and for AVX-512, "sleef-avx512" and
             "eigen-avx512"), checked against vact once at startup, and the
             AVX2 copy loop beside memcpy ("memcpy/avx2copy/<n>"). With
             DNNL_MAX_CPU_ISA=<ISA> in the environment oneDNN is held to that
             ISA and named "onednn-<isa>" (DNNL_MAX_CPU_ISA=AVX2: onednn-avx2);
             with --storage16 also the 16-bit peers ("onednn-bf16",
             "onednn-f16" where oneDNN has f16 eltwise, "xnnpack-f16")
  --large    also n = 67108864 (512 MiB in + out) for relu, leaky_relu, step,
             hardsigmoid, hardswish and memcpy: the memory-limit case
  --threads  sigmoid and gelu_tanh on 16M floats and softmax on 4096x1000,
             split across 1 and 2 threads ("<op>/<isa>-threads<k>/<size>")
  --sweep    the element-wise ops (no derivatives) at n = 1024 * 4^k up to
             67108864 instead of the default sizes, for bench/plot.py
  --storage16  the ops (values) on bf16 and f16 arrays on the best ISA, both
             tiers ("<op>/<isa>[-fast]-<bf16|f16|bf16_f32|f16_f32>/<n>"),
             softmax and log_softmax on bf16 and f16 rows
             ("softmax/<isa>[-fast]-<bf16|f16>/<rows>x<cols>"), the
             conversions ("convert_<from>_to_<to>/<isa>/<n>") and memcpy of
             the 16-bit array ("memcpy/memcpy-16bit/<n>")
  --peer-values=FILE  no benchmark: every peer's element-wise ops on the
             accuracy plots' grid, written to FILE for
             scripts/accuracy_plots.py
  --engine   the engine calls on the best ISA, both tiers, against the calls
             they replace: SwiGLU, a masked softmax, bias + GELU on 4M
             elements ("<call>/<isa>[-fast]-<fused|unfused|plain>/<size>")
Google Benchmark's flags follow; its --benchmark_min_time defaults to 0.25.

)";
  benchmark::PrintDefaultHelp();
}

}  // namespace

// --peer-values=FILE: each peer's element-wise ops on the float32 values of
// 4001 points spaced evenly over [-8, 8] (scripts/accuracy_plots.py's grid),
// one line per peer and op: "<peer> <op>" and the outputs as C99 hex
// floats, after a first line "x" and the inputs. The plots draw the
// fastest peer's error beside vact's.
int WritePeerValues(const std::string& path) {
  constexpr std::size_t points = 4001;
  std::vector<float> x(points);
  for (std::size_t i = 0; i < points; ++i)
    x[i] = static_cast<float>(-8.0 + static_cast<double>(i) * (16.0 / 4000));
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) {
    std::perror(path.c_str());
    return 1;
  }
  const auto write_line = [out](const std::string& name,
                                const std::vector<float>& values) {
    std::fprintf(out, "%s", name.c_str());
    for (float v : values) std::fprintf(out, " %a", static_cast<double>(v));
    std::fprintf(out, "\n");
  };
  write_line("x", x);
  for (const vact_bench::Peer& peer : vact_bench::AvailablePeers()) {
    for (const vact_bench::PeerOp& op : peer.ops) {
      if (op.op == "softmax" || op.op == "log_softmax") continue;
      std::vector<float> y(points);
      const vact_bench::BoundKernel kernel =
          op.bind(x.data(), y.data(), 1, points);
      if (!kernel || !kernel()) {
        std::cerr << "--peer-values: " << peer.name << " " << op.op
                  << " did not run\n";
        continue;
      }
      write_line(peer.name + " " + op.op, y);
    }
  }
  return std::fclose(out) == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  // Before any peer exists, so that oneDNN runs on this thread only.
  const int onednn_threads = vact_bench::LimitPeersToOneThread();

  // The default --benchmark_min_time goes first, so that the user's wins.
  std::string default_min_time = kDefaultMinTimeFlag;
  std::vector<char*> args(argv, argv + argc);
  args.insert(args.begin() + std::min(argc, 1), default_min_time.data());
  const RunOptions options = TakeRunOptions(args);
  if (!options.peer_values.empty()) return WritePeerValues(options.peer_values);
  int args_count = static_cast<int>(args.size());
  args.push_back(nullptr);
  const std::string format = OutputFormat(argc, argv);
  benchmark::Initialize(&args_count, args.data(), PrintHelp);
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 1;

  // Our own reporter only replaces the console one; other formats (json,
  // csv) go to Google Benchmark's, untouched, so these lines go to stderr.
  const bool console = format == "console";
  std::ostream& header = console ? std::cout : std::cerr;
  header << "vact " << vact_version() << "\nCPU: " << CpuModel()
         << "\nactive ISA detected: " << vact_isa_name(vact_active_isa())
         << "\n";
  benchmark::AddCustomContext("vact_version", vact_version());
  benchmark::AddCustomContext("cpu_model", CpuModel());
  benchmark::AddCustomContext("vact_active_isa",
                              vact_isa_name(vact_active_isa()));

  std::vector<vact_bench::Peer> peers, peers16;
  if (options.peers) {
    peers = vact_bench::AvailablePeers();
    if (options.storage16) peers16 = vact_bench::AvailablePeers16();
    if (peers.empty()) {
      std::cerr << "--peers: no peer library in this build (configure with "
                   "them installed: scripts/benchmark-peers.sh)\n";
    }
    std::string descriptions;
    std::vector<vact_bench::Peer> all_peers = peers;
    all_peers.insert(all_peers.end(), peers16.begin(), peers16.end());
    for (const vact_bench::Peer& peer : all_peers) {
      header << "peer " << peer.name << ": " << peer.description << "\n";
      descriptions += (descriptions.empty() ? "" : "; ") + peer.name + ": " +
                      peer.description;
    }
    if (onednn_threads > 0) {
      header << "OMP_NUM_THREADS=1 set by vact_bench (oneDNN uses "
             << onednn_threads << " thread)\n";
    }
    benchmark::AddCustomContext("peers", descriptions);
    // Once, before any timing: a peer that computes something else would be
    // timed for nothing.
    const vact_bench::PeerCheckResult check =
        vact_bench::CheckPeersAgainst(all_peers, VactReference);
    for (const std::string& failure : check.failures) {
      std::cerr << "WARNING: peer check: " << failure << "\n";
    }
    const std::string summary =
        std::to_string(check.checked) + " peer outputs compared with vact's, " +
        std::to_string(check.failures.size()) +
        " beyond their tolerance (1e-3 relative for f32 peers)";
    header << "peer check: " << summary << "\n";
    std::string failures;
    for (const std::string& failure : check.failures) {
      failures += (failures.empty() ? "" : "; ") + failure;
    }
    benchmark::AddCustomContext("peer_check", summary);
    benchmark::AddCustomContext("peer_check_failures", failures);
  }

  const std::vector<Variant> variants = SupportedVariants();
  RegisterAll(variants, peers, options);
  if (options.storage16) RegisterStorage16(options, peers16);
  if (options.engine) vact_bench::RegisterEngineBenchmarks(vact_active_isa());
  if (options.threads)
    vact_bench::RegisterThreadBenchmarks(ThreadIsas(variants));
  if (console) {
    std::vector<std::string> isa_names;
    for (const Variant& variant : variants) {
      if (variant.isa.has_value()) isa_names.push_back(variant.name);
    }
    SummaryReporter reporter(isatty(fileno(stdout))
                                 ? benchmark::ConsoleReporter::OO_Color
                                 : benchmark::ConsoleReporter::OO_None,
                             std::move(isa_names));
    benchmark::RunSpecifiedBenchmarks(&reporter);
  } else {
    benchmark::RunSpecifiedBenchmarks();
  }
  benchmark::Shutdown();
  return 0;
}
