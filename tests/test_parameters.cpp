// SPDX-License-Identifier: Apache-2.0
//
// The parameterised ops (swish's beta, clip's lo and hi, softcap's cap):
// their bounds over a spread of parameters rather than the op table's one,
// the special cases vact.h and vact/ops.def document, and the parameters
// every entry point must refuse before it writes anything.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "accuracy.hpp"
#include "op_catalogue.hpp"
#include "test_support.hpp"
#include "vact/vact.h"

namespace vact_test {
namespace {

constexpr float inf = std::numeric_limits<float>::infinity();
constexpr float nan_value = std::numeric_limits<float>::quiet_NaN();
constexpr float largest = std::numeric_limits<float>::max();
constexpr float tiniest = std::numeric_limits<float>::denorm_min();

// A grid of [-64, 64] (step 2^-7), 20,000 random bit patterns (no NaNs)
// and the specials: enough to meet each kernel's paths for every
// parameter below, small enough for many parameters.
const std::vector<float>& parameter_inputs() {
  static const std::vector<float> inputs = [] {
    std::vector<float> x;
    for (int i = -64 * 128; i <= 64 * 128; ++i)
      x.push_back(static_cast<float>(i) / 128.0f);
    std::mt19937 rng(20261206);
    while (x.size() < 16385 + 20000) {
      const float v = from_bits(static_cast<std::uint32_t>(rng()));
      if (!std::isnan(v)) x.push_back(v);
    }
    for (float v : special_inputs())
      if (!std::isnan(v)) x.push_back(v);
    return x;
  }();
  return inputs;
}

// The op table's row of op in the given tier, with p's parameters.
op_case with_parameters(vact_op op, bool fast, const vact_params& p) {
  op_case c = (fast ? fast_op_catalogue() : op_catalogue())[op];
  const vact_accuracy tier = c.params.accuracy;
  c.params = p;
  c.params.accuracy = tier;
  return c;
}

std::string describe(const vact_params& p) {
  return "beta " + std::to_string(p.beta) + ", lo " + std::to_string(p.lo) +
         ", hi " + std::to_string(p.hi) + ", cap " + std::to_string(p.cap);
}

TEST_CASE(
    "parameterised ops meet their bounds over a spread of parameters, on "
    "every ISA and in both tiers") {
  std::vector<vact_params> spread;
  // The fast tier's bound needs |beta| >= 2^-89 (fast/activations.hpp):
  // -1e-30 and +-3e-38 are for the precise tier.
  const float betas[] = {1.0f, 1.702f, 0.25f, 10.0f,   -1.0f,  -3.5f,
                         0.0f, 1e-20f, 1e20f, -1e-30f, 3e-38f, -3e-38f};
  const float bounds[][2] = {{0.0f, 6.0f}, {-1.0f, 1.0f}, {-inf, 0.0f},
                             {2.0f, 2.0f}, {-3.0f, inf},  {-inf, inf},
                             {-0.0f, 0.0f}};
  const float caps[] = {30.0f, 50.0f, 1.0f,   5.0f, 0.001f, 1e30f,
                        0.0f,  inf,   3e-38f, 7.3f, 1.7f,   5.5f};
  for (std::size_t i = 0; i < std::size(betas); ++i) {
    vact_params p = VACT_PARAMS_INIT;
    p.beta = betas[i];
    p.lo = bounds[i % std::size(bounds)][0];
    p.hi = bounds[i % std::size(bounds)][1];
    p.cap = caps[i];
    spread.push_back(p);
  }
  std::size_t checked = 0;
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    for (const vact_params& p : spread) {
      const std::string parameters = describe(p);
      CAPTURE(parameters);
      for (vact_op op : {VACT_OP_SWISH, VACT_OP_CLIP, VACT_OP_SOFTCAP}) {
        for (bool fast : {false, true}) {
          if (fast && op == VACT_OP_SWISH && p.beta != 0.0f &&
              std::fabs(p.beta) < 0x1p-89f)
            continue;
          const op_case c = with_parameters(op, fast, p);
          const std::string label = c.label();
          CAPTURE(label);
          for (bool derivative : {false, true}) {
            if (fast && derivative) continue;  // the precise kernels
            const accuracy a =
                measure_accuracy(c, derivative, parameter_inputs());
            CHECK_MESSAGE(a.over_bound == 0, a.over_bound, " over bound (",
                          derivative ? "derivative" : "value", "), first at ",
                          a.first_over_bound, "; max ", a.max_ulp, " ULP");
            ++checked;
          }
        }
      }
    }
  }
  CHECK(checked > 0);
}

// y = op(x) with p, one call.
std::vector<float> apply(vact_op op, const vact_params& p,
                         const std::vector<float>& x, bool derivative = false) {
  std::vector<float> y(x.size());
  const auto fn = derivative ? vact_apply_derivative_f32 : vact_apply_f32;
  REQUIRE(fn(op, &p, x.data(), y.data(), x.size()) == VACT_OK);
  return y;
}

std::vector<float> edge_inputs() {
  std::vector<float> x = {0.0f,  -0.0f,  tiniest, -tiniest, 1e-30f, -1e-30f,
                          1.0f,  -1.0f,  2.0f,    -2.0f,    6.0f,   -6.0f,
                          1e30f, -1e30f, largest, -largest, inf,    -inf};
  for (int i = -100; i <= 100; ++i) x.push_back(static_cast<float>(i) * 0.37f);
  return x;
}

TEST_CASE("parameterised ops: the documented special cases, on every ISA") {
  const std::vector<float> x = edge_inputs();
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    CAPTURE(isa_name);
    for (vact_accuracy tier : {VACT_ACCURACY_PRECISE, VACT_ACCURACY_FAST}) {
      CAPTURE(tier);
      vact_params p = default_params(tier);

      // swish with beta = 0 is x / 2 (exact); its derivative 1/2.
      p.beta = 0.0f;
      std::vector<float> y = apply(VACT_OP_SWISH, p, x);
      std::vector<float> d = apply(VACT_OP_SWISH, p, x, true);
      for (std::size_t i = 0; i < x.size(); ++i) {
        CHECK(bits(y[i]) == bits(x[i] * 0.5f));
        CHECK(d[i] == 0.5f);
      }
      // At +-inf the limit: x where beta x -> +inf, else a zero of x's sign
      // (however small beta is: 3e-38 FLT_MAX is only 10).
      for (float beta : {2.0f, -2.0f, 3e-38f, -3e-38f}) {
        p.beta = beta;
        y = apply(VACT_OP_SWISH, p, {inf, -inf});
        CHECK(bits(y[0]) == bits(beta > 0 ? inf : 0.0f));
        CHECK(bits(y[1]) == bits(beta > 0 ? -0.0f : -inf));
      }

      // clip: exact, a bound wins a tie (clip(-0) = +0 for lo = +0), and
      // clip' is 1 on the open interval only.
      p.lo = 0.0f;
      p.hi = 6.0f;
      y = apply(VACT_OP_CLIP, p, x);
      d = apply(VACT_OP_CLIP, p, x, true);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const float expected = x[i] < 0.0f ? 0.0f : x[i] > 6.0f ? 6.0f : x[i];
        CHECK(bits(y[i]) == bits(x[i] == 0.0f ? 0.0f : expected));
        CHECK(d[i] == (x[i] > 0.0f && x[i] < 6.0f ? 1.0f : 0.0f));
      }
      // A zero-initialised struct: lo = hi = 0 clips everything to +0.
      vact_params zeros{};
      zeros.accuracy = tier;
      for (float v : apply(VACT_OP_CLIP, zeros, x)) CHECK(bits(v) == 0u);

      // softcap without a cap (0, the zero-initialised value, or +inf) is
      // x itself, bit for bit; its derivative 1.
      for (float cap : {0.0f, inf}) {
        p.cap = cap;
        y = apply(VACT_OP_SOFTCAP, p, x);
        d = apply(VACT_OP_SOFTCAP, p, x, true);
        for (std::size_t i = 0; i < x.size(); ++i) {
          CHECK(bits(y[i]) == bits(x[i]));
          CHECK(d[i] == 1.0f);
        }
      }
      // With a cap: odd (bit for bit), +-cap at +-inf, and tiny x (where
      // tanh(t) = t) exactly x, subnormals included.
      p.cap = 30.0f;
      y = apply(VACT_OP_SOFTCAP, p, x);
      std::vector<float> negated(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) negated[i] = -x[i];
      const std::vector<float> y_negated = apply(VACT_OP_SOFTCAP, p, negated);
      for (std::size_t i = 0; i < x.size(); ++i) {
        CHECK(bits(y_negated[i]) == (bits(y[i]) ^ 0x80000000u));
        if (std::fabs(x[i]) <= 1e-30f) CHECK(bits(y[i]) == bits(x[i]));
        if (std::isinf(x[i])) CHECK(y[i] == std::copysign(30.0f, x[i]));
      }
    }
  }
}

// Calls op on 8 floats through every element-wise entry point that takes
// parameters, expecting `expected`; the outputs must be untouched when it
// is not VACT_OK.
void check_every_entry_point(vact_op op, const vact_params& p,
                             vact_status expected) {
  const std::size_t n = 8;
  const std::vector<float> x = {-3.0f, -1.0f, -0.5f, 0.0f,
                                0.5f,  1.0f,  3.0f,  9.0f};
  const std::vector<std::uint16_t> x16(n, 0x3f80);  // 1.0 as bf16
  const float canary = from_bits(0x7fc0dead);
  const auto untouched = [&](const std::vector<float>& y) {
    for (float v : y)
      if (bits(v) != bits(canary)) return false;
    return true;
  };
  const auto untouched16 = [](const std::vector<std::uint16_t>& y) {
    for (std::uint16_t v : y)
      if (v != 0xdead) return false;
    return true;
  };
  std::vector<float> y(n, canary), y2(n, canary);
  std::vector<std::uint16_t> y16(n, 0xdead);
  const bool refused = expected != VACT_OK;

  CHECK(vact_apply_f32(op, &p, x.data(), y.data(), n) == expected);
  CHECK(untouched(y) == refused);
  y.assign(n, canary);
  CHECK(vact_apply_derivative_f32(op, &p, x.data(), y.data(), n) == expected);
  CHECK(untouched(y) == refused);
  y.assign(n, canary);
  // Refused whatever the length: nothing to write is no excuse.
  CHECK(vact_apply_f32(op, &p, x.data(), y.data(), 0) == expected);
  for (auto fn : {vact_apply_bf16, vact_apply_f16}) {
    y16.assign(n, 0xdead);
    CHECK(fn(op, &p, x16.data(), y16.data(), n) == expected);
    CHECK(untouched16(y16) == refused);
  }
  CHECK(vact_apply_bf16_f32(op, &p, x16.data(), y.data(), n) == expected);
  CHECK(untouched(y) == refused);
  y.assign(n, canary);
  CHECK(vact_gated_f32(op, &p, x.data(), x.data(), y.data(), n) == expected);
  CHECK(untouched(y) == refused);
  y.assign(n, canary);
  y2.assign(n, canary);
  CHECK(vact_gated_backward_f32(op, &p, x.data(), x.data(), x.data(), y.data(),
                                y2.data(), n) == expected);
  CHECK(untouched(y) == refused);
  CHECK(untouched(y2) == refused);
  std::vector<float> tile = x;
  CHECK(vact_bias_apply_f32(op, &p, nullptr, tile.data(), 4, 2, 4) == expected);
  if (refused) CHECK(tile == x);
}

// elu's alpha and leaky_relu's slope may be any float, NaNs included. A
// NaN one passes its bits on to the results, and the bf16 kernels round
// such results fully, as the conversion does (make_kernel_table.hpp's
// bf16_widened_output rounds by the bias alone, which would carry a NaN's
// low bits up, and out of 0x7fffffff into the sign).
TEST_CASE(
    "parameterised ops: NaN alphas and slopes give bf16 results equal to "
    "their f32 results narrowed, on every ISA") {
  std::vector<std::uint16_t> x(65536);
  for (std::size_t b = 0; b < x.size(); ++b)
    x[b] = static_cast<std::uint16_t>(b);
  const std::uint32_t nans[] = {0x7fc00000u, 0x7fc01234u, 0x7fffffffu,
                                0xffffffffu, 0x7f800001u, 0xff80ffffu};
  std::vector<float> widened(x.size()), y32(x.size());
  REQUIRE(vact_convert_bf16_to_f32(x.data(), widened.data(), x.size()) ==
          VACT_OK);
  std::vector<std::uint16_t> y16(x.size()), narrowed(x.size());
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (vact_accuracy tier : {VACT_ACCURACY_PRECISE, VACT_ACCURACY_FAST}) {
      for (vact_op op : {VACT_OP_ELU, VACT_OP_LEAKY_RELU}) {
        for (std::uint32_t nan_bits : nans) {
          vact_params p = default_params(tier);
          (op == VACT_OP_ELU ? p.alpha : p.slope) = from_bits(nan_bits);
          for (bool derivative : {false, true}) {
            const std::string what =
                std::string(vact_isa_name(isa)) + " " + vact_op_name(op) +
                (derivative ? "'" : "") + " tier " + std::to_string(tier) +
                " parameter " + std::to_string(nan_bits);
            CAPTURE(what);
            const auto apply32 =
                derivative ? vact_apply_derivative_f32 : vact_apply_f32;
            const auto apply16 =
                derivative ? vact_apply_derivative_bf16 : vact_apply_bf16;
            REQUIRE(apply32(op, &p, widened.data(), y32.data(), x.size()) ==
                    VACT_OK);
            REQUIRE(vact_convert_f32_to_bf16(y32.data(), narrowed.data(),
                                             x.size()) == VACT_OK);
            REQUIRE(apply16(op, &p, x.data(), y16.data(), x.size()) == VACT_OK);
            std::size_t differ = 0;
            for (std::size_t i = 0; i < x.size(); ++i)
              differ += y16[i] != narrowed[i];
            CHECK(differ == 0);
          }
        }
      }
    }
  }
}

TEST_CASE(
    "parameterised ops: a parameter an op cannot take is "
    "VACT_ERROR_INVALID_ARGUMENT from every entry point, output untouched") {
  struct bad {
    vact_op op;
    float vact_params::*field;
    float value;
  };
  const bad bad_parameters[] = {
      {VACT_OP_SWISH, &vact_params::beta, nan_value},
      {VACT_OP_SWISH, &vact_params::beta, inf},
      {VACT_OP_SWISH, &vact_params::beta, -inf},
      {VACT_OP_CLIP, &vact_params::lo, nan_value},
      {VACT_OP_CLIP, &vact_params::hi, nan_value},
      {VACT_OP_CLIP, &vact_params::lo, 2.0f},   // above hi = 1
      {VACT_OP_CLIP, &vact_params::hi, -2.0f},  // below lo = -1
      {VACT_OP_SOFTCAP, &vact_params::cap, -1.0f},
      {VACT_OP_SOFTCAP, &vact_params::cap, -inf},
      {VACT_OP_SOFTCAP, &vact_params::cap, nan_value},
  };
  for (vact_accuracy tier : {VACT_ACCURACY_PRECISE, VACT_ACCURACY_FAST}) {
    for (const bad& b : bad_parameters) {
      const std::string op_name = vact_op_name(b.op);
      CAPTURE(op_name);
      CAPTURE(b.value);
      vact_params p = default_params(tier);
      p.*b.field = b.value;
      check_every_entry_point(b.op, p, VACT_ERROR_INVALID_ARGUMENT);
      // An op reads its own fields only: the same parameters are fine for
      // another op.
      check_every_entry_point(VACT_OP_SIGMOID, p, VACT_OK);
    }
  }
  // The per-op functions check their arguments the same way.
  const float x[3] = {1.0f, 2.0f, 3.0f};
  float y[3] = {7.0f, 7.0f, 7.0f};
  CHECK(vact_swish_f32(x, y, 3, nan_value) == VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_clip_f32(x, y, 3, 1.0f, 0.0f) == VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_clip_derivative_f32(x, y, 3, nan_value, 0.0f) ==
        VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_softcap_f32(x, y, 3, -30.0f) == VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_softcap_derivative_f32(x, y, 3, nan_value) ==
        VACT_ERROR_INVALID_ARGUMENT);
  for (float v : y) CHECK(v == 7.0f);
  // Edge values that are fine: lo == hi, infinite bounds, cap 0 or +inf.
  CHECK(vact_clip_f32(x, y, 3, 2.0f, 2.0f) == VACT_OK);
  CHECK(vact_clip_f32(x, y, 3, -inf, inf) == VACT_OK);
  CHECK(vact_softcap_f32(x, y, 3, 0.0f) == VACT_OK);
  CHECK(vact_softcap_f32(x, y, 3, inf) == VACT_OK);
}

}  // namespace
}  // namespace vact_test
