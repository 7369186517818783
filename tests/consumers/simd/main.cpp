// SPDX-License-Identifier: Apache-2.0
//
// vact::simd::sigmoid and tanh on xsimd batches in the program's own loop,
// compiled with the program's flags (the default architecture of xsimd:
// SSE2 on a baseline x86-64 build, NEON on aarch64), give the same bits as
// the array API running that ISA. tests/consumers/run.sh builds it with
// find_package(vact COMPONENTS simd) and with add_subdirectory.
#include <vact/vact.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <vact/simd/activations.hpp>
#include <vector>
#include <xsimd/xsimd.hpp>

namespace {

using batch = xsimd::batch<float>;  // xsimd's default architecture

// The ISA whose kernels are built for `batch`'s architecture, if any.
bool matching_isa(vact_isa* isa) {
  using arch = batch::arch_type;
#if defined(__x86_64__) || defined(__i386__)
  if (std::is_same<arch, xsimd::sse2>::value) return *isa = VACT_ISA_SSE2, true;
  if (std::is_same<arch, xsimd::sse4_1>::value)
    return *isa = VACT_ISA_SSE41, true;
#elif defined(__aarch64__)
  if (std::is_same<arch, xsimd::neon64>::value)
    return *isa = VACT_ISA_NEON, true;
#endif
  return false;
}

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

}  // namespace

int main() {
  constexpr std::size_t lanes = batch::size;
  std::vector<float> x(16 * lanes);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] =
        -12.0f + 24.0f * static_cast<float>(i) / static_cast<float>(x.size());

  // The program's own loop: whole batches only (x.size() is a multiple).
  std::vector<float> own_sigmoid(x.size()), own_tanh(x.size());
  for (std::size_t i = 0; i < x.size(); i += lanes) {
    const batch v = batch::load_unaligned(&x[i]);
    vact::simd::sigmoid(v).store_unaligned(&own_sigmoid[i]);
    vact::simd::tanh(v).store_unaligned(&own_tanh[i]);
  }

  vact_isa isa = VACT_ISA_SCALAR;
  if (!matching_isa(&isa) || vact_set_isa(isa) != VACT_OK) {
    std::printf(
        "simd consumer: no vact ISA matches xsimd's %s here; "
        "nothing to compare\n",
        batch::arch_type::name());
    return 0;
  }
  std::vector<float> api_sigmoid(x.size()), api_tanh(x.size());
  vact_sigmoid_f32(x.data(), api_sigmoid.data(), x.size());
  vact_tanh_f32(x.data(), api_tanh.data(), x.size());

  int mismatches = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (bits(own_sigmoid[i]) != bits(api_sigmoid[i]) ||
        bits(own_tanh[i]) != bits(api_tanh[i])) {
      std::fprintf(
          stderr, "FAIL: x = %a: sigmoid %a vs %a, tanh %a vs %a\n",
          static_cast<double>(x[i]), static_cast<double>(own_sigmoid[i]),
          static_cast<double>(api_sigmoid[i]), static_cast<double>(own_tanh[i]),
          static_cast<double>(api_tanh[i]));
      ++mismatches;
    }
  if (mismatches != 0) return 1;
  std::printf(
      "simd consumer OK: vact::simd on xsimd::%s matches the array "
      "API on %s bit for bit (%zu values)\n",
      batch::arch_type::name(), vact_isa_name(isa), x.size());
  return 0;
}
