// SPDX-License-Identifier: Apache-2.0
//
// One decoder block the way an inference engine calls vact around its
// matrix products, checked against the same block in double precision.
//
//   attention  scores = Q K^T in a buffer with padded rows, then
//              vact::softmax_ex with the 1/sqrt(d) scale and a causal mask
//              (one call: no separate scaling or masking pass), P V;
//              again with blocked (online) softmax over key blocks of 8:
//              softmax_chunk per block, softmax_merge to rescale what was
//              accumulated, softmax_finish; the two must agree;
//   FFN        LLaMA style: one fused gate+up projection, then
//              vact::gated_rows (SwiGLU, concatenated layout), then down;
//              GPT-2 style: h W1 with vact::bias_apply (bias + GELU).
//
// Weights and inputs come from a fixed-seed generator; the products are
// plain loops. Every ISA this CPU supports runs the block; the maximum
// relative error against the double-precision block is printed and must be
// below 1e-5 (exit status 1 otherwise).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "vact/vact.hpp"

namespace {

constexpr std::size_t tokens = 24, model = 32, hidden = 48, key_block = 8;
constexpr std::size_t score_stride = tokens + 3;  // rows inside a wider tensor

using matrix = std::vector<float>;

matrix random_matrix(std::size_t rows, std::size_t cols, float scale,
                     std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, scale);
  matrix m(rows * cols);
  for (float& v : m) v = normal(rng);
  return m;
}

// c[i][j] = sum_k a[i][k] b[k][j] (row strides lda, ldb, ldc), in T.
template <class T, class A, class B>
void matmul(const A* a, std::size_t lda, const B* b, std::size_t ldb, T* c,
            std::size_t ldc, std::size_t n, std::size_t k, std::size_t m) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      T sum = 0;
      for (std::size_t p = 0; p < k; ++p)
        sum += static_cast<T>(a[i * lda + p]) * static_cast<T>(b[p * ldb + j]);
      c[i * ldc + j] = sum;
    }
}

struct weights {
  matrix x, wq, wk, wv, w_gate_up, w_down, w1, b1;
};

struct outputs {
  std::vector<double> attention, swiglu, gpt2;
};

// The block in double precision, straight from the formulas.
outputs reference(const weights& w) {
  auto widen = [](const matrix& m) {
    return std::vector<double>(m.begin(), m.end());
  };
  const std::vector<double> x = widen(w.x);
  std::vector<double> q(tokens * model), k(tokens * model), v(tokens * model);
  matmul(x.data(), model, w.wq.data(), model, q.data(), model, tokens, model,
         model);
  matmul(x.data(), model, w.wk.data(), model, k.data(), model, tokens, model,
         model);
  matmul(x.data(), model, w.wv.data(), model, v.data(), model, tokens, model,
         model);
  outputs out;
  out.attention.assign(tokens * model, 0.0);
  for (std::size_t i = 0; i < tokens; ++i) {
    std::vector<double> s(i + 1);
    double m = -HUGE_VAL, sum = 0;
    for (std::size_t j = 0; j <= i; ++j) {
      double dot = 0;
      for (std::size_t p = 0; p < model; ++p)
        dot += q[i * model + p] * k[j * model + p];
      s[j] = dot / std::sqrt(double(model));
      m = std::max(m, s[j]);
    }
    for (double& e : s) sum += (e = std::exp(e - m));
    for (std::size_t j = 0; j <= i; ++j)
      for (std::size_t p = 0; p < model; ++p)
        out.attention[i * model + p] += s[j] / sum * v[j * model + p];
  }
  std::vector<double> gate_up(tokens * 2 * hidden), mid(tokens * hidden);
  matmul(out.attention.data(), model, w.w_gate_up.data(), 2 * hidden,
         gate_up.data(), 2 * hidden, tokens, model, 2 * hidden);
  for (std::size_t i = 0; i < tokens; ++i)
    for (std::size_t j = 0; j < hidden; ++j) {
      const double g = gate_up[i * 2 * hidden + j];
      mid[i * hidden + j] =
          g / (1 + std::exp(-g)) * gate_up[i * 2 * hidden + hidden + j];
    }
  out.swiglu.assign(tokens * model, 0.0);
  matmul(mid.data(), hidden, w.w_down.data(), model, out.swiglu.data(), model,
         tokens, hidden, model);
  out.gpt2.assign(tokens * hidden, 0.0);
  matmul(out.attention.data(), model, w.w1.data(), hidden, out.gpt2.data(),
         hidden, tokens, model, hidden);
  for (std::size_t i = 0; i < tokens; ++i)
    for (std::size_t j = 0; j < hidden; ++j) {
      const double z = out.gpt2[i * hidden + j] + w.b1[j];
      out.gpt2[i * hidden + j] = 0.5 * z * std::erfc(-z / std::sqrt(2.0));
    }
  return out;
}

// Max |a - b| / max |b|.
double relative_error(const matrix& a, const std::vector<double>& b) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    diff = std::max(diff, std::fabs(a[i] - b[i]));
    scale = std::max(scale, std::fabs(b[i]));
  }
  return diff / scale;
}

struct block_outputs {
  matrix attention, attention_online, swiglu, gpt2;
};

block_outputs run_block(const weights& w) {
  const float minus_infinity = -std::numeric_limits<float>::infinity();
  matrix q(tokens * model), k(tokens * model), v(tokens * model);
  matmul(w.x.data(), model, w.wq.data(), model, q.data(), model, tokens, model,
         model);
  matmul(w.x.data(), model, w.wk.data(), model, k.data(), model, tokens, model,
         model);
  matmul(w.x.data(), model, w.wv.data(), model, v.data(), model, tokens, model,
         model);
  // scores = Q K^T into padded rows; the causal mask hides keys j > i.
  matrix kt(model * tokens), scores(tokens * score_stride),
      mask(tokens * tokens);
  for (std::size_t j = 0; j < tokens; ++j)
    for (std::size_t p = 0; p < model; ++p)
      kt[p * tokens + j] = k[j * model + p];
  matmul(q.data(), model, kt.data(), tokens, scores.data(), score_stride,
         tokens, model, tokens);
  for (std::size_t i = 0; i < tokens; ++i)
    for (std::size_t j = 0; j < tokens; ++j)
      mask[i * tokens + j] = j <= i ? 0.0f : minus_infinity;

  vact::softmax_params attention;
  attention.scale = 1.0f / std::sqrt(float(model));
  attention.mask = mask.data();
  attention.mask_row_stride = tokens;
  block_outputs out;

  // One shot: P = softmax(scale * scores + mask), then P V.
  matrix p(tokens * tokens);
  vact::softmax_ex(scores.data(), score_stride, p.data(), tokens, tokens,
                   tokens, attention);
  out.attention.assign(tokens * model, 0.0f);
  matmul(p.data(), tokens, v.data(), model, out.attention.data(), model, tokens,
         tokens, model);

  // Online: key blocks of 8, each merged into a running (max, sum) per
  // query; the accumulated P V is rescaled by the merge's factors.
  std::vector<vact::softmax_state> state(tokens, {minus_infinity, 0.0f}),
      block_state(tokens);
  std::vector<float> old_factor(tokens), block_factor(tokens), finish(tokens);
  matrix terms(tokens * key_block), block_pv(tokens * model);
  out.attention_online.assign(tokens * model, 0.0f);
  for (std::size_t begin = 0; begin < tokens; begin += key_block) {
    vact::softmax_params chunk = attention;
    chunk.mask = mask.data() + begin;  // the block's columns of the mask
    vact::softmax_chunk(scores.data() + begin, score_stride, terms.data(),
                        key_block, tokens, key_block, block_state.data(),
                        chunk);
    vact::softmax_merge(state.data(), block_state.data(), old_factor.data(),
                        block_factor.data(), tokens);
    matmul(terms.data(), key_block, v.data() + begin * model, model,
           block_pv.data(), model, tokens, key_block, model);
    for (std::size_t i = 0; i < tokens; ++i)
      for (std::size_t c = 0; c < model; ++c)
        out.attention_online[i * model + c] =
            out.attention_online[i * model + c] * old_factor[i] +
            block_pv[i * model + c] * block_factor[i];
  }
  vact::softmax_finish(state.data(), finish.data(), tokens);
  for (std::size_t i = 0; i < tokens; ++i)
    for (std::size_t c = 0; c < model; ++c)
      out.attention_online[i * model + c] *= finish[i];

  // LLaMA FFN: [gate | up] = h W, SwiGLU in one call, then down.
  matrix gate_up(tokens * 2 * hidden), mid(tokens * hidden);
  matmul(out.attention.data(), model, w.w_gate_up.data(), 2 * hidden,
         gate_up.data(), 2 * hidden, tokens, model, 2 * hidden);
  vact::gated_rows(vact::op::silu, gate_up.data(), 2 * hidden, mid.data(),
                   hidden, tokens, hidden, vact::gate_layout::concat);
  out.swiglu.assign(tokens * model, 0.0f);
  matmul(mid.data(), hidden, w.w_down.data(), model, out.swiglu.data(), model,
         tokens, hidden, model);

  // GPT-2 FFN's first layer: h W1, then bias + GELU as the GEMM epilogue.
  out.gpt2.assign(tokens * hidden, 0.0f);
  matmul(out.attention.data(), model, w.w1.data(), hidden, out.gpt2.data(),
         hidden, tokens, model, hidden);
  vact::bias_apply(vact::op::gelu, w.b1.data(), out.gpt2.data(), hidden, tokens,
                   hidden);
  return out;
}

}  // namespace

int main() {
  std::mt19937 rng(2024);
  weights w;
  w.x = random_matrix(tokens, model, 1.0f, rng);
  const float s = 1.0f / std::sqrt(float(model));
  w.wq = random_matrix(model, model, s, rng);
  w.wk = random_matrix(model, model, s, rng);
  w.wv = random_matrix(model, model, s, rng);
  w.w_gate_up = random_matrix(model, 2 * hidden, s, rng);
  w.w_down = random_matrix(hidden, model, 1.0f / std::sqrt(float(hidden)), rng);
  w.w1 = random_matrix(model, hidden, s, rng);
  w.b1 = random_matrix(1, hidden, 0.1f, rng);
  const outputs exact = reference(w);

  const double threshold = 1e-5;
  bool ok = true;
  for (int i = 0; i < VACT_ISA_COUNT; ++i) {
    const auto isa = static_cast<vact::isa>(i);
    if (!vact::isa_supported(isa)) continue;
    vact::set_isa(isa);
    const block_outputs out = run_block(w);
    const double errors[] = {
        relative_error(out.attention, exact.attention),
        relative_error(out.attention_online, exact.attention),
        relative_error(out.swiglu, exact.swiglu),
        relative_error(out.gpt2, exact.gpt2)};
    std::printf(
        "%-7s attention %.2e  online attention %.2e  SwiGLU FFN %.2e  "
        "bias+GELU %.2e\n",
        vact::name(isa), errors[0], errors[1], errors[2], errors[3]);
    for (double e : errors) ok = ok && e < threshold;
  }
  std::printf("%s (threshold %.0e, relative to the double-precision block)\n",
              ok ? "ok" : "MISMATCH", threshold);
  return ok ? 0 : 1;
}
