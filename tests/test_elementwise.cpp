// SPDX-License-Identifier: Apache-2.0
//
// Element-wise ops on every ISA under test: error bounds against the
// double-precision references, memory contracts (every length, offset, in
// place, nothing touched outside the range), special values, and bit
// identity of the FMA ISAs with the scalar table.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

#include "accuracy.hpp"
#include "op_catalogue.hpp"
#include "test_support.hpp"

namespace vact_test {
namespace {

constexpr float inf = std::numeric_limits<float>::infinity();
constexpr float nan_value = std::numeric_limits<float>::quiet_NaN();

// "0x7fc00000": a float's bits, for messages.
std::string hex_bits(float f) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(bits(f)));
  return text;
}

using kernel_fn = vact_status (*)(vact_op, const vact_params*, const float*,
                                  float*, size_t);

std::vector<float> run(kernel_fn fn, const op_case& c,
                       const std::vector<float>& x) {
  std::vector<float> y(x.size());
  REQUIRE(fn(c.op, &c.params, x.data(), y.data(), x.size()) == VACT_OK);
  return y;
}

TEST_CASE("element-wise ops meet their error bounds on every ISA") {
  const std::vector<float>& x = accuracy_inputs();
  std::printf("%-9s %-17s %12s %16s %12s %16s\n", "isa", "op", "max ULP",
              "at x", "f' max ULP", "at x");
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    const std::string isa_name = vact_isa_name(isa);
    for (const op_case* tier_case : all_tiers()) {
      const op_case& c = *tier_case;
      // The fast tier's derivatives and shared values are the precise
      // kernels, measured in the precise rows.
      if (c.fast() && !c.fast_own) continue;
      const std::string op_name = c.label();
      CAPTURE(isa_name);
      CAPTURE(op_name);
      const accuracy value = measure_accuracy(c, false, x);
      CHECK_MESSAGE(value.over_bound == 0, value.over_bound, " results over ",
                    c.max_value_ulp,
                    " ULP, first at x = ", value.first_over_bound);
      if (c.fast()) {
        std::printf("%-9s %-17s %12.3f %16.9g\n", isa_name.c_str(),
                    op_name.c_str(), value.max_ulp,
                    static_cast<double>(value.worst_input));
        continue;
      }
      const accuracy slope = measure_accuracy(c, true, x);
      CHECK_MESSAGE(slope.over_bound == 0, slope.over_bound,
                    " derivatives over ", c.max_derivative_ulp,
                    " ULP, first at x = ", slope.first_over_bound);
      std::printf("%-9s %-17s %12.3f %16.9g %12.3f %16.9g\n", isa_name.c_str(),
                  c.name, value.max_ulp, static_cast<double>(value.worst_input),
                  slope.max_ulp, static_cast<double>(slope.worst_input));
    }
  }
}

TEST_CASE("element-wise ops: a NaN gives itself, quieted; limits at infinity") {
  // Signs, payloads, quiet and signalling: each must come back as x + x
  // does it, the same NaN with the quiet bit set, on every ISA and tier.
  std::vector<float> nans = {nan_value,
                             -nan_value,
                             from_bits(0x7f800001u),
                             from_bits(0xff800001u),
                             from_bits(0x7f8001b1u),
                             from_bits(0xffc12345u),
                             from_bits(0x7fbfffffu),
                             from_bits(0xffffffffu)};
  std::mt19937 rng(0x4a4e);
  while (nans.size() < 64) {  // random signs and payloads, half signalling
    const std::uint32_t b = (rng() & 0x807fffffu) | 0x7f800000u;
    if ((b & 0x007fffffu) != 0) nans.push_back(from_bits(b));
  }
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const op_case* tier_case : all_tiers()) {
      const op_case& c = *tier_case;
      const std::string isa_name = vact_isa_name(isa);
      CAPTURE(isa_name);
      const std::string op_name = c.label();
      CAPTURE(op_name);
      for (kernel_fn fn : {vact_apply_f32, vact_apply_derivative_f32}) {
        const std::vector<float> out = run(fn, c, nans);
        for (std::size_t i = 0; i < nans.size(); ++i)
          CHECK_MESSAGE(bits(out[i]) == (bits(nans[i]) | 0x00400000u), "NaN ",
                        hex_bits(nans[i]), " gave ", hex_bits(out[i]),
                        (fn == vact_apply_f32 ? "" : " (f')"));
      }
      // At +-inf every result must equal the reference's limit exactly.
      const std::vector<float> infinities = {inf, -inf};
      const std::vector<float> y = run(vact_apply_f32, c, infinities);
      const std::vector<float> d =
          run(vact_apply_derivative_f32, c, infinities);
      for (std::size_t i = 0; i < infinities.size(); ++i) {
        const double x = static_cast<double>(infinities[i]);
        CHECK(y[i] == static_cast<float>(c.value(x, c.params)));
        CHECK(d[i] == static_cast<float>(c.derivative(x, c.params)));
      }
    }
  }
}

TEST_CASE("element-wise ops: signs of zero and documented special values") {
  struct expectation {
    vact_op op;
    float x;
    float expected;  // compared bit for bit (sign of zero included)
  };
  const float lambda = 0x1.0cfabep+0f;
  const expectation table[] = {
      {VACT_OP_STEP, 0.0f, 0.0f},         {VACT_OP_STEP, -0.0f, 0.0f},
      {VACT_OP_STEP, 1e-45f, 1.0f},       {VACT_OP_STEP, -inf, 0.0f},
      {VACT_OP_RELU, -0.0f, 0.0f},        {VACT_OP_RELU, 0.0f, 0.0f},
      {VACT_OP_RELU, -inf, 0.0f},         {VACT_OP_RELU, inf, inf},
      {VACT_OP_RELU, 1e-45f, 1e-45f},     {VACT_OP_SIGMOID, 0.0f, 0.5f},
      {VACT_OP_SIGMOID, -0.0f, 0.5f},     {VACT_OP_SIGMOID, -inf, 0.0f},
      {VACT_OP_SIGMOID, inf, 1.0f},       {VACT_OP_SIGMOID, 20.0f, 1.0f},
      {VACT_OP_TANH, 0.0f, 0.0f},         {VACT_OP_TANH, -0.0f, -0.0f},
      {VACT_OP_TANH, inf, 1.0f},          {VACT_OP_TANH, -inf, -1.0f},
      {VACT_OP_TANH, 1e-30f, 1e-30f},     {VACT_OP_TANH, -1e-30f, -1e-30f},
      {VACT_OP_ELU, 0.0f, 0.0f},          {VACT_OP_ELU, -0.0f, -0.0f},
      {VACT_OP_ELU, -inf, -1.0f},         {VACT_OP_ELU, inf, inf},
      {VACT_OP_SELU, 0.0f, 0.0f},         {VACT_OP_SELU, -0.0f, -0.0f},
      {VACT_OP_SELU, 1.0f, lambda},       {VACT_OP_SELU, inf, inf},
      {VACT_OP_SOFTPLUS, -inf, 0.0f},     {VACT_OP_SOFTPLUS, inf, inf},
      {VACT_OP_SOFTPLUS, 100.0f, 100.0f}, {VACT_OP_SILU, -0.0f, -0.0f},
      {VACT_OP_SILU, -inf, -0.0f},        {VACT_OP_MISH, -0.0f, -0.0f},
      {VACT_OP_MISH, -inf, -0.0f},        {VACT_OP_GELU_TANH, -0.0f, -0.0f},
      {VACT_OP_GELU_TANH, -inf, -0.0f},   {VACT_OP_QUICK_GELU, -0.0f, -0.0f},
      {VACT_OP_QUICK_GELU, -inf, -0.0f},  {VACT_OP_SIGMOID, -200.0f, 0.0f},
  };
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    // Both tiers keep the same signs of zero and special values.
    for (vact_accuracy tier : {VACT_ACCURACY_PRECISE, VACT_ACCURACY_FAST}) {
      const vact_params params = default_params(tier);
      for (const expectation& e : table) {
        float y = 0;
        REQUIRE(vact_apply_f32(e.op, &params, &e.x, &y, 1) == VACT_OK);
        CHECK_MESSAGE(bits(y) == bits(e.expected),
                      std::string(vact_isa_name(isa)), " ",
                      std::string(vact_op_name(e.op)),
                      (tier == VACT_ACCURACY_FAST ? " (fast)" : ""), "(", e.x,
                      ") = ", y, ", expected ", e.expected);
      }
    }
    // The derivative's conventions at kinks (PyTorch's).
    const float zero = 0.0f;
    float d = -1;
    REQUIRE(vact_relu_derivative_f32(&zero, &d, 1) == VACT_OK);
    CHECK(d == 0.0f);
    REQUIRE(vact_elu_derivative_f32(&zero, &d, 1, 2.0f) == VACT_OK);
    CHECK(d == 2.0f);
    REQUIRE(vact_selu_derivative_f32(&zero, &d, 1) == VACT_OK);
    CHECK(d == doctest::Approx(1.0507009873554805 * 1.6732632423543772));
  }
}

// Every length up to 4 vectors of the widest ISA plus 3, and a few large
// ones, at offsets of 0..3 floats: results equal the same inputs' results
// in one big aligned call, bit for bit, and the guard floats on both sides
// of the output keep their values. In place gives the same bits.
TEST_CASE("element-wise ops: every length, offset and in place") {
  constexpr std::size_t guard = 16;
  constexpr std::uint32_t canary = 0x7fc0dead;  // a NaN no kernel makes
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 4 * 16 + 3; ++n) lengths.push_back(n);
  for (std::size_t n : {255, 256, 257, 1000, 4099}) lengths.push_back(n);

  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-30.0f, 30.0f);
  std::vector<float> source(4099 + 3);
  for (float& f : source) f = uniform(rng);
  const std::vector<float> specials = special_inputs();
  for (std::size_t i = 0; i < specials.size(); ++i)
    source[i * 37 % source.size()] = specials[i];

  for (vact_isa isa : isas_under_test()) {
    isa_guard isa_set(isa);
    for (const op_case& c : op_catalogue()) {
      const std::string isa_name = vact_isa_name(isa);
      CAPTURE(isa_name);
      const std::string op_name = c.name;
      CAPTURE(op_name);
      for (kernel_fn fn : {vact_apply_f32, vact_apply_derivative_f32}) {
        const std::vector<float> expected = run(fn, c, source);
        for (std::size_t offset = 0; offset < 4; ++offset) {
          for (std::size_t n : lengths) {
            if (offset + n > source.size()) continue;
            CAPTURE(offset);
            CAPTURE(n);
            std::vector<float> out(n + 2 * guard + 3, from_bits(canary));
            float* y = out.data() + guard + offset;
            const float* x = source.data() + offset;
            REQUIRE(fn(c.op, &c.params, x, y, n) == VACT_OK);
            bool same = true, guards_intact = true;
            for (std::size_t i = 0; i < n; ++i)
              same &= bits(y[i]) == bits(expected[offset + i]) ||
                      (std::isnan(y[i]) && std::isnan(expected[offset + i]));
            for (std::size_t i = 0; i < out.size(); ++i) {
              const bool inside = i >= guard + offset && i < guard + offset + n;
              if (!inside) guards_intact &= bits(out[i]) == canary;
            }
            CHECK(same);
            CHECK(guards_intact);

            std::vector<float> in_place(source.begin() + offset,
                                        source.begin() + offset + n);
            REQUIRE(fn(c.op, &c.params, in_place.data(), in_place.data(), n) ==
                    VACT_OK);
            bool in_place_same = true;
            for (std::size_t i = 0; i < n; ++i)
              in_place_same &= bits(in_place[i]) == bits(y[i]) ||
                               (std::isnan(in_place[i]) && std::isnan(y[i]));
            CHECK(in_place_same);
          }
        }
      }
    }
  }
}

TEST_CASE("element-wise ops: FMA ISAs give the scalar table's bits") {
  // Every FMA ISA of this CPU, whatever VACT_ISA narrows the rest to.
  const std::vector<float>& x = accuracy_inputs();
  std::size_t compared = 0;
  for (const op_case& c : op_catalogue()) {
    for (kernel_fn fn : {vact_apply_f32, vact_apply_derivative_f32}) {
      std::vector<float> scalar;
      {
        isa_guard guard(VACT_ISA_SCALAR);
        scalar = run(fn, c, x);
      }
      for (vact_isa isa : supported_fma_isas()) {
        if (isa == VACT_ISA_SCALAR) continue;
        isa_guard guard(isa);
        const std::vector<float> y = run(fn, c, x);
        ++compared;
        std::size_t differences = 0;
        float first = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
          const bool same = bits(y[i]) == bits(scalar[i]) ||
                            (std::isnan(y[i]) && std::isnan(scalar[i]));
          if (!same && differences++ == 0) first = x[i];
        }
        CHECK_MESSAGE(differences == 0, std::string(vact_isa_name(isa)), " ",
                      std::string(c.name), fn == vact_apply_f32 ? "" : "'",
                      ": ", differences,
                      " results differ from scalar, first at x = ", first);
      }
    }
  }
  // A SIMD ISA with FMA on this CPU was compared.
  if (vact_isa_supported(VACT_ISA_AVX2) ||
      vact_isa_supported(VACT_ISA_AVX512) || vact_isa_supported(VACT_ISA_NEON))
    CHECK(compared > 0);
}

}  // namespace
}  // namespace vact_test
