// SPDX-License-Identifier: Apache-2.0
//
// The avx512 table's bf16 outputs rounded by AVX512_BF16's vcvtneps2bf16,
// for the CPUs that have it: the dispatcher copies avx512_kernels and this
// file replaces the entries that write bf16. CMake compiles it with the
// avx512 flags plus -mavx512bf16 (cmake/VactIsa.cmake), which also names
// its vact::simd namespace avx512_bf16, apart from avx512.cpp's.
//
// Only what writes bf16 is compiled here, so the file costs seconds: the
// conversion from f32, the memory-bound ops' one-pass bf16 kernels, and for
// the other ops the block loop around the avx512 table's own f32 kernels.
// (The bf16 softmax rows keep the integer rounding: it is a small part of
// their time.)
#include "kernels/make_kernel_table.hpp"

namespace vact {
namespace detail {
namespace {

using arch = xsimd::avx512bw;

// Op's bf16 kernel in tier Tier, as the avx512 table's map_kernel runs it
// but with this file's rounding.
template <tier Tier, vact_op Op, bool Derivative>
void bf16_kernel(const void* x, void* y, std::size_t n,
                 const op_parameters& parameters) {
  if constexpr (converts_in_own_loop(Op)) {
    map_kernel<arch, Tier, storage::bf16, Op, Derivative>(x, y, n, parameters);
  } else {
    const tier_storage_kernels& f32 = avx512_kernels.at(Tier, storage::f32);
    through_f32_blocks<arch>(static_cast<const vact::bf16*>(x),
                             static_cast<vact::bf16*>(y), n, parameters,
                             (Derivative ? f32.derivative : f32.value)[Op]);
  }
}

template <tier Tier, std::size_t... Ops>
void replace_bf16_kernels(tier_storage_kernels& kernels,
                          std::index_sequence<Ops...>) {
  ((kernels.value[Ops] = &bf16_kernel<kernel_tier(Tier, Ops, false),
                                      static_cast<vact_op>(Ops), false>),
   ...);
  ((kernels.derivative[Ops] = &bf16_kernel<kernel_tier(Tier, Ops, true),
                                           static_cast<vact_op>(Ops), true>),
   ...);
}

}  // namespace

void use_avx512_bf16_rounding(kernel_table& avx512) {
  constexpr std::size_t bf16_entry = static_cast<std::size_t>(storage::bf16);
  constexpr auto ops = std::make_index_sequence<VACT_OP_COUNT>{};
  replace_bf16_kernels<tier::precise>(avx512.kernels[bf16_entry], ops);
  replace_bf16_kernels<tier::fast>(avx512.kernels[storage_count + bf16_entry],
                                   ops);
  avx512.convert[static_cast<std::size_t>(conversion::f32_to_bf16)] =
      &convert_kernel_of<arch, float, vact::bf16>;
}

}  // namespace detail
}  // namespace vact
