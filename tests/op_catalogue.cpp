// SPDX-License-Identifier: Apache-2.0
#include "op_catalogue.hpp"

#include <algorithm>
#include <cmath>

namespace vact_test {

// The double-precision references, vact_test::reference::<name> and
// <name>_derivative for each row of vact/ops.def.
namespace reference {
namespace {

// PyTorch's SELU constants, in double.
constexpr double selu_lambda = 1.0507009873554804934193349852946;
constexpr double selu_alpha = 1.6732632423543772848170429916717;

double step(double x, const vact_params&) { return x > 0 ? 1.0 : 0.0; }
double step_derivative(double, const vact_params&) { return 0.0; }

double relu(double x, const vact_params&) { return x > 0 ? x : 0.0; }
double relu_derivative(double x, const vact_params&) {
  return x > 0 ? 1.0 : 0.0;
}

double sigmoid(double x, const vact_params&) {
  return x >= 0 ? 1.0 / (1.0 + std::exp(-x))
                : std::exp(x) / (1.0 + std::exp(x));
}
double sigmoid_derivative(double x, const vact_params& p) {
  const double s = sigmoid(x, p);
  return s * sigmoid(-x, p);  // s (1 - s) without cancellation
}

double tanh(double x, const vact_params&) { return std::tanh(x); }
double tanh_derivative(double x, const vact_params&) {
  const double c = std::cosh(x);
  return 1.0 / (c * c);
}

double elu(double x, const vact_params& p) {
  return x > 0 ? x : p.alpha * std::expm1(x);
}
double elu_derivative(double x, const vact_params& p) {
  return x > 0 ? 1.0 : p.alpha * std::exp(x);
}

double selu(double x, const vact_params&) {
  return selu_lambda * (x > 0 ? x : selu_alpha * std::expm1(x));
}
double selu_derivative(double x, const vact_params&) {
  return x > 0 ? selu_lambda : selu_lambda * selu_alpha * std::exp(x);
}

double softplus(double x, const vact_params&) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
double softplus_derivative(double x, const vact_params& p) {
  return sigmoid(x, p);
}

// x f(x) products whose limit at -inf is -0 (0 * inf in the formula).
double minus_zero_at_minus_inf(double x, double finite) {
  return x == -HUGE_VAL ? -0.0 : finite;
}

double silu(double x, const vact_params& p) {
  return minus_zero_at_minus_inf(x, x == HUGE_VAL ? x : x * sigmoid(x, p));
}
double silu_derivative(double x, const vact_params& p) {
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
double gelu_tanh_derivative(double x, const vact_params& p) {
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
double mish_derivative(double x, const vact_params& p) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  const double sp = softplus_of(x);
  const double c = std::cosh(sp);
  return std::tanh(sp) + x * sigmoid(x, p) / (c * c);
}

double hardsigmoid(double x, const vact_params&) {
  return std::min(std::max((x + 3.0) / 6.0, 0.0), 1.0);
}
double hardsigmoid_derivative(double x, const vact_params&) {
  return x > -3.0 && x < 3.0 ? 1.0 / 6.0 : 0.0;
}

double hardswish(double x, const vact_params&) {
  if (x >= 3.0) return x;
  if (x <= -3.0) return -0.0;  // x * 0, also the limit at -inf
  return x * (x + 3.0) / 6.0;
}
double hardswish_derivative(double x, const vact_params&) {
  if (x < -3.0) return 0.0;
  if (x > 3.0) return 1.0;
  return x / 3.0 + 0.5;
}

// gelu = x Phi(x) with Phi from erfc (no cancellation for x < 0).
double gelu(double x, const vact_params&) {
  if (std::isinf(x)) return x > 0 ? x : -0.0;
  return 0.5 * x * std::erfc(-x / std::sqrt(2.0));
}
double gelu_derivative(double x, const vact_params&) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  const double phi = std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
  return 0.5 * std::erfc(-x / std::sqrt(2.0)) + x * phi;
}

double softsign(double x, const vact_params&) {
  if (std::isinf(x)) return x > 0 ? 1.0 : -1.0;
  return x / (1.0 + std::fabs(x));
}
double softsign_derivative(double x, const vact_params&) {
  const double d = 1.0 + std::fabs(x);
  return 1.0 / (d * d);
}

// quick_gelu = x sigmoid(1.702 x); its derivative is silu' at 1.702 x.
constexpr double quick_gelu_scale = 1.702;
double quick_gelu(double x, const vact_params& p) {
  return silu(quick_gelu_scale * x, p) / quick_gelu_scale;
}
double quick_gelu_derivative(double x, const vact_params& p) {
  return silu_derivative(quick_gelu_scale * x, p);
}

double leaky_relu(double x, const vact_params& p) {
  return x >= 0 ? x : static_cast<double>(p.slope) * x;
}
double leaky_relu_derivative(double x, const vact_params& p) {
  return x > 0 ? 1.0 : static_cast<double>(p.slope);
}

// swish = x sigmoid(beta x) (beta x exact in double); its derivative is
// silu' at beta x. At +-inf the limits: x where beta x -> +inf or beta = 0.
double swish(double x, const vact_params& p) {
  const double beta = p.beta;
  if (beta == 0) return 0.5 * x;
  if (std::isinf(x)) return (x > 0) == (beta > 0) ? x : std::copysign(0.0, x);
  return x * sigmoid(beta * x, p);
}
double swish_derivative(double x, const vact_params& p) {
  const double beta = p.beta;
  if (beta == 0) return 0.5;
  return silu_derivative(beta * x, p);  // beta x = +-inf at x = +-inf
}

double clip(double x, const vact_params& p) {
  if (x < p.lo) return p.lo;
  if (x > p.hi) return p.hi;
  return x;
}
double clip_derivative(double x, const vact_params& p) {
  return x > p.lo && x < p.hi ? 1.0 : 0.0;
}

// softcap = cap tanh(x / cap); no cap (x) for cap = 0 or +inf.
bool uncapped(const vact_params& p) {
  return p.cap == 0.0f || std::isinf(p.cap);
}
double softcap(double x, const vact_params& p) {
  if (uncapped(p)) return x;
  return p.cap * std::tanh(x / p.cap);
}
double softcap_derivative(double x, const vact_params& p) {
  if (uncapped(p)) return 1.0;
  const double c = std::cosh(x / p.cap);
  return 1.0 / (c * c);
}

}  // namespace
}  // namespace reference

namespace {

// The parameters the tests pass: PyTorch's elu alpha and leaky_relu slope;
// for swish, clip and softcap values that tell their fields apart (a beta
// that is not silu's, clip bounds that are not symmetric, Gemma 2's final
// logit cap).
constexpr vact_params defaults{1.0f, 0.01f, VACT_ACCURACY_PRECISE, 1.5f, -2.0f,
                               6.0f, 30.0f};
// Derivatives: the ULP bound holds where |f'(x)| >= 2^-22; below, near
// f''s zeros where a relative bound means little, 2^-24 absolute.
constexpr double abs_floor = 0x1p-24;
constexpr double near_zero = 0x1p-22;

// The range column of vact/ops.def.
struct range {
  double min, max;
};
constexpr range range_any{-HUGE_VAL, HUGE_VAL};
constexpr range range_unit{0.0, 1.0};
constexpr range range_signed_unit{-1.0, 1.0};
constexpr range range_nonnegative{0.0, HUGE_VAL};
// The order column.
constexpr bool order_monotone = true;
constexpr bool order_unordered = false;
// The fast column.
constexpr bool fast_own = true;
constexpr bool fast_precise = false;
// The fast tier's absolute floor, for own kernels.
constexpr double fast_floor = 0x1p-30;

op_case row(vact_op op, op_parameter parameter, const char* name,
            const char* formula, const char* special_values,
            double (*value)(double, const vact_params&),
            double (*derivative)(double, const vact_params&), double value_ulp,
            double derivative_ulp, range r, bool monotone, bool own_fast,
            double fast_ulp) {
  const bool floor = derivative_ulp > 0;
  return {op,
          parameter,
          name,
          formula,
          special_values,
          defaults,
          value,
          derivative,
          value_ulp,
          derivative_ulp,
          floor ? abs_floor : 0.0,
          floor ? near_zero : 0.0,
          r.min,
          r.max,
          monotone,
          0.0,  // value_abs_floor: none in the precise tier
          own_fast,
          fast_ulp,
          own_fast ? fast_floor : 0.0};
}

}  // namespace

vact_params op_case::resolved(const vact_params* p) {
  if (p != nullptr) return *p;
  return VACT_PARAMS_INIT;
}

vact_params default_params(vact_accuracy tier) {
  vact_params p = VACT_PARAMS_INIT;
  p.accuracy = tier;
  return p;
}

std::string op_case::label() const {
  return fast() ? std::string(name) + " (fast)" : std::string(name);
}

const std::vector<op_case>& fast_op_catalogue() {
  static const std::vector<op_case> catalogue = [] {
    std::vector<op_case> fast = op_catalogue();
    for (op_case& c : fast) {
      c.params.accuracy = VACT_ACCURACY_FAST;
      c.max_value_ulp = c.max_fast_ulp;
      c.value_abs_floor = c.fast_abs_floor;
    }
    return fast;
  }();
  return catalogue;
}

std::vector<const op_case*> all_tiers() {
  std::vector<const op_case*> cases;
  for (const op_case& c : op_catalogue()) cases.push_back(&c);
  for (const op_case& c : fast_op_catalogue()) cases.push_back(&c);
  return cases;
}

const std::vector<op_case>& op_catalogue() {
  static const std::vector<op_case> catalogue = {
#define VACT_OP(id, name, NAME, params, range, order, value_ulp,            \
                derivative_ulp, fast, fast_ulp, formula, special_values)    \
  row(VACT_OP_##NAME, op_parameter::params, #name, formula, special_values, \
      reference::name, reference::name##_derivative, value_ulp,             \
      derivative_ulp, range_##range, order_##order, fast_##fast, fast_ulp),
#include "vact/ops.def"
#undef VACT_OP
  };
  return catalogue;
}

}  // namespace vact_test
