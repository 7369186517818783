// SPDX-License-Identifier: Apache-2.0
//
// Differential fuzzer (libFuzzer): one kernel call, decoded from the input,
// runs on every supported ISA. It aborts when
//   - an FMA ISA (avx2, avx512, neon) gives other bits than scalar (NaNs
//     included), or a NaN input does not come back as itself, quieted;
//   - an ISA's result is outside the op's published error bound (the
//     tests' references and bounds, tests/op_catalogue.cpp; softmax as in
//     tests/test_softmax.cpp), checked where the op runs with its default
//     parameters;
//   - a call writes outside [y, y+n) (canaries around the output);
//   - a call with bad arguments (null, overlap, a size no buffer can have,
//     a bad op or stride) returns anything but one of the statuses it
//     deserves, or touches its output;
//   - on bf16 or f16 arrays (byte 1, bits 6-7): an element-wise call gives
//     other bits than the f32 kernel of the same ISA rounded by
//     vact_convert (the definition), an FMA ISA other bits than scalar, a
//     conversion other bits than scalar's on any ISA, or a write lands
//     outside the output.
//
// Input layout (fuzz/make_corpus.py writes seeds in it):
//   byte 0   kernel: 0xfe softmax, 0xff log_softmax, else op (b >> 1) mod
//            VACT_OP_COUNT, derivative if b & 1
//   byte 1   bit 0: in place; bit 1: parameters from bytes 7..14 (else
//            NULL, the defaults); bits 2..4: misuse (see `misuse`); bit 5:
//            the fast tier; bits 6-7: storage of an element-wise call
//            without misuse: 0 f32, 1 bf16, 2 f16, 3 bf16 in and f32 out
//            (values only); 16-bit inputs: each input float's high half
//   byte 2   x offset in floats (mod 16); byte 3: y offset (mod 16), or
//            what the misuse needs
//   byte 4   rows - 1 (mod 4); bytes 5, 6: x and y stride - cols (mod 4)
//   7..14    alpha, slope (little-endian float bits)
//   15..     the input floats, little-endian bits
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "error_bound.hpp"
#include "op_catalogue.hpp"
#include "test_support.hpp"
#include "vact/vact.h"

namespace {

using vact_test::bits;
using vact_test::from_bits;

constexpr std::size_t header_size = 15;
constexpr std::size_t max_floats = 1024;
constexpr std::size_t slack = 16;  // canaries on each side of the output
constexpr std::uint32_t canary_bits = 0x7fc0f022u;

enum class misuse {
  none = 0,
  null_x = 1,
  null_y = 2,
  overlap = 3,      // y inside x's range, not equal to x
  huge_size = 4,    // n (or rows * cols) that no buffer can have
  bad_argument = 5  // op outside the enum; rows: a stride below cols
};

struct decoded {
  bool rows_kernel = false;
  bool log = false;
  vact_op op = VACT_OP_STEP;
  bool derivative = false;
  bool in_place = false;
  bool explicit_params = false;
  bool fast = false;
  int storage = 0;  // 0 f32, 1 bf16, 2 f16, 3 bf16 in, f32 out
  misuse abuse = misuse::none;
  std::size_t x_offset = 0, y_offset = 0;
  std::size_t rows = 1, x_extra = 0, y_extra = 0;
  vact_params params{1.0f, 0.01f, VACT_ACCURACY_PRECISE};
  std::vector<float> x;
  std::uint8_t raw_y_offset = 0;
};

float float_at(const std::uint8_t* p) {
  return from_bits(static_cast<std::uint32_t>(p[0]) |
                   static_cast<std::uint32_t>(p[1]) << 8 |
                   static_cast<std::uint32_t>(p[2]) << 16 |
                   static_cast<std::uint32_t>(p[3]) << 24);
}

decoded decode(const std::uint8_t* data, std::size_t size) {
  decoded d;
  const std::uint8_t kernel = data[0];
  d.rows_kernel = kernel >= 0xfe;
  d.log = kernel == 0xff;
  d.op = static_cast<vact_op>((kernel >> 1) % VACT_OP_COUNT);
  d.derivative = (kernel & 1) != 0;
  d.in_place = (data[1] & 1) != 0;
  d.explicit_params = (data[1] & 2) != 0;
  const int abuse = (data[1] >> 2) & 7;
  d.abuse = abuse <= 5 ? static_cast<misuse>(abuse) : misuse::none;
  d.x_offset = data[2] % 16u;
  d.y_offset = data[3] % 16u;
  d.raw_y_offset = data[3];
  d.rows = data[4] % 4u + 1;
  d.x_extra = data[5] % 4u;
  d.y_extra = data[6] % 4u;
  d.fast = (data[1] & 0x20) != 0;
  d.storage = data[1] >> 6;
  if (d.explicit_params) d.params = {float_at(data + 7), float_at(data + 11)};
  d.params.accuracy = d.fast ? VACT_ACCURACY_FAST : VACT_ACCURACY_PRECISE;
  const std::size_t count =
      std::min((size - header_size) / sizeof(float), max_floats);
  for (std::size_t i = 0; i < count; ++i)
    d.x.push_back(float_at(data + header_size + 4 * i));
  return d;
}

bool same_bits(float a, float b) { return bits(a) == bits(b); }

// The parameters a call passes: explicit ones, NULL for the defaults in
// the precise tier, or the defaults with the fast tier.
const vact_params* params_of(const decoded& d) {
  static const vact_params fast_defaults{1.0f, 0.01f, VACT_ACCURACY_FAST};
  if (d.explicit_params) return &d.params;
  return d.fast ? &fast_defaults : nullptr;
}

using strided_rows = vact_status (*)(const float*, size_t, float*, size_t,
                                     size_t, size_t);
strided_rows rows_function(const decoded& d) {
  if (d.fast)
    return d.log ? vact_log_softmax_strided_fast_f32
                 : vact_softmax_strided_fast_f32;
  return d.log ? vact_log_softmax_strided_f32 : vact_softmax_strided_f32;
}

// `expected`: the scalar result, the exact value, or the canary.
[[noreturn]] void fail(const char* what, const decoded& d, vact_isa isa,
                       std::size_t index, float got, double expected) {
  std::fprintf(
      stderr,
      "vact_fuzz_differential: %s\n  kernel %s%s, isa %s, n %zu, "
      "index %zu: x = %a (0x%08x), got %a (0x%08x), expected %a\n",
      what,
      d.rows_kernel ? (d.log ? "log_softmax" : "softmax") : vact_op_name(d.op),
      !d.rows_kernel && d.derivative ? "'" : "", vact_isa_name(isa), d.x.size(),
      index, index < d.x.size() ? static_cast<double>(d.x[index]) : 0.0,
      index < d.x.size() ? bits(d.x[index]) : 0u, static_cast<double>(got),
      bits(got), expected);
  std::abort();
}

[[noreturn]] void fail_status(const char* what, const decoded& d,
                              vact_status got) {
  std::fprintf(
      stderr,
      "vact_fuzz_differential: %s\n  kernel %s%s, misuse %d: status "
      "%d (%s)\n",
      what,
      d.rows_kernel ? (d.log ? "log_softmax" : "softmax") : vact_op_name(d.op),
      !d.rows_kernel && d.derivative ? "'" : "", static_cast<int>(d.abuse),
      static_cast<int>(got), vact_status_string(got));
  std::abort();
}

std::vector<vact_isa> supported_isas() {
  std::vector<vact_isa> isas;
  for (int i = 0; i < VACT_ISA_COUNT; ++i)
    if (vact_isa_supported(static_cast<vact_isa>(i)))
      isas.push_back(static_cast<vact_isa>(i));
  return isas;
}

bool has_fma(vact_isa isa) {
  return isa != VACT_ISA_SSE2 && isa != VACT_ISA_SSE41;
}

const vact_test::op_case* catalogue_entry(vact_op op, bool fast) {
  for (const vact_test::op_case& c :
       fast ? vact_test::fast_op_catalogue() : vact_test::op_catalogue())
    if (c.op == op) return &c;
  return nullptr;
}

// ---- valid calls: every ISA ------------------------------------------------

// Row layout: `cols` from the input size, strides cols + extra.
struct layout {
  std::size_t rows, cols, x_stride, y_stride;
  std::size_t x_span() const { return (rows - 1) * x_stride + cols; }
  std::size_t y_span() const { return (rows - 1) * y_stride + cols; }
};

layout row_layout(const decoded& d) {
  layout l{d.rows, d.x.size() / d.rows, 0, 0};
  l.x_stride = l.cols + d.x_extra;
  l.y_stride = d.in_place ? l.x_stride : l.cols + d.y_extra;
  return l;
}

// The output of one call on the active ISA, after checking that nothing
// outside the output range was written.
std::vector<float> run_valid(const decoded& d, vact_isa isa) {
  const bool rows = d.rows_kernel;
  const std::size_t n = d.x.size();
  const layout l = rows ? row_layout(d) : layout{1, n, n, n};
  const std::size_t x_span = rows ? l.x_span() : d.x.size();
  const std::size_t y_span = rows ? l.y_span() : d.x.size();
  // x: the input floats row by row at x_stride (padding: canaries).
  std::vector<float> x(x_span + 2 * slack, from_bits(canary_bits));
  float* const x_begin = x.data() + d.x_offset;
  for (std::size_t r = 0; r < l.rows; ++r)
    std::copy_n(d.x.begin() + static_cast<std::ptrdiff_t>(r * l.cols), l.cols,
                x_begin + r * l.x_stride);
  std::vector<float> y_buffer(y_span + 2 * slack, from_bits(canary_bits));
  float* const y = d.in_place ? x_begin : y_buffer.data() + d.y_offset;
  const vact_params* p = params_of(d);
  vact_status status;
  if (rows) {
    const auto fn = rows_function(d);
    status = fn(x_begin, l.x_stride, y, l.y_stride, l.rows, l.cols);
  } else {
    const auto fn = d.derivative ? vact_apply_derivative_f32 : vact_apply_f32;
    status = fn(d.op, p, x_begin, y, d.x.size());
  }
  if (status != VACT_OK) fail_status("a valid call failed", d, status);

  // Outside the rows' elements: still canaries (x's padding included, in
  // place), and x untouched when not in place.
  const std::vector<float>& out = d.in_place ? x : y_buffer;
  const std::size_t out_begin = d.in_place ? d.x_offset : d.y_offset;
  const std::size_t out_stride = std::max<std::size_t>(l.y_stride, 1);
  std::vector<float> result(l.rows * l.cols);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t k = i - out_begin;  // wraps for i < out_begin
    const bool inside =
        i >= out_begin && k / out_stride < l.rows && k % out_stride < l.cols;
    if (inside) {
      result[k / out_stride * l.cols + k % out_stride] = out[i];
    } else if (bits(out[i]) != canary_bits) {
      fail("written outside the output", d, isa, i, out[i],
           from_bits(canary_bits));
    }
  }
  if (!d.in_place)
    for (std::size_t r = 0; r < l.rows; ++r)
      for (std::size_t c = 0; c < l.cols; ++c)
        if (bits(x_begin[r * l.x_stride + c]) != bits(d.x[r * l.cols + c]))
          fail("the input was modified", d, isa, r * l.cols + c,
               x_begin[r * l.x_stride + c], d.x[r * l.cols + c]);
  return result;
}

// Exact-enough log_softmax of one row (long double), NaN for a row that
// holds NaN or +inf or is all -inf.
std::vector<long double> reference_log_softmax(const float* x, std::size_t n) {
  long double m = -INFINITY;
  bool poisoned = false;
  for (std::size_t j = 0; j < n; ++j) {
    poisoned |= std::isnan(x[j]) || x[j] == INFINITY;
    m = std::max<long double>(m, x[j]);
  }
  std::vector<long double> out(n, NAN);
  if (poisoned || m == -INFINITY) return out;
  long double sum = 0;
  for (std::size_t j = 0; j < n; ++j)
    sum += std::exp(static_cast<long double>(x[j]) - m);
  const long double log_sum = std::log(sum);
  for (std::size_t j = 0; j < n; ++j)
    out[j] = (static_cast<long double>(x[j]) - m) - log_sum;
  return out;
}

// The error bounds the test suite enforces: softmax 4 ULP, log_softmax
// 4 ULP or 2^-23 absolute; the fast tier 8 ULP, log_softmax 8 ULP or 2^-22
// absolute.
void check_rows_bound(const decoded& d, vact_isa isa,
                      const std::vector<float>& y) {
  const layout l = row_layout(d);
  for (std::size_t r = 0; r < l.rows; ++r) {
    const std::vector<long double> exact =
        reference_log_softmax(d.x.data() + r * l.cols, l.cols);
    for (std::size_t c = 0; c < l.cols; ++c) {
      const std::size_t i = r * l.cols + c;
      const long double e = d.log ? exact[c] : std::exp(exact[c]);
      const double ulp = vact_test::ulp_error(y[i], static_cast<double>(e));
      const double abs_error =
          std::fabs(static_cast<double>(y[i]) - static_cast<double>(e));
      const bool ok = d.fast ? ulp <= 8.0 || (d.log && abs_error <= 0x1p-22)
                             : ulp <= 4.0 || (d.log && abs_error <= 0x1p-23);
      if (!ok)
        fail("outside the error bound", d, isa, i, y[i],
             static_cast<double>(e));
    }
  }
}

void check_elementwise_bound(const decoded& d, vact_isa isa,
                             const std::vector<float>& y) {
  const vact_test::op_case* c = catalogue_entry(d.op, d.fast);
  if (c == nullptr) return;  // an op the tests have no reference for yet
  const auto reference = d.derivative ? c->derivative : c->value;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isnan(d.x[i])) {  // the references leave NaN to the contract
      if (bits(y[i]) != (bits(d.x[i]) | 0x00400000u))
        fail("a NaN did not come back quieted", d, isa, i, y[i], d.x[i]);
      continue;
    }
    const double exact = reference(static_cast<double>(d.x[i]), c->params);
    if (!vact_test::meets_bound(*c, d.derivative, exact, y[i]))
      fail("outside the error bound", d, isa, i, y[i], exact);
  }
}

void differential(const decoded& d) {
  if (d.rows_kernel && d.x.size() < d.rows) return;  // no columns
  const std::vector<vact_isa> isas = supported_isas();
  if (vact_set_isa(VACT_ISA_SCALAR) != VACT_OK) std::abort();
  const std::vector<float> scalar = run_valid(d, VACT_ISA_SCALAR);
  // Bounds hold with the default parameters (the catalogue's).
  const bool check_bounds = d.rows_kernel || !d.explicit_params;
  for (vact_isa isa : isas) {
    if (vact_set_isa(isa) != VACT_OK) std::abort();
    const std::vector<float> y =
        isa == VACT_ISA_SCALAR ? scalar : run_valid(d, isa);
    if (has_fma(isa)) {
      for (std::size_t i = 0; i < y.size(); ++i)
        if (!same_bits(y[i], scalar[i]))
          fail("an FMA ISA differs from scalar", d, isa, i, y[i], scalar[i]);
    }
    if (!check_bounds) continue;
    if (d.rows_kernel) {
      check_rows_bound(d, isa, y);
    } else {
      check_elementwise_bound(d, isa, y);
    }
  }
}

// ---- bf16 and f16 arrays
// -----------------------------------------------------

constexpr std::uint16_t canary16 = 0x7fa5;

using apply16_fn = vact_status (*)(vact_op, const vact_params*,
                                   const std::uint16_t*, std::uint16_t*,
                                   std::size_t);

// One 16-bit call on the active ISA, its output checked against the f32
// kernel of the same ISA rounded by the library's conversion (or, f32 out,
// equal to it), and its canaries; returns the output bits.
std::vector<std::uint32_t> run_16bit(const decoded& d, vact_isa isa,
                                     const std::vector<std::uint16_t>& x16) {
  const std::size_t n = x16.size();
  const bool f16 = d.storage == 2;
  const bool f32_out = d.storage == 3;
  const vact_params* p = params_of(d);
  // The definition: widen, the f32 kernel, round.
  std::vector<float> wide(n), expected(n);
  (f16 ? vact_convert_f16_to_f32 : vact_convert_bf16_to_f32)(x16.data(),
                                                             wide.data(), n);
  // (bf16 in, f32 out has no derivative form: the value then.)
  const bool derivative = d.derivative && !f32_out;
  const auto f32_fn = derivative ? vact_apply_derivative_f32 : vact_apply_f32;
  const vact_status f32_status =
      f32_fn(d.op, p, wide.data(), expected.data(), n);
  if (f32_status != VACT_OK)
    fail_status("a valid f32 call failed", d, f32_status);
  std::vector<std::uint32_t> out(n);
  if (f32_out) {
    std::vector<float> y(n + 2 * slack, from_bits(canary_bits));
    const vact_status status =
        vact_apply_bf16_f32(d.op, p, x16.data(), y.data() + slack, n);
    if (status != VACT_OK)
      fail_status("a valid bf16 -> f32 call failed", d, status);
    for (std::size_t i = 0; i < y.size(); ++i) {
      const bool inside = i >= slack && i < slack + n;
      if (!inside && bits(y[i]) != canary_bits)
        fail("written outside the output", d, isa, i, y[i], 0.0);
      if (inside) out[i - slack] = bits(y[i]);
    }
    for (std::size_t i = 0; i < n; ++i)
      if (out[i] != bits(expected[i]))
        fail("bf16 -> f32 differs from the f32 kernel", d, isa, i,
             from_bits(out[i]), expected[i]);
    return out;
  }
  std::vector<std::uint16_t> rounded(n);
  (f16 ? vact_convert_f32_to_f16 : vact_convert_f32_to_bf16)(expected.data(),
                                                             rounded.data(), n);
  std::vector<std::uint16_t> buffer(n + 2 * slack, canary16);
  std::uint16_t* const y = buffer.data() + slack;
  const std::uint16_t* x = x16.data();
  if (d.in_place) {
    std::copy(x16.begin(), x16.end(), y);
    x = y;
  }
  apply16_fn fn =
      f16 ? (d.derivative ? vact_apply_derivative_f16 : vact_apply_f16)
          : (d.derivative ? vact_apply_derivative_bf16 : vact_apply_bf16);
  const vact_status status = fn(d.op, p, x, y, n);
  if (status != VACT_OK) fail_status("a valid 16-bit call failed", d, status);
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    const bool inside = i >= slack && i < slack + n;
    if (!inside && buffer[i] != canary16)
      fail("written outside the output", d, isa, i, 0.0f, 0.0);
    if (inside && buffer[i] != rounded[i - slack])
      fail(
          "a 16-bit result differs from the f32 kernel rounded "
          "(got and expected: 16-bit patterns)",
          d, isa, i - slack, from_bits(buffer[i]),
          static_cast<double>(rounded[i - slack]));
    if (inside) out[i - slack] = buffer[i];
  }
  return out;
}

void differential_16bit(const decoded& d) {
  const std::size_t n = d.x.size();
  std::vector<std::uint16_t> x16(n);
  for (std::size_t i = 0; i < n; ++i)
    x16[i] = static_cast<std::uint16_t>(bits(d.x[i]) >> 16);
  const bool f16 = d.storage == 2;
  const std::vector<vact_isa> isas = supported_isas();
  if (vact_set_isa(VACT_ISA_SCALAR) != VACT_OK) std::abort();
  const std::vector<std::uint32_t> scalar = run_16bit(d, VACT_ISA_SCALAR, x16);
  std::vector<std::uint16_t> scalar_narrowed(n), narrowed(n);
  (f16 ? vact_convert_f32_to_f16 : vact_convert_f32_to_bf16)(
      d.x.data(), scalar_narrowed.data(), n);
  for (vact_isa isa : isas) {
    if (isa == VACT_ISA_SCALAR) continue;
    if (vact_set_isa(isa) != VACT_OK) std::abort();
    const std::vector<std::uint32_t> y = run_16bit(d, isa, x16);
    if (has_fma(isa))
      for (std::size_t i = 0; i < n; ++i)
        if (y[i] != scalar[i])
          fail("an FMA ISA differs from scalar (16-bit)", d, isa, i,
               from_bits(y[i]), from_bits(scalar[i]));
    // The conversions are integer arithmetic: every ISA agrees.
    (f16 ? vact_convert_f32_to_f16 : vact_convert_f32_to_bf16)(
        d.x.data(), narrowed.data(), n);
    for (std::size_t i = 0; i < n; ++i)
      if (narrowed[i] != scalar_narrowed[i])
        fail("a conversion differs from scalar", d, isa, i, d.x[i],
             static_cast<double>(scalar_narrowed[i]));
  }
}

// ---- bad arguments ---------------------------------------------------------

// Whether [a, a + a_count) and [b, b + b_count) share memory but do not
// start at the same element.
bool partially_overlap(const float* a, std::size_t a_count, const float* b,
                       std::size_t b_count) {
  return a != b && a < b + b_count && b < a + a_count;
}

void misused(const decoded& d) {
  constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();
  constexpr std::size_t max_elements = PTRDIFF_MAX / sizeof(float);
  const std::size_t huge_sizes[] = {size_max, size_max / sizeof(float) + 1,
                                    size_max / sizeof(float) + 2,
                                    max_elements + 1};
  // One buffer holds x and y; every call must leave all of it as it was.
  std::vector<float> buffer(2 * (d.x.size() + 16) + 64, from_bits(canary_bits));
  std::copy(d.x.begin(), d.x.end(), buffer.begin());
  const std::vector<float> before = buffer;
  float* const x = buffer.data() + d.x_offset;
  float* y = buffer.data() + buffer.size() / 2 + d.y_offset;
  std::size_t n = d.x.size();
  int op = d.op;
  // Statuses the call may return: one per broken rule (none: VACT_OK).
  bool null = false, overlap = false, invalid = false;

  vact_status status;
  if (!d.rows_kernel) {
    switch (d.abuse) {
      case misuse::null_x:
      case misuse::null_y:
        null = n > 0;
        break;
      case misuse::overlap:
        y = x + (d.raw_y_offset % 8 + 1);  // 1..8 elements after x
        overlap = partially_overlap(x, n, y, n);
        break;
      case misuse::huge_size:
        n = huge_sizes[d.raw_y_offset % 4];
        invalid = true;
        break;
      case misuse::bad_argument:
        // Any int outside the enumerators: vact.h bases its enums on int
        // in C++, so each is a valid vact_op value that the API must refuse.
        op = d.raw_y_offset % 2 == 0
                 ? VACT_OP_COUNT + static_cast<int>(d.raw_y_offset % 4096)
                 : -1 - static_cast<int>(d.raw_y_offset % 4096);
        invalid = true;
        break;
      case misuse::none:
        return;
    }
    const float* const x_arg = d.abuse == misuse::null_x ? nullptr : x;
    float* const y_arg = d.abuse == misuse::null_y ? nullptr : y;
    const vact_params* p = params_of(d);
    const auto fn = d.derivative ? vact_apply_derivative_f32 : vact_apply_f32;
    status = fn(static_cast<vact_op>(op), p, x_arg, y_arg, n);
  } else {
    std::size_t rows = d.rows, cols = d.x.size() / d.rows;
    std::size_t x_stride = cols + d.x_extra, y_stride = cols + d.y_extra;
    switch (d.abuse) {
      case misuse::null_x:
      case misuse::null_y:
        null = cols > 0;
        break;
      case misuse::overlap:
        if (d.raw_y_offset & 1) {  // the same start, other strides
          y = x;
          y_stride = x_stride + 1 + d.raw_y_offset % 3;
          overlap = cols > 0 && rows > 1;
          if (rows == 1) y_stride = x_stride;  // strides unused: in place
        } else {
          y = x + (d.raw_y_offset / 2 % 8 + 1);
          overlap =
              cols > 0 && partially_overlap(x, (rows - 1) * x_stride + cols, y,
                                            (rows - 1) * y_stride + cols);
        }
        break;
      case misuse::huge_size:
        rows = huge_sizes[d.raw_y_offset % 4];
        cols = d.raw_y_offset % 3 + 1;
        x_stride = y_stride = cols;
        invalid = true;
        break;
      case misuse::bad_argument:
        if (cols == 0) return;
        if (d.raw_y_offset & 1) {
          x_stride =
              cols - 1 - std::min<std::size_t>(d.raw_y_offset / 2, cols - 1);
        } else {
          y_stride =
              cols - 1 - std::min<std::size_t>(d.raw_y_offset / 2, cols - 1);
        }
        invalid = true;
        break;
      case misuse::none:
        return;
    }
    const float* const x_arg = d.abuse == misuse::null_x ? nullptr : x;
    float* const y_arg = d.abuse == misuse::null_y ? nullptr : y;
    const auto fn = rows_function(d);
    status = fn(x_arg, x_stride, y_arg, y_stride, rows, cols);
  }
  const bool allowed = (status == VACT_ERROR_NULL_POINTER && null) ||
                       (status == VACT_ERROR_OVERLAP && overlap) ||
                       (status == VACT_ERROR_INVALID_ARGUMENT && invalid) ||
                       (status == VACT_OK && !null && !overlap && !invalid);
  if (!allowed) fail_status("a misuse got the wrong status", d, status);
  if (status != VACT_OK) {
    for (std::size_t i = 0; i < buffer.size(); ++i)
      if (bits(buffer[i]) != bits(before[i]))
        fail("a refused call wrote its output", d, VACT_ISA_SCALAR, i,
             buffer[i], before[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size < header_size) return 0;
  const decoded d = decode(data, size);
  if (d.abuse == misuse::none && d.storage != 0 && !d.rows_kernel) {
    differential_16bit(d);
  } else if (d.abuse == misuse::none) {
    differential(d);
  } else {
    misused(d);
  }
  return 0;
}
