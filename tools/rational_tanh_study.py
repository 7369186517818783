# SPDX-License-Identifier: Apache-2.0
"""Why the fast tanh is not a rational function: its float error, measured.

The peers' fast tanh kernels (XNNPACK's and Eigen's) evaluate an odd/even
rational function, tanh(x) ~= x P(x^2) / Q(x^2) on a clamped x, with one
division and no exponential: about 13 vector operations where vact's fast
tanh (an expm1 and a division, include/vact/simd/fast/activations.hpp)
spends 23 (avx512, not counting register moves). This script asks whether vact's fast tier could do the
same within its contract, |y - tanh(x)| <= max(4 ulp(tanh(x)), 2^-30):

  1. fits P and Q of degree 4 (the 9/8 form) to tanh on [0, 9.02], where
     tanh rounds to 1 from 9.01, minimising the relative error (Lawson's
     iteratively reweighted least squares on the linearised error
     x P - tanh Q, weighted by 1 / (tanh Q), P(0) = Q(0) = 1 so that tiny x
     give x itself);
  2. rounds the coefficients to binary32 and evaluates x P(x^2) / Q(x^2)
     as a kernel would, in binary32 with fused multiply-adds (Horner), for
     every float from 2^-14 to 9.02 (2^-14 and below the rational is x to
     well within the 2^-30 floor);
  3. prints the largest error in ulp(tanh(x)) (the exhaustive checker's
     unit: the float spacing at |tanh(x)|), per range of x.

The approximation itself is within about 0.4 ULP (0.9 with its
coefficients rounded to float); the float evaluation is what breaks the
bound. Where tanh(x) is in [1/2, 1) its ULP is 2^-24, while each rounding
of P, Q (values up to a few hundred), x P and the quotient can cost up to
2^-24 relative: about 3.4 ULP below x = 3 and 5.3-5.6 from x = 3 on. (The
peers' tests accept that much: Eigen's tanh is 4.9 ULP.)

    python3 tools/rational_tanh_study.py     # about 20 s, Debian's
                                             # python3-numpy, python3-mpmath

Not part of any build or test: it documents a measurement
(docs/performance.md, "Against other libraries").
"""
import mpmath
import numpy as np

DEGREE = 4  # P and Q in x^2: the 9/8 rational
LIMIT = 9.02  # tanh(x) rounds to 1 from 9.01 on
RANGES = [(0.0, 0.55), (0.55, 1), (1, 2), (2, 3), (3, 4), (4, 6), (6, LIMIT)]


def fit(iterations=60):
    """P, Q coefficients (float64, constant terms 1) by Lawson's method."""
    x = np.sort(np.concatenate([np.linspace(1e-4, LIMIT, 20000),
                                np.geomspace(1e-4, 1, 2000)]))
    t = np.array([float(mpmath.tanh(mpmath.mpf(v))) for v in x])
    u = x * x
    columns = ([x * u**k for k in range(1, DEGREE + 1)] +
               [-t * u**k for k in range(1, DEGREE + 1)])
    a = np.array(columns).T
    b = t - x  # x (1 + ...) - t (1 + ...) = 0
    lawson = np.ones_like(x)
    q_previous = np.ones_like(x)
    for _ in range(iterations):
        scale = np.sqrt(lawson) / (t * q_previous)
        c = np.linalg.lstsq(a * scale[:, None], b * scale, rcond=None)[0]
        p = np.concatenate([[1.0], c[:DEGREE]])
        q = np.concatenate([[1.0], c[DEGREE:]])
        q_previous = np.polyval(q[::-1], u)
        error = np.abs(x * np.polyval(p[::-1], u) / q_previous - t) / t
        lawson = lawson * error
        lawson /= lawson.sum()
    return p, q, error.max()


def fma32(a, b, c):
    """a b + c rounded once to binary32 (the product is exact in double;
    the double sum rounds first, an error far below what is measured)."""
    return (a.astype(np.float64) * b + c).astype(np.float32)


def horner32(coefficients, u):
    result = np.full_like(u, coefficients[-1])
    for c in coefficients[-2::-1]:
        result = fma32(result, u, c)
    return result


def ulp(value):
    """The float spacing at |value| (value a float64 array in float range)."""
    exponent = np.floor(np.log2(np.maximum(np.abs(value), 2.0**-126)))
    return 2.0**(exponent - 23)


def main():
    p, q, fit_error = fit()
    p32, q32 = p.astype(np.float32), q.astype(np.float32)
    print("P:", ", ".join(f"{float(c):.9g}" for c in p32))
    print("Q:", ", ".join(f"{float(c):.9g}" for c in q32))
    print(f"approximation error (real arithmetic): "
          f"{fit_error / 2.0**-24:.3f} * 2^-24 relative")
    grid = np.linspace(1e-3, LIMIT, 200001)
    u = grid * grid
    rounded = (grid * np.polyval(p32.astype(np.float64)[::-1], u) /
               np.polyval(q32.astype(np.float64)[::-1], u))
    rounded_error = np.max(np.abs(rounded - np.tanh(grid)) / np.tanh(grid))
    print(f"with the float coefficients (real arithmetic): "
          f"{rounded_error / 2.0**-24:.3f} * 2^-24 relative")
    worst = {r: (0.0, 0.0) for r in RANGES}
    first = np.float32(2.0**-14).view(np.int32)
    last = np.float32(LIMIT).view(np.int32)
    chunk = 1 << 22
    for start in range(first, last, chunk):
        x = np.arange(start, min(start + chunk, last),
                      dtype=np.int32).view(np.float32)
        u = (x * x).astype(np.float32)
        quotient = ((x * horner32(p32, u)).astype(np.float32) /
                    horner32(q32, u)).astype(np.float32)
        y = np.minimum(quotient, np.float32(1.0))
        exact = np.tanh(x.astype(np.float64))
        error = np.abs(y.astype(np.float64) - exact) / ulp(exact)
        for lo, hi in RANGES:
            inside = (x >= lo) & (x < hi)
            if inside.any():
                k = int(np.argmax(np.where(inside, error, -1.0)))
                if error[k] > worst[(lo, hi)][0]:
                    worst[(lo, hi)] = (float(error[k]), float(x[k]))
    print("| x | max error (ULP) | at x |")
    print("|---|---:|---:|")
    for (lo, hi), (error, where) in worst.items():
        print(f"| [{lo:g}, {hi:g}) | {error:.3f} | {where:.7g} |")


if __name__ == "__main__":
    main()
