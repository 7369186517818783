// SPDX-License-Identifier: Apache-2.0
#include "op_catalogue.hpp"

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
  return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
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

constexpr vact_params defaults{1.0f, 0.01f};
constexpr double abs_floor = 0x1p-24;

}  // namespace

const std::vector<op_case>& op_catalogue() {
  static const std::vector<op_case> catalogue = {
      {VACT_OP_STEP, "step", "1 if x > 0, else 0", "step(±0) = 0; step' = 0",
       defaults, step, step_d, 0, 0, 0},
      {VACT_OP_RELU, "relu", "max(x, 0)",
       "relu(-0) = +0; relu'(0) = 0 (PyTorch)", defaults, relu, relu_d, 0, 0,
       0},
      {VACT_OP_SIGMOID, "sigmoid", "1 / (1 + e^-x)",
       "sigmoid(-inf) = 0, sigmoid(+inf) = 1; subnormal results kept",
       defaults, sigmoid, sigmoid_d, 4, 4, abs_floor},
      {VACT_OP_TANH, "tanh", "tanh(x)", "odd, keeps -0; tanh(±inf) = ±1",
       defaults, tanh_, tanh_d, 4, 4, abs_floor},
      {VACT_OP_ELU, "elu", "x if x > 0, else alpha (e^x - 1)",
       "keeps -0; elu(-inf) = -alpha; elu'(0) = alpha (PyTorch)", defaults,
       elu, elu_d, 4, 4, abs_floor},
      {VACT_OP_SELU, "selu", "lambda elu(x, alpha), PyTorch's constants",
       "keeps -0; selu(-inf) = -lambda alpha", defaults, selu, selu_d, 4, 4,
       abs_floor},
      {VACT_OP_SOFTPLUS, "softplus", "log(1 + e^x) = max(x, 0) + log1p(e^-abs(x))",
       "softplus(-inf) = 0, softplus(+inf) = +inf; no threshold", defaults,
       softplus, sigmoid, 4, 4, abs_floor},
  };
  return catalogue;
}

}  // namespace vact_test
