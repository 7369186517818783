# SPDX-License-Identifier: Apache-2.0
"""Minimax (Remez exchange) fits for the polynomial cores in vact's SIMD math.

The coefficients go into include/vact/simd/polynomials.hpp, which this
script writes (with the derivative-zero fits of fit_derivative_zeros.py) and
which nobody edits by hand; ctest's polynomial_header test runs
--check-header, so the header cannot drift from the fits:

    python3 tools/fit_polynomials.py           # print all fits
    python3 tools/fit_polynomials.py --check   # exit 1 on regression
    python3 tools/fit_polynomials.py --only gelu   # gelu's fits only
    python3 tools/fit_polynomials.py --write-header HEADER   # regenerate
    python3 tools/fit_polynomials.py --check-header HEADER   # exit 1 and a
                                                # diff if HEADER differs
    (HEADER: include/vact/simd/polynomials.hpp; both run every fit, about
    two minutes of one core, and --check can be added)

Only the standard library and mpmath are used (no numpy).

What is fitted (every fit minimises the RELATIVE error of the whole function
value, not of the fitted tail):

  expm1_core   expm1(r) ~= r + r^2/2 + r^3 * P(r),   r in [-ln2/2, +ln2/2]
               P of degree 4 (what math.hpp uses) and degree 3 (for comparison).
  expm1_sixteenth
               e^r ~= 1 + r + r^2 * C(r),  r in [-0.02167, 0.02167] (the
               table exponential's reduction by ln2/16), C of degree 1;
               error relative to e^r.
  log1p_core   log1p(f) ~= f - f^2/2 + f^3 * Q(f),   f in [-0.25, 0.5]
               smallest degree of Q with error < 0.06 * 2^-24.
  tanh_small   tanh(x)  ~= x + x^3 * R(x^2),         x in [0, 0.625]
               (odd function) smallest degree of R with error < 0.06 * 2^-24.
  log_cosh_half
               log(cosh(x/2)) ~= x^2/8 + x^4 * S(x^2),  x in [0, 1]
               (even; softplus near 0) smallest degree of S likewise.
  gelu_tail    l2(w) ~= 2 log((2 + a) e^(a^2/2) Q(a)) / v, the exponent of
               gelu's tail a Q(a) = v e^(-a^2/2 + v l2 / 2), v = a/(2 + a),
               w = v - 7/16, a in [0, 14.5]; degree 11. Weight v/2: the
               ABSOLUTE error of the exponent, i.e. the relative error of
               a Q(a). Plus gelu_tail_estimate, a linear l2 for the
               exponent's power of 2, and expm1_core at half the argument.
  gelu_derivative_zero
               gelu'(x) ~= (x - x0) P(x + 893/1024) on [-1.5, -0.3] around
               the zero x0 of gelu'; degree 8, relative error.

The low-order terms (r, r^2/2, ...) are fixed exactly because they are exact
in float and dominate the value; only the tail coefficients are free.

Method
  1. Remez exchange with weight 1/|f(x)| (gelu_tail: its own weight).  The
     weighted error
        e(x) = (f(x) - fixed(x) - x^p0 * C(x^step)) / f(x)
     tends to 0 at x = 0 (the fixed part carries the leading term), so x = 0
     is never used as a reference point.  Start: Chebyshev nodes mapped to
     the interval (nodes close to 0 are pushed away); exchange: local extrema
     of e on a dense grid, each refined by golden-section search, reduced to
     n+1 alternating ones (n = number of free coefficients); stop when the
     levelled error changes by less than 1e-6 (relative) or after 30
     iterations.  The free basis x^m * (1, u, u^2, ...) / f(x), u = x^step,
     is a Haar system up to the factor x^m / f(x); where that factor changes
     sign (at x = 0 once an even power is the lowest free one, which happens
     during step 2) the error times its sign is what must alternate, and the
     reference system and the exchange use that oriented error.
  2. Coefficients are rounded to binary32 (round to nearest even) one at a
     time, lowest degree first; after each rounding the remaining higher
     coefficients are refitted by Remez.  This keeps the error close to the
     real-valued minimax error.  Where the error at x = 0 does not vanish
     (gelu_tail, gelu_derivative_zero: x is centred inside the interval), c0
     is the exact value there, rounded, at a centre chosen where that
     rounding is tiny; the other coefficients cannot correct it at x = 0.
  3. The final polynomial (float coefficients, evaluated exactly with 60
     digits) is checked on 20001 equally spaced points including both
     endpoints.  Relative errors are reported absolutely and in units of
     2^-24.  This is the error of the coefficients only; the float
     arithmetic of the C++ evaluation adds its own rounding errors.
"""

import argparse
import difflib
import struct
import sys
import textwrap
import time

import mpmath
from mpmath import mpf

mpmath.mp.dps = 50            # working precision of the fits
EVAL_DPS = 60                 # precision of the final error check
REMEZ_GRID = 2000             # dense grid used for the exchange step
CHECK_GRID = 20000            # intervals of the final check grid
MAX_ITER = 30
CONVERGED = mpf('1e-6')
ULP = mpf(2) ** -24           # float "ULP-ish" unit for relative errors
TARGET = mpf('0.06')          # threshold (units of 2^-24) for log1p/tanh
EXPM1_LIMIT = mpf('0.06')     # threshold (units of 2^-24) for expm1 deg 4
EXPM1_FAST_LIMIT = mpf('0.3')  # the same for the fast tier's degree 3
GELU_TAIL_LIMIT = mpf('0.06')     # units of 2^-24, degree 11
GELU_ESTIMATE_LIMIT = mpf('0.01')  # absolute, in the exponent
GELU_DERIV_LIMIT = mpf('0.2')     # units of 2^-24, degree 8 (4-ULP budget)


# --------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------

class Problem:
    """f(x) ~= fixed(x) + x**p0 * C(x**step), C with free coefficients."""

    def __init__(self, name, formula, func, fixed, p0, step, interval,
                 taylor, var, weight=None, error_kind='rel.',
                 fix_first=None):
        self.name = name
        self.formula = formula
        self.func = func
        self.fixed = fixed
        self.p0 = p0
        self.step = step
        self.interval = interval    # callable: endpoints at current precision
        self.taylor = taylor        # k -> Taylor coefficient of term k
        self.var = var
        # weight(x, fx) multiplies the error; None means 1/fx (relative).
        self.weight = weight
        self.error_kind = error_kind
        # fix_first() is the exact c0 (the limit at x = 0): see fit_float
        self.fix_first = fix_first
        self._check_cache = None

    def scale(self, x, fx):
        """x**p0 times the weight: the factor of the free basis x**(step*k)."""
        if self.weight is None:
            return x ** self.p0 / fx
        return x ** self.p0 * self.weight(x, fx)

    def term(self, k):
        return '%s^%d' % (self.var, self.p0 + self.step * k)

    def tail(self, x, coeffs):
        """x**p0 * C(x**step), C evaluated by Horner (lowest degree first)."""
        u = x ** self.step
        acc = mpf(0)
        for c in reversed(coeffs):
            acc = acc * u + c
        return x ** self.p0 * acc

    def rel_error(self, x, coeffs, fx=None):
        if fx is None:
            fx = self.func(x)
        if self.weight is None:
            return (fx - self.fixed(x) - self.tail(x, coeffs)) / fx
        return ((fx - self.fixed(x) - self.tail(x, coeffs))
                * self.weight(x, fx))


def _tanh_taylor(k):
    # tanh x = sum_n 2^2n (2^2n - 1) B_2n / (2n)! x^(2n-1); term k is x^(3+2k)
    n = k + 2
    return (mpf(2) ** (2 * n) * (mpf(2) ** (2 * n) - 1)
            * mpmath.bernoulli(2 * n) / mpmath.factorial(2 * n))


EXPM1 = Problem(
    'expm1_core', 'expm1(r) ~= r + 0.5*r^2 + r^3 * P(r)',
    mpmath.expm1, lambda r: r + r * r / 2, 3, 1,
    lambda: (-mpmath.ln(2) / 2, mpmath.ln(2) / 2),
    lambda k: 1 / mpmath.factorial(k + 3), 'r')

# The reduction by ln(2)/16 of the table exponential (math::exp_split_scaled):
# |r| <= ln(2)/32 plus the table entry's folded rounding, r's own, and the
# rounding of 16 log2(e), which moves m by up to 1e-4 at |x| = 149. The
# error that matters is e^r's, so the weight is 1/e^r, not 1/expm1(r).
EXPM1_SIXTEENTH_REACH = mpf('0.02167')
EXPM1_SIXTEENTH = Problem(
    'expm1_sixteenth', 'e^r ~= 1 + r + r^2 * C(r)',
    mpmath.expm1, lambda r: r, 2, 1,
    lambda: (-EXPM1_SIXTEENTH_REACH, EXPM1_SIXTEENTH_REACH),
    lambda k: 1 / mpmath.factorial(k + 2), 'r',
    weight=lambda r, fr: 1 / mpmath.exp(r), error_kind='rel. (of e^r)')

LOG1P = Problem(
    'log1p_core', 'log1p(f) ~= f - 0.5*f^2 + f^3 * Q(f)',
    mpmath.log1p, lambda f: f - f * f / 2, 3, 1,
    lambda: (mpf('-0.25'), mpf('0.5')),
    lambda k: mpf((-1) ** k) / (k + 3), 'f')

TANH = Problem(
    'tanh_small', 'tanh(x) ~= x + x^3 * R(x^2)',
    mpmath.tanh, lambda x: x, 3, 2,
    lambda: (mpf(0), mpf('0.625')),
    _tanh_taylor, 'x')


def _log_cosh_half_taylor(k):
    # term k of log(cosh(x/2)) is x^(4+2k)
    n = 4 + 2 * k
    return mpmath.taylor(lambda t: mpmath.log(mpmath.cosh(t / 2)), 0, n)[n]


# softplus(x) = ln 2 + x/2 + log(cosh(x/2)) for |x| < 1 (activations.hpp):
# the even part, whose rounding noise stays below the steps of x/2, so that
# the sum is monotone.
LOG_COSH_HALF = Problem(
    'log_cosh_half', 'log(cosh(x/2)) ~= x^2/8 + x^4 * S(x^2)',
    lambda x: mpmath.log(mpmath.cosh(x / 2)), lambda x: x * x / 8, 4, 2,
    lambda: (mpf(0), mpf(1)),
    _log_cosh_half_taylor, 'x')

# gelu (include/vact/simd/gelu.hpp) needs the upper tail of the normal
# distribution, Q(a) = erfc(a / sqrt 2) / 2 for a = |x| in [0, GELU_A_MAX],
# down to subnormal results. It is computed as
#     a Q(a) = v exp(-a^2/2 + L(v)),   v = a / (2 + a) in [0, 1),
# L(v) = log((2 + a) exp(a^2/2) Q(a)): the division gives the 1/a decay of
# Q(a) exp(a^2/2), and L varies little (0 at a = 0, log(2/sqrt(2 pi)) at
# infinity). L goes into the exponent, so the error that counts is its
# ABSOLUTE error (= the relative error of the result). The kernel evaluates
# the exponent doubled, -a^2 + v * l2(w), so the fitted function is
# l2 = 2 L(v) / v with weight v / 2, in w = v - GELU_CENTRE (a polynomial in
# v itself has large alternating coefficients). At w = 0 every basis
# function but the constant vanishes, so nothing corrects the rounding of c0
# there: the centre 7/16 is where l2 is 0.0008 ulp from a float (found by
# search), and c0 is l2(7/16) rounded.
GELU_A_MAX = mpf('14.5')      # beyond it every gelu result is -0 or x
GELU_V_MIN = mpf(2) ** -12    # weight v/2 -> 0 at v = 0: keep Remez off it
GELU_CENTRE = mpf(7) / 16


def _log_scaled_mills(v):
    a = 2 * v / (1 - v)
    return mpmath.log((2 + a) * mpmath.exp(a * a / 2)
                      * mpmath.erfc(a / mpmath.sqrt(2)) / 2)


def _twice_log_scaled_mills_over_v(v):
    return 2 * _log_scaled_mills(v) / v


GELU_TAIL = Problem(
    'gelu_tail', 'l2(w) ~= 2 log((2 + a) e^(a^2/2) Q(a)) / v,'
    ' v = a/(2 + a) = w + 7/16',
    lambda w: _twice_log_scaled_mills_over_v(w + GELU_CENTRE),
    lambda w: 0, 0, 1,
    lambda: (GELU_V_MIN - GELU_CENTRE,
             GELU_A_MAX / (2 + GELU_A_MAX) - GELU_CENTRE),
    None, 'w', weight=lambda w, fw: (w + GELU_CENTRE) / 2,
    error_kind='abs. exponent',
    fix_first=lambda: _twice_log_scaled_mills_over_v(GELU_CENTRE))

# The exponent's integer part n is chosen before l2 is known (to shorten the
# dependency chain) from a linear estimate l2 ~= e0 + e1 v; its weighted
# error bounds how far the reduced argument goes past ln(2)/2.
GELU_TAIL_ESTIMATE = Problem(
    'gelu_tail_estimate', 'l2(v) ~= e0 + e1 v',
    _twice_log_scaled_mills_over_v, lambda v: 0, 0, 1,
    lambda: (GELU_V_MIN, GELU_A_MAX / (2 + GELU_A_MAX)),
    None, 'v', weight=lambda v, fv: v / 2, error_kind='abs. exponent')


# gelu'(x) = Phi(x) + x phi(x) crosses zero at x0 = -0.7518; near it the
# two terms cancel, so on [GELU_DERIV_LO, GELU_DERIV_HI] the kernel uses
# gelu'(x) = (x - x0) P(t), t = x - GELU_DERIV_CENTRE (relative error;
# P > 0). As for gelu_tail, c0 alone decides the error at t = 0: the centre
# -893/1024 is where P is 0.0002 ulp from a float (found by search), and
# c0 is P there, rounded.
GELU_DERIV_LO = mpf('-1.5')
GELU_DERIV_HI = mpf('-0.3')
GELU_DERIV_CENTRE = mpf(-893) / 1024
_ROOTS = {}


def _gelu_derivative(x):
    return mpmath.ncdf(x) + x * mpmath.npdf(x)


def gelu_derivative_root():
    """x0 with gelu'(x0) = 0, at the working precision (cached)."""
    if mpmath.mp.prec not in _ROOTS:
        _ROOTS[mpmath.mp.prec] = mpmath.findroot(_gelu_derivative,
                                                 mpf('-0.75'))
    return _ROOTS[mpmath.mp.prec]


def _gelu_derivative_quotient(t):
    x = GELU_DERIV_CENTRE + t
    return _gelu_derivative(x) / (x - gelu_derivative_root())


GELU_DERIV = Problem(
    'gelu_derivative_zero', "gelu'(x) ~= (x - x0) P(t), t = x + 893/1024,"
    " x0 = root of gelu'",
    _gelu_derivative_quotient, lambda t: 0, 0, 1,
    lambda: (GELU_DERIV_LO - GELU_DERIV_CENTRE,
             GELU_DERIV_HI - GELU_DERIV_CENTRE), None, 't',
    fix_first=lambda: _gelu_derivative_quotient(mpf(0)))


# --------------------------------------------------------------------------
# Remez exchange
# --------------------------------------------------------------------------

class Fit:
    """Free coefficients `free` (indices `first`..) on top of `frozen`."""

    def __init__(self, problem, frozen, nfree):
        self.p = problem
        self.frozen = list(frozen)
        self.nfree = nfree

    def coeffs(self, free):
        return self.frozen + list(free)

    def error(self, x, free):
        return self.p.rel_error(x, self.coeffs(free))

    def orientation(self, x, fx):
        """Sign of the lowest free basis function over f at x (x != 0).

        The free basis is x^m * (1, u, u^2, ...) / f(x) with u = x^step and
        m = p0 + step * len(frozen).  The polynomial part is a Haar system,
        so by the characterisation theorem the error times this sign must
        alternate; with m odd and f(x) ~ x the sign is +1 everywhere and
        this is classical Remez, but once the r^3 coefficient is frozen
        m = 4 and the sign flips at x = 0.
        """
        m = self.p.p0 + self.p.step * len(self.frozen)
        if self.p.weight is None:
            return 1 if x ** m / fx > 0 else -1
        return 1 if x ** m * self.p.weight(x, fx) > 0 else -1


def _grid(a, b, n):
    return [a + (b - a) * i / n for i in range(n + 1)]


def _initial_reference(a, b, npts):
    """Chebyshev extrema mapped to [a, b], kept away from x = 0."""
    mid, half = (a + b) / 2, (b - a) / 2
    pts = [mid - half * mpmath.cos(mpmath.pi * i / (npts - 1))
           for i in range(npts)]
    guard = (b - a) / (4 * (npts - 1))
    for i, x in enumerate(pts):
        if abs(x) < guard:   # move halfway to the neighbour farther out
            j = i + 1 if (x >= 0 and i + 1 < npts) or i == 0 else i - 1
            pts[i] = (x + pts[j]) / 2
    assert all(pts[i] < pts[i + 1] for i in range(npts - 1))
    return pts


def _solve_reference(fit, ref):
    """Solve sum_k c_k b_k(x_i)/f(x_i) + (-1)^i E = target(x_i)/f(x_i)."""
    p, n = fit.p, fit.nfree
    first = len(fit.frozen)
    rows, rhs = [], []
    for i, x in enumerate(ref):
        fx = p.func(x)
        u = x ** p.step
        base = p.scale(x, fx)
        rows.append([base * u ** (first + k) for k in range(n)]
                    + [mpf((-1) ** i * fit.orientation(x, fx))])
        rhs.append(p.rel_error(x, fit.frozen, fx))
    sol = mpmath.lu_solve(mpmath.matrix(rows), mpmath.matrix(rhs))
    return [sol[k] for k in range(n)], sol[n]


def _golden_max(g, lo, hi, iters=40):
    """Maximise the unimodal function g on [lo, hi]."""
    inv = (mpmath.sqrt(5) - 1) / 2
    x1, x2 = hi - inv * (hi - lo), lo + inv * (hi - lo)
    g1, g2 = g(x1), g(x2)
    for _ in range(iters):
        if g1 < g2:
            lo, x1, g1 = x1, x2, g2
            x2 = lo + inv * (hi - lo)
            g2 = g(x2)
        else:
            hi, x2, g2 = x2, x1, g1
            x1 = hi - inv * (hi - lo)
            g1 = g(x1)
    return (x1, g1) if g1 > g2 else (x2, g2)


def _extrema(fit, free, grid, cache):
    """Refined local extrema of the weighted error.

    Returns a list of (x, orientation(x) * e(x)), the oriented error being
    the quantity that must alternate.
    """
    p = fit.p
    coeffs = fit.coeffs(free)
    errs = [p.rel_error(x, coeffs, fx) if fx != 0 else mpf(0)
            for x, fx in zip(grid, cache)]
    signs = [fit.orientation(x, fx) * (1 if e > 0 else -1) if e != 0 else 0
             for x, fx, e in zip(grid, cache, errs)]

    def beats(i, j):
        """True unless grid point j is in the same sign run and larger."""
        if j < 0 or j >= len(grid) or signs[j] != signs[i]:
            return True
        return abs(errs[i]) >= abs(errs[j])

    out = []
    last = len(grid) - 1
    for i, e in enumerate(errs):
        if e == 0 or not (beats(i, i - 1) and beats(i, i + 1)):
            continue
        x = grid[i]
        if 0 < i < last:                      # interior: refine
            s = 1 if e > 0 else -1
            xr, v = _golden_max(lambda t: s * fit.error(t, free),
                                grid[i - 1], grid[i + 1])
            if v > abs(e):
                x, e = xr, s * v
        out.append((x, fit.orientation(x, fit.p.func(x)) * e))
    return out


def _alternating(points, npts):
    """Reduce the extrema to npts points of alternating sign.

    First keep the largest of each same-sign run.  Then, while too many
    remain, drop the smallest one: at an end it goes alone; inside, it goes
    together with its smaller neighbour (dropping an adjacent pair keeps the
    alternation).  When only one point is too many, the smaller end goes.
    """
    runs = []
    for x, e in points:
        if runs and (runs[-1][1] > 0) == (e > 0):
            if abs(e) > abs(runs[-1][1]):
                runs[-1] = (x, e)
        else:
            runs.append((x, e))
    while len(runs) > npts:
        size = [abs(e) for _, e in runs]
        i = size.index(min(size))
        if 0 < i < len(runs) - 1 and len(runs) - npts >= 2:
            j = i - 1 if size[i - 1] < size[i + 1] else i + 1
            del runs[max(i, j)], runs[min(i, j)]
        else:
            runs.pop(0 if size[0] < size[-1] else -1)
    return runs


def remez(problem, frozen, nfree):
    """Minimax fit of nfree coefficients above the frozen ones.

    Returns (free coefficients, levelled |E|, max |e| on the Remez grid).
    """
    fit = Fit(problem, frozen, nfree)
    a, b = problem.interval()
    grid = _grid(a, b, REMEZ_GRID)
    cache = [problem.func(x) for x in grid]
    npts = nfree + 1          # n unknowns + E: n+1 alternation points
    ref = _initial_reference(a, b, npts)
    level = None
    for _ in range(MAX_ITER):
        free, e_ref = _solve_reference(fit, ref)
        new_level = abs(e_ref)
        ext = _alternating(_extrema(fit, free, grid, cache), npts)
        peak = max(abs(e) for _, e in ext)
        if len(ext) < npts:
            raise RuntimeError('%s: only %d alternating extrema (need %d)'
                               % (problem.name, len(ext), npts))
        if level is not None and abs(new_level - level) < CONVERGED * new_level:
            return free, new_level, peak
        level = new_level
        ref = [x for x, _ in ext]
    sys.stdout.flush()
    print('warning: %s: Remez did not converge in %d iterations'
          % (problem.name, MAX_ITER), file=sys.stderr)
    return free, level, peak


# --------------------------------------------------------------------------
# binary32 rounding and printing
# --------------------------------------------------------------------------

def round_to_float(x):
    """Nearest binary32 value of x (round half to even), as an exact mpf."""
    if x == 0:
        return mpf(0)
    sign = -1 if x < 0 else 1
    man, exp = abs(x).man_exp         # |x| == man * 2**exp exactly
    extra = man.bit_length() - 24
    if extra > 0:
        q, r = divmod(man, 1 << extra)
        half = 1 << (extra - 1)
        if r > half or (r == half and q & 1):
            q += 1
        man, exp = q, exp + extra
    value = mpmath.ldexp(mpf(sign * man), exp)
    top = exp + man.bit_length() - 1  # floor(log2 |value|)
    if not -126 <= top <= 127:
        raise ValueError('coefficient %s is not a normal float' % value)
    # The value has <= 24 significant bits, so the double is exact and the
    # struct round trip through binary32 must not change it.
    d = float(value)
    assert struct.unpack('<f', struct.pack('<f', d))[0] == d
    return value


def float_hex(v):
    """C hex-float literal, e.g. 0x1.555556p-3f (6 hex digits)."""
    if v == 0:
        return '0x0.000000p+0f'
    sign = '-' if v < 0 else ''
    man, exp = abs(v).man_exp
    bits = man.bit_length()
    if bits > 24:
        raise ValueError('%s is not a binary32 value' % v)
    top = exp + bits - 1
    frac23 = (man << (24 - bits)) - (1 << 23)
    text = '%s0x1.%06xp%+df' % (sign, frac23 << 1, top)
    assert float.fromhex(text[:-1]) == float(v)
    return text


def in_ulps(err):
    return err / ULP


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def check_error(problem, coeffs):
    """Max relative error on CHECK_GRID+1 points, evaluated with EVAL_DPS."""
    with mpmath.workdps(EVAL_DPS):
        if problem._check_cache is None:
            a, b = problem.interval()
            xs = _grid(a, b, CHECK_GRID)
            problem._check_cache = [(x, problem.func(x)) for x in xs]
        worst, where = mpf(0), None
        for x, fx in problem._check_cache:
            if fx == 0:
                continue  # limit of the relative error at x = 0 is 0
            e = abs(problem.rel_error(x, coeffs, fx))
            if e > worst:
                worst, where = e, x
        return +worst, where


def fit_float(problem, n):
    """Real minimax fit, then sequential float rounding.  Returns a dict."""
    free, level, _ = remez(problem, [], n)
    frozen = []
    for k in range(n):
        if k == 0 and problem.fix_first is not None:
            # Where the other basis functions all vanish (x = 0) they cannot
            # correct the rounding of c0: take its exact value rounded.
            frozen.append(round_to_float(problem.fix_first()))
            continue
        if k > 0:
            free, _, _ = remez(problem, frozen, n - k)
        frozen.append(round_to_float(free[0]))
    err, where = check_error(problem, frozen)
    return {'n': n, 'coeffs': frozen, 'minimax': level,
            'error': err, 'where': where}


def minimax_only(problem, n):
    return remez(problem, [], n)[1]


def report(problem, res, label, in_units=True):
    a, b = problem.interval()
    n = res['n']
    print('  %s: degree %d of the tail polynomial (%d free coefficients)'
          % (label, n - 1, n))
    print('  interval [%s, %s]' % (mpmath.nstr(a, 17), mpmath.nstr(b, 17)))
    print('  coefficients, LOWEST degree first (c%d multiplies %s):'
          % (0, problem.term(0)))
    for k, c in enumerate(res['coeffs']):
        text = '    %-16s // c%d * %-5s = %s' % (
            float_hex(c) + ',', k, problem.term(k),
            mpmath.nstr(c, 9, min_fixed=-1, max_fixed=1))
        if problem.taylor is not None:
            text += '  (Taylor %s)' % mpmath.nstr(
                problem.taylor(k), 9, min_fixed=-1, max_fixed=1)
        print(text)

    def amount(err):
        if not in_units:
            return mpmath.nstr(err, 4)
        return '%s = %.4f * 2^-24' % (mpmath.nstr(err, 4), in_ulps(err))
    print('  real-valued minimax %s error: %s'
          % (problem.error_kind, amount(res['minimax'])))
    print('  float-coefficient max %s error: %s'
          ' (at %s = %s; %d points, %d digits)'
          % (problem.error_kind, amount(res['error']), problem.var,
             mpmath.nstr(res['where'], 6), CHECK_GRID + 1, EVAL_DPS))


def smallest_degree(problem, limit, nmax=16):
    """Smallest n whose float-coefficient error is below limit * 2^-24."""
    for n in range(1, nmax + 1):
        if in_ulps(minimax_only(problem, n)) >= limit:
            continue          # even the real-valued minimax is too big
        res = fit_float(problem, n)
        if in_ulps(res['error']) < limit:
            return res, (fit_float(problem, n - 1) if n > 1 else None)
    raise RuntimeError('%s: no degree <= %d meets the target'
                       % (problem.name, nmax - 1))


def ulps_from_float(value):
    """Distance of value to the nearest binary32 value, in its ulps."""
    ulp = mpf(2) ** (mpmath.floor(mpmath.log(abs(value), 2)) - 23)
    return abs(value - round_to_float(value)) / ulp


def float_split(value):
    """value ~= hi + lo, both binary32 (hi = value rounded)."""
    hi = round_to_float(value)
    return hi, round_to_float(value - hi)


# The kernel that evaluates each set, for the header's comments.
USED_BY = {'log1p_core': 'math::log1p_reduced_tail',
           'tanh_small': 'math::tanh_small',
           'log_cosh_half': 'math::log_cosh_half'}


def gelu_fits(expm1_fit, header):
    """The fits of gelu's kernels; returns the failures."""
    failures = []
    print('\n== %s: %s' % (GELU_TAIL.name, GELU_TAIL.formula))
    print('  weight v/2: the error is that of the exponent, i.e. the'
          ' relative error of a Q(a)')
    print('  c0 = l2 at w = 0 rounded; l2 there is %s ulp from a float'
          % mpmath.nstr(ulps_from_float(GELU_TAIL.fix_first()), 3))
    tail = fit_float(GELU_TAIL, 12)
    report(GELU_TAIL, tail, 'selected')
    header.fit(GELU_TAIL, tail, 'gelu_tail', 'gelu_tail_log, by Estrin')
    smaller = fit_float(GELU_TAIL, 11)
    print('  (degree 10, one smaller: float-coefficient error'
          ' %s = %.4f * 2^-24)'
          % (mpmath.nstr(smaller['error'], 4), in_ulps(smaller['error'])))
    if in_ulps(tail['error']) >= GELU_TAIL_LIMIT:
        failures.append('gelu_tail error %.4f >= %s'
                        % (in_ulps(tail['error']), GELU_TAIL_LIMIT))

    print('\n== %s: %s' % (GELU_TAIL_ESTIMATE.name,
                            GELU_TAIL_ESTIMATE.formula))
    estimate = fit_float(GELU_TAIL_ESTIMATE, 2)
    report(GELU_TAIL_ESTIMATE, estimate, 'selected', in_units=False)
    header.fit(GELU_TAIL_ESTIMATE, estimate, 'gelu_tail_estimate',
               'gelu_tail_log_estimate', in_units=False)
    reach = mpmath.ln(2) / 2 + estimate['error']
    print('  the reduced argument then reaches %s (ln(2)/2 = %s), where'
          ' expm1_core below is used' % (mpmath.nstr(reach, 6),
                                         mpmath.nstr(mpmath.ln(2) / 2, 6)))
    if estimate['error'] >= GELU_ESTIMATE_LIMIT:
        failures.append('gelu_tail_estimate error %s >= %s'
                        % (mpmath.nstr(estimate['error'], 4),
                           GELU_ESTIMATE_LIMIT))
    with mpmath.workdps(EVAL_DPS):
        worst = mpf(0)
        for k in range(CHECK_GRID + 1):   # e^r - 1 past ln(2)/2, to reach
            r = -reach + 2 * reach * k / CHECK_GRID
            if r == 0:
                continue
            approx = r + r * r / 2 + EXPM1.tail(r, expm1_fit['coeffs'])
            worst = max(worst, abs(approx / mpmath.expm1(r) - 1))
    print('  expm1_core on [-%s, %s]: max rel. error %s = %.4f * 2^-24'
          % (mpmath.nstr(reach, 6), mpmath.nstr(reach, 6),
             mpmath.nstr(worst, 4), in_ulps(worst)))

    print('\n== expm1_half_tail: (e^(s/2) - 1 - s/2) / s^2 = 1/8 + s P(s),'
          ' expm1_core with r = s/2')
    print('  coefficients, LOWEST degree first (c0 multiplies s^1):')
    half = [c / 2 ** (k + 3) for k, c in enumerate(expm1_fit['coeffs'])]
    for k, c in enumerate(half):
        print('    %-16s // expm1_core c%d / 2^%d'
              % (float_hex(c) + ',', k, k + 3))
    header.array(
        'expm1_half_tail',
        'expm1_half_tail: (e^(s/2) - 1 - s/2) / s^2 = 1/8 + s P(s), P of'
        ' degree 4: expm1_core at r = s/2, c[k] = expm1_core[k] / 2^(k+3)'
        ' (exact), for |s| <= ln(2) plus rounding; over gelu\'s reach,'
        ' |s| <= %s, the error is %s.'
        % (mpmath.nstr(2 * reach, 6), _amount(worst)),
        half, ['s^%d' % (k + 1) for k in range(len(half))])

    print('\n== %s: %s' % (GELU_DERIV.name, GELU_DERIV.formula))
    x0 = gelu_derivative_root()
    hi, lo = float_split(x0)
    print('  x0 = %s = %s + %s' % (mpmath.nstr(x0, 20), float_hex(hi),
                                    float_hex(lo)))
    print('  c0 = P at t = 0 rounded; P there is %s ulp from a float'
          % mpmath.nstr(ulps_from_float(GELU_DERIV.fix_first()), 3))
    deriv = fit_float(GELU_DERIV, 9)
    report(GELU_DERIV, deriv, 'selected')
    header.fit(GELU_DERIV, deriv, 'gelu_derivative_zero',
               'gelu_derivative_near_zero')
    header.scalars(
        "x0 = %s, the zero of gelu', as x0_hi + x0_lo (x0_hi = x0 rounded)."
        % mpmath.nstr(x0, 20),
        [('gelu_derivative_x0_hi', hi), ('gelu_derivative_x0_lo', lo)])
    smaller = fit_float(GELU_DERIV, 8)
    print('  (degree 7, one smaller: float-coefficient error'
          ' %s = %.4f * 2^-24)'
          % (mpmath.nstr(smaller['error'], 4), in_ulps(smaller['error'])))
    if in_ulps(deriv['error']) >= GELU_DERIV_LIMIT:
        failures.append('gelu_derivative_zero error %.4f >= %s'
                        % (in_ulps(deriv['error']), GELU_DERIV_LIMIT))
    hi, lo = float_split(mpmath.sqrt(2 / mpmath.pi) / 2)
    print('\n== phi(0) = 1/sqrt(2 pi) = %s + %s' % (float_hex(hi),
                                                     float_hex(lo)))
    return failures


# --------------------------------------------------------------------------
# The generated header
# --------------------------------------------------------------------------

HEADER_PATH = 'include/vact/simd/polynomials.hpp'
HEADER_TOP = """\
// SPDX-License-Identifier: Apache-2.0
//
// Generated by tools/fit_polynomials.py: do not edit. To refit, run from the
// repository root
//   python3 tools/fit_polynomials.py --write-header
//       %s
// (one command). ctest's polynomial_header fails while this file differs
// from what the script writes.
//
// The fitted polynomials of vact's kernels, as float coefficients, LOWEST
// degree first: c[k] multiplies the k-th power of the polynomial's
// variable, and the comment beside it names the term of the fitted function
// it makes. math::horner and math::estrin evaluate them. Each error is that
// of the float coefficients, evaluated exactly on a dense grid; the
// kernels' float arithmetic adds its own roundings.
#ifndef VACT_SIMD_POLYNOMIALS_HPP
#define VACT_SIMD_POLYNOMIALS_HPP

namespace vact {
namespace simd {
namespace poly {
""" % HEADER_PATH
HEADER_BOTTOM = """\
}  // namespace poly
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_POLYNOMIALS_HPP
"""


NO_BREAK = '\x01'  # a space the comment's lines must not break at


def _comment(text):
    lines = textwrap.wrap(text, 77, break_on_hyphens=False)
    return ''.join('// %s\n' % line.replace(NO_BREAK, ' ') for line in lines)


def _amount(err, in_units=True):
    """An error for the header: absolute, and in units of 2^-24."""
    if not in_units:
        return mpmath.nstr(err, 4)
    return ('%s = %.4f * 2^-24' % (mpmath.nstr(err, 4), in_ulps(err))
            ).replace(' * ', NO_BREAK + '*' + NO_BREAK)


class Header:
    """Collects the coefficient sets, in order, and renders the header."""

    def __init__(self):
        self.blocks = []

    def array(self, name, text, coeffs, terms):
        width = max(len(float_hex(c)) for c in coeffs) + 1
        lines = ['    %-*s  // %s' % (width, float_hex(c) + ',', term)
                 for c, term in zip(coeffs, terms)]
        self.blocks.append(_comment(text)
                           + 'inline constexpr float %s[] = {\n' % name
                           + '\n'.join(lines) + '\n};\n')

    def fit(self, problem, res, name, used_by, in_units=True):
        a, b = problem.interval()
        n = res['n']
        self.array(
            name,
            '%s (%s): %s for %s in [%s,%s%s], degree %d; max %s error %s'
            ' with these float coefficients (real-valued minimax: %s).'
            % (name, used_by, problem.formula, problem.var,
               mpmath.nstr(a, 8), NO_BREAK, mpmath.nstr(b, 8), n - 1,
               problem.error_kind, _amount(res['error'], in_units),
               _amount(res['minimax'], in_units)),
            res['coeffs'], [problem.term(k) for k in range(n)])

    def scalars(self, text, pairs):
        self.blocks.append(_comment(text) + ''.join(
            'inline constexpr float %s = %s;\n' % (name, float_hex(v))
            for name, v in pairs))

    def text(self):
        return HEADER_TOP + '\n' + '\n'.join(self.blocks) + '\n' + \
            HEADER_BOTTOM


def derivative_zero_fits(header):
    """tools/fit_derivative_zeros.py's fits, into the header."""
    import fit_derivative_zeros as dz  # beside this script
    print('\n== derivative zeros (tools/fit_derivative_zeros.py)')
    for r in dz.fits():
        name = '%s_derivative' % r['name']
        coeffs = list(reversed(r['coeffs']))  # lowest degree first
        lo, hi = r['window']
        print("  %s': Q of degree %d, max rel. error %s = %.4f * 2^-24"
              % (r['name'], r['degree'], mpmath.nstr(r['worst'], 4),
                 in_ulps(r['worst'])))
        header.array(
            name + '_zero',
            "%s_zero (tools/fit_derivative_zeros.py): %s'(x0 + u) = u Q(u)"
            " around the zero x0 of %s', u in [%s,%s%s], Q of degree %d"
            " (Chebyshev interpolation): max rel. error %s with these float"
            " coefficients." % (name, r['name'], r['name'], lo, NO_BREAK, hi,
                                r['degree'], _amount(r['worst'])),
            coeffs, ['u^%d' % k for k in range(len(coeffs))])
        header.scalars(
            "x0 = %s, the zero of %s', as x0_hi + x0_lo (x0_hi = x0"
            " rounded)." % (mpmath.nstr(r['x0'], 20), r['name']),
            [(name + '_x0_hi', r['x0_hi']), (name + '_x0_lo', r['x0_lo'])])


def check_header(path, text):
    """0 when the file at path is text; else 1, with a diff."""
    try:
        with open(path, encoding='utf-8') as f:
            current = f.read()
    except OSError as e:
        print('CHECK FAILED: cannot read %s: %s' % (path, e), file=sys.stderr)
        return 1
    if current == text:
        print('# header check: %s is what the fits give' % path)
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        current.splitlines(True), text.splitlines(True),
        path + ' (as it is)', path + ' (as the fits give it)'))
    print('CHECK FAILED: %s differs from the fits; regenerate it with'
          ' python3 tools/fit_polynomials.py --write-header %s'
          % (path, path), file=sys.stderr)
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true',
                    help='exit non-zero if any error exceeds its threshold')
    ap.add_argument('--only', choices=('math', 'gelu'),
                    help="only the fits of math.hpp or of gelu's kernels")
    ap.add_argument('--write-header', metavar='PATH',
                    help='write the coefficient header (%s) to PATH'
                    % HEADER_PATH)
    ap.add_argument('--check-header', metavar='PATH',
                    help='exit 1, printing a diff, if PATH is not the'
                    ' header the fits give')
    args = ap.parse_args()
    if args.only and (args.write_header or args.check_header):
        ap.error('the header needs every fit: no --only')
    t0 = time.time()
    failures = []
    header = Header()

    print('# vact polynomial fits (tools/fit_polynomials.py), mpmath %s,'
          ' %d-digit fits' % (mpmath.__version__, mpmath.mp.dps))
    print('# errors are relative errors of the whole function value;'
          ' 2^-24 = %s' % mpmath.nstr(ULP, 6))

    # Degree 4 is what math.hpp uses: degree 3 would cost 0.24 ULP of a
    # 1-ULP budget. The fast tier's half_expm1 (4-ULP budget) takes degree 3.
    e4 = fit_float(EXPM1, 5)
    if args.only != 'gelu':
        print('\n== %s: %s' % (EXPM1.name, EXPM1.formula))
        report(EXPM1, e4, 'selected')
        header.fit(EXPM1, e4, 'expm1_core', 'math::expm1_reduced')
        if in_ulps(e4['error']) >= EXPM1_LIMIT:
            failures.append('expm1_core degree 4 error %.4f >= %s'
                            % (in_ulps(e4['error']), EXPM1_LIMIT))
        print()
        e3 = fit_float(EXPM1, 4)
        report(EXPM1, e3, 'fast tier')
        header.fit(EXPM1, e3, 'expm1_core_fast', 'fast::detail::expm1_reduced')
        if in_ulps(e3['error']) >= EXPM1_FAST_LIMIT:
            failures.append('expm1_core_fast degree 3 error %.4f >= %s'
                            % (in_ulps(e3['error']), EXPM1_FAST_LIMIT))
        print('\n== %s: %s' % (EXPM1_SIXTEENTH.name, EXPM1_SIXTEENTH.formula))
        sixteenth = fit_float(EXPM1_SIXTEENTH, 2)
        report(EXPM1_SIXTEENTH, sixteenth, 'selected')
        header.fit(EXPM1_SIXTEENTH, sixteenth, 'expm1_sixteenth',
                   'math::expm1_sixteenth')
        if in_ulps(sixteenth['error']) >= TARGET:
            failures.append('expm1_sixteenth error %.4f >= %s'
                            % (in_ulps(sixteenth['error']), TARGET))

    for prob in ((LOG1P, TANH, LOG_COSH_HALF) if args.only != 'gelu'
                 else ()):
        print('\n== %s: %s' % (prob.name, prob.formula))
        print('  target: float-coefficient error < %s * 2^-24' % TARGET)
        res, smaller = smallest_degree(prob, TARGET)
        report(prob, res, 'selected')
        header.fit(prob, res, prob.name, USED_BY[prob.name])
        if smaller is not None:
            print('  (degree %d, one smaller: float-coefficient error'
                  ' %s = %.4f * 2^-24; real minimax %.4f * 2^-24)'
                  % (smaller['n'] - 1, mpmath.nstr(smaller['error'], 4),
                     in_ulps(smaller['error']), in_ulps(smaller['minimax'])))
        if in_ulps(res['error']) >= TARGET:
            failures.append('%s error %.4f >= %s'
                            % (prob.name, in_ulps(res['error']), TARGET))

    if args.only != 'math':
        failures += gelu_fits(e4, header)
    if args.write_header or args.check_header:
        derivative_zero_fits(header)

    print('\n# done in %.1f s' % (time.time() - t0))
    status = 0
    if args.check:
        for f in failures:
            print('CHECK FAILED: ' + f, file=sys.stderr)
        print('# check: %s' % ('FAILED' if failures else 'ok'))
        status = 1 if failures else 0
    if args.write_header:
        with open(args.write_header, 'w', encoding='utf-8') as f:
            f.write(header.text())
        print('# wrote %s' % args.write_header)
    if args.check_header:
        status = max(status, check_header(args.check_header, header.text()))
    return status


if __name__ == '__main__':
    sys.exit(main())
