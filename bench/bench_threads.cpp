// SPDX-License-Identifier: Apache-2.0

#include "bench_threads.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "bench_support.h"

namespace vact_bench {
namespace {

constexpr std::size_t kArraySize = 16777216;  // 64 MiB in, 64 MiB out
constexpr std::size_t kSoftmaxRows = 4096;
constexpr std::size_t kSoftmaxCols = 1000;
constexpr int kThreadCounts[] = {1, 2};

// Threads created once and parked between runs. Run(job) hands job(part) to
// every worker (parts 1 .. threads-1), does part 0 on the calling thread and
// returns when all parts are done.
class WorkerGroup {
 public:
  explicit WorkerGroup(int threads) : threads_(threads) {
    for (int part = 1; part < threads; ++part) {
      workers_.emplace_back([this, part] { WorkerLoop(part); });
    }
  }
  ~WorkerGroup() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    start_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }
  WorkerGroup(const WorkerGroup&) = delete;
  WorkerGroup& operator=(const WorkerGroup&) = delete;

  int threads() const { return threads_; }

  void Run(const std::function<void(int part)>& job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      pending_ = threads_ - 1;
      ++generation_;
    }
    start_.notify_all();
    job(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
  }

 private:
  void WorkerLoop(int part) {
    std::uint64_t seen = 0;
    for (;;) {
      const std::function<void(int)>* job = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        job = job_;
      }
      (*job)(part);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --pending_;
      }
      done_.notify_one();
    }
  }

  const int threads_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  const std::function<void(int)>* job_ = nullptr;
  std::uint64_t generation_ = 0;
  int pending_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// [begin, end) of part `part` of `count` items split into `parts`, with
// boundaries on multiples of `granule` so that no two threads write into the
// same cache line.
std::pair<std::size_t, std::size_t> PartRange(std::size_t count, int parts,
                                              int part, std::size_t granule) {
  const std::size_t granules = (count + granule - 1) / granule;
  const auto share = [&](int p) {
    return std::min(count, granules * static_cast<std::size_t>(p) /
                               static_cast<std::size_t>(parts) * granule);
  };
  return {share(part), share(part + 1)};
}

// Times `kernel(x, y, begin, end)` over [0, items) split across `threads`.
template <typename Kernel>
void RunSplit(benchmark::State& state, vact_isa isa, int threads,
              std::size_t items, std::size_t granule, const float* x,
              const Kernel& kernel) {
  AlignedFloats y(items);
  if (vact_set_isa(isa) != VACT_OK || vact_active_isa() != isa) {
    state.SkipWithError("vact_set_isa did not make this ISA the active one");
    return;
  }
  WorkerGroup group(threads);
  std::atomic<bool> ok{true};  // a failure is reported after the loop
  const std::function<void(int)> job = [&](int part) {
    const auto [begin, end] = PartRange(items, threads, part, granule);
    if (begin < end && !kernel(x, y.data(), begin, end)) ok = false;
  };
  group.Run(job);  // untimed: faults the output's pages in on each thread
  for (auto _ : state) {
    group.Run(job);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  if (!ok) state.SkipWithError("the kernel returned an error status");
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(items));
}

using ElementwiseFn = vact_status (*)(const float* x, float* y, std::size_t n);

void RegisterElementwise(const char* op, ElementwiseFn fn, const NamedIsa& isa,
                         int threads) {
  const std::string name = std::string(op) + "/" + isa.name + "-threads" +
                           std::to_string(threads) + "/" +
                           std::to_string(kArraySize);
  benchmark::RegisterBenchmark(name.c_str(), [fn, isa = isa.isa, threads](
                                                 benchmark::State& state) {
    const float* x = UniformInput(kArraySize);
    constexpr std::size_t kFloatsPerCacheLine = 16;
    RunSplit(
        state, isa, threads, kArraySize, kFloatsPerCacheLine, x,
        [fn](const float* in, float* out, std::size_t begin, std::size_t end) {
          return fn(in + begin, out + begin, end - begin) == VACT_OK;
        });
  })->UseRealTime();
}

void RegisterSoftmax(const NamedIsa& isa, int threads) {
  const std::string name =
      "softmax/" + isa.name + "-threads" + std::to_string(threads) + "/" +
      std::to_string(kSoftmaxRows) + "x" + std::to_string(kSoftmaxCols);
  benchmark::RegisterBenchmark(name.c_str(), [isa = isa.isa, threads](
                                                 benchmark::State& state) {
    constexpr std::size_t kItems = kSoftmaxRows * kSoftmaxCols;
    const float* x = UniformInput(kItems);
    // Whole rows per thread: split the element range on row boundaries.
    RunSplit(
        state, isa, threads, kItems, kSoftmaxCols, x,
        [](const float* in, float* out, std::size_t begin, std::size_t end) {
          return vact_softmax_f32(in + begin, out + begin,
                                  (end - begin) / kSoftmaxCols,
                                  kSoftmaxCols) == VACT_OK;
        });
  })->UseRealTime();
}

}  // namespace

void RegisterThreadBenchmarks(const std::vector<NamedIsa>& isas) {
  for (const NamedIsa& isa : isas) {
    for (const int threads : kThreadCounts) {
      RegisterElementwise("sigmoid", vact_sigmoid_f32, isa, threads);
    }
  }
  for (const NamedIsa& isa : isas) {
    for (const int threads : kThreadCounts) {
      RegisterElementwise("gelu_tanh", vact_gelu_tanh_f32, isa, threads);
    }
  }
  for (const NamedIsa& isa : isas) {
    for (const int threads : kThreadCounts) RegisterSoftmax(isa, threads);
  }
}

}  // namespace vact_bench
