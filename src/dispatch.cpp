// SPDX-License-Identifier: Apache-2.0
//
// Picks the kernel table. An atomic pointer starts at a "detect on first
// use" table whose entries detect the CPU, install the best table (or the
// one VACT_ISA names) and forward the call; from then on a call costs one
// atomic load and one indirect call. Compiled with baseline flags only.
#include "dispatch.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "cpu_features.hpp"

namespace vact {
namespace detail {
namespace {

// Compiled-in tables, best first.
const kernel_table* const compiled_tables[] = {
#if VACT_HAVE_AVX512
    &avx512_kernels,
#endif
#if VACT_HAVE_AVX2
    &avx2_kernels,
#endif
#if VACT_HAVE_SSE41
    &sse41_kernels,
#endif
#if VACT_HAVE_SSE2
    &sse2_kernels,
#endif
#if VACT_HAVE_NEON
    &neon_kernels,
#endif
    &scalar_kernels,
};

bool cpu_can_run(vact_isa isa) {
  const cpu_features& cpu = detected_cpu_features();
  switch (isa) {
    case VACT_ISA_SCALAR:
      return true;
    case VACT_ISA_SSE2:
      return cpu.sse2;
    case VACT_ISA_SSE41:
      return cpu.sse41;
    case VACT_ISA_AVX2:
      return cpu.avx2;
    case VACT_ISA_AVX512:
      return cpu.avx512;
    case VACT_ISA_NEON:
      return cpu.neon;
  }
  return false;
}

const kernel_table* best_table() {
  for (const kernel_table* table : compiled_tables)
    if (cpu_can_run(table->isa)) return table;
  return &scalar_kernels;
}

// VACT_ISA, when it names a runnable ISA; otherwise the best one, and a
// warning on stderr (the first detection runs once per process).
const kernel_table* initial_table() {
  const char* requested = std::getenv("VACT_ISA");
  if (requested == nullptr || *requested == '\0') return best_table();
  vact_isa isa = VACT_ISA_SCALAR;
  const bool known = isa_from_name(requested, &isa);
  if (const kernel_table* table = known ? runnable_table(isa) : nullptr)
    return table;
  const kernel_table* fallback = best_table();
  std::fprintf(stderr, "vact: VACT_ISA=%s is %s; using %s\n", requested,
               known ? "not supported by this build or CPU"
                     : "not an ISA name (scalar, sse2, sse4.1, avx2, "
                       "avx512, neon)",
               fallback->name);
  return fallback;
}

extern const kernel_table detect_on_first_use_kernels;
std::atomic<const kernel_table*> active_table{&detect_on_first_use_kernels};

const kernel_table& detect_and_install() {
  const kernel_table* expected = &detect_on_first_use_kernels;
  // Loses gracefully to a concurrent first use or vact_set_isa.
  active_table.compare_exchange_strong(expected, initial_table(),
                                       std::memory_order_acq_rel);
  return *active_table.load(std::memory_order_acquire);
}

template <std::size_t Op>
void value_on_first_use(const float* x, float* y, std::size_t n, float p) {
  detect_and_install().value[Op](x, y, n, p);
}
template <std::size_t Op>
void derivative_on_first_use(const float* x, float* y, std::size_t n, float p) {
  detect_and_install().derivative[Op](x, y, n, p);
}
void softmax_on_first_use(const float* x, std::size_t xs, float* y,
                          std::size_t ys, std::size_t rows, std::size_t cols) {
  detect_and_install().softmax(x, xs, y, ys, rows, cols);
}
void log_softmax_on_first_use(const float* x, std::size_t xs, float* y,
                              std::size_t ys, std::size_t rows,
                              std::size_t cols) {
  detect_and_install().log_softmax(x, xs, y, ys, rows, cols);
}

template <std::size_t... Ops>
constexpr kernel_table make_detecting_table(std::index_sequence<Ops...>) {
  return kernel_table{VACT_ISA_SCALAR,
                      "detect-on-first-use",
                      0,
                      {&value_on_first_use<Ops>...},
                      {&derivative_on_first_use<Ops>...},
                      &softmax_on_first_use,
                      &log_softmax_on_first_use};
}

constexpr kernel_table detect_on_first_use_kernels =
    make_detecting_table(std::make_index_sequence<VACT_OP_COUNT>{});

}  // namespace

const kernel_table& active_kernels() {
  return *active_table.load(std::memory_order_acquire);
}

const kernel_table& resolved_kernels() {
  const kernel_table* table = active_table.load(std::memory_order_acquire);
  return table == &detect_on_first_use_kernels ? detect_and_install() : *table;
}

const kernel_table* runnable_table(vact_isa isa) {
  for (const kernel_table* table : compiled_tables)
    if (table->isa == isa) return cpu_can_run(isa) ? table : nullptr;
  return nullptr;
}

bool isa_runnable(vact_isa isa) { return runnable_table(isa) != nullptr; }

bool install_isa(vact_isa isa) {
  const kernel_table* table = runnable_table(isa);
  if (table == nullptr) return false;
  active_table.store(table, std::memory_order_release);
  return true;
}

const char* isa_name(vact_isa isa) {
  switch (isa) {
    case VACT_ISA_SCALAR:
      return "scalar";
    case VACT_ISA_SSE2:
      return "sse2";
    case VACT_ISA_SSE41:
      return "sse4.1";
    case VACT_ISA_AVX2:
      return "avx2";
    case VACT_ISA_AVX512:
      return "avx512";
    case VACT_ISA_NEON:
      return "neon";
  }
  return nullptr;
}

bool isa_from_name(const char* name, vact_isa* isa) {
  for (int i = VACT_ISA_SCALAR; i <= VACT_ISA_NEON; ++i) {
    *isa = static_cast<vact_isa>(i);
    if (std::strcmp(name, isa_name(*isa)) == 0) return true;
  }
  *isa = VACT_ISA_SSE41;
  return std::strcmp(name, "sse41") == 0;
}

}  // namespace detail
}  // namespace vact
