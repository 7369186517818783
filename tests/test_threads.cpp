// SPDX-License-Identifier: Apache-2.0
//
// vact_thread_test: several threads call every kernel while another one
// switches the ISA with vact_set_isa in a loop. Each call runs on one ISA
// (one load of the dispatcher's atomic pointer), so its whole output must
// equal, bit for bit, what some supported ISA gives for it alone: the
// scalar table's bits for the FMA ISAs, sse2's or sse4.1's for those. The
// first calls also race the detection on first use (a compare_exchange).
// Meant to run under ThreadSanitizer too (the `tsan` preset). Exit status 0
// when every result was valid.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vact/vact.h"

namespace {

constexpr int worker_count = 3;
constexpr int rounds = 300;     // per worker, over every kernel
constexpr std::size_t n = 257;  // 4 vectors of 16, unrolled, and a tail
constexpr std::size_t rows = 3, cols = 85;

// A kernel of the table: element-wise value or derivative, or rows.
struct kernel {
  std::string name;
  int op;  // vact_op, or -1 softmax, -2 log_softmax, -3 SwiGLU, -4 a
           // masked attention softmax, -5 a bf16 softmax
  bool derivative;
};

std::vector<kernel> all_kernels() {
  std::vector<kernel> kernels;
  for (int i = 0; i < VACT_OP_COUNT; ++i) {
    const std::string name = vact_op_name(static_cast<vact_op>(i));
    kernels.push_back({name, i, false});
    kernels.push_back({name + "'", i, true});
  }
  kernels.push_back({"softmax", -1, false});
  kernels.push_back({"log_softmax", -2, false});
  kernels.push_back({"gated silu", -3, false});
  kernels.push_back({"softmax_ex", -4, false});
  kernels.push_back({"softmax bf16", -5, false});
  return kernels;
}

std::vector<float> element_inputs() {
  constexpr float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = -30.0f + 60.0f * static_cast<float>(i) / static_cast<float>(n);
  const float specials[] = {
      0.0f,  -0.0f,  inf,     -inf,  1e-45f,
      1e30f, -1e30f, -100.0f, 89.0f, std::numeric_limits<float>::quiet_NaN()};
  for (std::size_t i = 0; i < sizeof specials / sizeof specials[0]; ++i)
    x[i * 23] = specials[i];
  return x;
}

std::vector<float> row_inputs() {
  std::vector<float> x(rows * cols);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = -20.0f + 40.0f * static_cast<float>((i * 7919) % 1009) / 1009.0f;
  return x;
}

vact_status run(const kernel& k, const float* x, float* y) {
  if (k.op == -1) return vact_softmax_f32(x, y, rows, cols);
  if (k.op == -2) return vact_log_softmax_f32(x, y, rows, cols);
  if (k.op == -3) return vact_gated_f32(VACT_OP_SILU, nullptr, x, x, y, n);
  if (k.op == -4) {
    // Every third key hidden, a soft cap and a sink per row.
    static const std::vector<float> mask = [] {
      std::vector<float> m(cols);
      for (std::size_t j = 0; j < cols; ++j)
        m[j] = j % 3 == 2 ? -std::numeric_limits<float>::infinity() : 0.0f;
      return m;
    }();
    static const float sinks[rows] = {1.0f, 30.0f, -2.0f};
    vact_softmax_params p = VACT_SOFTMAX_PARAMS_INIT;
    p.scale = 0.5f;
    p.softcap = 8.0f;
    p.mask = mask.data();
    p.sinks = sinks;
    return vact_softmax_ex_f32(x, cols, y, cols, rows, cols, &p);
  }
  if (k.op == -5) {
    // Rounded to bf16, softmax on bf16 rows, widened back (the conversions
    // give the same bits on every ISA).
    std::vector<std::uint16_t> in(rows * cols), out(rows * cols);
    const vact_status narrowed =
        vact_convert_f32_to_bf16(x, in.data(), in.size());
    if (narrowed != VACT_OK) return narrowed;
    const vact_status status =
        vact_softmax_bf16(in.data(), out.data(), rows, cols);
    if (status != VACT_OK) return status;
    return vact_convert_bf16_to_f32(out.data(), y, out.size());
  }
  const auto op = static_cast<vact_op>(k.op);
  return k.derivative ? vact_apply_derivative_f32(op, nullptr, x, y, n)
                      : vact_apply_f32(op, nullptr, x, y, n);
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::uint32_t ba, bb;
    std::memcpy(&ba, &a[i], sizeof ba);
    std::memcpy(&bb, &b[i], sizeof bb);
    if (ba != bb && !(std::isnan(a[i]) && std::isnan(b[i]))) return false;
  }
  return true;
}

std::vector<vact_isa> supported_isas() {
  std::vector<vact_isa> isas;
  for (int i = 0; i < VACT_ISA_COUNT; ++i)
    if (vact_isa_supported(static_cast<vact_isa>(i)))
      isas.push_back(static_cast<vact_isa>(i));
  return isas;
}

struct failures {
  std::atomic<long> count{0};
  std::mutex mutex;
  std::string first;
  void add(const std::string& what) {
    if (count.fetch_add(1) == 0) {
      std::lock_guard<std::mutex> lock(mutex);
      first = what;
    }
  }
};

}  // namespace

int main() {
  const std::vector<kernel> kernels = all_kernels();
  const std::vector<float> x = element_inputs();
  const std::vector<float> x_rows = row_inputs();
  const auto input_of = [&](const kernel& k) -> const std::vector<float>& {
    return k.op < 0 && k.op != -3 ? x_rows : x;
  };
  failures failed;

  // 1. Every worker's first call races the detection on first use.
  std::vector<std::vector<float>> first_results(worker_count);
  {
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < worker_count; ++t) {
      threads.emplace_back([&, t] {
        std::vector<float> y(n);
        ready.fetch_add(1);
        while (ready.load() < worker_count) {
        }
        if (vact_sigmoid_f32(x.data(), y.data(), n) != VACT_OK)
          failed.add("first sigmoid call failed");
        first_results[static_cast<std::size_t>(t)] = y;
      });
    }
    for (std::thread& t : threads) t.join();
  }

  // 2. What each supported ISA gives for each kernel, alone.
  const std::vector<vact_isa> isas = supported_isas();
  std::vector<std::vector<std::vector<float>>> valid(kernels.size());
  for (vact_isa isa : isas) {
    if (vact_set_isa(isa) != VACT_OK) return 1;
    for (std::size_t k = 0; k < kernels.size(); ++k) {
      std::vector<float> y(input_of(kernels[k]).size());
      if (run(kernels[k], input_of(kernels[k]).data(), y.data()) != VACT_OK)
        return 1;
      bool known = false;
      for (const std::vector<float>& v : valid[k]) known |= same_bits(v, y);
      if (!known) valid[k].push_back(y);
    }
  }
  const std::size_t sigmoid_index = 2 * VACT_OP_SIGMOID;
  for (const std::vector<float>& y : first_results) {
    bool ok = false;
    for (const std::vector<float>& v : valid[sigmoid_index])
      ok |= same_bits(v, y);
    if (!ok) failed.add("a first-use sigmoid result matches no ISA");
  }

  // 3. Workers call every kernel while the switcher changes the ISA.
  std::atomic<int> workers_done{0};
  std::atomic<long> switches{0}, calls{0};
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    std::size_t i = 0;
    while (workers_done.load() < worker_count) {
      if (vact_set_isa(isas[i++ % isas.size()]) != VACT_OK)
        failed.add("vact_set_isa refused a supported ISA");
      if (vact_isa_supported(vact_active_isa()) == 0)
        failed.add("the active ISA is not a supported one");
      switches.fetch_add(1);
    }
  });
  for (int t = 0; t < worker_count; ++t) {
    threads.emplace_back([&, t] {
      std::vector<float> y;
      for (int round = 0; round < rounds; ++round) {
        for (std::size_t i = 0; i < kernels.size(); ++i) {
          // Each worker walks the kernels from its own starting point.
          const std::size_t k =
              (i + static_cast<std::size_t>(t) * 7) % kernels.size();
          const std::vector<float>& in = input_of(kernels[k]);
          y.assign(in.size(), 0.0f);
          if (run(kernels[k], in.data(), y.data()) != VACT_OK) {
            failed.add(kernels[k].name + ": call failed");
            continue;
          }
          calls.fetch_add(1);
          bool ok = false;
          for (const std::vector<float>& v : valid[k]) ok |= same_bits(v, y);
          if (!ok)
            failed.add(kernels[k].name + ": result matches no single ISA's");
        }
      }
      workers_done.fetch_add(1);
    });
  }
  for (std::thread& t : threads) t.join();

  std::printf(
      "vact_thread_test: %ld calls on %d threads over %zu ISAs while the ISA "
      "was switched %ld times: %ld invalid results\n",
      calls.load(), worker_count, isas.size(), switches.load(),
      failed.count.load());
  if (failed.count.load() != 0) {
    std::printf("first: %s\n", failed.first.c_str());
    return 1;
  }
  return 0;
}
