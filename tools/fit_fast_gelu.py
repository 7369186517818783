# SPDX-License-Identifier: Apache-2.0
"""The fast tier's gelu polynomials (include/vact/simd/fast/activations.hpp).

fast::gelu computes the upper tail a Q(a), Q(a) = erfc(a / sqrt 2) / 2, as

    a Q(a) = v exp(-a^2/2 + v S(w)),   v = a / (2 + a),   w = v - 2/5,

the precise tier's form (tools/fit_polynomials.py, gelu_tail) with S = L / v,
L(v) = log((2 + a) exp(a^2/2) Q(a)). The precise tier fits S to 0.04 ULP over
the whole range; the fast tier's bound, max(4 ulp(f), 2^-30) absolute, needs
relative accuracy of a Q(a) only while it is at least 2^-8 (below that, for
x < 0, 4 ulp of the result is under 2^-30; for x > 0 the tail is below 4 ulp
of x - a Q(a) much sooner). So the error of L (the exponent's absolute error,
i.e. the relative error of a Q(a)) is weighted by

    min(1, a Q(a) 2^8),  floored at 2^-17 (a bounded exponent where the
                         result is tiny anyway),

and a polynomial of degree 7 does what the precise tier's degree 11 does.

Also fitted: a quadratic estimate of S in v (unweighted, for the whole range),
which picks the exponent's power of 2 while S is evaluated.

Method: Lawson's iteratively reweighted least squares on a grid of 3000 points
in v, in double precision (the function values from mpmath at 30 digits); the
coefficients are rounded to binary32 one at a time, lowest degree first, the
higher ones refitted after each. Reported: the weighted error of the
rounded coefficients in exact arithmetic, and as the kernel evaluates S in
float (Estrin's scheme, FMAs) with v S added into the exponent by an FMA.

Only the standard library and mpmath (python3-mpmath):

    python3 tools/fit_fast_gelu.py           # print the fits and arrays
    python3 tools/fit_fast_gelu.py --check   # exit 1 unless the header's
                                             # arrays are these
"""

import argparse
import re
import struct
import sys

import mpmath

mpmath.mp.dps = 30

A_MAX = 13.5        # fast_gelu_tail_limit: a is clamped here
CENTRE = 0.4        # fast_gelu_tail_centre
DEGREE = 7
ESTIMATE_DEGREE = 2
GRID = 3000
WEIGHT_FLOOR = 2.0 ** -17
ULP = 2.0 ** -24
HEADER = 'include/vact/simd/fast/activations.hpp'


def f32(x):
    """x rounded to binary32 (nearest even), as a Python float."""
    return struct.unpack('<f', struct.pack('<f', x))[0]


def fma32(a, b, c):
    """fma in binary32 for binary32 inputs: a * b is exact in double."""
    return f32(a * b + c)


def exponent_l(v):
    """L(v) = log((2 + a) e^(a^2/2) Q(a)), a = 2 v / (1 - v), to double."""
    v = mpmath.mpf(v)
    a = 2 * v / (1 - v)
    return float(mpmath.log((2 + a) * mpmath.exp(a * a / 2)
                            * mpmath.erfc(a / mpmath.sqrt(2)) / 2))


def tail_weight(v):
    a = mpmath.mpf(2 * v / (1 - v))
    tail = a * mpmath.erfc(a / mpmath.sqrt(2)) / 2
    return max(WEIGHT_FLOOR, min(1.0, float(tail) * 2.0 ** 8))


def solve(matrix, rhs):
    """Gaussian elimination with partial pivoting (small dense systems)."""
    n = len(rhs)
    m = [row[:] + [b] for row, b in zip(matrix, rhs)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= factor * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) \
            / m[r][r]
    return x


def lawson(basis, target, weight, iterations=300):
    """Weighted minimax fit: min over c of max_i weight_i |basis_i.c - t_i|."""
    n = len(basis[0])
    lawson_w = [1.0 / len(target)] * len(target)
    coeffs = None
    for _ in range(iterations):
        ata = [[0.0] * n for _ in range(n)]
        atb = [0.0] * n
        for row, t, w, lw in zip(basis, target, weight, lawson_w):
            scale = lw * w * w
            for i in range(n):
                atb[i] += scale * row[i] * t
                for j in range(i, n):
                    ata[i][j] += scale * row[i] * row[j]
        for i in range(n):
            for j in range(i):
                ata[i][j] = ata[j][i]
        coeffs = solve(ata, atb)
        errors = [w * abs(sum(c * b for c, b in zip(coeffs, row)) - t)
                  for row, t, w in zip(basis, target, weight)]
        lawson_w = [lw * (e + 1e-300) for lw, e in zip(lawson_w, errors)]
        total = sum(lawson_w)
        lawson_w = [lw / total for lw in lawson_w]
    return coeffs


def estrin(x, c):
    """math::estrin's order of operations, in binary32."""
    x2 = f32(x * x)
    x4 = f32(x2 * x2)
    pairs = [fma32(c[k + 1], x, c[k]) if k + 1 < len(c) else c[k]
             for k in range(0, len(c), 2)]
    quads = [fma32(pairs[j + 1], x2, pairs[j]) if j + 1 < len(pairs)
             else pairs[j] for j in range(0, len(pairs), 2)]
    p = quads[-1]
    for q in reversed(quads[:-1]):
        p = fma32(p, x4, q)
    return p


def fit():
    vmax = A_MAX / (2 + A_MAX)
    vs = [vmax * i / GRID for i in range(1, GRID + 1)]
    ls = [exponent_l(v) for v in vs]
    weights = [tail_weight(v) for v in vs]

    # S(w) = L / v; the error that counts is v |S - s|, weighted.
    # Rounded to binary32 one coefficient at a time, lowest degree first,
    # the higher ones refitted after each (as tools/fit_polynomials.py does).
    targets = [l / v for l, v in zip(ls, vs)]
    tail = []
    for k in range(DEGREE + 1):
        basis = [[(v - CENTRE) ** j for j in range(k, DEGREE + 1)]
                 for v in vs]
        rest = [t - sum(c * (v - CENTRE) ** j for j, c in enumerate(tail))
                for t, v in zip(targets, vs)]
        tail.append(f32(lawson(basis, rest,
                               [w * v for w, v in zip(weights, vs)])[0]))
    exact = max(w * abs(v * sum(c * (v - CENTRE) ** k
                                for k, c in enumerate(tail)) - l)
                for v, l, w in zip(vs, ls, weights))
    evaluated = 0.0
    for v, l, w in zip(vs, ls, weights):
        v32 = f32(v)
        s = estrin(f32(v32 - CENTRE), tail)
        evaluated = max(evaluated,
                        w * abs(v32 * s - exponent_l(v32)))

    basis = [[v ** k for k in range(ESTIMATE_DEGREE + 1)] for v in vs]
    estimate = lawson(basis, [l / v for l, v in zip(ls, vs)], vs)
    estimate = [f32(c) for c in estimate]
    estimate_error = max(abs(v * sum(c * v ** k for k, c in
                                     enumerate(estimate)) - l)
                         for v, l in zip(vs, ls))
    return tail, exact, evaluated, estimate, estimate_error


def c_float(x):
    """C hex-float literal with 6 hex digits, e.g. -0x1.823232p-1f."""
    if x == 0:
        return '0x0.000000p+0f'
    mantissa, exponent = float(abs(x)).hex()[4:].split('p')
    mantissa = (mantissa + '0' * 13)[:13]
    assert mantissa[6:] == '0000000', x
    return '%s0x1.%sp%+df' % ('-' if x < 0 else '', mantissa[:6],
                              int(exponent))


def header_array(text, name):
    match = re.search(r'constexpr float %s\[\] = \{([^}]*)\}' % name, text)
    if not match:
        raise SystemExit('%s: no array %s' % (HEADER, name))
    return [float.fromhex(t.strip().rstrip('f'))
            for t in match.group(1).split(',') if t.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--check', action='store_true',
                        help='exit 1 unless %s holds these arrays' % HEADER)
    args = parser.parse_args()
    tail, exact, evaluated, estimate, estimate_error = fit()
    print('fast_gelu_tail: S(w), w = v - %g, degree %d, a in [0, %g]'
          % (CENTRE, DEGREE, A_MAX))
    print('  weighted error in the exponent: %.3f * 2^-24 (exact '
          'arithmetic), %.3f * 2^-24 (as evaluated in float)'
          % (exact / ULP, evaluated / ULP))
    print('  constexpr float fast_gelu_tail[] = {%s};'
          % ', '.join(c_float(c) for c in tail))
    print('fast_gelu_tail_estimate: S ~= e0 + e1 v + e2 v^2, error in the '
          'exponent %.5f' % estimate_error)
    print('  constexpr float fast_gelu_tail_estimate[] = {%s};'
          % ', '.join(c_float(c) for c in estimate))
    if args.check:
        text = open(HEADER).read()
        ok = (header_array(text, 'fast_gelu_tail') == tail and
              header_array(text, 'fast_gelu_tail_estimate') == estimate)
        print('%s: %s' % (HEADER, 'matches' if ok else 'DIFFERS'))
        return 0 if ok else 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
