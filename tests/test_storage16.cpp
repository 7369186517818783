// SPDX-License-Identifier: Apache-2.0
//
// 16-bit storage (bf16 and f16, vact.h): the conversions against a
// reference written here from the IEEE definitions (it shares no bit tricks
// with the library: values are decoded with ldexp and rounded by exact
// arithmetic in double), and the element-wise ops on all 65,536 inputs of
// each format: the error bound in ULPs of the output format, equality with
// the f32 kernel rounded by the conversion (the definition of an op on
// 16-bit data), bit identity across ISAs, and the argument contract.
//
// Nothing is printed; `vact_tests --storage16-table` prints the measured
// errors and correctly rounded shares as a markdown table.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>  // _mm_getcsr, _mm_setcsr
#endif

#include "op_catalogue.hpp"
#include "test_support.hpp"
#if VACT_TESTS_SEE_INTERNALS
#include "cpu_features.hpp"
#include "dispatch.hpp"
#endif

namespace vact_test {

// `vact_tests --storage16-table` (test_main.cpp).
int print_storage16_table();

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// ---- the two formats --------------------------------------------------------

using narrow_fn = vact_status (*)(const float*, std::uint16_t*, std::size_t);
using widen_fn = vact_status (*)(const std::uint16_t*, float*, std::size_t);
using apply16_fn = vact_status (*)(vact_op, const vact_params*,
                                   const std::uint16_t*, std::uint16_t*,
                                   std::size_t);
using apply16_to_f32_fn = vact_status (*)(vact_op, const vact_params*,
                                          const std::uint16_t*, float*,
                                          std::size_t);

// A binary format of 16 bits (sign, exponent_bits, fraction_bits) and the
// entry points that read or write it.
struct format16 {
  const char* name;
  int exponent_bits;
  int fraction_bits;
  narrow_fn narrow;  // vact_convert_f32_to_<name>
  widen_fn widen;    // vact_convert_<name>_to_f32
  apply16_fn apply;
  apply16_fn apply_derivative;
  apply16_to_f32_fn apply_to_f32;  // vact_apply_<name>_f32

  int bias() const { return (1 << (exponent_bits - 1)) - 1; }
  // The exponent of the smallest normal number.
  int min_exponent() const { return 1 - bias(); }
  // The exponent field of the infinities and NaNs.
  int max_field() const { return (1 << exponent_bits) - 1; }
  unsigned fraction_mask() const { return (1u << fraction_bits) - 1; }
  unsigned infinity_bits() const {
    return static_cast<unsigned>(max_field()) << fraction_bits;
  }
  unsigned quiet_bit() const { return 1u << (fraction_bits - 1); }
  bool is_nan(std::uint16_t b) const { return (b & 0x7fffu) > infinity_bits(); }
};

const format16 bf16 = {"bf16",
                       8,
                       7,
                       vact_convert_f32_to_bf16,
                       vact_convert_bf16_to_f32,
                       vact_apply_bf16,
                       vact_apply_derivative_bf16,
                       vact_apply_bf16_f32};
const format16 f16 = {"f16",
                      5,
                      10,
                      vact_convert_f32_to_f16,
                      vact_convert_f16_to_f32,
                      vact_apply_f16,
                      vact_apply_derivative_f16,
                      vact_apply_f16_f32};
const format16* const formats[] = {&bf16, &f16};

// ---- the reference, from the IEEE definitions -------------------------------

std::uint16_t u16(unsigned v) { return static_cast<std::uint16_t>(v); }

// The value of pattern b: (-1)^s 2^(field - bias) (1 + m / 2^p) for a
// normal number, (-1)^s 2^min_exponent (m / 2^p) for a subnormal one.
double decode(const format16& f, std::uint16_t b) {
  const int field = (b >> f.fraction_bits) & f.max_field();
  const int fraction = static_cast<int>(b & f.fraction_mask());
  double magnitude;
  if (field == f.max_field()) {
    magnitude = fraction == 0 ? infinity : not_a_number;
  } else if (field == 0) {
    magnitude = std::ldexp(fraction, f.min_exponent() - f.fraction_bits);
  } else {
    magnitude = std::ldexp((1 << f.fraction_bits) + fraction,
                           field - f.bias() - f.fraction_bits);
  }
  return (b & 0x8000u) != 0 ? -magnitude : magnitude;
}

// decode() of all 65,536 patterns (the measurements look values up).
const std::vector<double>& decoded(const format16& f) {
  static const auto table_of = [](const format16& g) {
    std::vector<double> v(65536);
    for (unsigned b = 0; b < 65536; ++b) v[b] = decode(g, u16(b));
    return v;
  };
  static const std::vector<double> bf16_values = table_of(bf16);
  static const std::vector<double> f16_values = table_of(f16);
  return &f == &bf16 ? bf16_values : f16_values;
}

// The pattern nearest to v (not a NaN), ties to the even one: with e the
// binade of |v| (or the smallest normal one, below it), |v| / 2^(e - p) is
// rounded to an integer q; q = 2^(p+1) is the next binade's first value,
// and an exponent past the largest finite one is infinity. Subnormal
// results are kept.
std::uint16_t round_to(const format16& f, double v) {
  const unsigned sign = std::signbit(v) ? 0x8000u : 0u;
  const double magnitude = std::fabs(v);
  if (std::isinf(magnitude)) return u16(sign | f.infinity_bits());
  if (magnitude == 0) return u16(sign);
  const int p = f.fraction_bits;
  int e = std::max(std::ilogb(magnitude), f.min_exponent());
  const double scaled = std::scalbn(magnitude, p - e);  // exact: a power of 2
  double q = std::floor(scaled);
  const double rest = scaled - q;  // exact (Sterbenz)
  if (rest > 0.5 || (rest == 0.5 && std::fmod(q, 2.0) == 1.0)) q += 1.0;
  auto n = static_cast<unsigned>(q);
  if (n == 2u << p) {  // rounded up into the next binade
    n >>= 1;
    ++e;
  }
  if (n < 1u << p) return u16(sign | n);  // subnormal (e is the minimum)
  const int field = e + f.bias();
  if (field >= f.max_field()) return u16(sign | f.infinity_bits());
  return u16(sign | static_cast<unsigned>(field) << p | (n - (1u << p)));
}

// f32 bits of 16-bit pattern b widened. A NaN keeps its sign and its
// payload in the top fraction bits, and is quieted (f32 bit 22).
std::uint32_t widen_reference(const format16& f, std::uint16_t b) {
  if (f.is_nan(b)) {
    const std::uint32_t sign = static_cast<std::uint32_t>(b & 0x8000u) << 16;
    const std::uint32_t payload = (b & f.fraction_mask())
                                  << (23 - f.fraction_bits);
    return sign | 0x7f800000u | payload | 0x00400000u;
  }
  // Exact: every bf16 and f16 value is a float (f16's subnormals are normal
  // floats, bf16's subnormal floats).
  return bits(static_cast<float>(decode(f, b)));
}

// 16-bit pattern of float bits x narrowed. A NaN keeps its sign and the top
// bits of its payload, and is quieted (bf16 0x0040, f16 0x0200).
std::uint16_t narrow_reference(const format16& f, std::uint32_t x) {
  const float v = from_bits(x);
  if (std::isnan(v)) {
    const unsigned sign = (x >> 16) & 0x8000u;
    const unsigned payload = (x & 0x007fffffu) >> (23 - f.fraction_bits);
    return u16(sign | f.infinity_bits() | payload | f.quiet_bit());
  }
  return round_to(f, static_cast<double>(v));
}

// The output format's ULP at the exact value's binade (the smallest normal
// binade's below it: subnormal ULPs, also at 0).
double ulp_at(const format16& f, double exact) {
  const double magnitude = std::fabs(exact);
  const int e = magnitude == 0
                    ? f.min_exponent()
                    : std::max(std::ilogb(magnitude), f.min_exponent());
  return std::ldexp(1.0, e - f.fraction_bits);
}

// |actual - exact| in ULPs of the format, as ulp_error() measures floats:
// infinite when only one is NaN, or an infinity that is not what `exact`
// rounds to (an exact value past the largest finite one plus half an ULP
// rounds to infinity).
double ulp_error16(const format16& f, double actual, double exact) {
  if (std::isnan(actual) || std::isnan(exact))
    return std::isnan(actual) && std::isnan(exact) ? 0.0 : infinity;
  if (std::isinf(actual) || std::isinf(exact))
    return actual == decode(f, round_to(f, exact)) ? 0.0 : infinity;
  return std::fabs(actual - exact) / ulp_at(f, exact);
}

// ---- messages ---------------------------------------------------------------

std::string hex32(std::uint32_t b) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(b));
  return text;
}
std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", v);
  return text;
}

// Counts failures and keeps the first few as examples (element by element
// CHECKs would make millions of assertions).
struct failures {
  std::size_t count = 0;
  std::string examples;
  void add(const std::string& example) {
    if (count++ < 4) examples += "\n    " + example;
  }
};

// ---- inputs -----------------------------------------------------------------

// Every 16-bit pattern, in order: element i is pattern i.
std::vector<std::uint16_t> all_patterns() {
  std::vector<std::uint16_t> v(65536);
  for (unsigned b = 0; b < 65536; ++b) v[b] = u16(b);
  return v;
}

std::vector<float> floats_of(const std::vector<std::uint32_t>& patterns) {
  std::vector<float> v(patterns.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = from_bits(patterns[i]);
  return v;
}

// Float bit patterns for the narrowing conversions: the specials of both
// formats, every rounding midpoint's neighbourhood in every float binade,
// and a stride sample of all 2^32 patterns; both signs.
std::vector<std::uint32_t> narrowing_inputs() {
  std::vector<std::uint32_t> v = {
      0x00000000u, 0x7f800000u,  // zero, infinity
      // NaNs: quiet and signalling; payloads only in the bits a format
      // drops (they must stay NaNs, not become infinities), in its lowest
      // kept bit, everywhere.
      0x7fc00000u, 0x7f800001u, 0x7f80ffffu, 0x7f810000u, 0x7f801fffu,
      0x7f802000u, 0x7fa00000u, 0x7fbfffffu, 0x7fd55555u, 0x7fffffffu,
      // Float subnormals and the extreme normals.
      0x00000001u, 0x00000002u, 0x007fffffu, 0x00800000u, 0x00800001u,
      0x7f7fffffu,
      // f16: the largest finite value, the overflow midpoint 65520 and its
      // neighbours, the subnormals (2^-24 the smallest, 2^-25 its tie with
      // 0, 1.5 2^-24 a tie that rounds to 2), the largest subnormal
      // 1023 2^-24, its tie with the smallest normal, 2^-14.
      bits(65504.0f), bits(65519.0f), bits(std::nextafter(65520.0f, 0.0f)),
      bits(65520.0f), bits(std::nextafter(65520.0f, 1e6f)), bits(65536.0f),
      bits(1e5f), bits(0x1p-24f), bits(0x1p-25f),
      bits(std::nextafter(0x1p-25f, 1.0f)), bits(0x1.8p-25f), bits(0x1p-26f),
      bits(0x1.8p-24f), bits(0x1.4p-24f), bits(0x1.ff8p-15f),
      bits(0x1.ffcp-15f), bits(std::nextafter(0x1.ffcp-15f, 0.0f)),
      bits(0x1p-14f),
      // bf16: the largest finite value 0x7f7f, the tie past it (odd: rounds
      // to infinity) and below it, an even tie, the subnormals (0x0001 the
      // smallest, its tie with 0, a tie rounding to 2), the tie of the
      // largest subnormal with the smallest normal, ties at 1.
      0x7f7f0000u, 0x7f7f7fffu, 0x7f7f8000u, 0x7f7e8000u, 0x00010000u,
      0x00008000u, 0x00008001u, 0x00018000u, 0x007f8000u, 0x007f7fffu,
      0x3f808000u, 0x3f818000u, 0x3f808001u, 0x3f807fffu};
  // In each float binade (subnormals included), for each width d of the
  // bits a format drops (13 in f16's normal range, 16 in bf16's, more in
  // their subnormal ranges): the dropped bits at 0, 1, the midpoint and its
  // neighbours, all ones, under kept bits that end even and odd.
  const std::uint32_t kept_patterns[] = {0x000000u, 0x7fffffu, 0x2aaaaau,
                                         0x555555u, 0x3c5a96u};
  for (std::uint32_t field = 0; field < 255; ++field) {
    for (int d = 13; d <= 23; ++d) {
      const std::uint32_t half = 1u << (d - 1), low_mask = (1u << d) - 1;
      for (std::uint32_t kept : kept_patterns)
        for (std::uint32_t low : {0u, 1u, half - 1, half, half + 1, low_mask})
          v.push_back(field << 23 | (kept & ~low_mask) | low);
    }
  }
  // A stride sample of all 2^32 patterns (65521: a prime below 2^16, so
  // that low and high halves vary independently).
  for (std::uint64_t b = 0x1234; b <= 0xffffffffu; b += 65521)
    v.push_back(static_cast<std::uint32_t>(b));
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(v[i] ^ 0x80000000u);
  return v;
}

// Every ISA this CPU supports, whatever VACT_ISA says (the conversions must
// give the same bits on all of them, sse2 and sse4.1 included).
std::vector<vact_isa> every_supported_isa() {
  std::vector<vact_isa> isas;
  for (int i = 0; i < VACT_ISA_COUNT; ++i)
    if (vact_isa_supported(static_cast<vact_isa>(i)))
      isas.push_back(static_cast<vact_isa>(i));
  return isas;
}

// ---- running the library on the active ISA ----------------------------------

std::vector<float> widen(const format16& f,
                         const std::vector<std::uint16_t>& x) {
  std::vector<float> y(x.size());
  REQUIRE(f.widen(x.data(), y.data(), x.size()) == VACT_OK);
  return y;
}

std::vector<std::uint16_t> narrow(const format16& f,
                                  const std::vector<float>& x) {
  std::vector<std::uint16_t> y(x.size());
  REQUIRE(f.narrow(x.data(), y.data(), x.size()) == VACT_OK);
  return y;
}

// Op c's value or derivative on 16-bit x, 16-bit out (no doctest: the
// table printer calls it too).
vact_status apply16(const format16& f, const op_case& c, bool derivative,
                    const std::vector<std::uint16_t>& x,
                    std::vector<std::uint16_t>& y) {
  y.resize(x.size());
  return (derivative ? f.apply_derivative : f.apply)(c.op, &c.params, x.data(),
                                                     y.data(), x.size());
}

std::vector<std::uint16_t> run16(const format16& f, const op_case& c,
                                 bool derivative,
                                 const std::vector<std::uint16_t>& x) {
  std::vector<std::uint16_t> y;
  REQUIRE(apply16(f, c, derivative, x, y) == VACT_OK);
  return y;
}

std::vector<float> run16_to_f32(const format16& f, const op_case& c,
                                const std::vector<std::uint16_t>& x) {
  std::vector<float> y(x.size());
  REQUIRE(f.apply_to_f32(c.op, &c.params, x.data(), y.data(), x.size()) ==
          VACT_OK);
  return y;
}

std::vector<float> run32(const op_case& c, bool derivative,
                         const std::vector<float>& x) {
  std::vector<float> y(x.size());
  REQUIRE((derivative ? vact_apply_derivative_f32 : vact_apply_f32)(
              c.op, &c.params, x.data(), y.data(), x.size()) == VACT_OK);
  return y;
}

// Every 16-bit pattern widened by the reference (NaNs as the rule says).
std::vector<float> widened_patterns(const format16& f) {
  std::vector<float> v(65536);
  for (unsigned b = 0; b < 65536; ++b)
    v[b] = from_bits(widen_reference(f, u16(b)));
  return v;
}

// ---- element-wise accuracy --------------------------------------------------

// Op c's exact value (or derivative) at every 16-bit pattern widened, from
// the catalogue's double reference, and that value rounded to the format.
// The tiers share it (the references ignore params.accuracy).
struct reference16 {
  std::vector<double> exact;
  std::vector<std::uint16_t> rounded;
};

reference16 reference_of(const format16& f, const op_case& c, bool derivative) {
  const auto fn = derivative ? c.derivative : c.value;
  const std::vector<double>& x = decoded(f);
  reference16 r{std::vector<double>(65536), std::vector<std::uint16_t>(65536)};
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      r.exact[i] = not_a_number;
      continue;
    }
    r.exact[i] = fn(x[i], c.params);
    if (!std::isnan(r.exact[i])) r.rounded[i] = round_to(f, r.exact[i]);
  }
  return r;
}

struct accuracy16 {
  // Largest error in ULPs of the format, leaving out (as the f32 op table
  // does) the results over 1 ULP that an absolute floor covers.
  double max_ulp = 0;
  std::size_t compared = 0;           // the non-NaN inputs
  std::size_t correctly_rounded = 0;  // equal to the exact value rounded
  std::size_t needed_floor = 0;       // over 1 ULP, within the floor
  failures over_bound;  // over the bound, or a NaN input's result wrong
};

// Measures results y (of all 65,536 patterns in order) of op c against r.
// The bound: 1 ULP of the format, or, where the f32 bound has an absolute
// floor (fast-tier values: 2^-30; derivatives where |f'| < 2^-22: 2^-24),
// that floor plus 1 ULP (the rounding to 16 bits). A NaN input gives
// itself quieted: the f32 kernel returns the widened NaN, whose narrowing
// restores the payload.
accuracy16 measure16(const format16& f, const op_case& c, bool derivative,
                     const reference16& r,
                     const std::vector<std::uint16_t>& y) {
  const std::vector<double>& value_of = decoded(f);
  accuracy16 a;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const auto x = u16(static_cast<unsigned>(i));
    if (f.is_nan(x)) {
      if (y[i] != (x | f.quiet_bit()))
        a.over_bound.add("NaN x " + hex16(x) + " gave " + hex16(y[i]) +
                         ", expected " + hex16(x | f.quiet_bit()));
      continue;
    }
    ++a.compared;
    const double exact = r.exact[i], got = value_of[y[i]];
    if (std::isnan(exact) ? std::isnan(got) : got == value_of[r.rounded[i]])
      ++a.correctly_rounded;
    const double ulp = ulp_error16(f, got, exact);
    const double floor = derivative
                             ? (std::fabs(exact) < c.derivative_floor_below
                                    ? c.derivative_abs_floor
                                    : 0.0)
                             : c.value_abs_floor;
    const bool within_floor =
        floor > 0 && std::fabs(got - exact) <= floor + ulp_at(f, exact);
    // Within 1 ULP, the floor plus 1 ULP holds too: it only counts (and
    // leaves the maximum) where the ULP bound alone is not met.
    if (ulp > 1 && !within_floor) {
      a.over_bound.add("x " + hex16(x) + " (" + number(value_of[x]) +
                       ") gave " + hex16(y[i]) + " (" + number(got) +
                       "), exact " + number(exact) + " rounds to " +
                       hex16(r.rounded[i]) + ": " + number(ulp) + " ULP");
    } else if (ulp > 1) {
      ++a.needed_floor;
      continue;
    }
    a.max_ulp = std::max(a.max_ulp, ulp);
  }
  return a;
}

// ---- conversions ------------------------------------------------------------

TEST_CASE("storage16: bf16 and f16 widen to f32 exactly on every ISA") {
  const std::vector<std::uint16_t> x = all_patterns();
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const format16* format : formats) {
      const format16& f = *format;
      const std::string what =
          std::string(vact_isa_name(isa)) + " " + f.name + " -> f32";
      CAPTURE(what);
      const std::vector<float> y = widen(f, x);
      failures wrong;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const std::uint32_t expected = widen_reference(f, x[i]);
        if (bits(y[i]) != expected)
          wrong.add(hex16(x[i]) + " gave " + hex32(bits(y[i])) + ", expected " +
                    hex32(expected));
      }
      CHECK_MESSAGE(wrong.count == 0, what, ": ", wrong.count,
                    " of 65536 wrong:", wrong.examples);
    }
  }
}

TEST_CASE(
    "storage16: f32 narrows to bf16 and f16 to nearest even on every ISA") {
  const std::vector<std::uint32_t> patterns = narrowing_inputs();
  const std::vector<float> x = floats_of(patterns);
  for (const format16* format : formats) {
    const format16& f = *format;
    std::vector<std::uint16_t> expected(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
      expected[i] = narrow_reference(f, patterns[i]);
    for (vact_isa isa : isas_under_test()) {
      isa_guard guard(isa);
      const std::string what =
          std::string(vact_isa_name(isa)) + " f32 -> " + f.name;
      CAPTURE(what);
      const std::vector<std::uint16_t> y = narrow(f, x);
      failures wrong;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (y[i] != expected[i])
          wrong.add(hex32(patterns[i]) + " (" +
                    number(static_cast<double>(x[i])) + ") gave " +
                    hex16(y[i]) + ", expected " + hex16(expected[i]));
      CHECK_MESSAGE(wrong.count == 0, what, ": ", wrong.count, " of ", x.size(),
                    " wrong:", wrong.examples);
    }
  }
}

TEST_CASE(
    "storage16: the conversions give the scalar table's bits on every ISA") {
  // Every supported ISA, whatever VACT_ISA narrows the other tests to: the
  // conversions use no instruction that rounds or flushes differently.
  const std::vector<std::uint16_t> patterns16 = all_patterns();
  const std::vector<float> x32 = floats_of(narrowing_inputs());
  for (const format16* format : formats) {
    const format16& f = *format;
    std::vector<float> widened;
    std::vector<std::uint16_t> narrowed;
    {
      isa_guard guard(VACT_ISA_SCALAR);
      widened = widen(f, patterns16);
      narrowed = narrow(f, x32);
    }
    for (vact_isa isa : every_supported_isa()) {
      if (isa == VACT_ISA_SCALAR) continue;
      isa_guard guard(isa);
      const std::string what = std::string(vact_isa_name(isa)) + " " + f.name;
      CAPTURE(what);
      const std::vector<float> w = widen(f, patterns16);
      CHECK(std::memcmp(w.data(), widened.data(), w.size() * sizeof(float)) ==
            0);
      CHECK(narrow(f, x32) == narrowed);
    }
  }
}

#if VACT_TESTS_SEE_INTERNALS && VACT_HAVE_AVX512
// The avx512 table rounds bf16 by AVX512_BF16's vcvtneps2bf16 where the CPU
// has it (src/isa/avx512_bf16.cpp): the tests above see that variant as
// "avx512". Here it meets the integer rounding it replaces, which the CPUs
// without AVX512_BF16 run: the same bits for the conversion and for every
// op's bf16 kernels, both tiers, values and derivatives.
TEST_CASE(
    "storage16: the avx512 table's bf16 rounding by instruction gives the "
    "integer rounding's bits") {
  namespace internal = vact::detail;
  const internal::kernel_table* run = internal::runnable_table(VACT_ISA_AVX512);
  if (run == nullptr) return;  // this CPU has no AVX-512
  const internal::kernel_table& integer = internal::avx512_kernels;
  constexpr auto to_bf16 =
      static_cast<std::size_t>(internal::conversion::f32_to_bf16);
  const bool instruction =
      VACT_HAVE_AVX512_BF16 && internal::detected_cpu_features().avx512_bf16;
  CHECK((run->convert[to_bf16] != integer.convert[to_bf16]) == instruction);
  if (!instruction) return;

  // Besides the sample, every 511th subnormal of either sign (the lanes
  // the instruction would flush).
  std::vector<std::uint32_t> patterns = narrowing_inputs();
  for (std::uint32_t b = 0; b < 0x00800000u; b += 0x1ffu)
    for (std::uint32_t sign : {0u, 0x80000000u}) patterns.push_back(b | sign);
  const std::vector<float> x = floats_of(patterns);
  std::vector<std::uint16_t> by_instruction(x.size()), by_integers(x.size());
  // Every offset of the vector, so that a subnormal meets each lane.
  for (std::size_t offset = 0; offset < 16; ++offset) {
    const std::size_t m = x.size() - offset;
    run->convert[to_bf16](x.data() + offset, by_instruction.data(), m);
    integer.convert[to_bf16](x.data() + offset, by_integers.data(), m);
    CHECK(by_instruction == by_integers);
  }

  const std::vector<std::uint16_t> all = all_patterns();
  std::vector<std::uint16_t> y_instruction(all.size()), y_integers(all.size());
  for (internal::tier t : {internal::tier::precise, internal::tier::fast}) {
    const internal::tier_storage_kernels& mine =
        run->at(t, internal::storage::bf16);
    const internal::tier_storage_kernels& theirs =
        integer.at(t, internal::storage::bf16);
    for (int op = 0; op < VACT_OP_COUNT; ++op) {
      for (bool derivative : {false, true}) {
        CAPTURE(op);
        CAPTURE(derivative);
        CAPTURE(static_cast<int>(t));
        const auto of = [&](const internal::tier_storage_kernels& k) {
          return derivative ? k.derivative[op] : k.value[op];
        };
        of(mine)(all.data(), y_instruction.data(), all.size(),
                 internal::default_parameters);
        of(theirs)(all.data(), y_integers.data(), all.size(),
                   internal::default_parameters);
        CHECK(y_instruction == y_integers);
      }
    }
  }
}
#endif

// The proof behind the sample above: all 2^32 floats, both formats, every
// ISA under test (about a minute per ISA and format; ctest
// conversions_exhaustive, label slow). Skipped unless --no-skip.
#if defined(__x86_64__) || defined(__i386__)
// avx2 and avx512 round to f16 with vcvtps2ph: f16 subnormal results must
// survive MXCSR's flush-to-zero, and f32 subnormal inputs (denormals-are-
// zero) round to the zero they round to anyway. Engines often set both.
TEST_CASE(
    "storage16: the conversions give the same bits under MXCSR flush-to-zero "
    "and denormals-are-zero") {
  std::vector<std::uint32_t> patterns = narrowing_inputs();
  for (std::uint32_t b : {0x00000001u, 0x007fffffu, 0x33000001u, 0x387fc000u,
                          0x38800000u, 0x3c000000u})
    for (std::uint32_t sign : {0u, 0x80000000u}) patterns.push_back(b | sign);
  const std::vector<float> x = floats_of(patterns);
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const format16* format : formats) {
      const format16& f = *format;
      const std::vector<std::uint16_t> expected = narrow(f, x);
      const std::vector<float> expected_wide = widen(f, expected);
      const unsigned mxcsr = _mm_getcsr();
      _mm_setcsr(mxcsr | 0x8040u);  // FTZ | DAZ
      std::vector<std::uint16_t> y(x.size());
      std::vector<float> wide(x.size());
      f.narrow(x.data(), y.data(), x.size());
      f.widen(expected.data(), wide.data(), wide.size());
      _mm_setcsr(mxcsr);
      CHECK_MESSAGE(y == expected, vact_isa_name(isa), " ", f.name,
                    ": f32 -> 16-bit differs under FTZ / DAZ");
      CHECK_MESSAGE(std::memcmp(wide.data(), expected_wide.data(),
                                wide.size() * sizeof(float)) == 0,
                    vact_isa_name(isa), " ", f.name,
                    ": 16-bit -> f32 differs under FTZ / DAZ");
    }
  }
}
#endif

TEST_CASE("storage16: conversions of all 2^32 floats" * doctest::skip()) {
  constexpr std::uint64_t block = std::uint64_t{1} << 20;  // 4 MiB of floats
  const std::vector<vact_isa> isas = isas_under_test();
  const vact_isa restore = vact_active_isa();
  std::vector<float> x(block);
  std::vector<std::uint16_t> expected(block), y(block);
  // Besides the ISAs, where the avx512 table rounds bf16 by AVX512_BF16's
  // instruction, the integer rounding it replaces (for the CPUs without);
  // its f16 rounding is the dispatched table's own.
  void (*integer_bf16_rounding)(const void*, void*, std::size_t) = nullptr;
#if VACT_TESTS_SEE_INTERNALS && VACT_HAVE_AVX512
  const auto to_bf16 =
      static_cast<std::size_t>(vact::detail::conversion::f32_to_bf16);
  if (const vact::detail::kernel_table* avx512 =
          vact::detail::runnable_table(VACT_ISA_AVX512))
    if (avx512->convert[to_bf16] !=
            vact::detail::avx512_kernels.convert[to_bf16] &&
        std::find(isas.begin(), isas.end(), VACT_ISA_AVX512) != isas.end())
      integer_bf16_rounding = vact::detail::avx512_kernels.convert[to_bf16];
#endif
  const std::size_t candidates =
      isas.size() + (integer_bf16_rounding != nullptr ? 1 : 0);
  std::vector<failures> wrong(2 * candidates);  // [format][candidate]
  for (std::uint64_t start = 0; start < (std::uint64_t{1} << 32);
       start += block) {
    for (std::uint64_t i = 0; i < block; ++i)
      x[i] = from_bits(static_cast<std::uint32_t>(start + i));
    for (std::size_t fi = 0; fi < 2; ++fi) {
      const format16& f = *formats[fi];
      // The reference is most of the time: two threads share it.
      const auto reference = [&](std::uint64_t from, std::uint64_t to) {
        for (std::uint64_t i = from; i < to; ++i)
          expected[i] =
              narrow_reference(f, static_cast<std::uint32_t>(start + i));
      };
      std::thread upper(reference, block / 2, block);
      reference(0, block / 2);
      upper.join();
      for (std::size_t k = 0; k < candidates; ++k) {
        if (k < isas.size()) {
          REQUIRE(vact_set_isa(isas[k]) == VACT_OK);
          REQUIRE(f.narrow(x.data(), y.data(), block) == VACT_OK);
        } else if (&f == &bf16) {
          integer_bf16_rounding(x.data(), y.data(), block);
        } else {
          continue;
        }
        if (y == expected) continue;
        for (std::uint64_t i = 0; i < block; ++i)
          if (y[i] != expected[i])
            wrong[fi * candidates + k].add(
                hex32(static_cast<std::uint32_t>(start + i)) + " gave " +
                hex16(y[i]) + ", expected " + hex16(expected[i]));
      }
    }
  }
  vact_set_isa(restore);
  for (std::size_t fi = 0; fi < 2; ++fi)
    for (std::size_t k = 0; k < candidates; ++k) {
      const failures& w = wrong[fi * candidates + k];
      CHECK_MESSAGE(
          w.count == 0,
          (k < isas.size() ? std::string(vact_isa_name(isas[k]))
                           : std::string("avx512 (integer rounding)")),
          " f32 -> ", std::string(formats[fi]->name), ": ", w.count,
          " of 2^32 wrong:", w.examples);
    }
}

// ---- element-wise ops -------------------------------------------------------

// For every op, value and derivative, both tiers: 16-bit out within the
// bound of measure16 and equal to the f32 kernel's result narrowed by the
// library's conversion; f32 out equal to the f32 kernel's result.
TEST_CASE(
    "storage16: element-wise ops on all 65536 inputs meet the 16-bit bound "
    "on every ISA") {
  const std::vector<std::uint16_t> x = all_patterns();
  for (const format16* format : formats) {
    const format16& f = *format;
    const std::vector<float> widened = widened_patterns(f);
    for (const op_case& precise : op_catalogue()) {
      for (bool derivative : {false, true}) {
        const reference16 r = reference_of(f, precise, derivative);
        for (vact_isa isa : isas_under_test()) {
          isa_guard guard(isa);
          for (const op_case* tier :
               {&precise, &fast_op_catalogue()[precise.op]}) {
            const op_case& c = *tier;
            const std::string what = std::string(vact_isa_name(isa)) + " " +
                                     f.name + " " + c.label() +
                                     (derivative ? " (f')" : "");
            CAPTURE(what);
            const std::vector<std::uint16_t> y = run16(f, c, derivative, x);
            const std::vector<float> y32 = run32(c, derivative, widened);

            // The definition of an op on 16-bit data.
            const std::vector<std::uint16_t> narrowed = narrow(f, y32);
            failures differ;
            for (std::size_t i = 0; i < x.size(); ++i)
              if (y[i] != narrowed[i])
                differ.add("x " + hex16(x[i]) + " gave " + hex16(y[i]) +
                           ", the f32 kernel " + hex32(bits(y32[i])) +
                           " narrowed " + hex16(narrowed[i]));
            CHECK_MESSAGE(
                differ.count == 0, what, ": ", differ.count,
                " results are not the f32 kernel's narrowed:", differ.examples);

            if (!derivative) {
              const std::vector<float> out32 = run16_to_f32(f, c, x);
              failures differ32;
              for (std::size_t i = 0; i < x.size(); ++i)
                if (bits(out32[i]) != bits(y32[i]))
                  differ32.add("x " + hex16(x[i]) + " gave " +
                               hex32(bits(out32[i])) + ", the f32 kernel " +
                               hex32(bits(y32[i])));
              CHECK_MESSAGE(
                  differ32.count == 0, what, " (f32 out): ", differ32.count,
                  " results are not the f32 kernel's:", differ32.examples);
            }

            const accuracy16 a = measure16(f, c, derivative, r, y);
            CHECK_MESSAGE(a.over_bound.count == 0, what, ": ",
                          a.over_bound.count,
                          " results over the bound:", a.over_bound.examples);
          }
        }
      }
    }
  }
}

TEST_CASE("storage16: FMA ISAs give the scalar table's bits") {
  // Every FMA ISA of this CPU, whatever VACT_ISA narrows the rest to.
  const std::vector<std::uint16_t> x = all_patterns();
  std::size_t compared = 0;
  for (const format16* format : formats) {
    const format16& f = *format;
    for (const op_case* tier : all_tiers()) {
      const op_case& c = *tier;
      for (bool derivative : {false, true}) {
        std::vector<std::uint16_t> scalar;
        std::vector<float> scalar32;
        {
          isa_guard guard(VACT_ISA_SCALAR);
          scalar = run16(f, c, derivative, x);
          if (!derivative) scalar32 = run16_to_f32(f, c, x);
        }
        for (vact_isa isa : supported_fma_isas()) {
          if (isa == VACT_ISA_SCALAR) continue;
          isa_guard guard(isa);
          ++compared;
          const std::string what = std::string(vact_isa_name(isa)) + " " +
                                   f.name + " " + c.label() +
                                   (derivative ? " (f')" : "");
          const std::vector<std::uint16_t> y = run16(f, c, derivative, x);
          failures differ;
          for (std::size_t i = 0; i < x.size(); ++i)
            if (y[i] != scalar[i])
              differ.add("x " + hex16(x[i]) + " gave " + hex16(y[i]) +
                         ", scalar " + hex16(scalar[i]));
          CHECK_MESSAGE(differ.count == 0, what, ": ", differ.count,
                        " results differ from scalar:", differ.examples);
          if (!derivative) {
            const std::vector<float> y32 = run16_to_f32(f, c, x);
            CHECK_MESSAGE(std::memcmp(y32.data(), scalar32.data(),
                                      y32.size() * sizeof(float)) == 0,
                          what, " (f32 out) differs from scalar");
          }
        }
      }
    }
  }
  // A SIMD ISA with FMA on this CPU was compared.
  if (vact_isa_supported(VACT_ISA_AVX2) ||
      vact_isa_supported(VACT_ISA_AVX512) || vact_isa_supported(VACT_ISA_NEON))
    CHECK(compared > 0);
}

// ---- the argument contract --------------------------------------------------

// Every entry point of the 16-bit API behind one signature, x and y as
// bytes, so that one test covers them all.
struct entry_point16 {
  const char* name;
  std::size_t x_size, y_size;  // bytes per element
  bool takes_op;               // an op and params (conversions: ignored)
  vact_status (*call)(vact_op, const vact_params*, const void* x, void* y,
                      std::size_t n);
  // In place is allowed where input and output have the same format.
  bool in_place() const { return x_size == y_size; }
};

template <class In, class Out, vact_status (*F)(const In*, Out*, std::size_t)>
vact_status call_conversion(vact_op, const vact_params*, const void* x, void* y,
                            std::size_t n) {
  return F(static_cast<const In*>(x), static_cast<Out*>(y), n);
}

template <class Out, vact_status (*F)(vact_op, const vact_params*,
                                      const std::uint16_t*, Out*, std::size_t)>
vact_status call_apply(vact_op op, const vact_params* p, const void* x, void* y,
                       std::size_t n) {
  return F(op, p, static_cast<const std::uint16_t*>(x), static_cast<Out*>(y),
           n);
}

using u16_t = std::uint16_t;
const entry_point16 entry_points16[] = {
    {"vact_convert_f32_to_bf16", 4, 2, false,
     call_conversion<float, u16_t, vact_convert_f32_to_bf16>},
    {"vact_convert_bf16_to_f32", 2, 4, false,
     call_conversion<u16_t, float, vact_convert_bf16_to_f32>},
    {"vact_convert_f32_to_f16", 4, 2, false,
     call_conversion<float, u16_t, vact_convert_f32_to_f16>},
    {"vact_convert_f16_to_f32", 2, 4, false,
     call_conversion<u16_t, float, vact_convert_f16_to_f32>},
    {"vact_apply_bf16", 2, 2, true, call_apply<u16_t, vact_apply_bf16>},
    {"vact_apply_derivative_bf16", 2, 2, true,
     call_apply<u16_t, vact_apply_derivative_bf16>},
    {"vact_apply_f16", 2, 2, true, call_apply<u16_t, vact_apply_f16>},
    {"vact_apply_derivative_f16", 2, 2, true,
     call_apply<u16_t, vact_apply_derivative_f16>},
    {"vact_apply_bf16_f32", 2, 4, true, call_apply<float, vact_apply_bf16_f32>},
    {"vact_apply_f16_f32", 2, 4, true, call_apply<float, vact_apply_f16_f32>},
};

// What a NULL params means.
constexpr vact_params default_params = VACT_PARAMS_INIT;

// Bytes of the canary 0x7fc0dead, repeated: a float NaN no kernel makes
// from these inputs; as 16-bit halves 0xdead and 0x7fc0.
std::vector<unsigned char> canary_bytes(std::size_t count) {
  const unsigned char pattern[4] = {0xad, 0xde, 0xc0, 0x7f};
  std::vector<unsigned char> v(count);
  for (std::size_t i = 0; i < count; ++i) v[i] = pattern[i % 4];
  return v;
}

// Inputs for the contract tests: x_size-byte elements (floats or 16-bit
// patterns) that are ordinary values, specials and NaNs, in n elements.
std::vector<unsigned char> sample_bytes(std::size_t x_size, std::size_t n) {
  std::mt19937 rng(0x16b17);
  std::vector<unsigned char> v(x_size * n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t b = static_cast<std::uint32_t>(rng());
    if (x_size == 4) {
      // Half ordinary magnitudes around [-32, 32], half any pattern.
      const float f =
          i % 2 == 0
              ? static_cast<float>(static_cast<int>(b % 8192) - 4096) / 128.0f
              : from_bits(b);
      std::memcpy(&v[4 * i], &f, 4);
    } else {
      const auto h = u16(i % 2 == 0 ? (b & 0x8000u) | (0x3c00u + (b & 0x0fffu))
                                    : b & 0xffffu);
      std::memcpy(&v[2 * i], &h, 2);
    }
  }
  return v;
}

TEST_CASE(
    "storage16: a null x or y with n > 0 is VACT_ERROR_NULL_POINTER; n == 0 "
    "is VACT_OK; nothing is written") {
  const std::size_t n = 19;
  for (const entry_point16& e : entry_points16) {
    CAPTURE(std::string(e.name));
    const std::vector<unsigned char> x = sample_bytes(e.x_size, n);
    std::vector<unsigned char> y = canary_bytes(n * e.y_size);
    const vact_op op = VACT_OP_SIGMOID;
    CHECK(e.call(op, &default_params, nullptr, y.data(), n) ==
          VACT_ERROR_NULL_POINTER);
    CHECK(e.call(op, &default_params, x.data(), nullptr, n) ==
          VACT_ERROR_NULL_POINTER);
    CHECK(e.call(op, &default_params, nullptr, nullptr, n) ==
          VACT_ERROR_NULL_POINTER);
    CHECK(e.call(op, &default_params, nullptr, y.data(), 1) ==
          VACT_ERROR_NULL_POINTER);
    CHECK(e.call(op, &default_params, nullptr, nullptr, 0) == VACT_OK);
    CHECK(e.call(op, &default_params, x.data(), nullptr, 0) == VACT_OK);
    CHECK(e.call(op, &default_params, nullptr, y.data(), 0) == VACT_OK);
    CHECK(e.call(op, &default_params, x.data(), y.data(), 0) == VACT_OK);
    CHECK(y == canary_bytes(n * e.y_size));
  }
}

TEST_CASE(
    "storage16: a bad op or accuracy is VACT_ERROR_INVALID_ARGUMENT; a null "
    "params is the defaults") {
  const std::size_t n = 19;
  for (const entry_point16& e : entry_points16) {
    if (!e.takes_op) continue;
    CAPTURE(std::string(e.name));
    const std::vector<unsigned char> x = sample_bytes(e.x_size, n);
    const std::vector<unsigned char> canary = canary_bytes(n * e.y_size);
    std::vector<unsigned char> y = canary;
    // vact.h's enums are based on int in C++: any int is a valid value.
    for (int op : {static_cast<int>(VACT_OP_COUNT), -1, 1000}) {
      CAPTURE(op);
      CHECK(e.call(static_cast<vact_op>(op), &default_params, x.data(),
                   y.data(), n) == VACT_ERROR_INVALID_ARGUMENT);
      CHECK(y == canary);
    }
    for (int accuracy : {2, -1, 1000}) {
      CAPTURE(accuracy);
      vact_params p = default_params;
      p.accuracy = static_cast<vact_accuracy>(accuracy);
      CHECK(e.call(VACT_OP_SIGMOID, &p, x.data(), y.data(), n) ==
            VACT_ERROR_INVALID_ARGUMENT);
      CHECK(y == canary);
    }
    // NULL params: the defaults.
    for (vact_op op : {VACT_OP_ELU, VACT_OP_LEAKY_RELU, VACT_OP_GELU}) {
      CAPTURE(op);
      std::vector<unsigned char> with_defaults = canary;
      REQUIRE(e.call(op, nullptr, x.data(), y.data(), n) == VACT_OK);
      REQUIRE(e.call(op, &default_params, x.data(), with_defaults.data(), n) ==
              VACT_OK);
      CHECK(y == with_defaults);
    }
  }
}

TEST_CASE(
    "storage16: overlapping x and y is VACT_ERROR_OVERLAP, but for in place "
    "with one format; nothing is written") {
  const std::size_t n = 20;  // 4-byte multiples: every float stays aligned
  struct placement {
    const char* what;
    std::size_t x_offset, y_offset;  // bytes, in one buffer
    bool overlapping;                // partially, or y == x across formats
  };
  for (const entry_point16& e : entry_points16) {
    CAPTURE(std::string(e.name));
    const std::size_t x_bytes = n * e.x_size, y_bytes = n * e.y_size;
    std::vector<placement> placements = {
        {"y == x", 0, 0, !e.in_place()},
        {"y 4 bytes past x", 0, 4, true},
        {"x 4 bytes past y", 4, 0, true},
        {"y starts at x's last 4 bytes", 0, x_bytes - 4, true},
        {"x starts at y's last 4 bytes", y_bytes - 4, 0, true},
        {"y right after x", 0, x_bytes, false},
        {"x right after y", y_bytes, 0, false},
    };
    if (e.x_size == 2 && e.y_size == 2) {
      placements.push_back({"y = x + 1", 0, 2, true});
      placements.push_back({"x = y + 1", 2, 0, true});
    }
    for (const placement& p : placements) {
      CAPTURE(std::string(p.what));
      std::vector<unsigned char> buffer = canary_bytes(x_bytes + y_bytes + 8);
      const std::vector<unsigned char> x = sample_bytes(e.x_size, n);
      std::memcpy(buffer.data() + p.x_offset, x.data(), x_bytes);
      const std::vector<unsigned char> before = buffer;
      const vact_status status =
          e.call(VACT_OP_SIGMOID, &default_params, buffer.data() + p.x_offset,
                 buffer.data() + p.y_offset, n);
      if (p.overlapping) {
        CHECK(status == VACT_ERROR_OVERLAP);
        CHECK(buffer == before);
      } else {
        CHECK(status == VACT_OK);
      }
    }
  }
}

TEST_CASE(
    "storage16: in place (y == x) with one format gives the out-of-place "
    "bits") {
  const std::vector<std::uint16_t> x = all_patterns();
  for (vact_isa isa : isas_under_test()) {
    isa_guard guard(isa);
    for (const format16* format : formats) {
      const format16& f = *format;
      for (const op_case* tier : all_tiers()) {
        const op_case& c = *tier;
        for (bool derivative : {false, true}) {
          const std::string what = std::string(vact_isa_name(isa)) + " " +
                                   f.name + " " + c.label() +
                                   (derivative ? " (f')" : "");
          CAPTURE(what);
          const std::vector<std::uint16_t> expected =
              run16(f, c, derivative, x);
          std::vector<std::uint16_t> y = x;
          REQUIRE((derivative ? f.apply_derivative : f.apply)(
                      c.op, &c.params, y.data(), y.data(), y.size()) ==
                  VACT_OK);
          CHECK(y == expected);
        }
      }
    }
  }
}

// n = 1..70 (past 4 vectors of 16 lanes, so every tail and unrolled loop)
// at offsets of 0..3 elements of x and y: the bits of the same elements in
// one aligned call, and the guard bytes on both sides of y untouched; in
// place (one format) too.
TEST_CASE(
    "storage16: every n from 1 to 70 at any offset gives the full call's "
    "bits") {
  constexpr std::size_t full = 4096 + 3, guard = 16, largest_n = 70;
  for (vact_isa isa : isas_under_test()) {
    isa_guard isa_set(isa);
    for (const entry_point16& e : entry_points16) {
      const std::vector<unsigned char> source = sample_bytes(e.x_size, full);
      // Conversions once; the ops in both tiers, value and derivative
      // being separate entry points.
      std::vector<const op_case*> cases = {&op_catalogue()[VACT_OP_SIGMOID]};
      if (e.takes_op) cases = all_tiers();
      for (const op_case* tier : cases) {
        const op_case& c = *tier;
        const std::string what = std::string(vact_isa_name(isa)) + " " +
                                 e.name + (e.takes_op ? " " + c.label() : "");
        CAPTURE(what);
        std::vector<unsigned char> expected(full * e.y_size);
        REQUIRE(e.call(c.op, &c.params, source.data(), expected.data(), full) ==
                VACT_OK);
        std::size_t wrong = 0, guards_hit = 0, in_place_wrong = 0;
        for (std::size_t x_offset = 0; x_offset < 4; ++x_offset) {
          for (std::size_t y_offset : {x_offset, (x_offset + 1) % 4}) {
            for (std::size_t n = 1; n <= largest_n; ++n) {
              const std::size_t y_bytes = n * e.y_size;
              const std::vector<unsigned char> canary =
                  canary_bytes((2 * guard + 3) * e.y_size + y_bytes);
              std::vector<unsigned char> out = canary;
              unsigned char* y = out.data() + (guard + y_offset) * e.y_size;
              REQUIRE(e.call(c.op, &c.params,
                             source.data() + x_offset * e.x_size, y,
                             n) == VACT_OK);
              const unsigned char* want = expected.data() + x_offset * e.y_size;
              wrong += std::memcmp(y, want, y_bytes) != 0;
              const std::size_t head = (guard + y_offset) * e.y_size;
              guards_hit += std::memcmp(out.data(), canary.data(), head) != 0 ||
                            std::memcmp(out.data() + head + y_bytes,
                                        canary.data() + head + y_bytes,
                                        out.size() - head - y_bytes) != 0;
              if (e.in_place()) {
                std::vector<unsigned char> in_place = canary;
                unsigned char* z = in_place.data() + (guard + y_offset) * 2;
                std::memcpy(z, source.data() + x_offset * 2, y_bytes);
                REQUIRE(e.call(c.op, &c.params, z, z, n) == VACT_OK);
                in_place_wrong += std::memcmp(z, want, y_bytes) != 0;
              }
            }
          }
        }
        CHECK_MESSAGE(wrong == 0, what, ": ", wrong,
                      " calls differ from the full call");
        CHECK_MESSAGE(guards_hit == 0, what, ": ", guards_hit,
                      " calls wrote outside [y, y + n)");
        CHECK_MESSAGE(in_place_wrong == 0, what, ": ", in_place_wrong,
                      " in-place calls differ from the full call");
      }
    }
  }
}

}  // namespace

// The measured error of every op's value on 16-bit data, on every ISA under
// test: the largest error in ULPs of the output format, and the share of
// results equal to the exact value rounded (the lowest over the ISAs).
int print_storage16_table() {
  const std::vector<std::uint16_t> x = all_patterns();
  const std::vector<vact_isa> isas = isas_under_test();
  std::printf(
      "| op | tier | bf16 max ULP | bf16 correctly rounded | f16 max ULP | "
      "f16 correctly rounded |\n"
      "| --- | --- | ---: | ---: | ---: | ---: |\n");
  std::size_t floor_rows = 0;  // rows with results over 1 ULP in the floor
  for (const op_case& precise : op_catalogue()) {
    const reference16 references[] = {reference_of(bf16, precise, false),
                                      reference_of(f16, precise, false)};
    for (const op_case* tier : {&precise, &fast_op_catalogue()[precise.op]}) {
      const op_case& c = *tier;
      if (c.fast() && !c.fast_own) continue;  // the precise kernel again
      std::printf("| %s | %s |", c.name, c.fast() ? "fast" : "precise");
      for (std::size_t fi = 0; fi < 2; ++fi) {
        const format16& f = *formats[fi];
        double max_ulp = 0, share = 1;
        std::size_t needed_floor = 0;
        for (vact_isa isa : isas) {
          std::vector<std::uint16_t> y;
          if (vact_set_isa(isa) != VACT_OK ||
              apply16(f, c, false, x, y) != VACT_OK)
            return 1;
          const accuracy16 a = measure16(f, c, false, references[fi], y);
          max_ulp = std::max(max_ulp, a.max_ulp);
          needed_floor = std::max(needed_floor, a.needed_floor);
          share = std::min(share, static_cast<double>(a.correctly_rounded) /
                                      static_cast<double>(a.compared));
        }
        std::printf(" %.4f | %.3f%% |", max_ulp, 100.0 * share);
        floor_rows += needed_floor > 0;
      }
      std::printf("\n");
    }
  }
  std::printf(
      "\nOver all 65,536 inputs of each format (NaNs left out: they give "
      "themselves, quieted), 16-bit out, against the exact value; on");
  for (vact_isa isa : isas) std::printf(" %s", vact_isa_name(isa));
  std::printf(
      ". max ULP leaves out fast-tier results over 1 ULP but within 2^-30 "
      "plus 1 ULP; "
      "correctly rounded: equal to the exact value rounded to nearest even "
      "(the lowest share over the ISAs). Fast rows only for ops with a fast "
      "kernel of their own (the others run the precise one). Cells with "
      "results over 1 ULP within the floor: %zu.\n",
      floor_rows);
  return 0;
}

}  // namespace vact_test
