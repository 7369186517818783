// SPDX-License-Identifier: Apache-2.0
//
// Builds an ISA's kernel table from the generic kernels: for each tier,
// storage type and op of vact/ops.def, the array driver instantiated for
// the ISA's vector type; for each tier and storage type, the row kernels.
// Only the per-ISA translation units include this, each with its own flags.
#ifndef VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP
#define VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP

#include <utility>

#include "kernel_table.hpp"
#include "vact/simd/activations.hpp"
#include "vact/simd/array.hpp"
#include "vact/simd/fast.hpp"
#include "vact/simd/softmax.hpp"

namespace vact {
namespace detail {

// An op's parameters as vectors, broadcast once per call.
template <class V>
struct vector_parameters {
  V alpha;
  V slope;
  explicit vector_parameters(const op_parameters& p)
      : alpha(p.alpha), slope(p.slope) {}
};

// The extra argument of an op's vector functions, by its params column.
#define VACT_VECTOR_ARGUMENT_none
#define VACT_VECTOR_ARGUMENT_alpha , p.alpha
#define VACT_VECTOR_ARGUMENT_slope , p.slope

// The vector functions of each element-wise op and tier, by enumerator.
template <vact_op Op, tier Tier>
struct op_functions;

// Derivatives are the precise ones in every tier.
#define VACT_OP(id, name, NAME, params, ...)                              \
  template <>                                                             \
  struct op_functions<VACT_OP_##NAME, tier::precise> {                    \
    template <class V>                                                    \
    static VACT_INLINE V value(V x, const vector_parameters<V>& p) {      \
      (void)p;                                                            \
      return simd::name(x VACT_VECTOR_ARGUMENT_##params);                 \
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
};

template <class Arch, tier Tier, storage S, vact_op Op, bool Derivative>
void map_kernel(const void* x, void* y, std::size_t n,
                const op_parameters& parameters) {
  using V = simd::float_vector_t<Arch>;
  using types = storage_types<S>;
  simd::transform<V>(
      static_cast<const typename types::input*>(x),
      static_cast<typename types::output*>(y), n,
      bound_op<Op, Tier, Derivative, V>{vector_parameters<V>(parameters)});
}

// The row kernels' exponentials and sums, by tier.
template <tier Tier>
struct row_terms;
template <>
struct row_terms<tier::precise> {
  using type = simd::rows::precise_terms;
};
template <>
struct row_terms<tier::fast> {
  using type = simd::rows::fast_terms;
};

template <class Arch, tier Tier, storage S, bool Log>
void row_kernel_of(const void* x, std::size_t x_stride, void* y,
                   std::size_t y_stride, std::size_t rows, std::size_t cols) {
  using V = simd::float_vector_t<Arch>;
  using types = storage_types<S>;
  using terms = typename row_terms<Tier>::type;
  const auto* in = static_cast<const typename types::input*>(x);
  auto* out = static_cast<typename types::output*>(y);
  if (Log)
    simd::rows::log_softmax<V, terms>(in, x_stride, out, y_stride, rows, cols);
  else
    simd::rows::softmax<V, terms>(in, x_stride, out, y_stride, rows, cols);
}

template <class Arch, tier Tier, storage S, std::size_t... Ops>
constexpr tier_storage_kernels make_tier_storage_kernels(
    std::index_sequence<Ops...>) {
  return {{&map_kernel<Arch, kernel_tier(Tier, Ops, false), S,
                       static_cast<vact_op>(Ops), false>...},
          {&map_kernel<Arch, kernel_tier(Tier, Ops, true), S,
                       static_cast<vact_op>(Ops), true>...},
          &row_kernel_of<Arch, Tier, S, false>,
          &row_kernel_of<Arch, Tier, S, true>};
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
          std::make_index_sequence<VACT_OP_COUNT>{})...}};
}

// The table of all kernels for Arch (an xsimd architecture, or
// simd::scalar_arch).
template <class Arch>
constexpr kernel_table make_kernel_table(vact_isa isa, const char* name) {
  return make_kernel_table<Arch>(
      isa, name, std::make_index_sequence<tier_count * storage_count>{});
}

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP
