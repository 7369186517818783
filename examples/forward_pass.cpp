// SPDX-License-Identifier: Apache-2.0
//
// End to end: the activations of a small network's forward pass, run by
// vact and checked against the same network evaluated in double precision.
//
//   1. A two-layer MLP classifier: logits = act(x W1 + b1) W2 + b2, then
//      softmax over the classes (vact::softmax, one row per sample).
//   2. One attention head's weights as a transformer layer computes them:
//      scores = Q K^T / sqrt(d) with a causal mask and padded keys set to
//      -inf, kept in a buffer whose rows are wider than the sequence (as
//      inside a larger tensor), then softmax along each row
//      (vact::softmax_strided); masked keys get exactly 0.
//
// Weights and inputs come from a fixed-seed generator (no files). The
// matrix products are plain float loops, as a small engine would write
// them; vact does the activations and softmax. The forward pass runs on
// every ISA this CPU supports and must match the double-precision network
// to 1e-5 relative error. Exit status 0 on success, 1 on a mismatch.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

#include "vact/vact.hpp"

namespace {

// ---- the hidden activation: swap it by changing one line ----------------

[[maybe_unused]] double tanh_double(double v) { return std::tanh(v); }
[[maybe_unused]] double selu_double(double v) {  // PyTorch's constants
  const double lambda = 1.0507009873554804934193349852946;
  const double alpha = 1.6732632423543772848170429916717;
  return v > 0 ? lambda * v : lambda * alpha * std::expm1(v);
}

struct activation {
  const char* name;
  void (*apply)(const float* x, float* y, std::size_t n);  // vact, in float
  double (*reference)(double);  // the same function, for the double network
};

constexpr activation hidden_activation = {"tanh", vact::tanh, tanh_double};
// constexpr activation hidden_activation = {"selu", vact::selu, selu_double};

// ---- sizes and data ------------------------------------------------------

constexpr std::size_t kBatch = 16, kInputs = 64, kHidden = 256, kClasses = 10;
constexpr std::size_t kTokens = 12, kHeadDim = 16, kPaddedKeys = 2;
constexpr std::size_t kScoreStride = 16;  // row stride of the score buffer
constexpr double kTolerance = 1e-5;       // relative, against double

// splitmix64 (Steele, Lea, Flood 2014): the same numbers on every machine.
class generator {
 public:
  explicit generator(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  // Uniform in [-scale, scale): 24 random bits, exact in float.
  float uniform(float scale) {
    const float unit = static_cast<float>(next() >> 40) * 0x1p-24f;
    return scale * (2.0f * unit - 1.0f);
  }

 private:
  std::uint64_t state_;
};

std::vector<float> random_vector(generator& g, std::size_t n, float scale) {
  std::vector<float> v(n);
  for (float& e : v) e = g.uniform(scale);
  return v;
}

struct network {
  std::vector<float> w1, b1, w2, b2;  // row-major: w1 is kInputs x kHidden
};

struct inputs {
  std::vector<float> x;     // kBatch x kInputs
  std::vector<float> q, k;  // kTokens x kHeadDim each
};

// ---- the float forward pass (vact does the activations) ------------------

// out = in W + b, with in rows x n_in and W n_in x n_out, all float.
template <class T>
std::vector<T> dense(const std::vector<T>& in, const std::vector<float>& w,
                     const std::vector<float>& b, std::size_t rows,
                     std::size_t n_in, std::size_t n_out) {
  std::vector<T> out(rows * n_out);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t o = 0; o < n_out; ++o) {
      T sum = b[o];
      for (std::size_t i = 0; i < n_in; ++i)
        sum += in[r * n_in + i] * static_cast<T>(w[i * n_out + o]);
      out[r * n_out + o] = sum;
    }
  return out;
}

// Key j is hidden from query i: causal (j > i) or a padding token.
bool masked(std::size_t i, std::size_t j) {
  return j > i || j >= kTokens - kPaddedKeys;
}

// Class probabilities, kBatch x kClasses.
std::vector<float> mlp_forward(const network& net, const inputs& in) {
  std::vector<float> h = dense(in.x, net.w1, net.b1, kBatch, kInputs, kHidden);
  hidden_activation.apply(h.data(), h.data(), h.size());  // in place
  std::vector<float> logits =
      dense(h, net.w2, net.b2, kBatch, kHidden, kClasses);
  std::vector<float> probs(logits.size());
  vact::softmax(logits.data(), probs.data(), kBatch, kClasses);
  return probs;
}

// Attention weights, kTokens rows of kScoreStride (kTokens used). The
// unused tail of each row holds a sentinel that vact must not touch.
constexpr float kSentinel = 12345.0f;
std::vector<float> attention_forward(const inputs& in) {
  const float inf = std::numeric_limits<float>::infinity();
  const float scale = 1.0f / std::sqrt(static_cast<float>(kHeadDim));
  std::vector<float> scores(kTokens * kScoreStride, kSentinel);
  for (std::size_t i = 0; i < kTokens; ++i)
    for (std::size_t j = 0; j < kTokens; ++j) {
      float dot = 0.0f;
      for (std::size_t d = 0; d < kHeadDim; ++d)
        dot += in.q[i * kHeadDim + d] * in.k[j * kHeadDim + d];
      scores[i * kScoreStride + j] = masked(i, j) ? -inf : dot * scale;
    }
  std::vector<float> weights(scores.size(), kSentinel);
  vact::softmax_strided(scores.data(), kScoreStride, weights.data(),
                        kScoreStride, kTokens, kTokens);
  return weights;
}

// ---- the same network in double ------------------------------------------

void softmax_double(std::vector<double>& row) {
  const double m = *std::max_element(row.begin(), row.end());
  double sum = 0.0;
  for (double& v : row) sum += (v = std::exp(v - m));  // exp(-inf) = 0
  for (double& v : row) v /= sum;
}

std::vector<double> mlp_reference(const network& net, const inputs& in) {
  const std::vector<double> x(in.x.begin(), in.x.end());
  std::vector<double> h = dense(x, net.w1, net.b1, kBatch, kInputs, kHidden);
  for (double& v : h) v = hidden_activation.reference(v);
  std::vector<double> logits =
      dense(h, net.w2, net.b2, kBatch, kHidden, kClasses);
  std::vector<double> probs;
  for (std::size_t r = 0; r < kBatch; ++r) {
    const double* first = &logits[r * kClasses];
    std::vector<double> row(first, first + kClasses);
    softmax_double(row);
    probs.insert(probs.end(), row.begin(), row.end());
  }
  return probs;
}

std::vector<double> attention_reference(const inputs& in) {
  std::vector<double> weights;
  for (std::size_t i = 0; i < kTokens; ++i) {
    std::vector<double> row(kTokens);
    for (std::size_t j = 0; j < kTokens; ++j) {
      double dot = 0.0;
      for (std::size_t d = 0; d < kHeadDim; ++d)
        dot += static_cast<double>(in.q[i * kHeadDim + d]) *
               static_cast<double>(in.k[j * kHeadDim + d]);
      row[j] = masked(i, j) ? -std::numeric_limits<double>::infinity()
                            : dot / std::sqrt(static_cast<double>(kHeadDim));
    }
    softmax_double(row);
    weights.insert(weights.end(), row.begin(), row.end());
  }
  return weights;
}

// ---- the check -----------------------------------------------------------

double relative_error(float got, double want) {
  if (want == 0.0) return got == 0.0f ? 0.0 : 1.0;
  return std::fabs(static_cast<double>(got) - want) / std::fabs(want);
}

std::size_t argmax(const float* row, std::size_t n) {
  return static_cast<std::size_t>(std::max_element(row, row + n) - row);
}

// Runs both parts on the active ISA; prints one line; true if all is well.
bool run_and_check(const network& net, const inputs& in,
                   const std::vector<double>& mlp_want,
                   const std::vector<double>& attention_want) {
  bool ok = true;
  const std::vector<float> probs = mlp_forward(net, in);
  double mlp_error = 0.0;
  for (std::size_t i = 0; i < probs.size(); ++i)
    mlp_error = std::max(mlp_error, relative_error(probs[i], mlp_want[i]));
  ok = ok && mlp_error <= kTolerance;

  const std::vector<float> weights = attention_forward(in);
  double attention_error = 0.0;
  for (std::size_t i = 0; i < kTokens; ++i) {
    const float* row = &weights[i * kScoreStride];
    for (std::size_t j = 0; j < kTokens; ++j) {
      const double want = attention_want[i * kTokens + j];
      // Masked keys: exactly 0, as the reference's exp(-inf).
      if (masked(i, j) && row[j] != 0.0f) ok = false;
      attention_error = std::max(attention_error, relative_error(row[j], want));
    }
    for (std::size_t j = kTokens; j < kScoreStride; ++j)
      if (row[j] != kSentinel) ok = false;  // outside the rows: untouched
  }
  ok = ok && attention_error <= kTolerance;

  std::printf(
      "%-7s max relative error: class probabilities %.2e, attention "
      "weights %.2e; classes",
      vact::name(vact::active_isa()), mlp_error, attention_error);
  for (std::size_t r = 0; r < kBatch; ++r)
    std::printf(" %zu", argmax(&probs[r * kClasses], kClasses));
  std::printf("%s\n", ok ? "" : "  MISMATCH");
  return ok;
}

}  // namespace

int main() {
  generator g(20240607);
  network net;
  // Uniform weights scaled by the fan-in, so the hidden layer is neither
  // saturated nor linear and the logits spread over a few units.
  net.w1 = random_vector(g, kInputs * kHidden,
                         2.0f / std::sqrt(static_cast<float>(kInputs)));
  net.b1 = random_vector(g, kHidden, 0.1f);
  net.w2 = random_vector(g, kHidden * kClasses,
                         4.0f / std::sqrt(static_cast<float>(kHidden)));
  net.b2 = random_vector(g, kClasses, 0.1f);
  inputs in;
  in.x = random_vector(g, kBatch * kInputs, 1.0f);
  in.q = random_vector(g, kTokens * kHeadDim, 1.0f);
  in.k = random_vector(g, kTokens * kHeadDim, 1.0f);

  const std::vector<double> mlp_want = mlp_reference(net, in);
  const std::vector<double> attention_want = attention_reference(in);

  std::printf(
      "vact %s: %zu-%zu-%zu MLP (%s) + softmax over %zu samples; "
      "%zu-token masked attention softmax\n",
      vact::version(), kInputs, kHidden, kClasses, hidden_activation.name,
      kBatch, kTokens);
  bool ok = true;
  const vact::isa initial = vact::active_isa();
  for (int i = 0; i < VACT_ISA_COUNT; ++i) {
    const auto isa = static_cast<vact::isa>(i);
    if (!vact::isa_supported(isa)) continue;
    vact::set_isa(isa);
    ok = run_and_check(net, in, mlp_want, attention_want) && ok;
  }
  vact::set_isa(initial);
  std::printf("%s (tolerance %.0e relative to the double-precision network)\n",
              ok ? "OK" : "FAILED", kTolerance);
  return ok ? 0 : 1;
}
