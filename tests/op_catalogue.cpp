// SPDX-License-Identifier: Apache-2.0
#include "op_catalogue.hpp"

#include <algorithm>
#include <cmath>

namespace vact_test {
namespace {

// PyTorch's SELU constants, in double.
constexpr double selu_lambda = 1.0507009873554804934193349852946;
constexpr double selu_alpha = 1.6732632423543772848170429916717;

double step(double x, const vact_params&) { return x > 0 ? 1.0 : 0.0; }
double step_d(double, const vact_params&) { return 0.0; }

double relu(double x, const vact_params&) { return x > 0 ? x : 0.0; }
double relu_d(double x, const vact_params&) { return x > 0 ? 1.0 : 0.0; }

double sigmoid(double x, const vact_params&) {
  return x >= 0 ? 1.0 / (1.0 + std::exp(-x))
                : std::exp(x) / (1.0 + std::exp(x));
}
double sigmoid_d(double x, const vact_params& p) {
  const double s = sigmoid(x, p);
  return s * sigmoid(-x, p);  // s (1 - s) without cancellation
}

double tanh_(double x, const vact_params&) { return std::tanh(x); }
double tanh_d(double x, const vact_params&) {
  const double c = std::cosh(x);
  return 1.0 / (c * c);
}

double elu(double x, const vact_params& p) {
  return x > 0 ? x : p.alpha * std::expm1(x);
}
double elu_d(double x, const vact_params& p) {
  return x > 0 ? 1.0 : p.alpha * std::exp(x);
}

double selu(double x, const vact_params&) {
  return selu_lambda * (x > 0 ? x : selu_alpha * std::expm1(x));
}
double selu_d(double x, const vact_params&) {
  return x > 0 ? selu_lambda : selu_lambda * selu_alpha * std::exp(x);
}

double softplus(double x, const vact_params&) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

// x f(x) products whose limit at -inf is -0 (0 * inf in the formula).
double minus_zero_at_minus_inf(double x, double finite) {
  return x == -HUGE_VAL ? -0.0 : finite;
}

double silu(double x, const vact_params& p) {
  return minus_zero_at_minus_inf(x, x == HUGE_VAL ? x : x * sigmoid(x, p));
}
double silu_d(double x, const vact_params& p) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return sigmoid(x, p) * (1.0 + x * sigmoid(-x, p));
}

// gelu_tanh = 0.5 x (1 + tanh(u)) = x sigmoid(2u): the second form has no
// cancellation for large negative x, in double as in float.
double gelu_tanh_z(double x) {
  const double k = std::sqrt(2.0 / M_PI);
  return 2.0 * k * (x + 0.044715 * x * x * x);
}
double gelu_tanh(double x, const vact_params& p) {
  if (std::isinf(x)) return x > 0 ? x : -0.0;
  return x * sigmoid(gelu_tanh_z(x), p);
}
double gelu_tanh_d(double x, const vact_params& p) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  const double k = std::sqrt(2.0 / M_PI);
  const double z = gelu_tanh_z(x);
  const double dz = 2.0 * k * (1.0 + 3.0 * 0.044715 * x * x);
  return sigmoid(z, p) * (1.0 + x * sigmoid(-z, p) * dz);
}

double softplus_of(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
double mish(double x, const vact_params&) {
  if (std::isinf(x)) return x > 0 ? x : -0.0;
  return x * std::tanh(softplus_of(x));
}
double mish_d(double x, const vact_params& p) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  const double sp = softplus_of(x);
  const double c = std::cosh(sp);
  return std::tanh(sp) + x * sigmoid(x, p) / (c * c);
}

double hardsigmoid(double x, const vact_params&) {
  return std::min(std::max((x + 3.0) / 6.0, 0.0), 1.0);
}
double hardsigmoid_d(double x, const vact_params&) {
  return x > -3.0 && x < 3.0 ? 1.0 / 6.0 : 0.0;
}

double hardswish(double x, const vact_params&) {
  if (x >= 3.0) return x;
  if (x <= -3.0) return -0.0;  // x * 0, also the limit at -inf
  return x * (x + 3.0) / 6.0;
}
double hardswish_d(double x, const vact_params&) {
  if (x < -3.0) return 0.0;
  if (x > 3.0) return 1.0;
  return x / 3.0 + 0.5;
}

// gelu = x Phi(x) with Phi from erfc (no cancellation for x < 0).
double gelu(double x, const vact_params&) {
  if (std::isinf(x)) return x > 0 ? x : -0.0;
  return 0.5 * x * std::erfc(-x / std::sqrt(2.0));
}
double gelu_d(double x, const vact_params&) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  const double phi = std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
  return 0.5 * std::erfc(-x / std::sqrt(2.0)) + x * phi;
}

double softsign(double x, const vact_params&) {
  if (std::isinf(x)) return x > 0 ? 1.0 : -1.0;
  return x / (1.0 + std::fabs(x));
}
double softsign_d(double x, const vact_params&) {
  const double d = 1.0 + std::fabs(x);
  return 1.0 / (d * d);
}

double leaky_relu(double x, const vact_params& p) {
  return x >= 0 ? x : static_cast<double>(p.slope) * x;
}
double leaky_relu_d(double x, const vact_params& p) {
  return x > 0 ? 1.0 : static_cast<double>(p.slope);
}

constexpr vact_params defaults{1.0f, 0.01f};
constexpr double abs_floor = 0x1p-24;
// Where the absolute floor applies: near the derivative's zeros.
constexpr double near_zero = 0x1p-22;

}  // namespace

std::vector<op_case> catalogue_rows();

namespace {
// The shape guarantees, added to the table rows by op.
std::vector<op_case> with_shapes(std::vector<op_case> ops) {
  for (op_case& c : ops) {
    switch (c.op) {
      case VACT_OP_SIGMOID:
      case VACT_OP_HARDSIGMOID:
        c.range_min = 0.0;
        c.range_max = 1.0;
        c.monotone = true;
        break;
      case VACT_OP_TANH:
      case VACT_OP_SOFTSIGN:
        c.range_min = -1.0;
        c.range_max = 1.0;
        c.monotone = true;
        break;
      case VACT_OP_STEP:
      case VACT_OP_RELU:
        c.range_min = 0.0;
        c.monotone = true;
        break;
      case VACT_OP_SOFTPLUS:
        c.range_min = 0.0;
        c.monotone = true;
        break;
      case VACT_OP_ELU:
      case VACT_OP_SELU:
      case VACT_OP_LEAKY_RELU:
        c.monotone = true;
        break;
      default:
        break;
    }
  }
  return ops;
}
}  // namespace

const std::vector<op_case>& op_catalogue() {
  static const std::vector<op_case> catalogue = with_shapes(catalogue_rows());
  return catalogue;
}

std::vector<op_case> catalogue_rows() {
  return {
      {VACT_OP_STEP, "step", "1 if x > 0, else 0", "step(±0) = 0; step' = 0",
       defaults, step, step_d, 0, 0, 0, 0},
      {VACT_OP_RELU, "relu", "max(x, 0)",
       "relu(-0) = +0; relu'(0) = 0 (PyTorch)", defaults, relu, relu_d, 0, 0, 0,
       0},
      {VACT_OP_SIGMOID, "sigmoid", "1 / (1 + e^-x)",
       "sigmoid(-inf) = 0, sigmoid(+inf) = 1; subnormal results kept", defaults,
       sigmoid, sigmoid_d, 1, 4, abs_floor, near_zero},
      {VACT_OP_TANH, "tanh", "tanh(x)", "odd, keeps -0; tanh(±inf) = ±1",
       defaults, tanh_, tanh_d, 1, 4, abs_floor, near_zero},
      {VACT_OP_ELU, "elu", "x if x > 0, else alpha (e^x - 1)",
       "keeps -0; elu(-inf) = -alpha; elu'(0) = alpha (PyTorch)", defaults, elu,
       elu_d, 1, 4, abs_floor, near_zero},
      {VACT_OP_SELU, "selu", "lambda elu(x, alpha), PyTorch's constants",
       "keeps -0; selu(-inf) = -lambda alpha", defaults, selu, selu_d, 2, 4,
       abs_floor, near_zero},
      {VACT_OP_SOFTPLUS, "softplus", "log(1 + e^x)",
       "softplus(-inf) = 0, softplus(+inf) = +inf; no threshold", defaults,
       softplus, sigmoid, 1.5, 4, abs_floor, near_zero},
      {VACT_OP_GELU_TANH, "gelu_tanh",
       "0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))",
       "keeps -0; gelu_tanh(-inf) = -0, (+inf) = +inf", defaults, gelu_tanh,
       gelu_tanh_d, 2, 4, abs_floor, near_zero},
      {VACT_OP_SILU, "silu", "x sigmoid(x)",
       "keeps -0; silu(-inf) = -0, silu(+inf) = +inf", defaults, silu, silu_d,
       2, 4, abs_floor, near_zero},
      {VACT_OP_MISH, "mish", "x tanh(softplus(x))",
       "keeps -0; mish(-inf) = -0, mish(+inf) = +inf", defaults, mish, mish_d,
       2, 4, abs_floor, near_zero},
      {VACT_OP_HARDSIGMOID, "hardsigmoid", "relu6(x + 3) / 6",
       "in [0, 1]; hardsigmoid' = 1/6 only for -3 < x < 3", defaults,
       hardsigmoid, hardsigmoid_d, 2, 4, abs_floor, near_zero},
      {VACT_OP_HARDSWISH, "hardswish", "x relu6(x + 3) / 6",
       "x for x >= 3, -0 for x <= -3; hardswish' = x/3 + 1/2 on [-3, 3]",
       defaults, hardswish, hardswish_d, 2, 4, abs_floor, near_zero},
      {VACT_OP_SOFTSIGN, "softsign", "x / (1 + abs(x))",
       "odd, keeps -0; softsign(+-inf) = +-1", defaults, softsign, softsign_d,
       2, 4, abs_floor, near_zero},
      {VACT_OP_LEAKY_RELU, "leaky_relu", "x if x >= 0, else slope x",
       "keeps -0; leaky_relu'(0) = slope (PyTorch); slope = 0.01 here",
       defaults, leaky_relu, leaky_relu_d, 0.5, 0, 0, 0},
      {VACT_OP_GELU, "gelu", "x Phi(x) = 0.5 x erfc(-x / sqrt(2))",
       "keeps -0; gelu(-inf) = -0, (+inf) = +inf; exact past 5.35", defaults,
       gelu, gelu_d, 2, 4, abs_floor, near_zero},
  };
}

}  // namespace vact_test
