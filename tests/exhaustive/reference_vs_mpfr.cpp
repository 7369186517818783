// SPDX-License-Identifier: Apache-2.0
//
// vact_reference_check: the double-precision references of the op table
// (op_catalogue.cpp), against which the exhaustive checker measures the
// kernels, checked against MPFR at 128 bits. Each op and derivative is
// evaluated at N float inputs (random bit patterns, [-20, 20], log-uniform
// magnitudes, the test suite's specials, the derivatives' zeros). A
// reference passes when it is within 0.01 float ULP of the exact value
// everywhere, or, where the kernels are held to an absolute error near a
// derivative's zero, within 0.01 of that absolute bound: then its own error
// cannot move a kernel's measured error by more than 0.01 ULP. The MPFR
// functions are written from the definitions; they share with the
// references only identities that avoid cancellation (1 - s(x) = s(-x),
// 1 + tanh(u) = 2 s(2u) for the sigmoid s).
// Reports per function: max error and where, mean error, and the results
// whose rounding to float overflows or underflows differently. Fails
// (exit 1) when a reference exceeds 0.01 or such a rounding differs.
//
//   vact_reference_check                    # 10^6 points per function
//   vact_reference_check --points 100000 --threads 2 --ops gelu,mish
#include <mpfr.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../op_catalogue.hpp"
#include "../test_support.hpp"
#include "function_jobs.hpp"

namespace vact_test {
namespace {

// Far more than the 2^-30 relative accuracy the check needs: the formulas
// below cancel at most ~30 bits (at float inputs next to a derivative's
// zero).
constexpr mpfr_prec_t working_bits = 128;
constexpr mpfr_rnd_t nearest = MPFR_RNDN;
constexpr double allowed_error = 0.01;  // float ULPs, or of the abs floor
constexpr std::size_t chunk_size = std::size_t{1} << 12;

// An mpfr_t that clears itself.
class mp_number {
 public:
  mp_number() { mpfr_init2(v_, working_bits); }
  explicit mp_number(const char* decimal) : mp_number() {
    mpfr_set_str(v_, decimal, 10, nearest);
  }
  ~mp_number() { mpfr_clear(v_); }
  mp_number(const mp_number&) = delete;
  mp_number& operator=(const mp_number&) = delete;
  operator mpfr_ptr() { return v_; }
  operator mpfr_srcptr() const { return v_; }

 private:
  mpfr_t v_;
};

// softcap without a cap: cap = 0 or +inf.
bool uncapped(const vact_params& p) {
  return p.cap == 0.0f || std::isinf(p.cap);
}

// The exact functions: one per thread (its temporaries are scratch space).
// y must not alias x or a temporary; x is finite or infinite, never NaN.
class exact_functions {
 public:
  exact_functions() {
    mpfr_const_pi(sqrt_2_over_pi_, nearest);
    mpfr_ui_div(sqrt_2_over_pi_, 2, sqrt_2_over_pi_, nearest);
    mpfr_sqrt(sqrt_2_over_pi_, sqrt_2_over_pi_, nearest);
    mpfr_sqrt_ui(sqrt_2_, 2, nearest);
    mpfr_const_pi(inverse_sqrt_2_pi_, nearest);
    mpfr_mul_ui(inverse_sqrt_2_pi_, inverse_sqrt_2_pi_, 2, nearest);
    mpfr_rec_sqrt(inverse_sqrt_2_pi_, inverse_sqrt_2_pi_, nearest);
  }

  void evaluate(vact_op op, bool derivative, const vact_params& p, mpfr_ptr y,
                mpfr_srcptr x) {
    if (derivative)
      evaluate_derivative(op, p, y, x);
    else
      evaluate_value(op, p, y, x);
  }

 private:
  void evaluate_value(vact_op op, const vact_params& p, mpfr_ptr y,
                      mpfr_srcptr x) {
    switch (op) {
      case VACT_OP_STEP:
        mpfr_set_ui(y, mpfr_sgn(x) > 0 ? 1 : 0, nearest);
        return;
      case VACT_OP_RELU:
        if (mpfr_sgn(x) > 0)
          mpfr_set(y, x, nearest);
        else
          mpfr_set_zero(y, 1);
        return;
      case VACT_OP_SIGMOID:
        return sigmoid(y, x);
      case VACT_OP_TANH:
        mpfr_tanh(y, x, nearest);
        return;
      case VACT_OP_ELU:
        mpfr_set_flt(a_, p.alpha, nearest);
        return elu(y, x, a_);
      case VACT_OP_SELU:
        elu(y, x, selu_alpha_);
        mpfr_mul(y, y, selu_lambda_, nearest);
        return;
      case VACT_OP_SOFTPLUS:
        return softplus(y, x);
      case VACT_OP_GELU_TANH:
        // 0.5 x (1 + tanh(u)) = x sigmoid(2u): the first form cancels, all
        // of 128 bits from x = -10 on (1 + tanh(u) < 2^-125 there).
        if (mpfr_inf_p(x)) return set_limit(y, x, HUGE_VAL, -0.0);
        gelu_tanh_u(a_, x);
        mpfr_mul_2ui(a_, a_, 1, nearest);
        sigmoid(b_, a_);
        mpfr_mul(y, x, b_, nearest);
        return;
      case VACT_OP_SILU:  // x sigmoid(x)
        if (mpfr_inf_p(x)) return set_limit(y, x, HUGE_VAL, -0.0);
        sigmoid(a_, x);
        mpfr_mul(y, x, a_, nearest);
        return;
      case VACT_OP_QUICK_GELU:  // x sigmoid(1.702 x)
        if (mpfr_inf_p(x)) return set_limit(y, x, HUGE_VAL, -0.0);
        mpfr_mul(a_, x, quick_gelu_scale_, nearest);
        sigmoid(a_, a_);
        mpfr_mul(y, x, a_, nearest);
        return;
      case VACT_OP_MISH:  // x tanh(softplus(x))
        if (mpfr_inf_p(x)) return set_limit(y, x, HUGE_VAL, -0.0);
        softplus(a_, x);
        mpfr_tanh(a_, a_, nearest);
        mpfr_mul(y, x, a_, nearest);
        return;
      case VACT_OP_HARDSIGMOID:  // min(max((x + 3) / 6, 0), 1)
        mpfr_add_ui(y, x, 3, nearest);
        mpfr_div_ui(y, y, 6, nearest);
        if (mpfr_sgn(y) < 0) mpfr_set_zero(y, 1);
        if (mpfr_cmp_ui(y, 1) > 0) mpfr_set_ui(y, 1, nearest);
        return;
      case VACT_OP_HARDSWISH:
        if (mpfr_cmp_si(x, 3) >= 0) {
          mpfr_set(y, x, nearest);
        } else if (mpfr_cmp_si(x, -3) <= 0) {
          mpfr_set_zero(y, -1);  // x * 0
        } else {
          mpfr_add_ui(a_, x, 3, nearest);
          mpfr_mul(y, x, a_, nearest);
          mpfr_div_ui(y, y, 6, nearest);
        }
        return;
      case VACT_OP_SOFTSIGN:  // x / (1 + |x|)
        if (mpfr_inf_p(x)) return set_limit(y, x, 1.0, -1.0);
        mpfr_abs(a_, x, nearest);
        mpfr_add_ui(a_, a_, 1, nearest);
        mpfr_div(y, x, a_, nearest);
        return;
      case VACT_OP_LEAKY_RELU:
        if (mpfr_sgn(x) >= 0) {
          mpfr_set(y, x, nearest);
        } else {
          mpfr_set_flt(a_, p.slope, nearest);
          mpfr_mul(y, x, a_, nearest);
        }
        return;
      case VACT_OP_GELU:  // x Phi(x)
        if (mpfr_inf_p(x)) return set_limit(y, x, HUGE_VAL, -0.0);
        normal_cdf(a_, x);
        mpfr_mul(y, x, a_, nearest);
        return;
      case VACT_OP_SWISH:  // x sigmoid(beta x)
        if (p.beta == 0.0f) {
          mpfr_div_2ui(y, x, 1, nearest);
        } else if (mpfr_inf_p(x)) {
          const bool rising = p.beta > 0.0f;
          set_limit(y, x, rising ? HUGE_VAL : 0.0, rising ? -0.0 : -HUGE_VAL);
        } else {
          mpfr_mul_d(a_, x, static_cast<double>(p.beta), nearest);
          sigmoid(a_, a_);
          mpfr_mul(y, x, a_, nearest);
        }
        return;
      case VACT_OP_CLIP:
        if (mpfr_cmp_d(x, static_cast<double>(p.lo)) < 0)
          mpfr_set_flt(y, p.lo, nearest);
        else if (mpfr_cmp_d(x, static_cast<double>(p.hi)) > 0)
          mpfr_set_flt(y, p.hi, nearest);
        else
          mpfr_set(y, x, nearest);
        return;
      case VACT_OP_SOFTCAP:  // cap tanh(x / cap); x without a cap
        if (uncapped(p)) {
          mpfr_set(y, x, nearest);
        } else {
          mpfr_div_d(y, x, static_cast<double>(p.cap), nearest);
          mpfr_tanh(y, y, nearest);
          mpfr_mul_d(y, y, static_cast<double>(p.cap), nearest);
        }
        return;
    }
    std::abort();  // an op added to vact.h but not here
  }

  void evaluate_derivative(vact_op op, const vact_params& p, mpfr_ptr y,
                           mpfr_srcptr x) {
    switch (op) {
      case VACT_OP_STEP:
        mpfr_set_zero(y, 1);
        return;
      case VACT_OP_RELU:  // relu'(0) = 0
        mpfr_set_ui(y, mpfr_sgn(x) > 0 ? 1 : 0, nearest);
        return;
      case VACT_OP_SIGMOID:  // s(x) (1 - s(x)) = s(x) s(-x)
        sigmoid(y, x);
        mpfr_neg(a_, x, nearest);
        sigmoid(a_, a_);
        mpfr_mul(y, y, a_, nearest);
        return;
      case VACT_OP_SOFTPLUS:
        return sigmoid(y, x);
      case VACT_OP_TANH:  // 1 - tanh^2 = sech^2, which does not cancel
        mpfr_sech(y, x, nearest);
        mpfr_sqr(y, y, nearest);
        return;
      case VACT_OP_ELU:  // alpha e^x for x <= 0 (elu'(0) = alpha), else 1
        if (mpfr_sgn(x) > 0) {
          mpfr_set_ui(y, 1, nearest);
        } else {
          mpfr_exp(y, x, nearest);
          mpfr_mul_d(y, y, static_cast<double>(p.alpha), nearest);
        }
        return;
      case VACT_OP_SELU:
        if (mpfr_sgn(x) > 0) {
          mpfr_set(y, selu_lambda_, nearest);
        } else {
          mpfr_exp(y, x, nearest);
          mpfr_mul(y, y, selu_alpha_, nearest);
          mpfr_mul(y, y, selu_lambda_, nearest);
        }
        return;
      case VACT_OP_GELU_TANH:
        // d/dx 0.5 x (1 + tanh(u)) = 0.5 (1 + tanh(u)) +
        // 0.5 x sech^2(u) u', with 0.5 (1 + tanh(u)) = sigmoid(2u) and
        // u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2).
        if (mpfr_inf_p(x)) return set_limit(y, x, 1.0, 0.0);
        gelu_tanh_u(a_, x);
        mpfr_mul_2ui(y, a_, 1, nearest);
        sigmoid(y, y);
        mpfr_sech(a_, a_, nearest);
        mpfr_sqr(a_, a_, nearest);
        mpfr_sqr(b_, x, nearest);
        mpfr_mul(b_, b_, gelu_tanh_cubic_, nearest);
        mpfr_mul_ui(b_, b_, 3, nearest);
        mpfr_add_ui(b_, b_, 1, nearest);
        mpfr_mul(b_, b_, sqrt_2_over_pi_, nearest);
        mpfr_mul(a_, a_, b_, nearest);
        mpfr_mul(a_, a_, x, nearest);
        mpfr_div_2ui(a_, a_, 1, nearest);
        mpfr_add(y, y, a_, nearest);
        return;
      case VACT_OP_SILU:
        if (mpfr_inf_p(x)) return set_limit(y, x, 1.0, 0.0);
        return silu_derivative(y, x);
      case VACT_OP_QUICK_GELU:  // silu'(z) at z = 1.702 x
        if (mpfr_inf_p(x)) return set_limit(y, x, 1.0, 0.0);
        mpfr_mul(b_, x, quick_gelu_scale_, nearest);
        return silu_derivative(y, b_);
      case VACT_OP_MISH:
        // d/dx x tanh(sp(x)) = tanh(sp) + x sech^2(sp) sp', sp' = sigmoid.
        if (mpfr_inf_p(x)) return set_limit(y, x, 1.0, 0.0);
        softplus(a_, x);
        mpfr_tanh(y, a_, nearest);
        mpfr_sech(a_, a_, nearest);
        mpfr_sqr(a_, a_, nearest);
        sigmoid(b_, x);
        mpfr_mul(a_, a_, b_, nearest);
        mpfr_mul(a_, a_, x, nearest);
        mpfr_add(y, y, a_, nearest);
        return;
      case VACT_OP_HARDSIGMOID:  // 1/6 on the open interval (-3, 3)
        if (mpfr_cmp_si(x, -3) > 0 && mpfr_cmp_si(x, 3) < 0) {
          mpfr_set_ui(y, 1, nearest);
          mpfr_div_ui(y, y, 6, nearest);
        } else {
          mpfr_set_zero(y, 1);
        }
        return;
      case VACT_OP_HARDSWISH:  // (2x + 3) / 6 on [-3, 3]
        if (mpfr_cmp_si(x, -3) < 0) {
          mpfr_set_zero(y, 1);
        } else if (mpfr_cmp_si(x, 3) > 0) {
          mpfr_set_ui(y, 1, nearest);
        } else {
          mpfr_mul_2ui(y, x, 1, nearest);
          mpfr_add_ui(y, y, 3, nearest);
          mpfr_div_ui(y, y, 6, nearest);
        }
        return;
      case VACT_OP_SOFTSIGN:  // 1 / (1 + |x|)^2
        mpfr_abs(y, x, nearest);
        mpfr_add_ui(y, y, 1, nearest);
        mpfr_sqr(y, y, nearest);
        mpfr_ui_div(y, 1, y, nearest);
        return;
      case VACT_OP_LEAKY_RELU:  // leaky_relu'(0) = slope
        if (mpfr_sgn(x) > 0)
          mpfr_set_ui(y, 1, nearest);
        else
          mpfr_set_flt(y, p.slope, nearest);
        return;
      case VACT_OP_GELU:  // Phi(x) + x phi(x)
        if (mpfr_inf_p(x)) return set_limit(y, x, 1.0, 0.0);
        normal_cdf(y, x);
        mpfr_sqr(a_, x, nearest);
        mpfr_div_2ui(a_, a_, 1, nearest);
        mpfr_neg(a_, a_, nearest);
        mpfr_exp(a_, a_, nearest);
        mpfr_mul(a_, a_, inverse_sqrt_2_pi_, nearest);
        mpfr_mul(a_, a_, x, nearest);
        mpfr_add(y, y, a_, nearest);
        return;
      case VACT_OP_SWISH:  // silu'(z) at z = beta x
        if (p.beta == 0.0f) {
          mpfr_set_d(y, 0.5, nearest);
          return;
        }
        if (mpfr_inf_p(x)) {
          const bool rising = p.beta > 0.0f;
          return set_limit(y, x, rising ? 1.0 : 0.0, rising ? 0.0 : 1.0);
        }
        mpfr_mul_d(b_, x, static_cast<double>(p.beta), nearest);
        return silu_derivative(y, b_);
      case VACT_OP_CLIP:  // 1 on the open interval (lo, hi)
        mpfr_set_ui(y,
                    mpfr_cmp_d(x, static_cast<double>(p.lo)) > 0 &&
                            mpfr_cmp_d(x, static_cast<double>(p.hi)) < 0
                        ? 1
                        : 0,
                    nearest);
        return;
      case VACT_OP_SOFTCAP:  // sech^2(x / cap); 1 without a cap
        if (uncapped(p)) {
          mpfr_set_ui(y, 1, nearest);
        } else {
          mpfr_div_d(y, x, static_cast<double>(p.cap), nearest);
          mpfr_sech(y, y, nearest);
          mpfr_sqr(y, y, nearest);
        }
        return;
    }
    std::abort();
  }

  // silu'(z) = s(z) (1 + z (1 - s(z))), 1 - s(z) = s(-z); y must not alias
  // z or a_.
  void silu_derivative(mpfr_ptr y, mpfr_srcptr z) {
    sigmoid(y, z);
    mpfr_neg(a_, z, nearest);
    sigmoid(a_, a_);
    mpfr_mul(a_, a_, z, nearest);
    mpfr_add_ui(a_, a_, 1, nearest);
    mpfr_mul(y, y, a_, nearest);
  }

  // Where the formula would give inf * 0 or inf / inf.
  static void set_limit(mpfr_ptr y, mpfr_srcptr x, double at_plus_inf,
                        double at_minus_inf) {
    mpfr_set_d(y, mpfr_sgn(x) > 0 ? at_plus_inf : at_minus_inf, nearest);
  }

  // 1 / (1 + e^-x); y may alias x.
  static void sigmoid(mpfr_ptr y, mpfr_srcptr x) {
    mpfr_neg(y, x, nearest);
    mpfr_exp(y, y, nearest);
    mpfr_add_ui(y, y, 1, nearest);
    mpfr_ui_div(y, 1, y, nearest);
  }

  // log(1 + e^x). Past 2^20, e^x would overflow MPFR's exponent range for
  // the largest floats, and log(1 + e^x) - x = log1p(e^-x) < 2^-10^6.
  static void softplus(mpfr_ptr y, mpfr_srcptr x) {
    if (mpfr_cmp_ui_2exp(x, 1, 20) > 0) {
      mpfr_set(y, x, nearest);
      return;
    }
    mpfr_exp(y, x, nearest);
    mpfr_log1p(y, y, nearest);
  }

  // alpha (e^x - 1) for x <= 0, else x (expm1: e^x - 1 without
  // cancellation).
  static void elu(mpfr_ptr y, mpfr_srcptr x, mpfr_srcptr alpha) {
    if (mpfr_sgn(x) > 0) {
      mpfr_set(y, x, nearest);
      return;
    }
    mpfr_expm1(y, x, nearest);
    mpfr_mul(y, y, alpha, nearest);
  }

  // u = sqrt(2/pi) (x + 0.044715 x^3), the constant the decimal one.
  void gelu_tanh_u(mpfr_ptr u, mpfr_srcptr x) {
    mpfr_sqr(u, x, nearest);
    mpfr_mul(u, u, gelu_tanh_cubic_, nearest);
    mpfr_mul(u, u, x, nearest);
    mpfr_add(u, u, x, nearest);
    mpfr_mul(u, u, sqrt_2_over_pi_, nearest);
  }

  // Phi(x) = 0.5 erfc(-x / sqrt(2)) (erfc: no cancellation for x < 0).
  void normal_cdf(mpfr_ptr y, mpfr_srcptr x) {
    mpfr_div(y, x, sqrt_2_, nearest);
    mpfr_neg(y, y, nearest);
    mpfr_erfc(y, y, nearest);
    mpfr_div_2ui(y, y, 1, nearest);
  }

  // PyTorch's SELU constants and gelu_tanh's cubic coefficient, as decimals.
  const mp_number selu_lambda_{"1.0507009873554804934193349852946"};
  const mp_number selu_alpha_{"1.6732632423543772848170429916717"};
  const mp_number gelu_tanh_cubic_{"0.044715"};
  const mp_number quick_gelu_scale_{"1.702"};
  mp_number sqrt_2_over_pi_, sqrt_2_, inverse_sqrt_2_pi_;
  mp_number a_, b_;  // temporaries
};

// The deterministic sample every function is checked on.
std::vector<float> sample_inputs(std::size_t points) {
  std::mt19937_64 rng(0x5eed'acc0'0017ull);
  const auto unit = [&rng] {  // uniform in [0, 1), same on every platform
    return static_cast<double>(rng() >> 11) * 0x1p-53;
  };
  std::vector<float> x = special_inputs();
  // The derivatives' zeros (silu, mish, gelu_tanh, gelu, hardswish): the
  // 64 floats either side and 1/200 of the sample each within 0.05. |f'|
  // passes derivative_floor_below within 40 floats of a zero; just past it,
  // the double terms cancel most relative to the ULP measured against.
  for (double zero : {-1.2784645427610738, -1.1924312145154952,
                      -0.7524614220710163, -0.7517915241, -1.5}) {
    float below = static_cast<float>(zero);
    float above = below;
    x.push_back(below);
    for (int i = 0; i < 64; ++i) {
      below = std::nextafter(below, -HUGE_VALF);
      above = std::nextafter(above, HUGE_VALF);
      x.push_back(below);
      x.push_back(above);
    }
    for (std::size_t i = 0; i < points / 200; ++i)
      x.push_back(static_cast<float>(zero + 0.1 * (unit() - 0.5)));
  }
  // The rest: a third each of float bit patterns (NaNs skipped), uniform
  // over [-20, 20] and log-uniform magnitudes in [2^-30, 2^7], both signs.
  while (x.size() < points) {
    switch (x.size() % 3) {
      case 0: {
        const float v = from_bits(static_cast<std::uint32_t>(rng() >> 32));
        if (!std::isnan(v)) x.push_back(v);
        break;
      }
      case 1:
        x.push_back(static_cast<float>(40.0 * unit() - 20.0));
        break;
      default: {
        const double magnitude = std::exp2(-30.0 + 37.0 * unit());
        x.push_back(static_cast<float>((rng() & 1) ? magnitude : -magnitude));
      }
    }
  }
  return x;
}

struct stats {
  // Where the error is relative: in float ULPs at the exact value.
  double max_ulp = 0;
  float worst_ulp_input = 0;
  double sum_ulp = 0;
  std::uint64_t ulp_count = 0;
  // Near a derivative's zero: absolute error / derivative_abs_floor.
  double max_floor = 0;
  float worst_floor_input = 0;
  std::uint64_t floor_count = 0;
  // Float roundings where one side overflows or underflows, the other not.
  std::uint64_t rounding_mismatches = 0;
  float first_mismatch_input = 0;

  void merge(const stats& o) {
    if (o.max_ulp > max_ulp || std::isnan(o.max_ulp)) {
      max_ulp = o.max_ulp;
      worst_ulp_input = o.worst_ulp_input;
    }
    sum_ulp += o.sum_ulp;
    ulp_count += o.ulp_count;
    if (o.max_floor > max_floor || std::isnan(o.max_floor)) {
      max_floor = o.max_floor;
      worst_floor_input = o.worst_floor_input;
    }
    floor_count += o.floor_count;
    if (rounding_mismatches == 0 && o.rounding_mismatches > 0)
      first_mismatch_input = o.first_mismatch_input;
    rounding_mismatches += o.rounding_mismatches;
  }
  bool passed() const {
    return max_ulp <= allowed_error && max_floor <= allowed_error &&
           rounding_mismatches == 0;
  }
};

// Per thread: the exact functions and scratch numbers (MPFR keeps its
// caches and flags thread-local).
struct thread_state {
  exact_functions f;
  mp_number input, exact, difference;
};

// Compares the reference with the exact value at x.
void check_point(const function_job& j, float x, thread_state& t, stats& s) {
  const op_case& c = *j.op;
  const double reference =
      (j.derivative ? c.derivative : c.value)(static_cast<double>(x), c.params);
  mpfr_set_flt(t.input, x, nearest);  // exact: floats fit 128 bits
  mpfr_ptr exact = t.exact;
  t.f.evaluate(c.op, j.derivative, c.params, exact, t.input);

  const float exact_float = mpfr_get_flt(exact, nearest);
  const float reference_float = static_cast<float>(reference);
  const bool overflow_or_underflow = std::isinf(exact_float) ||
                                     std::isinf(reference_float) ||
                                     exact_float == 0 || reference_float == 0;
  if (overflow_or_underflow && exact_float != reference_float) {
    if (s.rounding_mismatches++ == 0) s.first_mismatch_input = x;
  }
  if (mpfr_inf_p(exact) || std::isinf(reference)) return;  // compared above

  mpfr_sub_d(t.difference, exact, reference, nearest);
  const double absolute_error = std::fabs(mpfr_get_d(t.difference, nearest));
  if (j.derivative &&
      std::fabs(mpfr_get_d(exact, nearest)) < c.derivative_floor_below) {
    const double e = absolute_error / c.derivative_abs_floor;
    if (e > s.max_floor || std::isnan(e)) {
      s.max_floor = e;
      s.worst_floor_input = x;
    }
    ++s.floor_count;
    return;
  }
  // The float ULP at the exact value: 2^(e-23) for |exact| in [2^e, 2^(e+1)),
  // 2^-149 below 2^-126 (as ulp_error in test_support.cpp).
  const long exponent = mpfr_zero_p(exact) ? -1000 : mpfr_get_exp(exact) - 1;
  const int ulp_exponent = static_cast<int>(std::max(exponent, -126L)) - 23;
  const double e = std::ldexp(absolute_error, -ulp_exponent);
  if (e > s.max_ulp || std::isnan(e)) {
    s.max_ulp = e;
    s.worst_ulp_input = x;
  }
  s.sum_ulp += e;
  ++s.ulp_count;
}

stats run_job(const function_job& j, const std::vector<float>& inputs,
              unsigned threads) {
  const std::size_t chunks = (inputs.size() + chunk_size - 1) / chunk_size;
  std::atomic<std::size_t> next{0};
  std::mutex merge_lock;
  stats total;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      thread_state state;
      for (std::size_t k; (k = next.fetch_add(1)) < chunks;) {
        stats s;
        const std::size_t end = std::min(inputs.size(), (k + 1) * chunk_size);
        for (std::size_t i = k * chunk_size; i < end; ++i)
          check_point(j, inputs[i], state, s);
        std::lock_guard<std::mutex> lock(merge_lock);
        total.merge(s);
      }
      mpfr_free_cache();
    });
  }
  for (std::thread& w : workers) w.join();
  return total;
}

int usage() {
  std::fprintf(stderr,
               "usage: vact_reference_check [--points N] [--threads N] "
               "[--ops name,name...]\n");
  return 2;
}

}  // namespace
}  // namespace vact_test

int main(int argc, char** argv) {
  using namespace vact_test;
  std::size_t points = 1000000;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> ops;  // empty: all
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string value = argv[++i];
    if (arg == "--points") {
      points = std::strtoull(value.c_str(), nullptr, 10);
      if (points == 0) return usage();
    } else if (arg == "--threads") {
      threads = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
      if (threads == 0) return usage();
    } else if (arg == "--ops") {
      ops = split_names(value);
    } else {
      return usage();
    }
  }

  const std::vector<float> inputs = sample_inputs(points);
  std::printf(
      "vact_reference_check: the double references against MPFR (%d bits, "
      "MPFR %s), %zu inputs per function, %u threads; allowed: %g float "
      "ULP, or %g of the absolute floor where that applies\n\n",
      static_cast<int>(working_bits), mpfr_get_version(), inputs.size(),
      threads, allowed_error, allowed_error);
  std::printf(
      "| function | max ULP | at x | mean ULP | max near zero (of abs "
      "floor) | at x | inputs near zero | rounding mismatches | |\n"
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;
  for (const function_job& j : function_jobs(ops)) {
    const stats s = run_job(j, inputs, threads);
    ok &= s.passed();
    std::printf(
        "| %s | %.2e | %.9g | %.2e | %.2e | %.9g | %llu | %llu | %s |\n",
        j.label().c_str(), s.max_ulp, static_cast<double>(s.worst_ulp_input),
        s.ulp_count ? s.sum_ulp / static_cast<double>(s.ulp_count) : 0.0,
        s.max_floor, static_cast<double>(s.worst_floor_input),
        static_cast<unsigned long long>(s.floor_count),
        static_cast<unsigned long long>(s.rounding_mismatches),
        s.passed() ? "ok" : "FAIL");
    if (!(s.max_ulp <= allowed_error))
      std::fprintf(
          stderr, "%s: the reference is %g float ULP off at x = %.9g\n",
          j.label().c_str(), s.max_ulp, static_cast<double>(s.worst_ulp_input));
    if (!(s.max_floor <= allowed_error))
      std::fprintf(stderr,
                   "%s: near a zero, the reference is off by %g times the "
                   "absolute floor %g at x = %.9g\n",
                   j.label().c_str(), s.max_floor, j.op->derivative_abs_floor,
                   static_cast<double>(s.worst_floor_input));
    if (s.rounding_mismatches > 0)
      std::fprintf(stderr,
                   "%s: %llu inputs where the reference and the exact value "
                   "round to float differently at 0 or inf, first x = %.9g\n",
                   j.label().c_str(),
                   static_cast<unsigned long long>(s.rounding_mismatches),
                   static_cast<double>(s.first_mismatch_input));
    std::fflush(stdout);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("\n%s in %.0f s\n",
              ok ? "every reference is within the allowed error"
                 : "FAILED: a reference is not accurate enough (see above)",
              seconds);
  return ok ? 0 : 1;
}
