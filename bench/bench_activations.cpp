// SPDX-License-Identifier: Apache-2.0
//
// vact_bench: throughput of every vact kernel against the loop a user would
// write without vact ("textbook": plain scalar code, which the compiler
// auto-vectorises where it can at baseline flags), on every ISA this CPU
// supports, with memcpy as the memory-bandwidth limit.
//
// Benchmark names are "<op>/<variant>/<size>": variant is "textbook", an ISA
// name as vact_isa_name() spells it, or "memcpy"; size is n, or
// "<rows>x<cols>" for softmax and log_softmax. After Google Benchmark's usual
// console output comes a markdown summary (G elements/s and speedups), the
// table the README embeds. Quick run:
//   vact_bench --benchmark_filter='sigmoid|relu' --benchmark_min_time=0.05

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
#include <new>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "vact/vact.h"

namespace {

// Moderate default so that a full run (~380 benchmarks) takes a few minutes.
// Google Benchmark 1.7.1 parses this flag as a plain double in seconds (the
// "0.2s" form came in 1.8); a --benchmark_min_time given by the user wins.
constexpr const char* kDefaultMinTimeFlag = "--benchmark_min_time=0.25";

constexpr std::size_t kSizes[] = {1000, 16384, 262144, 4194304};

struct RowsShape {
  std::size_t rows;
  std::size_t cols;
};
// Small classifier head, a typical hidden size, an LLM vocabulary.
constexpr RowsShape kRowsShapes[] = {{4096, 10}, {1024, 1000}, {64, 32000}};

// ---- buffers ---------------------------------------------------------------

// A float array aligned to 64 bytes (a cache line and an AVX-512 vector).
class AlignedFloats {
 public:
  explicit AlignedFloats(std::size_t n) : data_(Allocate(n)) {}
  float* data() const { return data_.get(); }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  static float* Allocate(std::size_t n) {
    constexpr std::size_t kAlignment = 64;
    // aligned_alloc wants the size to be a multiple of the alignment.
    const std::size_t bytes =
        (std::max<std::size_t>(n, 1) * sizeof(float) + kAlignment - 1) /
        kAlignment * kAlignment;
    void* p = std::aligned_alloc(kAlignment, bytes);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<float*>(p);
  }
  std::unique_ptr<float, Free> data_;
};

// n floats uniform in [-10, 10] (both branches of relu/elu, the saturated
// ends of sigmoid/tanh), from a fixed seed. Made once per size and shared by
// every variant, which therefore sees the same bits; Google Benchmark calls a
// benchmark function several times while it sizes the iteration count, and
// regenerating 4M numbers each time would slow the run down for nothing.
// Benchmarks run on one thread, so the cache needs no lock.
const float* UniformInput(std::size_t n) {
  static std::map<std::size_t, AlignedFloats> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    AlignedFloats input(n);
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
    for (std::size_t i = 0; i < n; ++i) input.data()[i] = uniform(rng);
    it = cache.emplace(n, std::move(input)).first;
  }
  return it->second.data();
}

// ---- textbook formulas: what a user writes without vact ------------------

constexpr float kEluAlpha = 1.0f;  // PyTorch's default
// PyTorch's selu constants, rounded to float.
constexpr float kSeluLambda = 0x1.0cfabep+0f;  // 1.0507009873554804934...
constexpr float kSeluAlpha = 0x1.ac5afap+0f;   // 1.6732632423543772848...

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

constexpr float kLeakySlope = 0.01f;             // PyTorch's default
constexpr float kGeluTanhScale = 0.7978845608f;  // sqrt(2/pi)

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

vact_status VactElu(const float* x, float* y, std::size_t n) {
  return vact_elu_f32(x, y, n, kEluAlpha);
}
vact_status VactEluDerivative(const float* x, float* dydx, std::size_t n) {
  return vact_elu_derivative_f32(x, dydx, n, kEluAlpha);
}
vact_status VactLeakyRelu(const float* x, float* y, std::size_t n) {
  return vact_leaky_relu_f32(x, y, n, kLeakySlope);
}
vact_status VactLeakyReluDerivative(const float* x, float* dydx,
                                    std::size_t n) {
  return vact_leaky_relu_derivative_f32(x, dydx, n, kLeakySlope);
}

struct ElementwiseOp {
  const char* name;
  void (*textbook)(const float* x, float* y, std::size_t n);
  vact_status (*vact)(const float* x, float* y, std::size_t n);
};

const ElementwiseOp kElementwiseOps[] = {
    {"step", TextbookLoop<StepTextbook>, vact_step_f32},
    {"relu", TextbookLoop<ReluTextbook>, vact_relu_f32},
    {"sigmoid", TextbookLoop<SigmoidTextbook>, vact_sigmoid_f32},
    {"tanh", TextbookLoop<TanhTextbook>, vact_tanh_f32},
    {"elu", TextbookLoop<EluTextbook>, VactElu},
    {"selu", TextbookLoop<SeluTextbook>, vact_selu_f32},
    {"softplus", TextbookLoop<SoftplusTextbook>, vact_softplus_f32},
    {"gelu_tanh", TextbookLoop<GeluTanhTextbook>, vact_gelu_tanh_f32},
    {"silu", TextbookLoop<SiluTextbook>, vact_silu_f32},
    {"mish", TextbookLoop<MishTextbook>, vact_mish_f32},
    {"hardsigmoid", TextbookLoop<HardsigmoidTextbook>, vact_hardsigmoid_f32},
    {"hardswish", TextbookLoop<HardswishTextbook>, vact_hardswish_f32},
    {"softsign", TextbookLoop<SoftsignTextbook>, vact_softsign_f32},
    {"leaky_relu", TextbookLoop<LeakyReluTextbook>, VactLeakyRelu},
    {"step_derivative", TextbookLoop<StepDerivativeTextbook>,
     vact_step_derivative_f32},
    {"relu_derivative", TextbookLoop<ReluDerivativeTextbook>,
     vact_relu_derivative_f32},
    {"sigmoid_derivative", TextbookLoop<SigmoidDerivativeTextbook>,
     vact_sigmoid_derivative_f32},
    {"tanh_derivative", TextbookLoop<TanhDerivativeTextbook>,
     vact_tanh_derivative_f32},
    {"elu_derivative", TextbookLoop<EluDerivativeTextbook>, VactEluDerivative},
    {"selu_derivative", TextbookLoop<SeluDerivativeTextbook>,
     vact_selu_derivative_f32},
    {"softplus_derivative", TextbookLoop<SoftplusDerivativeTextbook>,
     vact_softplus_derivative_f32},
    {"gelu_tanh_derivative", TextbookLoop<GeluTanhDerivativeTextbook>,
     vact_gelu_tanh_derivative_f32},
    {"silu_derivative", TextbookLoop<SiluDerivativeTextbook>,
     vact_silu_derivative_f32},
    {"mish_derivative", TextbookLoop<MishDerivativeTextbook>,
     vact_mish_derivative_f32},
    {"hardsigmoid_derivative", TextbookLoop<HardsigmoidDerivativeTextbook>,
     vact_hardsigmoid_derivative_f32},
    {"hardswish_derivative", TextbookLoop<HardswishDerivativeTextbook>,
     vact_hardswish_derivative_f32},
    {"softsign_derivative", TextbookLoop<SoftsignDerivativeTextbook>,
     vact_softsign_derivative_f32},
    {"leaky_relu_derivative", TextbookLoop<LeakyReluDerivativeTextbook>,
     VactLeakyReluDerivative},
};

struct RowsOp {
  const char* name;
  void (*textbook)(const float* x, float* y, std::size_t rows,
                   std::size_t cols);
  vact_status (*vact)(const float* x, float* y, std::size_t rows,
                      std::size_t cols);
};

const RowsOp kRowsOps[] = {
    {"softmax", SoftmaxTextbook, vact_softmax_f32},
    {"log_softmax", LogSoftmaxTextbook, vact_log_softmax_f32},
};

// "textbook", or vact on one ISA.
struct Variant {
  std::string name;
  std::optional<vact_isa> isa;  // empty: textbook
};

constexpr const char* kTextbook = "textbook";
constexpr const char* kMemcpy = "memcpy";

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

// ---- registration ----------------------------------------------------------

// textbook, then every ISA this CPU and build support; one stderr line for
// each ISA left out.
std::vector<Variant> SupportedVariants() {
  std::vector<Variant> variants = {{kTextbook, std::nullopt}};
  for (int i = VACT_ISA_SCALAR; i <= VACT_ISA_NEON; ++i) {
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

// All variants of one op and size are registered together, so that they
// appear next to each other in the console output.
void RegisterAll(const std::vector<Variant>& variants) {
  for (const ElementwiseOp& op : kElementwiseOps) {
    for (const std::size_t n : kSizes) {
      for (const Variant& variant : variants) {
        Register(op.name, variant.name, std::to_string(n),
                 [op, isa = variant.isa, n](benchmark::State& state) {
                   RunTimed(state, isa, n, [&](const float* x, float* y) {
                     if (isa.has_value()) return op.vact(x, y, n) == VACT_OK;
                     op.textbook(x, y, n);
                     return true;
                   });
                 });
      }
    }
  }
  for (const RowsOp& op : kRowsOps) {
    for (const RowsShape shape : kRowsShapes) {
      const std::string size =
          std::to_string(shape.rows) + "x" + std::to_string(shape.cols);
      for (const Variant& variant : variants) {
        Register(op.name, variant.name, size,
                 [op, isa = variant.isa, shape](benchmark::State& state) {
                   RunTimed(state, isa, shape.rows * shape.cols,
                            [&](const float* x, float* y) {
                              if (isa.has_value()) {
                                return op.vact(x, y, shape.rows, shape.cols) ==
                                       VACT_OK;
                              }
                              op.textbook(x, y, shape.rows, shape.cols);
                              return true;
                            });
                 });
      }
    }
  }
  for (const std::size_t n : kSizes) {
    Register(kMemcpy, kMemcpy, std::to_string(n), [n](benchmark::State& state) {
      RunTimed(state, std::nullopt, n, [n](const float* x, float* y) {
        std::memcpy(y, x, n * sizeof(float));
        return true;
      });
    });
  }
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
             "speedups over the textbook loop\n\n";
      speed.Print(out);
    }
    const MarkdownTable bandwidth = ReluVsMemcpyTable();
    if (!bandwidth.empty()) {
      out << "\nrelu against the memory-bandwidth limit (memcpy of the same "
             "n floats), in G elements/s\n\n";
      bandwidth.Print(out);
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

  // The fastest ISA of a cell and its rate.
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
    if (HasAvx2()) headers.push_back(">avx2 vs textbook");
    MarkdownTable table(std::move(headers));
    for (const Cell& cell : cells_) {
      if (cell.op == kMemcpy) continue;
      const std::optional<double> textbook = GigaRate(cell, kTextbook);
      std::vector<std::string> row = {cell.op, cell.size, FormatRate(textbook)};
      for (const std::string& isa : isa_names_) {
        row.push_back(FormatRate(GigaRate(cell, isa)));
      }
      const auto [best_isa, best_rate] = Best(cell);
      row.push_back(best_isa);
      row.push_back(FormatSpeedup(best_rate, textbook));
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

}  // namespace

int main(int argc, char** argv) {
  // The default --benchmark_min_time goes first, so that the user's wins.
  std::string default_min_time = kDefaultMinTimeFlag;
  std::vector<char*> args(argv, argv + argc);
  args.insert(args.begin() + std::min(argc, 1), default_min_time.data());
  int args_count = static_cast<int>(args.size());
  args.push_back(nullptr);
  const std::string format = OutputFormat(argc, argv);
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 1;

  // Our own reporter only replaces the console one; other formats (json,
  // csv) go to Google Benchmark's, untouched, so this line goes to stderr.
  const bool console = format == "console";
  (console ? std::cout : std::cerr)
      << "vact " << vact_version() << "\nCPU: " << CpuModel()
      << "\nactive ISA detected: " << vact_isa_name(vact_active_isa()) << "\n";

  const std::vector<Variant> variants = SupportedVariants();
  RegisterAll(variants);
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
