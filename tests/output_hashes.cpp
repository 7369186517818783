// SPDX-License-Identifier: Apache-2.0
#include "output_hashes.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include "op_catalogue.hpp"
#include "test_support.hpp"
#include "vact/vact.h"

namespace vact_test {
namespace {

// The input set is defined here, not shared with the accuracy tests, so
// that the checked-in hashes change only when a kernel does.
std::vector<float> hash_inputs() {
  std::vector<float> x;
  for (int i = -20 * 4096; i <= 20 * 4096; ++i)
    x.push_back(static_cast<float>(i) / 4096.0f);  // exact
  // std::mt19937's sequence is fixed by the standard: the same everywhere.
  std::mt19937 rng(0x7ac7u);
  for (int i = 0; i < 200000; ++i)
    x.push_back(from_bits(static_cast<std::uint32_t>(rng())));
  constexpr float inf = std::numeric_limits<float>::infinity();
  const float specials[] = {0.0f,
                            -0.0f,
                            inf,
                            -inf,
                            std::numeric_limits<float>::min(),
                            -std::numeric_limits<float>::min(),
                            std::numeric_limits<float>::denorm_min(),
                            -std::numeric_limits<float>::denorm_min(),
                            std::numeric_limits<float>::max(),
                            -std::numeric_limits<float>::max(),
                            from_bits(0x7fc00000u),   // quiet NaN
                            from_bits(0xffc00000u),   // negative quiet NaN
                            from_bits(0x7f800001u),   // signalling NaN
                            from_bits(0x7fc12345u),   // NaN with a payload
                            from_bits(0xff8001b1u)};  // both, negative
  x.insert(x.end(), std::begin(specials), std::end(specials));
  return x;
}

struct row_set {
  std::size_t rows, cols;
  std::vector<float> x;
};

// Rows of 1 .. 70 elements and some long ones, at several scales, plus the
// edge rules: -inf entries, an all -inf row, NaN and +inf entries, 1e30.
std::vector<row_set> hash_rows() {
  std::mt19937 rng(0x50f7u);
  const auto uniform = [&rng](float scale) {
    // An integer in [-2^23, 2^23), exact in float, times the scale.
    const auto k = static_cast<std::int32_t>(rng() >> 8) - (1 << 23);
    return static_cast<float>(k) * 0x1p-23f * scale;
  };
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 70; ++n) lengths.push_back(n);
  for (std::size_t n : {127u, 128u, 129u, 1000u, 4097u}) lengths.push_back(n);
  std::vector<row_set> sets;
  for (float scale : {1.0f, 10.0f, 100.0f, 1e30f}) {
    for (std::size_t n : lengths) {
      row_set s{3, n, std::vector<float>(3 * n)};
      for (float& v : s.x) v = uniform(scale);
      sets.push_back(std::move(s));
    }
  }
  // Batches of short rows, more rows than any vector has lanes (kernels may
  // process such batches one row per lane), with specials in some rows.
  constexpr float inf = std::numeric_limits<float>::infinity();
  for (std::size_t n = 1; n <= 34; ++n) {
    constexpr std::size_t rows = 37;
    row_set s{rows, n, std::vector<float>(rows * n)};
    for (float& v : s.x) v = uniform(10.0f);
    s.x[5 * n] = -inf;
    s.x[9 * n + n / 2] = std::numeric_limits<float>::quiet_NaN();
    s.x[20 * n + n - 1] = inf;
    for (std::size_t j = 0; j < n; ++j) s.x[30 * n + j] = 1e30f;
    sets.push_back(std::move(s));
  }
  for (std::size_t n : {1u, 5u, 16u, 17u, 40u}) {
    row_set s{5, n, std::vector<float>(5 * n)};
    for (float& v : s.x) v = uniform(4.0f);
    for (std::size_t j = 0; j < n; j += 2) s.x[j] = -inf;   // row 0
    for (std::size_t j = 0; j < n; ++j) s.x[n + j] = -inf;  // row 1
    s.x[2 * n + n / 2] = std::numeric_limits<float>::quiet_NaN();
    s.x[3 * n + n / 2] = inf;                                    // row 3
    for (std::size_t j = 0; j < n; ++j) s.x[4 * n + j] = 1e30f;  // row 4
    sets.push_back(std::move(s));
  }
  return sets;
}

class fnv1a64 {
 public:
  // Every bit, NaNs' signs and payloads included: they are part of the
  // contract (a NaN input comes back quieted, sign and payload kept).
  void add(float v) {
    const std::uint32_t b = bits(v);
    for (int shift = 0; shift < 32; shift += 8) {  // little-endian order
      hash_ ^= (b >> shift) & 0xffu;
      hash_ *= 0x100000001b3ull;
    }
  }
  void add(const std::vector<float>& values) {
    for (float v : values) add(v);
  }
  void add(const std::vector<std::uint16_t>& values) {
    for (std::uint16_t b : values) {
      hash_ ^= b & 0xffu;
      hash_ *= 0x100000001b3ull;
      hash_ ^= b >> 8;
      hash_ *= 0x100000001b3ull;
    }
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

// The 16-bit storage kernels, per format: each op over all 65,536
// patterns (value, derivative and fast value in one hash), and the four row
// functions over the row sets rounded to the format.
bool add_storage16_hashes(const std::vector<row_set>& row_sets,
                          std::vector<computed_hash>& hashes) {
  using apply16 = vact_status (*)(vact_op, const vact_params*,
                                  const std::uint16_t*, std::uint16_t*, size_t);
  using rows16 =
      vact_status (*)(const std::uint16_t*, std::uint16_t*, size_t, size_t);
  const struct {
    const char* name;
    vact_status (*narrow)(const float*, std::uint16_t*, size_t);
    apply16 value, derivative;
    rows16 rows[4];
  } formats[] = {
      {"bf16",
       vact_convert_f32_to_bf16,
       vact_apply_bf16,
       vact_apply_derivative_bf16,
       {vact_softmax_bf16, vact_log_softmax_bf16, vact_softmax_fast_bf16,
        vact_log_softmax_fast_bf16}},
      {"f16",
       vact_convert_f32_to_f16,
       vact_apply_f16,
       vact_apply_derivative_f16,
       {vact_softmax_f16, vact_log_softmax_f16, vact_softmax_fast_f16,
        vact_log_softmax_fast_f16}},
  };
  const char* const row_names[4] = {"softmax", "log_softmax", "softmax_fast",
                                    "log_softmax_fast"};
  std::vector<std::uint16_t> patterns(65536), y(65536);
  for (std::size_t b = 0; b < patterns.size(); ++b)
    patterns[b] = static_cast<std::uint16_t>(b);
  for (const auto& f : formats) {
    for (int i = 0; i < VACT_OP_COUNT; ++i) {
      const auto op = static_cast<vact_op>(i);
      fnv1a64 h;
      for (int k = 0; k < 3; ++k) {
        const apply16 kernel = k == 1 ? f.derivative : f.value;
        const vact_params& p =
            (k == 2 ? fast_op_catalogue() : op_catalogue())[op].params;
        if (kernel(op, &p, patterns.data(), y.data(), y.size()) != VACT_OK)
          return false;
        h.add(y);
      }
      hashes.push_back(
          {std::string(vact_op_name(op)) + "_" + f.name, h.value()});
    }
    for (int k = 0; k < 4; ++k) {
      fnv1a64 h;
      for (const row_set& s : row_sets) {
        std::vector<std::uint16_t> x(s.x.size()), out(s.x.size());
        if (f.narrow(s.x.data(), x.data(), x.size()) != VACT_OK ||
            f.rows[k](x.data(), out.data(), s.rows, s.cols) != VACT_OK)
          return false;
        h.add(out);
      }
      hashes.push_back({std::string(row_names[k]) + "_" + f.name, h.value()});
    }
  }
  return true;
}

}  // namespace

std::vector<computed_hash> compute_output_hashes() {
  static const std::vector<float> x = hash_inputs();
  static const std::vector<row_set> row_sets = hash_rows();
  std::vector<computed_hash> hashes;
  std::vector<float> y(x.size());
  for (int i = 0; i < VACT_OP_COUNT; ++i) {
    const auto op = static_cast<vact_op>(i);
    for (bool derivative : {false, true}) {
      const auto kernel =
          derivative ? vact_apply_derivative_f32 : vact_apply_f32;
      fnv1a64 h;
      if (kernel(op, &op_catalogue()[op].params, x.data(), y.data(),
                 x.size()) != VACT_OK)
        return {};
      h.add(y);
      hashes.push_back(
          {std::string(vact_op_name(op)) + (derivative ? "_derivative" : ""),
           h.value()});
    }
  }
  // The fast tier: every op's value (derivatives are the precise ones).
  for (int i = 0; i < VACT_OP_COUNT; ++i) {
    const auto op = static_cast<vact_op>(i);
    fnv1a64 h;
    if (vact_apply_f32(op, &fast_op_catalogue()[op].params, x.data(), y.data(),
                       x.size()) != VACT_OK)
      return {};
    h.add(y);
    hashes.push_back({std::string(vact_op_name(op)) + "_fast", h.value()});
  }
  using row_function = vact_status (*)(const float*, float*, size_t, size_t);
  const struct {
    const char* name;
    row_function kernel;
  } row_kernels[] = {{"softmax", vact_softmax_f32},
                     {"log_softmax", vact_log_softmax_f32},
                     {"softmax_fast", vact_softmax_fast_f32},
                     {"log_softmax_fast", vact_log_softmax_fast_f32}};
  for (const auto& row_kernel : row_kernels) {
    fnv1a64 h;
    for (const row_set& s : row_sets) {
      std::vector<float> out(s.x.size());
      if (row_kernel.kernel(s.x.data(), out.data(), s.rows, s.cols) != VACT_OK)
        return {};
      h.add(out);
    }
    hashes.push_back({row_kernel.name, h.value()});
  }
  if (!add_storage16_hashes(row_sets, hashes)) return {};
  return hashes;
}

int print_output_hashes() {
  if (vact_set_isa(VACT_ISA_SCALAR) != VACT_OK) return 1;
  const std::vector<computed_hash> scalar = compute_output_hashes();
  if (scalar.empty()) return 1;
  int status = 0;
  for (vact_isa isa : supported_fma_isas()) {
    if (isa == VACT_ISA_SCALAR) continue;
    if (vact_set_isa(isa) != VACT_OK) return 1;
    const std::vector<computed_hash> other = compute_output_hashes();
    for (std::size_t i = 0; i < scalar.size(); ++i) {
      if (i < other.size() && other[i].hash == scalar[i].hash) continue;
      std::fprintf(stderr, "vact_tests: %s differs between scalar and %s\n",
                   scalar[i].kernel.c_str(), vact_isa_name(isa));
      status = 1;
    }
  }
  if (status != 0) {
    std::fprintf(stderr,
                 "vact_tests: the FMA ISAs disagree; not printing a table "
                 "(fix the kernels first)\n");
    return status;
  }
  std::printf(
      "// SPDX-License-Identifier: Apache-2.0\n"
      "//\n"
      "// Generated by `vact_tests --print-hashes` (tests/output_hashes.cpp) "
      "on\n"
      "// the scalar ISA: FNV-1a 64 of each kernel's outputs over the fixed "
      "input\n"
      "// set. Every FMA-capable ISA must give these exactly. After an "
      "intended\n"
      "// kernel change, regenerate it with scripts/update-output-hashes.sh.\n"
      "#ifndef VACT_TESTS_EXPECTED_OUTPUT_HASHES_HPP\n"
      "#define VACT_TESTS_EXPECTED_OUTPUT_HASHES_HPP\n"
      "\n"
      "#include \"output_hashes.hpp\"\n"
      "\n"
      "namespace vact_test {\n"
      "\n"
      "inline constexpr output_hash expected_output_hashes[] = {\n");
  for (const computed_hash& h : scalar)
    std::printf("    {\"%s\", 0x%016llxull},\n", h.kernel.c_str(),
                static_cast<unsigned long long>(h.hash));
  std::printf(
      "};\n"
      "\n"
      "}  // namespace vact_test\n"
      "\n"
      "#endif  // VACT_TESTS_EXPECTED_OUTPUT_HASHES_HPP\n");
  return 0;
}

}  // namespace vact_test
