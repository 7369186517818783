// SPDX-License-Identifier: Apache-2.0
//
// The engine calls (vact.h, "engine calls"), both tiers, on every ISA under
// test. Each fused call is checked bit for bit against the sequence of
// plain vact calls (and float arithmetic) it replaces, which the other
// tests prove accurate; the online softmax against a long-double reference;
// then the argument checks, with the outputs left untouched.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace vact_test {
namespace {

constexpr float inf = std::numeric_limits<float>::infinity();

const vact_op gate_ops[] = {
    VACT_OP_SILU, VACT_OP_GELU,    VACT_OP_GELU_TANH, VACT_OP_QUICK_GELU,
    VACT_OP_RELU, VACT_OP_SIGMOID, VACT_OP_ELU,       VACT_OP_LEAKY_RELU};
const vact_accuracy accuracies[] = {VACT_ACCURACY_PRECISE, VACT_ACCURACY_FAST};

// Sizes around the vector widths and the 1024-float blocks.
const std::size_t sizes[] = {0, 1, 7, 16, 33, 1023, 1024, 1025, 2500};

vact_params params_of(vact_accuracy accuracy) {
  vact_params p{};
  p.alpha = 0.7f;
  p.slope = 0.05f;
  p.accuracy = accuracy;
  p.beta = 0.8f;
  p.lo = -1.5f;
  p.hi = 3.0f;
  p.cap = 5.0f;
  return p;
}

std::vector<float> random_values(std::size_t n, std::mt19937& rng,
                                 float spread = 6.0f) {
  std::normal_distribution<float> normal(0.0f, spread);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  // memcmp with an empty vector's null data() would be undefined.
  return a.size() == b.size() &&
         (a.empty() ||
          std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

std::string where(vact_isa isa, vact_op op, vact_accuracy accuracy) {
  return std::string(vact_isa_name(isa)) + " " + vact_op_name(op) +
         (accuracy == VACT_ACCURACY_FAST ? " fast" : " precise");
}

// act(gate) * up, the unfused way.
std::vector<float> gated_reference(vact_op op, const vact_params& p,
                                   const std::vector<float>& gate,
                                   const std::vector<float>& up) {
  std::vector<float> y(gate.size());
  REQUIRE(vact_apply_f32(op, &p, gate.data(), y.data(), gate.size()) ==
          VACT_OK);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] *= up[i];
  return y;
}

TEST_CASE("gated activations: the bits of act(gate) * up, in place too") {
  std::mt19937 rng(1);
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (vact_op op : gate_ops)
      for (vact_accuracy accuracy : accuracies)
        for (std::size_t n : sizes) {
          const vact_params p = params_of(accuracy);
          std::vector<float> gate = random_values(n, rng);
          const std::vector<float> up = random_values(n, rng, 2.0f);
          if (n > 3) gate[3] = std::numeric_limits<float>::quiet_NaN();
          const std::vector<float> expected = gated_reference(op, p, gate, up);
          INFO(where(isa, op, accuracy), " n = ", n);
          std::vector<float> y(n, 9.0f);
          REQUIRE(vact_gated_f32(op, &p, gate.data(), up.data(), y.data(), n) ==
                  VACT_OK);
          CHECK(same_bits(y, expected));
          std::vector<float> in_place = gate;
          REQUIRE(vact_gated_f32(op, &p, in_place.data(), up.data(),
                                 in_place.data(), n) == VACT_OK);
          CHECK(same_bits(in_place, expected));
          in_place = up;
          REQUIRE(vact_gated_f32(op, &p, gate.data(), in_place.data(),
                                 in_place.data(), n) == VACT_OK);
          CHECK(same_bits(in_place, expected));
        }
  }
}

TEST_CASE("gated activations: a NaN up gives NaN; SwiGLU by hand") {
  const float gate[] = {1.0f, -2.0f, 0.5f};
  const float up[] = {std::numeric_limits<float>::quiet_NaN(), 3.0f, 0.0f};
  float y[3];
  REQUIRE(vact_gated_f32(VACT_OP_SILU, nullptr, gate, up, y, 3) == VACT_OK);
  CHECK(std::isnan(y[0]));
  CHECK(y[1] == doctest::Approx(3.0 * -2.0 / (1.0 + std::exp(2.0))));
  CHECK(y[2] == 0.0f);
}

TEST_CASE("gated rows: every layout gives vact_gated_f32's bits") {
  std::mt19937 rng(2);
  const vact_gate_layout layouts[] = {
      VACT_GATE_CONCAT, VACT_GATE_CONCAT_SWAPPED, VACT_GATE_INTERLEAVED};
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (vact_gate_layout layout : layouts)
      for (std::size_t cols :
           {std::size_t{1}, std::size_t{19}, std::size_t{1100}})
        for (vact_accuracy accuracy : accuracies) {
          const vact_params p = params_of(accuracy);
          const std::size_t rows = 3, x_stride = 2 * cols + 5,
                            y_stride = cols + 3;
          const std::vector<float> x = random_values(rows * x_stride, rng);
          std::vector<float> expected(rows * y_stride, -7.0f);
          for (std::size_t r = 0; r < rows; ++r) {
            std::vector<float> gate(cols), up(cols);
            const float* row = x.data() + r * x_stride;
            for (std::size_t j = 0; j < cols; ++j) {
              switch (layout) {
                case VACT_GATE_CONCAT:
                  gate[j] = row[j], up[j] = row[cols + j];
                  break;
                case VACT_GATE_CONCAT_SWAPPED:
                  up[j] = row[j], gate[j] = row[cols + j];
                  break;
                case VACT_GATE_INTERLEAVED:
                  gate[j] = row[2 * j], up[j] = row[2 * j + 1];
                  break;
              }
            }
            const std::vector<float> y =
                gated_reference(VACT_OP_SILU, p, gate, up);
            std::copy(y.begin(), y.end(), expected.begin() + r * y_stride);
          }
          INFO(vact_isa_name(isa), " layout ", layout, " cols ", cols);
          std::vector<float> y(rows * y_stride, -7.0f);  // padding stays
          REQUIRE(vact_gated_rows_f32(VACT_OP_SILU, &p, x.data(), x_stride,
                                      y.data(), y_stride, rows, cols,
                                      layout) == VACT_OK);
          CHECK(same_bits(y, expected));
          // In place: row r's results over the start of its own inputs.
          std::vector<float> in_place = x;
          REQUIRE(vact_gated_rows_f32(VACT_OP_SILU, &p, in_place.data(),
                                      x_stride, in_place.data(), x_stride, rows,
                                      cols, layout) == VACT_OK);
          for (std::size_t r = 0; r < rows; ++r)
            CHECK(std::memcmp(in_place.data() + r * x_stride,
                              expected.data() + r * y_stride,
                              cols * sizeof(float)) == 0);
        }
  }
}

TEST_CASE("gated backward: dy (up act') and dy act, outputs over inputs") {
  std::mt19937 rng(3);
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (vact_op op : gate_ops)
      for (vact_accuracy accuracy : accuracies)
        for (std::size_t n : {std::size_t{5}, std::size_t{1500}}) {
          const vact_params p = params_of(accuracy);
          const std::vector<float> gate = random_values(n, rng),
                                   up = random_values(n, rng),
                                   dy = random_values(n, rng);
          std::vector<float> act(n), derivative(n), dgate(n), dup(n);
          REQUIRE(vact_apply_f32(op, &p, gate.data(), act.data(), n) ==
                  VACT_OK);
          REQUIRE(vact_apply_derivative_f32(op, &p, gate.data(),
                                            derivative.data(), n) == VACT_OK);
          std::vector<float> want_dgate(n), want_dup(n);
          for (std::size_t i = 0; i < n; ++i) {
            want_dgate[i] = dy[i] * (up[i] * derivative[i]);
            want_dup[i] = dy[i] * act[i];
          }
          INFO(where(isa, op, accuracy), " n = ", n);
          REQUIRE(vact_gated_backward_f32(op, &p, gate.data(), up.data(),
                                          dy.data(), dgate.data(), dup.data(),
                                          n) == VACT_OK);
          CHECK(same_bits(dgate, want_dgate));
          CHECK(same_bits(dup, want_dup));
          // The training case: gradients over the saved inputs.
          std::vector<float> g = gate, u = up;
          REQUIRE(vact_gated_backward_f32(op, &p, g.data(), u.data(), dy.data(),
                                          g.data(), u.data(), n) == VACT_OK);
          CHECK(same_bits(g, want_dgate));
          CHECK(same_bits(u, want_dup));
        }
  }
}

TEST_CASE("bias + activation: add then act, padding untouched") {
  std::mt19937 rng(4);
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (vact_op op : {VACT_OP_GELU, VACT_OP_RELU, VACT_OP_SILU})
      for (vact_accuracy accuracy : accuracies)
        for (std::size_t cols :
             {std::size_t{3}, std::size_t{64}, std::size_t{1030}})
          for (bool with_bias : {true, false}) {
            const vact_params p = params_of(accuracy);
            const std::size_t rows = 4, ldc = cols + 2;
            std::vector<float> c = random_values(rows * ldc, rng);
            const std::vector<float> bias = random_values(cols, rng, 1.0f);
            std::vector<float> expected = c;
            for (std::size_t r = 0; r < rows; ++r) {
              float* row = expected.data() + r * ldc;
              if (with_bias)
                for (std::size_t j = 0; j < cols; ++j) row[j] += bias[j];
              REQUIRE(vact_apply_f32(op, &p, row, row, cols) == VACT_OK);
            }
            INFO(where(isa, op, accuracy), " cols ", cols, " bias ", with_bias);
            REQUIRE(vact_bias_apply_f32(op, &p,
                                        with_bias ? bias.data() : nullptr,
                                        c.data(), ldc, rows, cols) == VACT_OK);
            CHECK(same_bits(c, expected));  // the padding included
          }
  }
}

// ---- attention softmax

struct softmax_case {
  std::size_t rows, cols;
  float scale, softcap, mask_scale;
  bool mask, sinks;
  std::size_t mask_row_stride;  // 0: one mask row for all
};

// The logits of vact_softmax_ex_f32's definition, row by row, with the
// sink appended: plain f32 steps and vact's tanh of the tier.
std::vector<float> ex_logits(const softmax_case& c, vact_accuracy accuracy,
                             const std::vector<float>& x,
                             const std::vector<float>& mask,
                             const std::vector<float>& sinks) {
  const std::size_t width = c.cols + (c.sinks ? 1 : 0);
  std::vector<float> v(c.rows * width);
  vact_params p{};
  p.accuracy = accuracy;
  for (std::size_t r = 0; r < c.rows; ++r) {
    float* out = v.data() + r * width;
    for (std::size_t j = 0; j < c.cols; ++j)
      out[j] = x[r * c.cols + j] * c.scale;
    if (c.softcap != 0.0f) {
      for (std::size_t j = 0; j < c.cols; ++j) out[j] = out[j] / c.softcap;
      REQUIRE(vact_apply_f32(VACT_OP_TANH, &p, out, out, c.cols) == VACT_OK);
      for (std::size_t j = 0; j < c.cols; ++j) out[j] = c.softcap * out[j];
    }
    if (c.mask)
      for (std::size_t j = 0; j < c.cols; ++j)
        out[j] = out[j] + mask[r * c.mask_row_stride + j] * c.mask_scale;
    if (c.sinks) out[c.cols] = sinks[r];
  }
  return v;
}

TEST_CASE("softmax_ex: the plain softmax of its logits, bit for bit") {
  std::mt19937 rng(5);
  const softmax_case cases[] = {
      {3, 7, 1.0f, 0.0f, 1.0f, false, false, 0},
      {17, 5, 0.125f, 0.0f, 1.0f, true, false, 5},
      {17, 32, 0.3f, 0.0f, 1.0f, true, true, 32},
      {9, 31, 1.0f, 0.0f, 1.0f, false, true, 0},
      {5, 100, 0.7f, 30.0f, 1.0f, true, false, 0},
      {16, 16, 2.0f, 5.0f, 0.5f, true, true, 16},
      {2, 1000, 0.05f, 50.0f, 0.25f, true, true, 1000},
      {3, 1, 1.0f, 0.0f, 1.0f, true, true, 1},
  };
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const softmax_case& c : cases)
      for (vact_accuracy accuracy : accuracies)
        for (int log : {0, 1}) {
          const std::vector<float> x =
              random_values(c.rows * c.cols, rng, 8.0f);
          std::vector<float> mask = random_values(
              (c.mask_row_stride == 0 ? 1 : c.rows) *
                  (c.mask_row_stride == 0 ? c.cols : c.mask_row_stride),
              rng, 1.0f);
          // A causal mask's -inf entries, and one row hidden entirely where
          // its sink still gives it a maximum.
          for (std::size_t i = 0; i < mask.size(); ++i)
            if (i % 3 == 1) mask[i] = -inf;
          const std::vector<float> sinks = random_values(c.rows, rng, 3.0f);
          const std::vector<float> logits =
              ex_logits(c, accuracy, x, mask, sinks);
          const std::size_t width = c.cols + (c.sinks ? 1 : 0);
          std::vector<float> reference(logits.size());
          const auto plain =
              accuracy == VACT_ACCURACY_FAST
                  ? (log ? vact_log_softmax_fast_f32 : vact_softmax_fast_f32)
                  : (log ? vact_log_softmax_f32 : vact_softmax_f32);
          REQUIRE(plain(logits.data(), reference.data(), c.rows, width) ==
                  VACT_OK);
          vact_softmax_params p = VACT_SOFTMAX_PARAMS_INIT;
          p.accuracy = accuracy;
          p.log = log;
          p.scale = c.scale;
          p.softcap = c.softcap;
          p.mask = c.mask ? mask.data() : nullptr;
          p.mask_row_stride = c.mask_row_stride;
          p.mask_scale = c.mask_scale;
          p.sinks = c.sinks ? sinks.data() : nullptr;
          for (vact_masked_row masked_row :
               {VACT_MASKED_ROW_NAN, VACT_MASKED_ROW_ZERO}) {
            p.masked_row = masked_row;
            std::vector<float> y(c.rows * c.cols);
            INFO(vact_isa_name(isa), " rows ", c.rows, " cols ", c.cols,
                 " log ", log, accuracy == VACT_ACCURACY_FAST ? " fast" : "",
                 " masked_row ", masked_row);
            REQUIRE(vact_softmax_ex_f32(x.data(), c.cols, y.data(), c.cols,
                                        c.rows, c.cols, &p) == VACT_OK);
            bool same = true;
            for (std::size_t r = 0; r < c.rows; ++r)
              for (std::size_t j = 0; j < c.cols; ++j) {
                const float want = reference[r * width + j];
                const float got = y[r * c.cols + j];
                // A row the mask hides entirely (no sink): NaN, or in the
                // ZERO mode 0 (log: -inf).
                if (std::isnan(want) && masked_row == VACT_MASKED_ROW_ZERO)
                  same &= got == (log ? -inf : 0.0f);
                else
                  same &= bits(got) == bits(want);
              }
            CHECK(same);
          }
        }
  }
}

TEST_CASE("softmax_ex: rows the mask hides entirely") {
  const float x[] = {1, 2, 3, 4, 5, 6, 7, 8};
  const float mask[] = {-inf, -inf, -inf, -inf, 0, -inf, 0, 0};
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (int log : {0, 1}) {
      vact_softmax_params p = VACT_SOFTMAX_PARAMS_INIT;
      p.log = log;
      p.mask = mask;
      p.mask_row_stride = 4;
      float y[8];
      INFO(vact_isa_name(isa), " log ", log);
      REQUIRE(vact_softmax_ex_f32(x, 4, y, 4, 2, 4, &p) == VACT_OK);
      for (int j = 0; j < 4; ++j) CHECK(std::isnan(y[j]));
      p.masked_row = VACT_MASKED_ROW_ZERO;
      REQUIRE(vact_softmax_ex_f32(x, 4, y, 4, 2, 4, &p) == VACT_OK);
      for (int j = 0; j < 4; ++j) CHECK(y[j] == (log ? -inf : 0.0f));
      CHECK(std::isfinite(y[4]));
      CHECK(y[5] == (log ? -inf : 0.0f));
      // A NaN in a hidden row is still a NaN row.
      const float with_nan[] = {std::numeric_limits<float>::quiet_NaN(), 2, 3,
                                4};
      REQUIRE(vact_softmax_ex_f32(with_nan, 4, y, 4, 1, 4, &p) == VACT_OK);
      for (int j = 0; j < 4; ++j) CHECK(std::isnan(y[j]));
    }
  }
}

TEST_CASE("softmax_ex: tiles of short rows hide rows lane by lane") {
  // 16 rows of 4 (the tile path on every width), every other row hidden.
  std::vector<float> x(64), mask(64), y(64);
  for (std::size_t i = 0; i < 64; ++i) {
    x[i] = static_cast<float>(i % 7);
    mask[i] = (i / 4) % 2 == 1 ? -inf : 0.0f;
  }
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    vact_softmax_params p = VACT_SOFTMAX_PARAMS_INIT;
    p.mask = mask.data();
    p.mask_row_stride = 4;
    p.masked_row = VACT_MASKED_ROW_ZERO;
    REQUIRE(vact_softmax_ex_f32(x.data(), 4, y.data(), 4, 16, 4, &p) ==
            VACT_OK);
    for (std::size_t r = 0; r < 16; ++r) {
      float sum = 0;
      for (std::size_t j = 0; j < 4; ++j) sum += y[r * 4 + j];
      INFO(vact_isa_name(isa), " row ", r);
      CHECK(sum == doctest::Approx(r % 2 == 1 ? 0.0 : 1.0).epsilon(1e-6));
    }
  }
}

// ---- online softmax

TEST_CASE("online softmax: chunks merged in any order give the softmax") {
  std::mt19937 rng(6);
  const std::size_t rows = 5, cols = 700;
  double worst_seen[2] = {0, 0};
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (vact_accuracy accuracy : accuracies)
      for (int trial = 0; trial < 6; ++trial) {
        std::vector<float> x = random_values(rows * cols, rng, 10.0f);
        // Row 1: its first 300 keys hidden (a whole chunk of -inf).
        for (std::size_t j = 0; j < 300; ++j) x[cols + j] = -inf;
        // Random chunk boundaries.
        std::vector<std::size_t> cuts = {0, cols};
        std::uniform_int_distribution<std::size_t> pick(1, cols - 1);
        for (int k = 0; k < trial + 1; ++k) cuts.push_back(pick(rng));
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

        vact_softmax_params p = VACT_SOFTMAX_PARAMS_INIT;
        p.accuracy = accuracy;
        std::vector<float> y(rows * cols);
        std::vector<vact_softmax_state> acc(rows, {-inf, 0.0f}), part(rows);
        std::vector<float> acc_factor(rows), part_factor(rows);
        for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
          const std::size_t begin = cuts[k], width = cuts[k + 1] - begin;
          REQUIRE(vact_softmax_chunk_f32(x.data() + begin, cols,
                                         y.data() + begin, cols, rows, width,
                                         &p, part.data()) == VACT_OK);
          REQUIRE(vact_softmax_merge_f32(acc.data(), part.data(),
                                         acc_factor.data(), part_factor.data(),
                                         rows) == VACT_OK);
          for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t j = 0; j < begin; ++j)
              y[r * cols + j] *= acc_factor[r];
            for (std::size_t j = begin; j < begin + width; ++j)
              y[r * cols + j] *= part_factor[r];
          }
        }
        std::vector<float> reciprocal(rows);
        REQUIRE(vact_softmax_finish_f32(acc.data(), reciprocal.data(), rows) ==
                VACT_OK);
        const double bound = (accuracy == VACT_ACCURACY_FAST ? 8.0 : 4.0) +
                             2.0 * static_cast<double>(cuts.size());
        double worst = 0;
        for (std::size_t r = 0; r < rows; ++r) {
          const float* row = x.data() + r * cols;
          long double m = -INFINITY, sum = 0;
          for (std::size_t j = 0; j < cols; ++j)
            m = std::max<long double>(m, row[j]);
          for (std::size_t j = 0; j < cols; ++j) sum += std::exp(row[j] - m);
          for (std::size_t j = 0; j < cols; ++j) {
            const double exact =
                static_cast<double>(std::exp(row[j] - m) / sum);
            const float got = y[r * cols + j] * reciprocal[r];
            // Far below the row's maximum the terms and factors approach
            // the subnormals, where the bound is absolute.
            if (exact < 1e-35) {
              CHECK(std::fabs(got - exact) < 1e-40);
              continue;
            }
            worst = std::max(worst, ulp_error(got, exact));
          }
        }
        INFO(vact_isa_name(isa), " chunks ", cuts.size() - 1,
             accuracy == VACT_ACCURACY_FAST ? " fast" : " precise");
        CHECK(worst <= bound);
        worst_seen[accuracy == VACT_ACCURACY_FAST] =
            std::max(worst_seen[accuracy == VACT_ACCURACY_FAST], worst);
      }
  }
  MESSAGE("online softmax, 1 to 7 chunks: max ", worst_seen[0],
          " ULP precise, ", worst_seen[1], " ULP fast");
}

TEST_CASE("online softmax: empty states, sinks, NaN") {
  vact_softmax_state acc[3] = {{-inf, 0.0f}, {-inf, 0.0f}, {2.0f, 1.5f}};
  const vact_softmax_state part[3] = {
      {-inf, 0.0f}, {1.0f, 2.0f}, {std::numeric_limits<float>::quiet_NaN(), 1}};
  float a[3], b[3], reciprocal[3];
  REQUIRE(vact_softmax_merge_f32(acc, part, a, b, 3) == VACT_OK);
  CHECK(acc[0].max == -inf);  // empty with empty stays empty, no NaN
  CHECK(acc[0].sum == 0.0f);
  CHECK(a[0] == 0.0f);
  CHECK(b[0] == 0.0f);
  CHECK(acc[1].max == 1.0f);  // empty with a chunk is the chunk
  CHECK(acc[1].sum == 2.0f);
  CHECK(a[1] == 0.0f);
  CHECK(b[1] == 1.0f);
  CHECK(std::isnan(acc[2].sum));
  REQUIRE(vact_softmax_finish_f32(acc, reciprocal, 3) == VACT_OK);
  CHECK(reciprocal[0] == 0.0f);
  CHECK(reciprocal[1] == 0.5f);
  CHECK(std::isnan(reciprocal[2]));

  // A sink joins as the state (sink, 1): the softmax with the sink.
  const float x[] = {0.5f, 1.5f, -1.0f};
  const float sink = 2.0f;
  float terms[3], with_sink[3];
  vact_softmax_state state, sink_state = {sink, 1.0f};
  REQUIRE(vact_softmax_chunk_f32(x, 3, terms, 3, 1, 3, nullptr, &state) ==
          VACT_OK);
  float factor, sink_factor, r;
  REQUIRE(vact_softmax_merge_f32(&state, &sink_state, &factor, &sink_factor,
                                 1) == VACT_OK);
  REQUIRE(vact_softmax_finish_f32(&state, &r, 1) == VACT_OK);
  vact_softmax_params p = VACT_SOFTMAX_PARAMS_INIT;
  p.sinks = &sink;
  REQUIRE(vact_softmax_ex_f32(x, 3, with_sink, 3, 1, 3, &p) == VACT_OK);
  for (int j = 0; j < 3; ++j)
    CHECK(terms[j] * factor * r == doctest::Approx(with_sink[j]).epsilon(1e-6));

  // A chunk that is all -inf is the empty state, its terms zeros.
  const float hidden[] = {-inf, -inf};
  float hidden_terms[2] = {5, 5};
  REQUIRE(vact_softmax_chunk_f32(hidden, 2, hidden_terms, 2, 1, 2, nullptr,
                                 &state) == VACT_OK);
  CHECK(state.max == -inf);
  CHECK(state.sum == 0.0f);
  CHECK(hidden_terms[0] == 0.0f);
  CHECK(hidden_terms[1] == 0.0f);
}

// ---- argument checks: a status, and the outputs untouched

TEST_CASE("engine calls: bad arguments leave the outputs untouched") {
  float x[64], y[64];
  for (int i = 0; i < 64; ++i) x[i] = static_cast<float>(i), y[i] = -1.0f;
  const auto untouched = [&y] {
    for (float v : y)
      if (v != -1.0f) return false;
    return true;
  };
  vact_params bad_tier{};
  bad_tier.accuracy = static_cast<vact_accuracy>(7);
  CHECK(vact_gated_f32(static_cast<vact_op>(99), nullptr, x, x, y, 4) ==
        VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_gated_f32(VACT_OP_SILU, &bad_tier, x, x, y, 4) ==
        VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_gated_f32(VACT_OP_SILU, nullptr, x, nullptr, y, 4) ==
        VACT_ERROR_NULL_POINTER);
  CHECK(vact_gated_f32(VACT_OP_SILU, nullptr, x, y + 1, y, 4) ==
        VACT_ERROR_OVERLAP);
  CHECK(vact_gated_rows_f32(VACT_OP_SILU, nullptr, x, 7, y, 4, 2, 4,
                            VACT_GATE_CONCAT) == VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_gated_rows_f32(VACT_OP_SILU, nullptr, x, 8, y, 4, 2, 4,
                            static_cast<vact_gate_layout>(3)) ==
        VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_gated_rows_f32(VACT_OP_SILU, nullptr, y, 8, y + 2, 4, 2, 4,
                            VACT_GATE_CONCAT) == VACT_ERROR_OVERLAP);
  CHECK(vact_gated_backward_f32(VACT_OP_SILU, nullptr, x, x, x, y, y, 4) ==
        VACT_ERROR_OVERLAP);
  CHECK(vact_gated_backward_f32(VACT_OP_SILU, nullptr, x, x, x, y, y + 2, 4) ==
        VACT_ERROR_OVERLAP);
  CHECK(vact_bias_apply_f32(VACT_OP_RELU, nullptr, x, y, 3, 2, 4) ==
        VACT_ERROR_INVALID_ARGUMENT);
  CHECK(vact_bias_apply_f32(VACT_OP_RELU, nullptr, y + 5, y, 4, 2, 4) ==
        VACT_ERROR_OVERLAP);
  CHECK(vact_bias_apply_f32(VACT_OP_RELU, nullptr, x, nullptr, 4, 2, 4) ==
        VACT_ERROR_NULL_POINTER);

  vact_softmax_params p = VACT_SOFTMAX_PARAMS_INIT;
  const auto softmax_status = [&](const vact_softmax_params& q) {
    return vact_softmax_ex_f32(x, 8, y, 8, 4, 8, &q);
  };
  vact_softmax_params q = p;
  q.log = 2;
  CHECK(softmax_status(q) == VACT_ERROR_INVALID_ARGUMENT);
  q = p;
  q.masked_row = static_cast<vact_masked_row>(4);
  CHECK(softmax_status(q) == VACT_ERROR_INVALID_ARGUMENT);
  q = p;
  q.scale = inf;
  CHECK(softmax_status(q) == VACT_ERROR_INVALID_ARGUMENT);
  q = p;
  q.softcap = -1.0f;
  CHECK(softmax_status(q) == VACT_ERROR_INVALID_ARGUMENT);
  q = p;
  q.mask_scale = 0.0f;
  CHECK(softmax_status(q) == VACT_ERROR_INVALID_ARGUMENT);
  q = p;
  q.accuracy = static_cast<vact_accuracy>(2);
  CHECK(softmax_status(q) == VACT_ERROR_INVALID_ARGUMENT);
  q = p;
  q.mask = y + 30;
  CHECK(softmax_status(q) == VACT_ERROR_OVERLAP);
  q = p;
  q.sinks = y + 3;
  CHECK(softmax_status(q) == VACT_ERROR_OVERLAP);
  CHECK(vact_softmax_ex_f32(x, 7, y, 8, 4, 8, &p) ==
        VACT_ERROR_INVALID_ARGUMENT);
  vact_softmax_state states[4];
  CHECK(vact_softmax_chunk_f32(x, 8, y, 8, 4, 8, &p, nullptr) ==
        VACT_ERROR_NULL_POINTER);
  CHECK(vact_softmax_chunk_f32(x, 8, y, 8, 4, 8, &p,
                               reinterpret_cast<vact_softmax_state*>(y + 4)) ==
        VACT_ERROR_OVERLAP);
  CHECK(vact_softmax_merge_f32(states, states, y, y + 1, 4) ==
        VACT_ERROR_OVERLAP);
  CHECK(vact_softmax_merge_f32(nullptr, states, nullptr, nullptr, 4) ==
        VACT_ERROR_NULL_POINTER);
  CHECK(vact_softmax_finish_f32(states, reinterpret_cast<float*>(states) + 1,
                                4) == VACT_ERROR_OVERLAP);
  CHECK(untouched());

  // NULL parameters are the defaults: the plain strided softmax's bits.
  float plain[64];
  REQUIRE(vact_softmax_strided_f32(x, 8, plain, 8, 4, 8) == VACT_OK);
  REQUIRE(vact_softmax_ex_f32(x, 8, y, 8, 4, 8, nullptr) == VACT_OK);
  CHECK(std::memcmp(plain, y, 32 * sizeof(float)) == 0);
}

}  // namespace
}  // namespace vact_test
