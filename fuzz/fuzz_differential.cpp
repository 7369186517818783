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
//   - on bf16 or f16 arrays (byte 1, bits 6-7): an element-wise call or a
//     softmax over 16-bit rows gives other bits than the f32 kernel of the
//     same ISA on the widened values, rounded by vact_convert (the
//     definition), an FMA ISA other bits than scalar, a conversion other
//     bits than scalar's on any ISA, or a write lands outside the output.
//
//   - an engine call (byte 0 = 0xfc, its own layout below) gives other
//     bits than the plain calls it fuses (same ISA), an FMA ISA other bits
//     than scalar (NaNs as NaNs: where two meet, the payload is not
//     specified), writes outside its outputs, or disagrees between ISAs
//     on its status.
//
// Input layout (fuzz/make_corpus.py writes seeds in it):
//   byte 0   kernel: 0xfe softmax, 0xff log_softmax, 0xfc an engine call,
//            else op (b >> 1) mod VACT_OP_COUNT, derivative if b & 1
//   byte 1   bit 0: in place; bit 1: parameters from bytes 7..14 (else
//            NULL, the defaults); bits 2..4: misuse (see `misuse`); bit 5:
//            the fast tier; bits 6-7: storage of a call without misuse:
//            0 f32, 1 bf16, 2 f16, 3 bf16 in and f32 out (element-wise
//            values only; rows take f32); 16-bit inputs: each input
//            float's high half
//   byte 2   x offset in floats (mod 16); byte 3: y offset (mod 16), or
//            what the misuse needs
//   byte 4   rows - 1 (mod 4); bytes 5, 6: x and y stride - cols (mod 4)
//   7..14    two floats (little-endian bits): alpha, slope; beta; lo, hi;
//            cap (as given: parameters an op cannot take must be refused)
//   15..     the input floats, little-endian bits
// Engine calls (byte 0 = 0xfc):
//   byte 1   bit 0: in place; bit 5: the fast tier
//   byte 2   call mod 6: gated, gated_rows, gated_backward, bias_apply,
//            softmax_ex, softmax_chunk
//   byte 3   the activation, mod VACT_OP_COUNT
//   byte 4   rows - 1 (mod 4)
//   byte 5   bit 0: mask; 1: sinks; 2: soft cap; 3: log; 4: all-masked
//            rows as zeros; 5: one mask row for all; bits 6-7: gate layout
//   byte 6   extra stride (mod 4)
//   7..14    softmax scale and soft cap (float bits, as given: bad ones
//            must be refused)
//   15..     the floats: the operands one after the other
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
  vact_params params = VACT_PARAMS_INIT;
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
  if (d.explicit_params) {  // each op reads one or both floats
    const float first = float_at(data + 7), second = float_at(data + 11);
    d.params = {first,  second, VACT_ACCURACY_PRECISE, first, first,
                second, first};
  }
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
  static const vact_params fast_defaults =
      vact_test::default_params(VACT_ACCURACY_FAST);
  if (d.explicit_params) return &d.params;
  return d.fast ? &fast_defaults : nullptr;
}

// Whether the element-wise op can take d's parameters (vact.h's
// vact_params: a finite beta, lo <= hi, cap >= 0); rows take none.
bool acceptable_params(const decoded& d) {
  if (d.rows_kernel) return true;
  const vact_params p = vact_test::op_case::resolved(params_of(d));
  switch (d.op) {
    case VACT_OP_SWISH:
      return std::isfinite(p.beta);
    case VACT_OP_CLIP:
      return p.lo <= p.hi;
    case VACT_OP_SOFTCAP:
      return p.cap >= 0.0f;
    default:
      return true;
  }
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
    const double exact = reference(static_cast<double>(d.x[i]),
                                   vact_test::op_case::resolved(params_of(d)));
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

// softmax or log_softmax over 16-bit rows (strided, maybe in place) on the
// active ISA, checked against the definition (the f32 row function of the
// same ISA on the widened rows, rounded) and its canaries; returns the
// rows' results.
std::vector<std::uint16_t> run_rows16(const decoded& d, vact_isa isa,
                                      const std::vector<std::uint16_t>& x16) {
  const bool f16 = d.storage == 2;
  const layout l = row_layout(d);
  using rows16 = vact_status (*)(const std::uint16_t*, size_t, std::uint16_t*,
                                 size_t, size_t, size_t);
  const rows16 fns[2][2][2] = {
      // [f16][fast][log]
      {{vact_softmax_strided_bf16, vact_log_softmax_strided_bf16},
       {vact_softmax_strided_fast_bf16, vact_log_softmax_strided_fast_bf16}},
      {{vact_softmax_strided_f16, vact_log_softmax_strided_f16},
       {vact_softmax_strided_fast_f16, vact_log_softmax_strided_fast_f16}}};
  // x: the rows at x_stride, padding canaries; y beside it, or x itself.
  std::vector<std::uint16_t> x(l.x_span() + 2 * slack, canary16);
  std::uint16_t* const x_begin = x.data() + d.x_offset;
  for (std::size_t r = 0; r < l.rows; ++r)
    std::copy_n(x16.begin() + static_cast<std::ptrdiff_t>(r * l.cols), l.cols,
                x_begin + r * l.x_stride);
  // The definition, from the same buffer (canaries widened too: unread).
  std::vector<float> wide(x.size()), wide_out(l.y_span());
  (f16 ? vact_convert_f16_to_f32 : vact_convert_bf16_to_f32)(
      x.data(), wide.data(), x.size());
  const vact_status f32_status =
      rows_function(d)(wide.data() + d.x_offset, l.x_stride, wide_out.data(),
                       l.y_stride, l.rows, l.cols);
  if (f32_status != VACT_OK)
    fail_status("a valid f32 rows call failed", d, f32_status);
  std::vector<std::uint16_t> expected(l.y_span());
  (f16 ? vact_convert_f32_to_f16 : vact_convert_f32_to_bf16)(
      wide_out.data(), expected.data(), l.y_span());

  std::vector<std::uint16_t> y_buffer(l.y_span() + 2 * slack, canary16);
  std::uint16_t* const y = d.in_place ? x_begin : y_buffer.data() + d.y_offset;
  const vact_status status = fns[f16][d.fast][d.log](
      x_begin, l.x_stride, y, l.y_stride, l.rows, l.cols);
  if (status != VACT_OK)
    fail_status("a valid 16-bit rows call failed", d, status);
  const std::vector<std::uint16_t>& out = d.in_place ? x : y_buffer;
  const std::size_t out_begin = d.in_place ? d.x_offset : d.y_offset;
  std::vector<std::uint16_t> result(l.rows * l.cols);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t k = i - out_begin;  // wraps for i < out_begin
    const bool inside =
        i >= out_begin && k / l.y_stride < l.rows && k % l.y_stride < l.cols;
    if (inside && out[i] != expected[k])
      fail(
          "a 16-bit row differs from the f32 rows rounded (got and "
          "expected: 16-bit patterns)",
          d, isa, k, from_bits(out[i]), static_cast<double>(expected[k]));
    if (inside) result[k / l.y_stride * l.cols + k % l.y_stride] = out[i];
    if (!inside && !d.in_place && out[i] != canary16)
      fail("written outside the output", d, isa, i, 0.0f, 0.0);
  }
  // In place, x's padding is outside the rows: still canaries.
  if (d.in_place)
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::size_t k = i - d.x_offset;
      const bool in_row =
          i >= d.x_offset && k / l.x_stride < l.rows && k % l.x_stride < l.cols;
      if (!in_row && x[i] != canary16)
        fail("written outside the output", d, isa, i, 0.0f, 0.0);
    }
  return result;
}

void differential_rows16(const decoded& d) {
  if (d.x.size() < d.rows) return;  // no columns
  std::vector<std::uint16_t> x16(d.x.size());
  for (std::size_t i = 0; i < x16.size(); ++i)
    x16[i] = static_cast<std::uint16_t>(bits(d.x[i]) >> 16);
  if (vact_set_isa(VACT_ISA_SCALAR) != VACT_OK) std::abort();
  const std::vector<std::uint16_t> scalar = run_rows16(d, VACT_ISA_SCALAR, x16);
  for (vact_isa isa : supported_isas()) {
    if (isa == VACT_ISA_SCALAR) continue;
    if (vact_set_isa(isa) != VACT_OK) std::abort();
    const std::vector<std::uint16_t> y = run_rows16(d, isa, x16);
    if (has_fma(isa))
      for (std::size_t i = 0; i < y.size(); ++i)
        if (y[i] != scalar[i])
          fail("an FMA ISA differs from scalar (16-bit rows)", d, isa, i,
               from_bits(y[i]), static_cast<double>(scalar[i]));
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
      case misuse::none:  // the parameters are the misuse
        break;
    }
    invalid |= !acceptable_params(d);
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

// ---- engine calls ----------------------------------------------------------

enum class engine_call { gated, gated_rows, backward, bias, softmax_ex, chunk };

struct engine_input {
  engine_call call;
  bool in_place, fast, mask, sinks, softcap, log, zero_rows, shared_mask;
  vact_gate_layout layout;
  vact_op act;
  std::size_t rows, extra;
  float scale, cap;
  std::vector<float> floats;
};

engine_input decode_engine(const std::uint8_t* data, std::size_t size) {
  engine_input e;
  e.in_place = (data[1] & 1) != 0;
  e.fast = (data[1] & 0x20) != 0;
  e.call = static_cast<engine_call>(data[2] % 6);
  e.act = static_cast<vact_op>(data[3] % VACT_OP_COUNT);
  e.rows = data[4] % 4u + 1;
  e.mask = (data[5] & 1) != 0;
  e.sinks = (data[5] & 2) != 0;
  e.softcap = (data[5] & 4) != 0;
  e.log = (data[5] & 8) != 0;
  e.zero_rows = (data[5] & 16) != 0;
  e.shared_mask = (data[5] & 32) != 0;
  e.layout = static_cast<vact_gate_layout>((data[5] >> 6) % 3);
  e.extra = data[6] % 4u;
  e.scale = float_at(data + 7);
  e.cap = float_at(data + 11);
  const std::size_t count =
      std::min((size - header_size) / sizeof(float), max_floats);
  for (std::size_t i = 0; i < count; ++i)
    e.floats.push_back(float_at(data + header_size + 4 * i));
  return e;
}

// What one engine call returned and wrote: its status and the whole
// output buffer (canaries included), compared across ISAs.
struct engine_result {
  vact_status status;
  std::vector<float> out;
};

[[noreturn]] void fail_engine(const char* what, const engine_input& e,
                              vact_isa isa, std::size_t index) {
  std::fprintf(stderr,
               "vact_fuzz_differential: %s\n  engine call %d, act %s, isa %s, "
               "%zu floats, index %zu\n",
               what, static_cast<int>(e.call), vact_op_name(e.act),
               vact_isa_name(isa), e.floats.size(), index);
  std::abort();
}

// Runs the call on the active ISA. The outputs live in one buffer with
// canaries around each: out = [slack | output 1 | slack | output 2 | slack].
// `unfused` runs the plain calls the engine call stands for instead.
engine_result run_engine(const engine_input& e, bool unfused) {
  const std::vector<float>& f = e.floats;
  const std::size_t n = f.size();
  vact_params p = vact_test::default_params(e.fast ? VACT_ACCURACY_FAST
                                                   : VACT_ACCURACY_PRECISE);
  const float canary = from_bits(canary_bits);
  engine_result r{VACT_OK, {}};
  switch (e.call) {
    case engine_call::gated: {
      const std::size_t m = n / 2;
      std::vector<float> in(f.begin(), f.begin() + static_cast<long>(2 * m));
      r.out.assign(m + 2 * slack, canary);
      float* y = e.in_place ? in.data() : r.out.data() + slack;
      if (unfused) {
        r.status = vact_apply_f32(e.act, &p, in.data(), y, m);
        for (std::size_t i = 0; i < m && r.status == VACT_OK; ++i)
          y[i] *= in[m + i];
      } else {
        r.status = vact_gated_f32(e.act, &p, in.data(), in.data() + m, y, m);
      }
      // In place, the result is in `in`; a refused call must have left it
      // as it was (else the canaries show a write).
      if (e.in_place && r.status == VACT_OK)
        std::copy_n(in.begin(), m, r.out.begin() + slack);
      if (e.in_place && r.status != VACT_OK &&
          !std::equal(in.begin(), in.end(), f.begin(),
                      [](float a, float b) { return bits(a) == bits(b); }))
        r.out[slack] = 0.0f;
      break;
    }
    case engine_call::gated_rows: {
      const std::size_t cols = n / (2 * e.rows);
      const std::size_t x_stride = 2 * cols + e.extra,
                        y_stride = cols + e.extra;
      std::vector<float> x(e.rows * x_stride, canary);
      for (std::size_t i = 0; i < e.rows * 2 * cols; ++i)
        x[i / (2 * cols) * x_stride + i % (2 * cols)] = f[i];
      r.out.assign(e.rows * y_stride + 2 * slack, canary);
      float* y = r.out.data() + slack;
      if (unfused) {
        for (std::size_t row = 0; row < e.rows; ++row) {
          std::vector<float> gate(cols), up(cols);
          const float* in = x.data() + row * x_stride;
          for (std::size_t j = 0; j < cols; ++j) {
            if (e.layout == VACT_GATE_INTERLEAVED)
              gate[j] = in[2 * j], up[j] = in[2 * j + 1];
            else if (e.layout == VACT_GATE_CONCAT)
              gate[j] = in[j], up[j] = in[cols + j];
            else
              up[j] = in[j], gate[j] = in[cols + j];
          }
          r.status = vact_gated_f32(e.act, &p, gate.data(), up.data(),
                                    y + row * y_stride, cols);
        }
      } else {
        r.status = vact_gated_rows_f32(e.act, &p, x.data(), x_stride, y,
                                       y_stride, e.rows, cols, e.layout);
      }
      break;
    }
    case engine_call::backward: {
      const std::size_t m = n / 3;
      const float *gate = f.data(), *up = gate + m, *dy = up + m;
      r.out.assign(2 * m + 3 * slack, canary);
      float* dgate = r.out.data() + slack;
      float* dup = dgate + m + slack;
      if (unfused) {
        std::vector<float> act(m), derivative(m);
        r.status = vact_apply_f32(e.act, &p, gate, act.data(), m);
        vact_apply_derivative_f32(e.act, &p, gate, derivative.data(), m);
        for (std::size_t i = 0; i < m; ++i) {
          dgate[i] = dy[i] * (up[i] * derivative[i]);
          dup[i] = dy[i] * act[i];
        }
      } else {
        r.status =
            vact_gated_backward_f32(e.act, &p, gate, up, dy, dgate, dup, m);
      }
      break;
    }
    case engine_call::bias: {
      const std::size_t cols = n / (e.rows + 1);
      const std::size_t ldc = cols + e.extra;
      std::vector<float> bias(f.begin(), f.begin() + static_cast<long>(cols));
      r.out.assign(e.rows * ldc + 2 * slack, canary);
      float* c = r.out.data() + slack;
      for (std::size_t i = 0; i < e.rows * cols; ++i)
        c[i / cols * ldc + i % cols] = f[cols + i];
      if (unfused) {
        for (std::size_t row = 0; row < e.rows; ++row) {
          for (std::size_t j = 0; j < cols; ++j) c[row * ldc + j] += bias[j];
          r.status =
              vact_apply_f32(e.act, &p, c + row * ldc, c + row * ldc, cols);
        }
      } else {
        r.status =
            vact_bias_apply_f32(e.act, &p, bias.data(), c, ldc, e.rows, cols);
      }
      break;
    }
    case engine_call::softmax_ex:
    case engine_call::chunk: {
      // x: rows x cols; then the mask (rows or one row), then the sinks.
      const std::size_t mask_rows = e.shared_mask ? 1 : e.rows;
      const std::size_t sink_count = e.sinks ? e.rows : 0;
      if (n < sink_count) return {VACT_OK, {}};
      const std::size_t cols =
          (n - sink_count) / (e.rows + (e.mask ? mask_rows : 0));
      const std::size_t stride = cols + e.extra;
      std::vector<float> x(e.rows * stride, canary);
      for (std::size_t i = 0; i < e.rows * cols; ++i)
        x[i / cols * stride + i % cols] = f[i];
      const float* mask = f.data() + e.rows * cols;
      const float* sinks = mask + (e.mask ? mask_rows * cols : 0);
      vact_softmax_params sp = VACT_SOFTMAX_PARAMS_INIT;
      sp.accuracy = p.accuracy;
      sp.log = e.log ? 1 : 0;
      sp.scale = e.scale;
      sp.softcap = e.softcap ? e.cap : 0.0f;
      sp.mask = e.mask ? mask : nullptr;
      sp.mask_row_stride = e.shared_mask ? 0 : cols;
      sp.sinks = e.sinks ? sinks : nullptr;
      sp.masked_row = e.zero_rows ? VACT_MASKED_ROW_ZERO : VACT_MASKED_ROW_NAN;
      r.out.assign(e.rows * stride + 2 * e.rows + 3 * slack, canary);
      float* y = e.in_place ? x.data() : r.out.data() + slack;
      auto* states = reinterpret_cast<vact_softmax_state*>(
          r.out.data() + 2 * slack + e.rows * stride);
      if (e.call == engine_call::chunk) {
        if (unfused) return {VACT_OK, {}};  // compared across ISAs only
        r.status = vact_softmax_chunk_f32(x.data(), stride, y, stride, e.rows,
                                          cols, &sp, states);
      } else if (unfused) {
        // The definition: the plain softmax of the logits, the sink
        // appended, its output dropped; all-masked rows by the mode.
        if (vact_softmax_ex_f32(x.data(), stride, y, stride, e.rows, cols,
                                &sp) != VACT_OK)
          return {VACT_ERROR_INVALID_ARGUMENT, {}};
        const std::size_t width = cols + (e.sinks ? 1 : 0);
        std::vector<float> logits(width), result(width);
        for (std::size_t row = 0; row < e.rows; ++row) {
          for (std::size_t j = 0; j < cols; ++j)
            logits[j] = f[row * cols + j] * sp.scale;  // x may be y
          if (sp.softcap != 0.0f) {
            for (std::size_t j = 0; j < cols; ++j)
              logits[j] = logits[j] / sp.softcap;
            vact_apply_f32(VACT_OP_TANH, &p, logits.data(), logits.data(),
                           cols);
            for (std::size_t j = 0; j < cols; ++j)
              logits[j] = sp.softcap * logits[j];
          }
          if (e.mask)
            for (std::size_t j = 0; j < cols; ++j)
              logits[j] =
                  logits[j] + mask[(e.shared_mask ? 0 : row) * cols + j] * 1.0f;
          if (e.sinks) logits[cols] = sinks[row];
          const auto plain =
              e.fast
                  ? (e.log ? vact_log_softmax_fast_f32 : vact_softmax_fast_f32)
                  : (e.log ? vact_log_softmax_f32 : vact_softmax_f32);
          plain(logits.data(), result.data(), 1, width);
          bool hidden = e.zero_rows;
          for (std::size_t j = 0; j < width; ++j)
            hidden = hidden && logits[j] == -INFINITY;
          for (std::size_t j = 0; j < cols; ++j)
            y[row * stride + j] =
                hidden ? (e.log ? -INFINITY : 0.0f) : result[j];
        }
        r.status = VACT_OK;
      } else {
        r.status =
            vact_softmax_ex_f32(x.data(), stride, y, stride, e.rows, cols, &sp);
      }
      if (e.in_place && r.status == VACT_OK)
        for (std::size_t row = 0; row < e.rows; ++row)
          std::copy_n(x.begin() + static_cast<long>(row * stride), cols,
                      r.out.begin() + static_cast<long>(slack + row * stride));
      if (e.in_place && r.status != VACT_OK)
        for (std::size_t i = 0; i < e.rows * cols; ++i)
          if (bits(x[i / cols * stride + i % cols]) != bits(f[i]))
            r.out[slack] = 0.0f;  // a refused call wrote its input
      break;
    }
  }
  return r;
}

void differential_engine(const engine_input& e) {
  if (vact_set_isa(VACT_ISA_SCALAR) != VACT_OK) std::abort();
  const engine_result scalar = run_engine(e, false);
  for (vact_isa isa : supported_isas()) {
    if (vact_set_isa(isa) != VACT_OK) std::abort();
    const engine_result fused =
        isa == VACT_ISA_SCALAR ? scalar : run_engine(e, false);
    if (fused.status != scalar.status)
      fail_engine("ISAs disagree on the status", e, isa, 0);
    if (fused.status != VACT_OK) {  // refused: nothing written
      for (std::size_t i = 0; i < fused.out.size(); ++i)
        if (bits(fused.out[i]) != canary_bits)
          fail_engine("a refused call wrote its output", e, isa, i);
      continue;
    }
    // Where two NaNs meet in a product (act(gate) and up, say), which
    // payload wins is not specified: NaNs compare as NaNs here.
    const auto same = [](float a, float b) {
      return bits(a) == bits(b) || (std::isnan(a) && std::isnan(b));
    };
    if (has_fma(isa))
      for (std::size_t i = 0; i < fused.out.size(); ++i)
        if (!same(fused.out[i], scalar.out[i]))
          fail_engine("an FMA ISA differs from scalar", e, isa, i);
    const engine_result unfused = run_engine(e, true);
    if (unfused.out.empty()) continue;
    for (std::size_t i = 0; i < fused.out.size(); ++i)
      if (!same(fused.out[i], unfused.out[i]))
        fail_engine("the fused call differs from the calls it fuses", e, isa,
                    i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size < header_size) return 0;
  if (data[0] == 0xfc) {
    differential_engine(decode_engine(data, size));
    return 0;
  }
  const decoded d = decode(data, size);
  if (!acceptable_params(d)) {
    misused(d);
  } else if (d.abuse == misuse::none && d.storage != 0 && !d.rows_kernel) {
    differential_16bit(d);
  } else if (d.abuse == misuse::none && d.rows_kernel &&
             (d.storage == 1 || d.storage == 2)) {
    differential_rows16(d);
  } else if (d.abuse == misuse::none) {
    differential(d);
  } else {
    misused(d);
  }
  return 0;
}
