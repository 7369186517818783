// SPDX-License-Identifier: Apache-2.0
//
// Batch math shared by the activations: exp, expm1, log1p on [0, 1], log of
// values >= 1, tanh's small-argument polynomial and log cosh near 0, and the
// exact products and sums they are built from. Written once over the
// vocabulary of vec.hpp. Polynomial coefficients are the arrays of
// polynomials.hpp, which tools/fit_polynomials.py writes (minimax on
// relative error, float coefficients) with the interval, degree and error of
// each set; horner and estrin evaluate them.
//
// Every function here is exact about its domain: callers pass what the
// comment allows, and NaN handling is left to the activation (vec::keep_nan).
#ifndef VACT_SIMD_MATH_HPP
#define VACT_SIMD_MATH_HPP

#include <cstddef>
#include <utility>

#include "vact/simd/polynomials.hpp"
#include "vact/simd/vec.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace detail {

// The unrolled chains of math::horner and math::estrin.
template <class V, std::size_t N, std::size_t... K>
VACT_INLINE V horner_steps(V x, const float (&c)[N],
                           std::index_sequence<K...>) {
  V p(c[N - 1]);
  ((p = vec::fma(p, x, V(c[N - 2 - K]))), ...);
  return p;
}

// c[k] + c[k+1] x, or c[k] alone past the end.
template <std::size_t K, class V, std::size_t N>
VACT_INLINE V estrin_pair(V x, const float (&c)[N]) {
  if constexpr (K + 1 < N) {
    return vec::fma(V(c[K + 1]), x, V(c[K]));
  } else {
    return V(c[K]);
  }
}
// g[2j] + g[2j+1] y, or g[2j] alone past the end.
template <std::size_t J, class V, std::size_t M>
VACT_INLINE V estrin_join(const V (&g)[M], V y) {
  if constexpr (2 * J + 1 < M) {
    return vec::fma(g[2 * J + 1], y, g[2 * J]);
  } else {
    return g[2 * J];
  }
}
// The pairs in x, lowest first, then the groups of four, then Horner in x^4
// from the highest group down (braced lists evaluate in order).
template <std::size_t First, class V, std::size_t N, std::size_t... P,
          std::size_t... Q, std::size_t... H>
VACT_INLINE V estrin_steps(V x, const float (&c)[N], std::index_sequence<P...>,
                           std::index_sequence<Q...>,
                           std::index_sequence<H...>) {
  const V x2 = x * x;
  const V x4 = x2 * x2;
  const V pairs[] = {estrin_pair<First + 2 * P>(x, c)...};
  const V quads[] = {estrin_join<Q>(pairs, x2)...};
  V p = quads[sizeof...(Q) - 1];
  ((p = vec::fma(p, x4, quads[sizeof...(Q) - 2 - H])), ...);
  return p;
}

}  // namespace detail

namespace math {

// ln(2) split for Cody-Waite reduction: ln2_hi has 15 significant bits, so
// n * ln2_hi is exact for |n| < 512 even without FMA (sse2, sse4.1).
constexpr float ln2_hi = 0x1.62e400p-1f;
constexpr float ln2_lo = 0x1.7f7d1cp-20f;  // ln(2) - ln2_hi, rounded
constexpr float log2_e = 0x1.715476p+0f;   // 1 / ln(2), rounded
// Adding 1.5 * 2^23 to |v| < 2^22 rounds v to an integer (ties to even), and
// that integer sits in the low mantissa bits: one add replaces round+convert,
// with the same result on every ISA.
constexpr float round_magic = 0x1.8p+23f;

// ---- polynomials ---------------------------------------------------------

// c[0] + c[1] x + ... + c[N-1] x^(N-1) by Horner's rule, for c an array of
// polynomials.hpp (lowest degree first): fma(fma(c[N-1], x, c[N-2]), x, ...)
// down to c[0], N - 1 FMAs in one dependency chain, unrolled at compile
// time so that every coefficient is a constant.
template <class V, std::size_t N>
VACT_INLINE V horner(V x, const float (&c)[N]) {
  return detail::horner_steps(x, c, std::make_index_sequence<N - 1>());
}

// c[First] + c[First+1] x + ... + c[N-1] x^(N-1-First) by Estrin's scheme
// up to x^4: coefficients paired with x (c[k] + c[k+1] x), pairs joined
// with x^2, and the groups of four by Horner's rule in x^4. For the 11
// coefficients of gelu's tail the chain is 4 FMAs deep instead of 10.
template <std::size_t First = 0, class V, std::size_t N>
VACT_INLINE V estrin(V x, const float (&c)[N]) {
  static_assert(First < N, "no coefficients");
  constexpr std::size_t pairs = (N - First + 1) / 2;
  constexpr std::size_t quads = (pairs + 1) / 2;
  return detail::estrin_steps<First>(x, c, std::make_index_sequence<pairs>(),
                                     std::make_index_sequence<quads>(),
                                     std::make_index_sequence<quads - 1>());
}

// ---- exponentials and logarithms -----------------------------------------

// 2^(j/16) for j = 0 .. 15, rounded to float: the table of both tiers'
// exponentials, the same on every ISA (vec::lookup16).
constexpr float exp2_sixteenths[16] = {
    0x1.000000p+0f, 0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f,
    0x1.306fe0p+0f, 0x1.3dea64p+0f, 0x1.4bfdaep+0f, 0x1.5ab07ep+0f,
    0x1.6a09e6p+0f, 0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
    0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f};
// log(2^(j/16) / exp2_sixteenths[j]): each entry's rounding, as a shift of
// the reduced argument, so that the table costs no accuracy.
constexpr float exp2_sixteenths_error[16] = {0.0f,
                                             0x1.8d96d4p-25f,
                                             -0x1.9c0c22p-27f,
                                             0x1.964902p-25f,
                                             0x1.125002p-25f,
                                             0x1.370be4p-25f,
                                             -0x1.0a3552p-25f,
                                             -0x1.00d8acp-27f,
                                             0x1.26055cp-26f,
                                             -0x1.05cb44p-25f,
                                             0x1.67a1cap-28f,
                                             0x1.a3b5e4p-28f,
                                             -0x1.f9c306p-27f,
                                             -0x1.6961b4p-28f,
                                             -0x1.a5217cp-28f,
                                             0x1.61428ep-28f};
// ln(2)/16 = hi + lo, hi of 12 bits: m hi is exact for |m| < 2^12, also
// where fma is a multiply and an add (sse2, sse4.1).
constexpr float ln2_sixteenth_hi = 0x1.62ep-5f;
constexpr float ln2_sixteenth_lo = 0x1.0bfbe8p-19f;
constexpr float sixteen_log2_e = 0x1.715476p+4f;

// m, the nearest integer to 16 z / ln(2) (|z| < 2^18), as an integer and as a
// float, and the rounding sum k's bits: round_magic's, which are 0 below bit
// 22, plus m. So k_bits holds m mod 16 in its low four bits (all that
// vec::lookup16 reads) and, shifted left by 19, gives m 2^19 (mod 2^32):
// a caller that needs only those skips m's subtraction.
template <class V>
struct sixteenths {
  int_vector_t<V> m;
  V value;
  int_vector_t<V> k_bits;
};

template <class V>
VACT_INLINE sixteenths<V> nearest_sixteenths(V z) {
  const V k = vec::fma(z, V(sixteen_log2_e), V(round_magic));
  return {vec::as_int(k) - vec::as_int(V(round_magic)), k - V(round_magic),
          vec::as_int(k)};
}

// x = n * ln(2) + r with integer n and |r| <= ln(2)/2 (plus rounding).
template <class V>
struct ln2_reduction {
  V r;
  int_vector_t<V> n;  // as an integer
  V n_value;          // the same n as a float
};

template <class V>
VACT_INLINE ln2_reduction<V> reduce_by_ln2(V x) {
  // |x| < 2^21 is required; callers clamp first.
  const V k = vec::fma(x, V(log2_e), V(round_magic));
  const V n = k - V(round_magic);
  V r = vec::fma(n, V(-ln2_hi), x);
  r = vec::fma(n, V(-ln2_lo), r);
  return {r, vec::as_int(k) - vec::as_int(V(round_magic)), n};
}

// 2^n as a float, for -126 <= n <= 127.
template <class V>
VACT_INLINE V pow2i(int_vector_t<V> n) {
  return vec::as_float((n + int_vector_t<V>(127)) << 23);
}

// 2^n for an integer-valued float n in [-126, 127] (n = -127 gives +0).
template <class V>
VACT_INLINE V pow2_of_integral(V n) {
  return pow2i<V>(vec::as_int(n + V(round_magic)) -
                  vec::as_int(V(round_magic)));
}

// expm1(r) for |r| <= ln(2)/2 (plus rounding): r + r^2/2 + r^3 P(r), P of
// degree 4 (poly::expm1_core: 4.3e-10 = 0.007 ULP); evaluation then rounds
// once in the final FMA. Degree 3 would cost 0.24 ULP: too much of a 1-ULP
// budget.
template <class V>
VACT_INLINE V expm1_reduced(V r) {
  const V p = horner(r, poly::expm1_core);
  const V half_plus = vec::fma(p, r, V(0.5f));  // 1/2 + r P(r)
  return vec::fma(half_plus, r * r, r);
}

// An unevaluated sum hi + lo, |lo| <= ulp(hi) / 2.
template <class V>
struct split_float {
  V hi;
  V lo;
};

// a + b = hi + lo exactly (Knuth's TwoSum; any magnitudes).
template <class V>
VACT_INLINE split_float<V> two_sum(V a, V b) {
  const V sum = a + b;
  const V b_virtual = sum - a;
  return {sum, (a - (sum - b_virtual)) + (b - b_virtual)};
}

// a * b = hi + lo exactly (barring underflow): one FMA where it is fused;
// on sse2 / sse4.1 Dekker's product of 12-bit halves (split by masking, so
// that huge values cannot overflow), which multiply exactly.
template <class V>
VACT_INLINE split_float<V> two_product(V a, V b) {
  const V p = a * b;
  if constexpr (vec_traits<V>::fused_fma) {
    return {p, vec::fms(a, b, p)};
  } else {
    const V high_half =
        vec::as_float(int_vector_t<V>(static_cast<std::int32_t>(0xfffff000u)));
    const V a_hi = a & high_half;
    const V a_lo = a - a_hi;
    const V b_hi = b & high_half;
    const V b_lo = b - b_hi;
    return {p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo};
  }
}

// a * b + c with the product exact: vec::fma where it is fused, else the
// exact product's two parts added in turn (two roundings instead of one).
// With a = -q, it is the exact remainder c - q b of a division c / b = q,
// which the corrected quotients rely on, on sse2 / sse4.1 too.
template <class V>
VACT_INLINE V mul_add_exact(V a, V b, V c) {
  if constexpr (vec_traits<V>::fused_fma) {
    return vec::fma(a, b, c);
  } else {
    const split_float<V> p = two_product(a, b);
    return (p.hi + c) + p.lo;
  }
}

// e^r = hi + lo for a reduced argument |r| <= ln(2)/2: hi = 1 + expm1(r)
// rounded, lo its rounding error (exact).
template <class V>
VACT_INLINE split_float<V> exp_reduced_split(V r) {
  const V p = expm1_reduced(r);
  const V one_plus = V(1.0f) + p;  // in [0.7, 1.42]
  return {one_plus, p - (one_plus - V(1.0f))};
}

// (hi + lo) 2^n for n in [-252, 254], 2^n in two factors so that neither
// overflows nor underflows: the first product is exact and only the second
// rounds (also into subnormals).
template <class V>
VACT_INLINE split_float<V> scale_by_pow2_two_step(split_float<V> v,
                                                  int_vector_t<V> n) {
  const int_vector_t<V> n1 = n >> 1;
  const V s1 = pow2i<V>(n1);
  const V s2 = pow2i<V>(n - n1);
  return {(v.hi * s1) * s2, (v.lo * s1) * s2};
}

// x = m ln(2)/16 + r: the power of 2 and the table entry for m = 16 n + j,
// and r with the entry's rounding folded in, so that table e^r is
// 2^(j/16) e^(x - m ln(2)/16) to the rounding of r (2^-30, as r is below
// 0.0217).
template <class V>
struct sixteenths_reduction {
  int_vector_t<V> n;
  V table;  // exp2_sixteenths[j]
  V r;
};

template <class V>
VACT_INLINE sixteenths_reduction<V> reduce_by_sixteenths(V x) {
  const sixteenths<V> m = nearest_sixteenths(x);
  // m ln2_sixteenth_hi is exact (12 bits by at most 12), and so is x minus
  // it: below 0.027 (r plus m ln2_sixteenth_lo), less than twice |x| where
  // m is not 0, so it fits x's ulp. The small terms are summed beside it,
  // so that the chain to r is one FMA and one add.
  const V r_hi = vec::fma(m.value, V(-ln2_sixteenth_hi), x);
  const V small = vec::fma(m.value, V(-ln2_sixteenth_lo),
                           vec::lookup16(exp2_sixteenths_error, m.m));
  return {m.m >> 4, vec::lookup16(exp2_sixteenths, m.m), r_hi + small};
}

// e^r - 1 for |r| <= 0.0217: r + r^2 (c0 + c1 r) (poly::expm1_sixteenth,
// 0.027 * 2^-24 of e^r), rounded once in the last FMA. Two FMAs deep where
// the reduction by ln(2) needs a degree-6 polynomial, six.
template <class V>
VACT_INLINE V expm1_sixteenth(V r) {
  return vec::fma(horner(r, poly::expm1_sixteenth), r * r, r);
}

// table e^r = hi + lo for the reduction's table and p = e^r - 1: hi is
// table + table p rounded, lo its rounding error (exact products).
template <class V>
VACT_INLINE split_float<V> table_times_exp(V table, V p) {
  const V hi = vec::fma(table, p, table);
  return {hi, mul_add_exact(table, p, table - hi)};  // table - hi: Sterbenz
}

// e^x 2^k = hi + lo, as 2^(n + k) table[j] e^r, for an integer k per lane
// such that 2^(n + k) is normal: x in [-87, 0] with k = 0, or x in
// [-130, -60] with k = 64; NaN passes (its table index is still one of the
// 16). hi alone is rounded within about 0.55 ULP; hi + lo is within about
// 0.05 ULP (the polynomial's 0.027 and r's rounding). One exact scaling,
// and no test for a rare path: the callers clamp their arguments.
template <class V>
VACT_INLINE split_float<V> exp_split_scaled(V x, int_vector_t<V> k) {
  const sixteenths_reduction<V> red = reduce_by_sixteenths(x);
  const split_float<V> e_r = table_times_exp(red.table, expm1_sixteenth(red.r));
  const V scale = pow2i<V>(red.n + k);
  return {e_r.hi * scale, e_r.lo * scale};
}

// e^x = hi + lo for x in [-87, 0] (NaN passes), where e^x is normal: the
// exponential of the logistic family, whose arguments are clamped to
// [-60, 0] (tanh's to [-20, 0]).
template <class V>
VACT_INLINE split_float<V> exp_split_normal(V x) {
  return exp_split_scaled(x, int_vector_t<V>(0));
}

// e^x 2^64 as hi + lo, for x <= 0 (NaN passes): for products x f(x) whose
// factor e^x would be subnormal, so that the product is scaled back by 2^-64
// and rounds once. Rare path: always the two-step scaling.
template <class V>
VACT_INLINE split_float<V> exp_split_times_2_64(V x) {
  x = vec::max(V(-149.0f), x);  // below: the result is 0 even after 2^-64
  const sixteenths_reduction<V> red = reduce_by_sixteenths(x);
  return scale_by_pow2_two_step(
      table_times_exp(red.table, expm1_sixteenth(red.r)),
      red.n + int_vector_t<V>(64));  // >= -151
}

// e^x (NaN for NaN), within about 0.7 ULP, for any float x and callers
// that need no lo (softmax's terms, elu' and selu'): reduced by ln(2), with
// expm1's polynomial and no table. The table's two lookups cost AVX2 two
// permutes and a blend each, more than its shorter polynomial saves when
// lo is dropped (softmax's rows on avx2: 14% slower). 0 below about
// -103.97, +inf above about 88.72; subnormal results are rounded once.
// With NonPositive, the caller promises x <= 0 (or NaN), which saves the
// overflow check.
template <bool NonPositive = false, class V>
VACT_INLINE V exp(V x) {
  auto outside_normal_range = x < V(-87.3f);
  if (!NonPositive)
    outside_normal_range = outside_normal_range | (x > V(88.3f));
  // Rare: results that are subnormal, zero or infinite. Past these bounds
  // the result is 0 or +inf anyway; clamping keeps n in [-150, 128]. (NaN
  // passes the clamp and the common path: it compares false, and it stays
  // NaN through the arithmetic.)
  const bool rare = vec::any(outside_normal_range);
  if (rare) x = vec::max(V(-104.0f), vec::min(V(89.0f), x));
  const ln2_reduction<V> red = reduce_by_ln2(x);
  const split_float<V> e_r = exp_reduced_split(red.r);
  if (!rare) return e_r.hi * pow2i<V>(red.n);
  return scale_by_pow2_two_step(e_r, red.n).hi;
}

// e^x - 1 (NaN for NaN), keeping the sign of zero; -1 below -17.33,
// +inf above 88.72.
template <class V>
VACT_INLINE V expm1(V x) {
  x = vec::max(V(-26.0f), vec::min(V(89.0f), x));
  const ln2_reduction<V> red = reduce_by_ln2(x);
  const V p = expm1_reduced(red.r);
  // e^x - 1 = 2^n p + (2^n - 1) = 2 (h p + (h - 1/2)) with h = 2^(n-1):
  // h stays finite for n = 128, and h - 1/2 is exact for n <= 25. With n = 0
  // this returns p exactly, so small |x| keeps full relative accuracy.
  const V h = pow2i<V>(red.n - int_vector_t<V>(1));
  const V result = V(2.0f) * vec::fma(h, p, h - V(0.5f));
  // Below 2^-25 the correctly rounded result is x itself; taking it keeps
  // subnormal x exact (h p would round once in the subnormal range) and
  // keeps the sign of zero.
  return vec::select(vec::abs(x) < V(0x1p-25f), x, result);
}

// log1p(f) for f in [-0.25, 0.5] is f - f^2/2 + f^3 Q(f), Q of degree 8
// (poly::log1p_core: 9.2e-10 = 0.015 ULP). This returns -1/2 + f Q(f), the
// factor of f^2.
template <class V>
VACT_INLINE V log1p_reduced_tail(V f) {
  return vec::fma(horner(f, poly::log1p_core), f, V(-0.5f));
}

// log1p(f) for f in [-0.25, 0.5].
template <class V>
VACT_INLINE V log1p_reduced(V f) {
  return vec::fma(log1p_reduced_tail(f), f * f, f);
}

// log(1 + y) for y = hi + lo, hi in [0, 1] (what softplus needs: y =
// e^-|x|). The argument reduction is exact: below 1/2, f = hi; from 1/2 on,
// 1 + hi = 2 (1 + f) with f = (hi - 1)/2 in [-1/4, 0] (Sterbenz: hi - 1
// exact). lo enters as lo / (1 + hi), and everything but f is summed before
// f, so that the result rounds about once.
template <class V>
VACT_INLINE V log1p_unit(split_float<V> y) {
  const auto upper = y.hi >= V(0.5f);
  const V f = vec::select(upper, (y.hi - V(1.0f)) * V(0.5f), y.hi);
  // 1 / (1 + hi) ~ 1 - 3 hi / 4 + hi^2 / 4, within 3% on [0, 1]: enough
  // for a term below half an ULP.
  const V lo_share =
      y.lo * vec::fma(vec::fma(y.hi, V(0.25f), V(-0.75f)), y.hi, V(1.0f));
  const V small = vec::select(upper, V(ln2_lo) + lo_share, lo_share);
  const V l = vec::fma(log1p_reduced_tail(f), f * f, small) + f;
  return vec::select(upper, l + V(ln2_hi), l);
}

// log(s) for finite s >= 1 (a softmax row sum).
template <class V>
VACT_INLINE V log_at_least_one(V s) {
  using I = int_vector_t<V>;
  // s = 2^k m with m in [0.75, 1.5): f = m - 1 is exact (Sterbenz).
  const I bits = vec::as_int(s);
  const I k = (bits - vec::as_int(V(0.75f))) >> 23;
  const V m = vec::as_float(bits - (k << 23));
  const V kf = vec::as_float(k + vec::as_int(V(round_magic))) - V(round_magic);
  const V l = log1p_reduced(m - V(1.0f));
  return vec::fma(kf, V(ln2_hi), vec::fma(kf, V(ln2_lo), l));
}

// tanh(a) for a in [0, 0.625]: a + a^3 R(a^2), R of degree 5 in a^2
// (poly::tanh_small: 1.8e-10 = 0.003 ULP).
template <class V>
VACT_INLINE V tanh_small(V a) {
  const V a2 = a * a;
  const V t = horner(a2, poly::tanh_small);
  return vec::fma(t * a2, a, a);  // a + a^3 R(a^2)
}

// log(cosh(x/2)) for |x| <= 1: x^2/8 + x^4 S(x^2), S of degree 3 in x^2
// (poly::log_cosh_half: 2.6e-9 = 0.043 ULP).
template <class V>
VACT_INLINE V log_cosh_half(V x) {
  const V w = x * x;
  const V s = horner(w, poly::log_cosh_half);
  return vec::fma(s, w * w, w * V(0.125f));
}

}  // namespace math
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_MATH_HPP
