// SPDX-License-Identifier: Apache-2.0
//
// Builds an ISA's kernel table from the generic kernels: each entry is the
// array driver or row kernel instantiated for the ISA's vector type. Only
// the per-ISA translation units include this, each with its own flags.
#ifndef VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP
#define VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP

#include <utility>

#include "kernel_table.hpp"
#include "vact/simd/activations.hpp"
#include "vact/simd/array.hpp"
#include "vact/simd/softmax.hpp"

namespace vact {
namespace detail {

// The vector functions of each element-wise op, by enumerator. `p` is the
// op's parameter broadcast to a vector.
template <vact_op Op>
struct op_functions;

#define VACT_DEFINE_OP(OP, VALUE, DERIVATIVE)   \
  template <>                                   \
  struct op_functions<OP> {                     \
    template <class V>                          \
    static VACT_INLINE V value(V x, V p) {      \
      (void)p;                                  \
      return VALUE;                             \
    }                                           \
    template <class V>                          \
    static VACT_INLINE V derivative(V x, V p) { \
      (void)p;                                  \
      return DERIVATIVE;                        \
    }                                           \
  };

VACT_DEFINE_OP(VACT_OP_STEP, simd::step(x), simd::step_derivative(x))
VACT_DEFINE_OP(VACT_OP_RELU, simd::relu(x), simd::relu_derivative(x))
VACT_DEFINE_OP(VACT_OP_SIGMOID, simd::sigmoid(x), simd::sigmoid_derivative(x))
VACT_DEFINE_OP(VACT_OP_TANH, simd::tanh(x), simd::tanh_derivative(x))
VACT_DEFINE_OP(VACT_OP_ELU, simd::elu(x, p), simd::elu_derivative(x, p))
VACT_DEFINE_OP(VACT_OP_SELU, simd::selu(x), simd::selu_derivative(x))
VACT_DEFINE_OP(VACT_OP_SOFTPLUS, simd::softplus(x),
               simd::softplus_derivative(x))
VACT_DEFINE_OP(VACT_OP_GELU_TANH, simd::gelu_tanh(x),
               simd::gelu_tanh_derivative(x))
VACT_DEFINE_OP(VACT_OP_SILU, simd::silu(x), simd::silu_derivative(x))
VACT_DEFINE_OP(VACT_OP_MISH, simd::mish(x), simd::mish_derivative(x))
VACT_DEFINE_OP(VACT_OP_HARDSIGMOID, simd::hardsigmoid(x),
               simd::hardsigmoid_derivative(x))
VACT_DEFINE_OP(VACT_OP_HARDSWISH, simd::hardswish(x),
               simd::hardswish_derivative(x))
VACT_DEFINE_OP(VACT_OP_SOFTSIGN, simd::softsign(x),
               simd::softsign_derivative(x))
VACT_DEFINE_OP(VACT_OP_LEAKY_RELU, simd::leaky_relu(x, p),
               simd::leaky_relu_derivative(x, p))
VACT_DEFINE_OP(VACT_OP_GELU, simd::gelu(x), simd::gelu_derivative(x))
#undef VACT_DEFINE_OP

// The vector function the array driver maps: op Op's value or derivative
// with its parameter bound.
template <vact_op Op, bool Derivative, class V>
struct bound_op {
  V parameter;
  VACT_INLINE V operator()(V x) const {
    return Derivative ? op_functions<Op>::derivative(x, parameter)
                      : op_functions<Op>::value(x, parameter);
  }
};

template <class Arch, vact_op Op, bool Derivative>
void map_kernel(const float* x, float* y, std::size_t n, float parameter) {
  using V = simd::float_vector_t<Arch>;
  simd::transform<V>(x, y, n, bound_op<Op, Derivative, V>{V(parameter)});
}

template <class Arch, std::size_t... Ops>
constexpr kernel_table make_kernel_table(vact_isa isa, const char* name,
                                         std::index_sequence<Ops...>) {
  using V = simd::float_vector_t<Arch>;
  return kernel_table{isa,
                      name,
                      simd::vec_traits<V>::width,
                      {&map_kernel<Arch, static_cast<vact_op>(Ops), false>...},
                      {&map_kernel<Arch, static_cast<vact_op>(Ops), true>...},
                      &simd::rows::softmax<V>,
                      &simd::rows::log_softmax<V>};
}

// The table of all kernels for Arch (an xsimd architecture, or
// simd::scalar_arch).
template <class Arch>
constexpr kernel_table make_kernel_table(vact_isa isa, const char* name) {
  return make_kernel_table<Arch>(isa, name,
                                 std::make_index_sequence<VACT_OP_COUNT>{});
}

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_KERNELS_MAKE_KERNEL_TABLE_HPP
