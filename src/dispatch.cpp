// SPDX-License-Identifier: Apache-2.0
//
// Picks the kernel table. An atomic pointer starts null; the first call
// that finds it so detects the CPU and installs the best table (or the one
// VACT_ISA names). From then on a call costs one atomic load, a branch that
// is always taken the same way, and one indirect call. Compiled with
// baseline flags only.
#include "dispatch.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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

// A compiled table as this CPU runs it: the avx512 one rounds bf16 by
// AVX512_BF16's instruction where the CPU has it (the same bits, faster).
const kernel_table* as_run_here(const kernel_table* table) {
#if VACT_HAVE_AVX512 && VACT_HAVE_AVX512_BF16
  if (table == &avx512_kernels) {
    // Built once, on first use (a function-local static: thread-safe).
    static const kernel_table* const avx512 = []() -> const kernel_table* {
      if (!detected_cpu_features().avx512_bf16) return &avx512_kernels;
      static kernel_table with_instruction = avx512_kernels;
      use_avx512_bf16_rounding(with_instruction);
      return &with_instruction;
    }();
    return avx512;
  }
#endif
  return table;
}

const kernel_table* best_table() {
  for (const kernel_table* table : compiled_tables)
    if (cpu_can_run(table->isa)) return as_run_here(table);
  return &scalar_kernels;
}

// VACT_ISA, when it names a runnable ISA; otherwise the best one, and a
// warning on stderr.
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

// Null until the first call detects.
std::atomic<const kernel_table*> active_table{nullptr};

const kernel_table& detect_and_install() {
  // A function-local static: however many threads make their first call
  // at once, the detection (and its VACT_ISA warning) runs once.
  static const kernel_table* const detected = initial_table();
  const kernel_table* expected = nullptr;
  // Loses gracefully to a vact_set_isa that came first.
  active_table.compare_exchange_strong(expected, detected,
                                       std::memory_order_acq_rel);
  return *active_table.load(std::memory_order_acquire);
}

}  // namespace

const kernel_table& active_kernels() {
  const kernel_table* table = active_table.load(std::memory_order_acquire);
  return table != nullptr ? *table : detect_and_install();
}

const kernel_table* runnable_table(vact_isa isa) {
  for (const kernel_table* table : compiled_tables)
    if (table->isa == isa)
      return cpu_can_run(isa) ? as_run_here(table) : nullptr;
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
  for (int i = 0; i < VACT_ISA_COUNT; ++i) {
    *isa = static_cast<vact_isa>(i);
    if (std::strcmp(name, isa_name(*isa)) == 0) return true;
  }
  *isa = VACT_ISA_SSE41;
  return std::strcmp(name, "sse41") == 0;
}

}  // namespace detail
}  // namespace vact
