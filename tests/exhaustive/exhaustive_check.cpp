// SPDX-License-Identifier: Apache-2.0
//
// vact_exhaustive: every element-wise op and derivative, on every ISA this
// CPU runs, over all 2^32 float bit patterns (or every k-th with --stride),
// against the double-precision references of the test suite's op table.
// Reports per (op, ISA): max ULP and where, mean ULP, share of correctly
// rounded results, results outside the op's range, monotonicity breaks,
// and a hash of all output bits. Fails (exit 1) when an op exceeds its
// published bound, leaves its range or its monotonicity, gives a NaN input
// back as anything but itself quieted (x + x), or when an FMA ISA's hash
// (every bit, NaNs included) differs from the scalar table's.
//
//   vact_exhaustive                  # all 2^32 inputs (an hour or more)
//   vact_exhaustive --stride 127 --tier both   # the sampled run CI does
//   vact_exhaustive --ops sigmoid,tanh --threads 2
//   vact_exhaustive --tier fast      # the fast tier's own kernels (or both)
//   vact_exhaustive --ops swish,softcap --params beta=-0.5,cap=4
//                                    # other parameters than the op table's
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../error_bound.hpp"
#include "../op_catalogue.hpp"
#include "../test_support.hpp"
#include "checks.hpp"
#include "dispatch.hpp"
#include "function_jobs.hpp"

namespace vact_test {
namespace {

using vact::detail::kernel_table;

constexpr std::uint64_t all_patterns = std::uint64_t{1} << 32;
constexpr std::size_t chunk_size = std::size_t{1} << 16;

struct options {
  std::uint64_t stride = 1;
  std::string params;  // "beta=0.5,cap=4": overrides the op table's
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> ops;  // empty: all
  tier_selection tiers;
};

struct stats {
  double max_ulp = 0;
  float worst_input = 0;
  double sum_ulp = 0;
  std::uint64_t count = 0;
  std::uint64_t correctly_rounded = 0;
  std::uint64_t over_bound = 0;
  float first_over_bound = 0;
  std::uint64_t out_of_range = 0;
  std::uint64_t not_monotone = 0;
  float first_not_monotone = 0;
  std::uint64_t nan_changed = 0;  // NaN in, not that NaN quieted out
  std::uint64_t asymmetric = 0;

  void merge(const stats& o) {
    if (o.max_ulp > max_ulp) {
      max_ulp = o.max_ulp;
      worst_input = o.worst_input;
    }
    sum_ulp += o.sum_ulp;
    count += o.count;
    correctly_rounded += o.correctly_rounded;
    if (over_bound == 0 && o.over_bound > 0)
      first_over_bound = o.first_over_bound;
    over_bound += o.over_bound;
    out_of_range += o.out_of_range;
    if (not_monotone == 0 && o.not_monotone > 0)
      first_not_monotone = o.first_not_monotone;
    not_monotone += o.not_monotone;
    nan_changed += o.nan_changed;
    asymmetric += o.asymmetric;
  }
};

// A hash of the output bits, NaN signs and payloads included: four
// interleaved multiply-xor chains (one serial chain per byte, as FNV-1a
// does, dominated the checker's run time), folded at the end.
std::uint64_t hash_outputs(const float* y, std::size_t n) {
  constexpr std::uint64_t prime = 0x100000001b3ull;
  std::uint64_t h[4] = {0xcbf29ce484222325ull, 0x84222325cbf29ce4ull,
                        0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full};
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t b = bits(y[i]);
    h[i % 4] = (h[i % 4] ^ b) * prime;
  }
  return ((h[0] * prime ^ h[1]) * prime ^ h[2]) * prime ^ h[3];
}

// Sample i of the run: bit pattern i * stride; past the patterns, the
// dense grid and the specials of the test suite (always included).
class input_set {
 public:
  explicit input_set(std::uint64_t stride) : stride_(stride) {
    for (int i = -20 * 4096; i <= 20 * 4096; ++i)
      extra_.push_back(static_cast<float>(i) / 4096.0f);
    for (float f : special_inputs()) extra_.push_back(f);
  }
  std::uint64_t patterns() const { return (all_patterns - 1) / stride_ + 1; }
  std::uint64_t size() const { return patterns() + extra_.size(); }
  float operator[](std::uint64_t i) const {
    if (i < patterns())
      return from_bits(static_cast<std::uint32_t>(i * stride_));
    return extra_[i - patterns()];
  }

 private:
  std::uint64_t stride_;
  std::vector<float> extra_;
};

// Whether f(a) <= f(b) is required for inputs a, b (a before b in the
// sampled order): both patterns, same sign, ordered by value.
bool ordered_pair(float a, float b, float* low, float* high) {
  if (std::isnan(a) || std::isnan(b)) return false;
  if (a <= b) {
    *low = a;
    *high = b;
  } else {
    *low = b;
    *high = a;
  }
  return true;
}

struct isa_run {
  const kernel_table* table;
  std::vector<std::uint64_t> chunk_hashes;
  stats total;
};

void run_chunk(const function_job& j, const input_set& inputs,
               std::uint64_t begin, std::uint64_t end,
               std::vector<isa_run>& runs, std::size_t chunk_index,
               std::mutex& merge_lock) {
  const op_case& c = *j.op;
  const double bound = j.derivative ? c.max_derivative_ulp : c.max_value_ulp;
  const auto reference = j.derivative ? c.derivative : c.value;
  const vact::detail::op_parameters parameters =
      vact::detail::parameters_of(c.op, &c.params);
  const bool check_shape = !j.derivative;
  const bool symmetric =
      check_shape && (c.op == VACT_OP_SIGMOID || c.op == VACT_OP_TANH);

  // One extra input before the chunk, for the monotonicity pair across
  // the chunk boundary.
  const std::uint64_t first = begin > 0 ? begin - 1 : 0;
  const std::size_t n = static_cast<std::size_t>(end - first);
  std::vector<float> x(n), y(n), y_negated(n), x_negated(n);
  std::vector<double> exact(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = inputs[first + i];
    x_negated[i] = -x[i];
    exact[i] =
        std::isnan(x[i]) ? 0.0 : reference(static_cast<double>(x[i]), c.params);
  }
  const std::size_t skip = begin > first ? 1 : 0;

  // The FMA ISAs give the same bits (and sse4.1 those of sse2): an ISA whose
  // outputs equal an earlier one's in this chunk reuses its statistics.
  struct evaluated {
    std::vector<float> y, y_negated;
    stats s;
    std::uint64_t hash;
  };
  std::vector<evaluated> seen;
  for (isa_run& run : runs) {
    const vact::detail::tier_storage_kernels& kernels = run.table->at(
        c.fast() ? vact::detail::tier::fast : vact::detail::tier::precise,
        vact::detail::storage::f32);
    const auto kernel =
        (j.derivative ? kernels.derivative : kernels.value)[c.op];
    kernel(x.data(), y.data(), n, parameters);
    if (symmetric) kernel(x_negated.data(), y_negated.data(), n, parameters);
    const auto same = std::find_if(seen.begin(), seen.end(), [&](auto& e) {
      return std::memcmp(e.y.data(), y.data(), n * sizeof(float)) == 0 &&
             (!symmetric || std::memcmp(e.y_negated.data(), y_negated.data(),
                                        n * sizeof(float)) == 0);
    });
    if (same != seen.end()) {
      std::lock_guard<std::mutex> lock(merge_lock);
      run.chunk_hashes[chunk_index] = same->hash;
      run.total.merge(same->s);
      continue;
    }
    stats s;
    for (std::size_t i = skip; i < n; ++i) {
      if (std::isnan(x[i])) {
        if (bits(y[i]) != (bits(x[i]) | 0x00400000u)) ++s.nan_changed;
        continue;
      }
      const double ulp = ulp_error(y[i], exact[i]);
      // The bound test of the test suite (error_bound.hpp); the statistics
      // leave out the results the absolute floor covers.
      const bool within_floor =
          within_abs_floor(c, j.derivative, exact[i], y[i]);
      if (!ulp_within_bound(c, j.derivative, ulp, within_floor) &&
          s.over_bound++ == 0)
        s.first_over_bound = x[i];
      if (!within_floor) {
        if (ulp > s.max_ulp) {
          s.max_ulp = ulp;
          s.worst_input = x[i];
        }
        s.sum_ulp += std::isfinite(ulp) ? ulp : 0.0;
        ++s.count;
        if (ulp <= 0.5) ++s.correctly_rounded;
      }
      if (!check_shape) continue;
      const double v = static_cast<double>(y[i]);
      if (v < c.range_min || v > c.range_max) ++s.out_of_range;
      if (c.monotone && i > 0) {
        float low = 0, high = 0;
        if (ordered_pair(x[i - 1], x[i], &low, &high)) {
          const float f_low = low == x[i] ? y[i] : y[i - 1];
          const float f_high = low == x[i] ? y[i - 1] : y[i];
          if (f_low > f_high && s.not_monotone++ == 0)
            s.first_not_monotone = low;
        }
      }
      if (symmetric) {
        // tanh(-x) = -tanh(x) exactly; sigmoid(-x) = 1 - sigmoid(x) within
        // the bound, in ULPs of the larger of the two.
        const double a = static_cast<double>(y[i]);
        const double b = static_cast<double>(y_negated[i]);
        const double larger = std::max(std::fabs(a), std::fabs(b));
        const double target = c.op == VACT_OP_TANH ? -a : 1.0 - a;
        if (c.op == VACT_OP_TANH
                ? b != target
                : ulp_error(static_cast<float>(larger),
                            larger + std::fabs(b - target)) > bound)
          ++s.asymmetric;
      }
    }
    const std::uint64_t h = hash_outputs(y.data() + skip, n - skip);
    seen.push_back({y, y_negated, s, h});
    std::lock_guard<std::mutex> lock(merge_lock);
    run.chunk_hashes[chunk_index] = h;
    run.total.merge(s);
  }
}

bool run_job(const function_job& j, const input_set& inputs,
             const std::vector<vact_isa>& isas, const options& opt) {
  std::vector<isa_run> runs;
  const std::uint64_t total = inputs.size();
  const std::size_t chunks =
      static_cast<std::size_t>((total + chunk_size - 1) / chunk_size);
  for (vact_isa isa : isas)
    runs.push_back({vact::detail::runnable_table(isa),
                    std::vector<std::uint64_t>(chunks), stats{}});

  std::atomic<std::size_t> next{0};
  std::mutex merge_lock;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < opt.threads; ++t) {
    workers.emplace_back([&] {
      for (std::size_t k; (k = next.fetch_add(1)) < chunks;) {
        const std::uint64_t begin = std::uint64_t{k} * chunk_size;
        const std::uint64_t end = std::min(total, begin + chunk_size);
        run_chunk(j, inputs, begin, end, runs, k, merge_lock);
      }
    });
  }
  for (std::thread& w : workers) w.join();

  const op_case& c = *j.op;
  const double bound = j.derivative ? c.max_derivative_ulp : c.max_value_ulp;
  std::uint64_t scalar_hash = 0;
  bool ok = true;
  for (isa_run& run : runs) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::uint64_t chunk_hash : run.chunk_hashes)
      h = (h ^ chunk_hash) * 0x100000001b3ull;
    if (run.table->isa == VACT_ISA_SCALAR) scalar_hash = h;
    const bool identical = !isa_has_fma(run.table->isa) ||
                           run.table->isa == VACT_ISA_SCALAR ||
                           scalar_hash == 0 || h == scalar_hash;
    const stats& s = run.total;
    // The fast tier publishes its decreasing steps (goal 0) rather than
    // promising none.
    const bool monotone_ok = s.not_monotone == 0 || c.fast();
    const bool passed = s.over_bound == 0 && s.out_of_range == 0 &&
                        monotone_ok && s.nan_changed == 0 &&
                        s.asymmetric == 0 && identical;
    ok &= passed;
    std::printf(
        "| %s | %s | %.3f | %.9g | %.4f | %.3f%% | %llu | %llu | %llu | "
        "%016llx%s | %g | %s |\n",
        j.label().c_str(), run.table->name, s.max_ulp,
        static_cast<double>(s.worst_input),
        s.count ? s.sum_ulp / static_cast<double>(s.count) : 0.0,
        s.count ? 100.0 * static_cast<double>(s.correctly_rounded) /
                      static_cast<double>(s.count)
                : 0.0,
        static_cast<unsigned long long>(s.out_of_range),
        static_cast<unsigned long long>(s.not_monotone),
        static_cast<unsigned long long>(s.asymmetric),
        static_cast<unsigned long long>(h), identical ? "" : " (differs)",
        bound, passed ? "ok" : "FAIL");
    if (s.over_bound > 0)
      std::fprintf(stderr,
                   "%s on %s: %llu results over %g ULP, first at %.9g\n",
                   j.label().c_str(), run.table->name,
                   static_cast<unsigned long long>(s.over_bound), bound,
                   static_cast<double>(s.first_over_bound));
    if (s.not_monotone > 0)
      std::fprintf(stderr, "%s on %s: %llu decreasing pairs, first at %.9g\n",
                   j.label().c_str(), run.table->name,
                   static_cast<unsigned long long>(s.not_monotone),
                   static_cast<double>(s.first_not_monotone));
    if (s.nan_changed > 0)
      std::fprintf(stderr,
                   "%s on %s: %llu NaN inputs did not come back quieted\n",
                   j.label().c_str(), run.table->name,
                   static_cast<unsigned long long>(s.nan_changed));
    std::fflush(stdout);
  }
  return ok;
}

// Sets the fields "name=value,..." names; false for an unknown name or
// a value that is not a number.
bool set_params(const std::string& list, vact_params& p) {
  for (const std::string& item : split_names(list)) {
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos) return false;
    const std::string name = item.substr(0, equals);
    const char* text = item.c_str() + equals + 1;
    char* end = nullptr;
    const float value = std::strtof(text, &end);
    if (end == text || *end != '\0') return false;
    if (name == "alpha")
      p.alpha = value;
    else if (name == "slope")
      p.slope = value;
    else if (name == "beta")
      p.beta = value;
    else if (name == "lo")
      p.lo = value;
    else if (name == "hi")
      p.hi = value;
    else if (name == "cap")
      p.cap = value;
    else
      return false;
  }
  return true;
}

int usage() {
  std::fprintf(stderr,
               "usage: vact_exhaustive [--stride K] [--threads N] "
               "[--ops name,name...] [--tier precise|fast|both] "
               "[--params alpha|slope|beta|lo|hi|cap=V,...]\n");
  return 2;
}

}  // namespace
}  // namespace vact_test

int main(int argc, char** argv) {
  using namespace vact_test;
  options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string value = argv[++i];
    if (arg == "--stride") {
      opt.stride = std::strtoull(value.c_str(), nullptr, 10);
      if (opt.stride == 0) return usage();
    } else if (arg == "--threads") {
      opt.threads =
          static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
      if (opt.threads == 0) return usage();
    } else if (arg == "--ops") {
      opt.ops = split_names(value);
    } else if (arg == "--params") {
      opt.params = value;
    } else if (arg == "--tier") {
      if (value != "precise" && value != "fast" && value != "both")
        return usage();
      opt.tiers.precise = value != "fast";
      opt.tiers.fast = value != "precise";
    } else {
      return usage();
    }
  }

  // Scalar first: the FMA ISAs' hashes are compared with it.
  std::vector<vact_isa> isas;
  for (int i = 0; i < VACT_ISA_COUNT; ++i)
    if (vact_isa_supported(static_cast<vact_isa>(i)))
      isas.push_back(static_cast<vact_isa>(i));

  const input_set inputs(opt.stride);
  std::printf(
      "vact_exhaustive: %llu inputs per op (bit patterns with stride "
      "%llu, plus the [-20, 20] grid and specials), %u threads, "
      "vact %s\n\n",
      static_cast<unsigned long long>(inputs.size()),
      static_cast<unsigned long long>(opt.stride), opt.threads, vact_version());
  std::printf(
      "| op | isa | max ULP | at x | mean ULP | correctly rounded | "
      "out of range | not monotone | asymmetric | hash | bound | |\n"
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
      "--- | ---: | --- |\n");
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;
  std::vector<function_job> jobs = function_jobs(opt.ops, opt.tiers);
  // With --params, each job runs a copy of its op's row with them.
  std::deque<op_case> with_params;
  if (!opt.params.empty()) {
    for (function_job& j : jobs) {
      with_params.push_back(*j.op);
      if (!set_params(opt.params, with_params.back().params)) return usage();
      j.op = &with_params.back();
    }
    std::printf("parameters: %s\n\n", opt.params.c_str());
  }
  for (const function_job& j : jobs) ok &= run_job(j, inputs, isas, opt);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("\n%s in %.0f s\n", ok ? "all bounds hold" : "FAILED", seconds);
  return ok ? 0 : 1;
}
