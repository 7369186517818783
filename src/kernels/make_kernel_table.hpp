// SPDX-License-Identifier: Apache-2.0
//
// Builds an ISA's kernel table from the generic kernels: for each tier,
// storage type and op of vact/ops.def, the array driver instantiated for
// the ISA's vector type; for each tier and storage type, the row kernels.
// Only the per-ISA translation units include this, each with its own flags.
// Everything here has internal linkage (an unnamed namespace): the table
// constant is all a translation unit shares, so two of them may instantiate
// a kernel for the same architecture with different code (avx512.cpp and
// avx512_bf16.cpp) without the linker keeping one for both.
#ifndef VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP
#define VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP

#include <cstring>
#include <type_traits>
#include <utility>

#include "checks.hpp"
#include "kernel_table.hpp"
#include "kernels/engine_kernels.hpp"
#include "staggered_block.hpp"
#include "vact/simd/activations.hpp"
#include "vact/simd/array.hpp"
#include "vact/simd/convert.hpp"
#include "vact/simd/fast.hpp"
#include "vact/simd/softmax.hpp"

namespace vact {
namespace detail {
namespace {

// An op's parameters as vectors, broadcast once per call.
template <class V>
struct vector_parameters {
  V alpha, slope, beta, lo, hi, cap;
  // From op_parameters, or from the vector_parameters of the vectors that
  // simd::lockstep runs together.
  template <class Parameters>
  explicit vector_parameters(const Parameters& p)
      : alpha(p.alpha),
        slope(p.slope),
        beta(p.beta),
        lo(p.lo),
        hi(p.hi),
        cap(p.cap) {}
};

// The extra arguments of an op's vector functions, by its params column.
#define VACT_VECTOR_ARGUMENT_none
#define VACT_VECTOR_ARGUMENT_alpha , p.alpha
#define VACT_VECTOR_ARGUMENT_slope , p.slope
#define VACT_VECTOR_ARGUMENT_beta , p.beta
#define VACT_VECTOR_ARGUMENT_lo_hi , p.lo, p.hi
#define VACT_VECTOR_ARGUMENT_cap , p.cap

// The vector functions of each element-wise op and tier, by enumerator.
template <vact_op Op, tier Tier>
struct op_functions;

// Derivatives are the precise ones in every tier. value(x, p, rare) passes
// a rare-path policy (simd::detail::rare_paths) to the precise value
// kernels that take one; it is called only for the ops that
// defer_rare_paths_over lists.
#define VACT_OP(id, name, NAME, params, ...)                              \
  template <>                                                             \
  struct op_functions<VACT_OP_##NAME, tier::precise> {                    \
    template <class V>                                                    \
    static VACT_INLINE V value(V x, const vector_parameters<V>& p) {      \
      (void)p;                                                            \
      return simd::name(x VACT_VECTOR_ARGUMENT_##params);                 \
    }                                                                     \
    template <class V, class Rare>                                        \
    static VACT_INLINE V value(V x, const vector_parameters<V>& p,        \
                               Rare rare) {                               \
      (void)p;                                                            \
      return simd::name(x VACT_VECTOR_ARGUMENT_##params, rare);           \
    }                                                                     \
    template <class V>                                                    \
    static VACT_INLINE V derivative(V x, const vector_parameters<V>& p) { \
      (void)p;                                                            \
      return simd::name##_derivative(x VACT_VECTOR_ARGUMENT_##params);    \
    }                                                                     \
  };                                                                      \
  template <>                                                             \
  struct op_functions<VACT_OP_##NAME, tier::fast>                         \
      : op_functions<VACT_OP_##NAME, tier::precise> {                     \
    template <class V>                                                    \
    static VACT_INLINE V value(V x, const vector_parameters<V>& p) {      \
      (void)p;                                                            \
      return simd::fast::name(x VACT_VECTOR_ARGUMENT_##params);           \
    }                                                                     \
  };
#include "vact/ops.def"
#undef VACT_OP
#undef VACT_VECTOR_ARGUMENT_none
#undef VACT_VECTOR_ARGUMENT_alpha
#undef VACT_VECTOR_ARGUMENT_slope
#undef VACT_VECTOR_ARGUMENT_beta
#undef VACT_VECTOR_ARGUMENT_lo_hi
#undef VACT_VECTOR_ARGUMENT_cap

// Whether an op's row in vact/ops.def gives it a fast kernel of its own.
#define VACT_OWN_FAST_KERNEL_own true
#define VACT_OWN_FAST_KERNEL_precise false
constexpr bool own_fast_kernel[] = {
#define VACT_OP(id, name, NAME, params, range, order, value_ulp, \
                derivative_ulp, fast, ...)                       \
  VACT_OWN_FAST_KERNEL_##fast,
#include "vact/ops.def"
#undef VACT_OP
};
#undef VACT_OWN_FAST_KERNEL_own
#undef VACT_OWN_FAST_KERNEL_precise
static_assert(sizeof own_fast_kernel == VACT_OP_COUNT * sizeof(bool),
              "one entry per op");

// The tier whose kernel an entry runs: the fast tier's derivatives and the
// values of ops without a fast kernel are the precise tier's very functions
// (the same pointers, so each is compiled once).
constexpr tier kernel_tier(tier t, std::size_t op, bool derivative) {
  return t == tier::fast && !derivative && own_fast_kernel[op] ? tier::fast
                                                               : tier::precise;
}

// The element types in memory of each storage type.
template <storage S>
struct storage_types;
template <>
struct storage_types<storage::f32> {
  using input = float;
  using output = float;
};
template <>
struct storage_types<storage::bf16> {
  using input = vact::bf16;
  using output = vact::bf16;
};
template <>
struct storage_types<storage::f16> {
  using input = vact::f16;
  using output = vact::f16;
};
template <>
struct storage_types<storage::bf16_f32> {
  using input = vact::bf16;
  using output = float;
};
template <>
struct storage_types<storage::f16_f32> {
  using input = vact::f16;
  using output = float;
};

// How many vectors an op's kernel runs at once in simd::transform's loop
// (simd::lockstep), chosen from runs of every op at n = 16,384 with one,
// two and four (docs/performance.md, "Lockstep"). On avx512 (32
// registers), the precise tier: four, which made the exp-based kernels
// 1.2-1.5x faster on Zen 5; two for swish and softcap, whose parameter
// takes registers; one for gelu, gelu_tanh and quick_gelu, whose live
// values spill at two already (and gelu_tanh's tiny side, common on
// [-10, 10], is taken for all four vectors when one needs it), and for the
// short piecewise kernels. The fast tier's kernels are half as long, and
// four of them in lockstep kept values on the stack that one at a time
// keeps in registers (Zen 4, "Lockstep in the fast tier"): one for
// sigmoid, silu and the GELUs (four: 0.80-0.85x), two for the kernels with
// a parameter or a longer tail (softplus, mish, elu, selu, swish, softcap:
// 1.01-1.06x over one), four only for tanh (1.05x over one). With 16
// registers (avx2, sse2, sse4.1) GCC 12 moved the parts of the kernels' hi + lo
// pairs through general registers and the stack, which made avx2 slower: one
// vector at a time there, as on scalar and neon (not measured on hardware);
// on sse2, sse4.1 and avx2 GCC's instruction scheduling interleaves the
// four instead (cmake/VactIsa.cmake, and defer_rare_paths_over below).
template <class V>
constexpr std::size_t lockstep_parts_for(vact_op op, tier kernel_tier) {
  if constexpr (std::is_base_of<xsimd::avx512f,
                                typename simd::vec_traits<V>::arch>::value) {
    switch (op) {
      case VACT_OP_STEP:  // short kernels: nothing to interleave
      case VACT_OP_RELU:
      case VACT_OP_LEAKY_RELU:
      case VACT_OP_HARDSIGMOID:
      case VACT_OP_HARDSWISH:  // 0.82x at four
      case VACT_OP_SOFTSIGN:
      case VACT_OP_CLIP:
      case VACT_OP_GELU:
      case VACT_OP_GELU_TANH:
      case VACT_OP_QUICK_GELU:
        return 1;
      case VACT_OP_SWISH:
      case VACT_OP_SOFTCAP:
        return 2;
      case VACT_OP_SIGMOID:
      case VACT_OP_SILU:
        return kernel_tier == tier::fast ? 1 : 4;
      case VACT_OP_TANH:
        return 4;
      default:
        return kernel_tier == tier::fast ? 2 : 4;
    }
  } else {
    return 1;
  }
}

// Over how many vectors simd::transform's loop defers an op's precise
// value's rare paths (simd::detail::rare_paths; 0: none), in the objects
// whose instructions the compiler schedules (VACT_SCHEDULED_KERNELS, set
// with the flags by cmake/VactIsa.cmake: GCC's sse2, sse4.1 and avx2);
// elsewhere there is nothing to interleave (avx512 runs lockstep instead).
// Chosen from runs at n = 16,384 on avx2 (docs/performance.md, "Rare paths
// deferred"): four for sigmoid, softplus and gelu; two for silu and swish,
// whose hi + lo products spill at four; none for mish (0.73x at four, 0.78x
// at two) and quick_gelu (no gain). An op listed here must take the policy
// (simd::sigmoid(x, rare), ...).
constexpr std::size_t defer_rare_paths_over(vact_op op) {
#if defined(VACT_SCHEDULED_KERNELS)
  switch (op) {
    case VACT_OP_SIGMOID:
    case VACT_OP_SOFTPLUS:
    case VACT_OP_GELU:
      return 4;
    case VACT_OP_SILU:
    case VACT_OP_SWISH:
      return 2;
    default:
      return 0;
  }
#else
  (void)op;
  return 0;
#endif
}

// The vector function the array driver maps: op Op's value or derivative
// in tier Tier, with its parameters bound.
template <vact_op Op, tier Tier, bool Derivative, class V>
struct bound_op {
  vector_parameters<V> parameters;
  VACT_INLINE V operator()(V x) const {
    using functions = op_functions<Op, Tier>;
    return Derivative ? functions::derivative(x, parameters)
                      : functions::value(x, parameters);
  }
  // How many vectors simd::transform's loop runs in lockstep.
  template <class W>
  static constexpr std::size_t lockstep_parts() {
    // Derivatives, and the ops without a fast kernel of their own, run the
    // precise kernel in both tiers.
    constexpr bool fast_kernel =
        Tier == tier::fast && !Derivative && own_fast_kernel[Op];
    return lockstep_parts_for<W>(Op, fast_kernel ? tier::fast : tier::precise);
  }
  // Over how many vectors simd::transform's loop defers the kernel's rare
  // paths: precise values, as defer_rare_paths_over says.
  static constexpr std::size_t rare_paths_deferred_over() {
    return Tier == tier::precise && !Derivative ? defer_rare_paths_over(Op) : 0;
  }
  template <class Rare>
  VACT_INLINE V operator()(V x, Rare rare) const {
    return op_functions<Op, Tier>::value(x, parameters, rare);
  }
  template <std::size_t N>
  VACT_INLINE simd::lockstep<V, N> operator()(
      const simd::lockstep<V, N>& x) const {
    using functions = op_functions<Op, Tier>;
    const vector_parameters<simd::lockstep<V, N>> p(parameters);
    return Derivative ? functions::derivative(x, p) : functions::value(x, p);
  }
};

// A conversion's vector function: the array driver's loads widen and its
// stores round (simd::element_io).
struct unchanged {
  template <class V>
  VACT_INLINE V operator()(V x) const {
    return x;
  }
};

// Not inlined: the conversion loops are shared by every op's 16-bit kernel
// (inlined, they made each ISA's object 24% larger).
template <class Arch, class In, class Out>
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void convert_kernel_of(const void* x, void* y, std::size_t n) {
  using V = simd::float_vector_t<Arch>;
  simd::transform<V>(static_cast<const In*>(x), static_cast<Out*>(y), n,
                     unchanged{});
}

// Elements per block of the 16-bit storage types' kernels: 4 KiB of f32 on
// the stack, which stays in the L1 cache between the passes.
constexpr std::size_t widened_block = 1024;

// The memory-bound ops, whose f32 kernels are a few operations per vector:
// on 16-bit arrays the block's two extra passes would cost them more than
// their compute, so their 16-bit kernels convert inside the op's own loop
// (one pass; each is compiled once more per storage type, a few hundred
// bytes).
constexpr bool converts_in_own_loop(vact_op op) {
  return op == VACT_OP_STEP || op == VACT_OP_RELU || op == VACT_OP_LEAKY_RELU ||
         op == VACT_OP_HARDSIGMOID || op == VACT_OP_HARDSWISH ||
         op == VACT_OP_CLIP;
}

// bf16 as the op kernels and the softmax rows read it (in their own loop
// or widened into a block for the f32 kernel): by the shift alone, a NaN
// left signalling. Every op gives a NaN input back quieted by its own
// arithmetic (x + x, vact.h's NaN rule), and a row holding a NaN gives the
// one quiet NaN 0x7fc00000 whatever its bits, so the quieting's three
// operations per vector would change nothing (the conversion to f32 keeps
// them). The tests compare every op's 65,536 bf16 results with its
// f32 kernel's on the quieted widening, and the rows with the f32 rows'.
struct bf16_op_input {
  std::uint16_t bits;
};
// What those kernels read a storage type's input as.
template <class T>
using read_as_t =
    std::conditional_t<std::is_same<T, vact::bf16>::value, bf16_op_input, T>;

// Ops whose results, value and derivative, are bf16 values whenever their
// input is one: x, 0, 1 or the input's NaN quieted (by the op's own
// arithmetic, as above). For them rounding to bf16 is the identity, so
// their bf16 kernels store each result's high half as it is
// (bf16_exact_output): the same bits as store_bf16, seven operations per
// vector fewer.
constexpr bool exact_on_bf16(vact_op op) {
  return op == VACT_OP_STEP || op == VACT_OP_RELU;
}
struct bf16_exact_output {
  std::uint16_t bits;
};

// The ops' bf16 results are rounded by the bias alone
// (bf16_widened_output, narrow_bf16_high_of_widened: the same bits as
// store_bf16, three operations per vector fewer) where every NaN they can
// return has a zero low half, which the bias cannot carry out of. Given a
// bf16 input, a NaN result is that input quieted, or the default NaN of
// an invalid operation (0xffc00000 on x86, 0x7fc00000 on Arm), or a NaN
// parameter passed on. vact_params rejects NaN betas, bounds and caps
// (checks.hpp), but elu's alpha and leaky_relu's slope may be any float:
// for those ops the kernel checks the parameter on each call and rounds
// fully where it is a NaN with low bits (map_kernel). The 65,536-input
// tests compare every op's bf16 results with its f32 results narrowed by
// the conversion; tests/test_parameters.cpp has the NaN parameters.
struct bf16_widened_output {
  std::uint16_t bits;
};

// Whether op Op reads a parameter vact_params leaves free to be any float,
// NaNs included (elu's alpha, leaky_relu's slope).
template <vact_op Op>
constexpr bool reads_any_float_parameter() {
  return op_parameter_kinds[Op] == parameter_kind::alpha ||
         op_parameter_kinds[Op] == parameter_kind::slope;
}

// Whether v is a NaN with a bit set in its low half.
inline bool nan_with_low_bits(float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits & 0x7fffffffu) > 0x7f800000u && (bits & 0xffffu) != 0;
}

// What an op's kernels write a storage type's output as; Widened: whether
// bf16 may be rounded by the bias alone (see above).
template <vact_op Op, class T, bool Widened>
using write_as_t = std::conditional_t<
    !std::is_same<T, vact::bf16>::value, T,
    std::conditional_t<
        exact_on_bf16(Op), bf16_exact_output,
        std::conditional_t<Widened, bf16_widened_output, vact::bf16>>>;

// The 16-bit kernel of an op that is not memory-bound, block by block:
// widen into f32, run the op's f32 kernel (`f32_kernel`, the f32 table's
// very entry, so the op's code is not compiled again per storage type),
// round into y (or write y directly for f32 outputs). Each block is read
// before it is written: y == x is fine.
template <class Arch, class In, class Out, class WriteAs = Out>
void through_f32_blocks(const In* in, Out* out, std::size_t n,
                        const op_parameters& parameters,
                        elementwise_kernel f32_kernel) {
  // Away from the input and the output modulo 4 KiB (staggered_block.hpp
  // says why).
  staggered_block<widened_block> area;
  float* const block = area.away_from({in, out});
  for (std::size_t i = 0; i < n; i += widened_block) {
    const std::size_t m = n - i < widened_block ? n - i : widened_block;
    convert_kernel_of<Arch, read_as_t<In>, float>(
        reinterpret_cast<const read_as_t<In>*>(in + i), block, m);
    if constexpr (std::is_same<Out, float>::value) {
      f32_kernel(block, out + i, m, parameters);
    } else {
      f32_kernel(block, block, m, parameters);
      convert_kernel_of<Arch, float, WriteAs>(
          block, reinterpret_cast<WriteAs*>(out + i), m);
    }
  }
}

template <class Arch, tier Tier, storage S, vact_op Op, bool Derivative,
          bool Widened = true>
void map_kernel(const void* x, void* y, std::size_t n,
                const op_parameters& parameters) {
  using V = simd::float_vector_t<Arch>;
  using types = storage_types<S>;
  using input = typename types::input;
  using output = typename types::output;
  // Where AVX512_BF16 rounds a vector in one instruction (avx512_bf16.cpp)
  // the full rounding is the faster: hardsigmoid and leaky_relu on bf16
  // ran at 0.95-0.98x with the bias alone there.
  constexpr bool widened = Widened && !simd::vec::rounds_to_bf16<V>::value;
  if constexpr (widened && std::is_same<output, vact::bf16>::value &&
                reads_any_float_parameter<Op>()) {
    const float free_parameter = op_parameter_kinds[Op] == parameter_kind::alpha
                                     ? parameters.alpha
                                     : parameters.slope;
    if (nan_with_low_bits(free_parameter)) {
      map_kernel<Arch, Tier, S, Op, Derivative, false>(x, y, n, parameters);
      return;
    }
  }
  using write_as = write_as_t<Op, output, widened>;
  if constexpr (S == storage::f32 || converts_in_own_loop(Op)) {
    simd::transform<V>(
        static_cast<const read_as_t<input>*>(x), static_cast<write_as*>(y), n,
        bound_op<Op, Tier, Derivative, V>{vector_parameters<V>(parameters)});
  } else {
    through_f32_blocks<Arch, input, output, write_as>(
        static_cast<const input*>(x), static_cast<output*>(y), n, parameters,
        &map_kernel<Arch, Tier, storage::f32, Op, Derivative>);
  }
}

template <class Arch, tier Tier, storage S, bool Log>
void row_kernel_of(const void* x, std::size_t x_stride, void* y,
                   std::size_t y_stride, std::size_t rows, std::size_t cols) {
  using V = simd::float_vector_t<Arch>;
  using types = storage_types<S>;
  using terms = typename row_terms<Tier>::type;
  const auto* in = static_cast<const read_as_t<typename types::input>*>(x);
  auto* out = static_cast<typename types::output*>(y);
  if (Log)
    simd::rows::log_softmax<V, terms>(in, x_stride, out, y_stride, rows, cols);
  else
    simd::rows::softmax<V, terms>(in, x_stride, out, y_stride, rows, cols);
}

// The row kernels of f32, bf16 and f16 rows; none for the mixed storage
// types.
template <class Arch, tier Tier, storage S, bool Log>
constexpr row_kernel row_kernel_for() {
  if constexpr (S == storage::f32 || S == storage::bf16 || S == storage::f16) {
    return &row_kernel_of<Arch, Tier, S, Log>;
  } else {
    return nullptr;
  }
}

template <class Arch, tier Tier, storage S, std::size_t... Ops>
constexpr tier_storage_kernels make_tier_storage_kernels(
    std::index_sequence<Ops...>) {
  return {{&map_kernel<Arch, kernel_tier(Tier, Ops, false), S,
                       static_cast<vact_op>(Ops), false>...},
          {&map_kernel<Arch, kernel_tier(Tier, Ops, true), S,
                       static_cast<vact_op>(Ops), true>...},
          row_kernel_for<Arch, Tier, S, false>(),
          row_kernel_for<Arch, Tier, S, true>()};
}

// Entry i of kernel_table::kernels: tier i / storage_count, storage
// i % storage_count.
template <class Arch, std::size_t... Entries>
constexpr kernel_table make_kernel_table(vact_isa isa, const char* name,
                                         std::index_sequence<Entries...>) {
  using V = simd::float_vector_t<Arch>;
  return kernel_table{
      isa,
      name,
      simd::vec_traits<V>::width,
      {make_tier_storage_kernels<Arch,
                                 static_cast<tier>(Entries / storage_count),
                                 static_cast<storage>(Entries % storage_count)>(
          std::make_index_sequence<VACT_OP_COUNT>{})...},
      {&convert_kernel_of<Arch, float, vact::bf16>,
       &convert_kernel_of<Arch, vact::bf16, float>,
       &convert_kernel_of<Arch, float, vact::f16>,
       &convert_kernel_of<Arch, vact::f16, float>},
      make_engine_kernels<Arch>()};
}

// The table of all kernels for Arch (an xsimd architecture, or
// simd::scalar_arch).
template <class Arch>
constexpr kernel_table make_kernel_table(vact_isa isa, const char* name) {
  return make_kernel_table<Arch>(
      isa, name, std::make_index_sequence<tier_count * storage_count>{});
}

}  // namespace
}  // namespace detail

namespace simd {
inline namespace VACT_SIMD_TARGET {
template <class V>
struct element_io<V, vact::detail::bf16_op_input> {
  static VACT_INLINE V load(const vact::detail::bf16_op_input* p) {
    return vec::as_float(vec::load_u16<V, vec::half::high>(
        reinterpret_cast<const std::uint16_t*>(p)));
  }
};
template <class V>
struct element_io<V, vact::detail::bf16_widened_output> {
  static VACT_INLINE void store(vact::detail::bf16_widened_output* p, V v) {
    vec::store_u16<vec::half::high>(reinterpret_cast<std::uint16_t*>(p),
                                    narrow_bf16_high_of_widened(v));
  }
  static VACT_INLINE void stream(vact::detail::bf16_widened_output* p, V v) {
    store(p, v);
  }
};
template <class V>
struct element_io<V, vact::detail::bf16_exact_output> {
  static VACT_INLINE void store(vact::detail::bf16_exact_output* p, V v) {
    vec::store_u16<vec::half::high>(reinterpret_cast<std::uint16_t*>(p),
                                    vec::as_int(v));
  }
  static VACT_INLINE void stream(vact::detail::bf16_exact_output* p, V v) {
    store(p, v);
  }
};
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP
