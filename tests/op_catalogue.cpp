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
      {VACT_OP_STEP, "step", defaults, step, step_d, 0, 0, 0},
      {VACT_OP_RELU, "relu", defaults, relu, relu_d, 0, 0, 0},
      {VACT_OP_SIGMOID, "sigmoid", defaults, sigmoid, sigmoid_d, 4, 4,
       abs_floor},
      {VACT_OP_TANH, "tanh", defaults, tanh_, tanh_d, 4, 4, abs_floor},
      {VACT_OP_ELU, "elu", defaults, elu, elu_d, 4, 4, abs_floor},
      {VACT_OP_SELU, "selu", defaults, selu, selu_d, 4, 4, abs_floor},
      {VACT_OP_SOFTPLUS, "softplus", defaults, softplus, sigmoid, 4, 4,
       abs_floor},
  };
  return catalogue;
}

}  // namespace vact_test
