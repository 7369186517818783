# SPDX-License-Identifier: Apache-2.0
"""Polynomials for derivatives near their zeros, for vact's activations.

silu', mish' and gelu_tanh' each cross zero once (at x0 < 0). Around x0 the
general formula of each derivative cancels (1 + x (1 - s) ~ 0), so its
absolute error of a few 2^-26 becomes a large relative error. There the
kernels use instead

    f'(x0 + u) = u * Q(u),   u = (x - x0_hi) - x0_lo  (x0 = x0_hi + x0_lo)

where x - x0_hi is exact (Sterbenz) and Q has no zero on the window, so the
result keeps relative accuracy right through the zero. This script finds
x0 to 60 digits, splits it into two floats, fits Q by Chebyshev
interpolation (near-minimax) on the window with the smallest degree whose
float-coefficient error is below 0.8 ULP (the derivatives are held to 4),
rounds the coefficients to float
and reports Q's maximum relative error with the float coefficients:

    python3 tools/fit_derivative_zeros.py

tools/fit_polynomials.py --write-header runs these fits too (fits()) and
writes Q and x0 into include/vact/simd/polynomials.hpp.

Only the standard library and mpmath are used.
"""
import mpmath
from mpmath import mp, mpf

DPS = 60  # working precision; fits() sets it, so importing changes nothing
ULP = mpf(2) ** -24


def sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def silu_d(x):
    s = sigmoid(x)
    return s * (1 + x * (1 - s))


def mish_d(x):
    sp = mpmath.log1p(mpmath.exp(x))
    t = mpmath.tanh(sp)
    return t + x * sigmoid(x) * (1 - t * t)


with mp.workdps(DPS):
    C1 = 2 * mpmath.sqrt(2 / mpmath.pi)  # z = C1 (x + 0.044715 x^3)
    K = mpf('0.044715')


def gelu_tanh_d(x):
    z = C1 * (x + K * x ** 3)
    s = sigmoid(z)
    return s * (1 + x * (1 - s) * C1 * (1 + 3 * K * x * x))


# name, derivative, a point near the zero, window [x0 + lo, x0 + hi]
PROBLEMS = [
    ('silu', silu_d, -1.28, (-0.6, 0.45)),
    ('mish', mish_d, -1.19, (-0.9, 0.45)),
    ('gelu_tanh', gelu_tanh_d, -0.75, (-0.62, 0.30)),
]


def to_float(x):
    """x rounded to binary32 (round to nearest even), as an mpf."""
    with mp.workprec(24):
        return +x


def float_hex(v):
    f = float(v)
    s = f.hex()  # e.g. -0x1.5555560000000p-3
    sign = '-' if s.startswith('-') else ''
    mant, exp = s.lstrip('-')[2:].split('p')
    head, frac = mant.split('.')
    return '%s0x%s.%sp%+df' % (sign, head, (frac + '000000')[:6], int(exp))


def fit(name, fprime, guess, window, degree):
    x0 = mpmath.findroot(fprime, mpf(guess))
    x0_hi = to_float(x0)
    x0_lo = to_float(x0 - x0_hi)
    lo, hi = (mpf(w) for w in window)

    def q(u):
        if u == 0:
            return mpmath.diff(fprime, x0)
        return fprime(x0 + u) / u

    coeffs, _ = mpmath.chebyfit(q, [lo, hi], degree + 1, error=True)
    # chebyfit: highest degree first. Round to float, then measure the
    # relative error of the float polynomial on a dense grid.
    coeffs = [to_float(c) for c in coeffs]
    worst = mpf(0)
    n = 4000
    for i in range(n + 1):
        u = lo + (hi - lo) * i / n
        exact = q(u)
        approx = mpmath.polyval(coeffs, u)
        worst = max(worst, abs(approx / exact - 1))
    return x0, x0_hi, x0_lo, coeffs, worst


def fits():
    """One dict per problem: name, window, degree, x0 (and its float split
    x0_hi + x0_lo), coeffs (float values, highest degree first), worst (max
    relative error of Q with those coefficients)."""
    results = []
    with mp.workdps(DPS):
        for name, fprime, guess, window in PROBLEMS:
            for degree in range(5, 17):
                x0, x0_hi, x0_lo, coeffs, worst = fit(name, fprime, guess,
                                                      window, degree)
                if worst < mpf('0.8') * ULP:
                    break
            results.append({'name': name, 'window': window, 'degree': degree,
                            'x0': x0, 'x0_hi': x0_hi, 'x0_lo': x0_lo,
                            'coeffs': coeffs, 'worst': worst})
    return results


def main():
    print('# tools/fit_derivative_zeros.py, mpmath %s' % mpmath.__version__)
    for r in fits():
        window = r['window']
        print('\n== %s\' = u Q(u), u = x - x0, window x0 + [%s, %s]'
              % (r['name'], window[0], window[1]))
        print('  x0 = %s' % mpmath.nstr(r['x0'], 20))
        print('  x0_hi = %s, x0_lo = %s' % (float_hex(r['x0_hi']),
                                            float_hex(r['x0_lo'])))
        print('  Q of degree %d, highest degree first:' % r['degree'])
        for c in r['coeffs']:
            print('    %s,' % float_hex(c))
        print('  max relative error of Q (float coefficients): %s = %.4f ULP'
              % (mpmath.nstr(r['worst'], 4), float(r['worst'] / ULP)))


if __name__ == '__main__':
    main()
