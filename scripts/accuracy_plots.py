#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Draws each op of include/vact/ops.def and its error against mpmath.

    build/release/bench/vact_bench --peer-values=peer_values.txt
    python3 scripts/accuracy_plots.py build/shared/libvact.so docs/plots \
        peer_values.txt

(the library and the folder are the defaults; without the peers' values,
the plots leave the peers out). Needs a shared build of the library:

    cmake -S . -B build/shared -DBUILD_SHARED_LIBS=ON \
          -DCMAKE_BUILD_TYPE=Release
    cmake --build build/shared --target vact

and Debian's python3-numpy, python3-mpmath and python3-matplotlib. Writes
docs/plots/accuracy-<op>.png, three panels over the float32 values of a
dense grid on [-8, 8]:
  1. f and f' (the library's precise tier);
  2. the error of f in ULP, precise tier, and fast tier for the ops whose
     fast column is `own` (the others run the precise kernel in both);
  3. the error of f' in ULP (the same kernel in both tiers);
with each bound of ops.def as a dashed line, and in panel 2 the error of
the op's fastest peer at n = 16,384 (FASTEST_PEER), where vact_bench has
one, clipped to the panel. Points over the ULP bound but
within an absolute floor (the fast tier's 2^-30; the derivatives' 2^-24
where |f'| < 2^-22) pass: they are drawn lighter, clipped at the top. The
ISA is the dispatcher's default (the best one). Prints each op's largest
errors; exits 1 if a point breaks its bound, or if the library is older
than include/vact (a stale build would run the precise kernel for the fast
tier without a word).
"""
import ctypes
import os
import re
import sys

DEBIAN_PACKAGES = 'python3-numpy python3-mpmath python3-matplotlib'
try:
    import matplotlib
    import mpmath
    import numpy as np
except ImportError as missing:
    # Debian's packages are for Debian's python3, which a python3 earlier in
    # PATH (pyenv, a virtualenv) may hide.
    debian_python = '/usr/bin/python3'
    if os.path.exists(debian_python) and (
            os.path.realpath(sys.executable) !=
            os.path.realpath(debian_python)):
        os.execv(debian_python, [debian_python] + sys.argv)
    print('%s; install it with: apt-get install -y %s'
          % (missing, DEBIAN_PACKAGES), file=sys.stderr)
    sys.exit(1)

matplotlib.use('Agg')  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OPS_DEF = os.path.join(REPO, 'include', 'vact', 'ops.def')
GRID = np.linspace(-8.0, 8.0, 4001).astype(np.float32)  # float32 snaps 0, ±3
ALPHA = 1.0
SLOPE = float(np.float32(0.01))  # what the library gets; the references too
# swish, clip and softcap: the test suite's op table's parameters
# (tests/op_catalogue.cpp), not VACT_PARAMS_INIT's (clip's -1, 1 and
# softcap's "no cap" would draw little).
BETA, LO, HI, CAP = 1.5, -2.0, 6.0, 30.0
PRECISE, FAST = 0, 1
FAST_FLOOR = 2.0 ** -30  # fast tier: max(fast_ulp ULP, 2^-30) absolute
DERIVATIVE_FLOOR = 2.0 ** -24  # where |f'| < 2^-22 (near a zero of f')
DERIVATIVE_FLOOR_BELOW = 2.0 ** -22

mpmath.mp.prec = 128  # the MPFR checker's precision
mpf = mpmath.mpf
SELU_LAMBDA = mpf('1.0507009873554804934193349852946')
SELU_ALPHA = mpf('1.6732632423543772848170429916717')
GELU_TANH_CUBIC = mpf('0.044715')
QUICK_GELU_SCALE = mpf('1.702')
SQRT_2_OVER_PI = mpmath.sqrt(2 / mpmath.pi)
INVERSE_SQRT_2_PI = 1 / mpmath.sqrt(2 * mpmath.pi)


def read_ops(path):
    """ops.def's rows: name -> dict of its columns, in id order."""
    text = re.sub(r'/\*.*?\*/', '', open(path, encoding='utf-8').read(),
                  flags=re.S)
    columns = ('id name NAME params range order value_ulp derivative_ulp '
               'fast fast_ulp formula special_values').split()
    ops = {}
    # Parentheses occur only inside the quoted columns.
    for arguments in re.findall(r'\bVACT_OP\(((?:[^"()]|"[^"]*")*)\)', text):
        fields = re.findall(r'"[^"]*"|[^,\s]+', arguments)
        row = dict(zip(columns, (f.strip('"') for f in fields)))
        for bound in ('value_ulp', 'derivative_ulp', 'fast_ulp'):
            row[bound] = float(row[bound])
        ops[row['name']] = row
    return ops


# ---- the exact functions: forms that do not cancel, as the MPFR checker ----

def sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def sigmoid_derivative(x):  # s (1 - s) = e^-|x| / (1 + e^-|x|)^2
    e = mpmath.exp(-abs(x))
    return e / (1 + e) ** 2


def silu_derivative(x):  # s (1 + x (1 - s)), 1 - s = sigmoid(-x)
    return sigmoid(x) * (1 + x * sigmoid(-x))


def softplus(x):
    return mpmath.log1p(mpmath.exp(x))


def relu6(x):
    return min(max(x, 0), 6)


def gelu_tanh_z(x):  # 2u, u = sqrt(2/pi) (x + 0.044715 x^3)
    return 2 * SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x ** 3)


def gelu_tanh(x):  # 0.5 x (1 + tanh(u)) = x sigmoid(2u)
    return x * sigmoid(gelu_tanh_z(x))


def gelu_tanh_derivative(x):
    z = gelu_tanh_z(x)
    z_prime = 2 * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_CUBIC * x ** 2)
    return sigmoid(z) + x * sigmoid_derivative(z) * z_prime


def mish_derivative(x):  # tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2)
    sp = softplus(x)
    return mpmath.tanh(sp) + x * sigmoid(x) * mpmath.sech(sp) ** 2


def hardswish_derivative(x):
    if x < -3:
        return mpf(0)
    return x / 3 + mpf(1) / 2 if x <= 3 else mpf(1)


def phi_cdf(x):
    return mpmath.erfc(-x / mpmath.sqrt(2)) / 2


# name -> (f, f'); the piecewise derivatives take PyTorch's values at kinks.
EXACT = {
    'step': (lambda x: mpf(1 if x > 0 else 0), lambda x: mpf(0)),
    'relu': (lambda x: max(x, mpf(0)), lambda x: mpf(1 if x > 0 else 0)),
    'sigmoid': (sigmoid, sigmoid_derivative),
    'tanh': (mpmath.tanh, lambda x: mpmath.sech(x) ** 2),
    'elu': (lambda x: x if x > 0 else ALPHA * mpmath.expm1(x),
            lambda x: mpf(1) if x > 0 else ALPHA * mpmath.exp(x)),
    'selu': (lambda x: SELU_LAMBDA * (x if x > 0 else
                                      SELU_ALPHA * mpmath.expm1(x)),
             lambda x: SELU_LAMBDA * (1 if x > 0 else
                                      SELU_ALPHA * mpmath.exp(x))),
    'softplus': (softplus, sigmoid),
    'gelu_tanh': (gelu_tanh, gelu_tanh_derivative),
    'silu': (lambda x: x * sigmoid(x), silu_derivative),
    'mish': (lambda x: x * mpmath.tanh(softplus(x)), mish_derivative),
    'hardsigmoid': (lambda x: relu6(x + 3) / 6,
                    lambda x: mpf(1) / 6 if -3 < x < 3 else mpf(0)),
    'hardswish': (lambda x: x * relu6(x + 3) / 6, hardswish_derivative),
    'softsign': (lambda x: x / (1 + abs(x)), lambda x: 1 / (1 + abs(x)) ** 2),
    'leaky_relu': (lambda x: x if x >= 0 else mpf(SLOPE) * x,
                   lambda x: mpf(1) if x > 0 else mpf(SLOPE)),
    'gelu': (lambda x: x * phi_cdf(x),
             lambda x: phi_cdf(x) +
             x * INVERSE_SQRT_2_PI * mpmath.exp(-x * x / 2)),
    'quick_gelu': (lambda x: x * sigmoid(QUICK_GELU_SCALE * x),
                   lambda x: silu_derivative(QUICK_GELU_SCALE * x)),
    'swish': (lambda x: x * sigmoid(BETA * x),
              lambda x: silu_derivative(BETA * x)),
    'clip': (lambda x: min(max(x, mpf(LO)), mpf(HI)),
             lambda x: mpf(1 if LO < x < HI else 0)),
    'softcap': (lambda x: CAP * mpmath.tanh(x / CAP),
                lambda x: mpmath.sech(x / CAP) ** 2),
}


def ulp(exact):
    """float32's ulp at an exact value; the subnormals' 2^-149 below 2^-126."""
    if exact == 0:
        return mpf(2) ** -149
    _, exponent = mpmath.frexp(exact)  # |exact| = m 2^exponent, m in [0.5, 1)
    return mpf(2) ** (max(exponent - 1, -126) - 23)


def errors(y, exact):
    """(error in ULP, absolute error) of each float32 y against its exact."""
    in_ulp, absolute = np.zeros(len(y)), np.zeros(len(y))
    for i, (got, want) in enumerate(zip(y, exact)):
        difference = abs(mpf(float(got)) - want)
        in_ulp[i] = float(difference / ulp(want))
        absolute[i] = float(difference)
    return in_ulp, absolute


class Library:
    class Params(ctypes.Structure):
        _fields_ = [('alpha', ctypes.c_float), ('slope', ctypes.c_float),
                    ('accuracy', ctypes.c_int), ('beta', ctypes.c_float),
                    ('lo', ctypes.c_float), ('hi', ctypes.c_float),
                    ('cap', ctypes.c_float)]

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        for name in ('vact_apply_f32', 'vact_apply_derivative_f32'):
            getattr(self.lib, name).restype = ctypes.c_int
        self.lib.vact_op_name.restype = ctypes.c_char_p
        self.lib.vact_isa_name.restype = ctypes.c_char_p

    def op_name(self, op_id):
        name = self.lib.vact_op_name(op_id)
        return name.decode() if name else None

    def reads_accuracy(self):
        """False for a build older than the tiers, which would quietly run
        the precise kernel for the fast tier."""
        x = np.zeros(1, np.float32)
        params = self.Params(ALPHA, SLOPE, 2, BETA, LO, HI, CAP)  # bad tier
        return self.lib.vact_apply_f32(
            0, ctypes.byref(params), x.ctypes.data_as(ctypes.c_void_p),
            x.ctypes.data_as(ctypes.c_void_p), ctypes.c_size_t(1)) == 3

    def isa(self):
        return self.lib.vact_isa_name(self.lib.vact_active_isa()).decode()

    def apply(self, op_id, accuracy, x, derivative=False):
        x = np.ascontiguousarray(x, dtype=np.float32)
        y = np.empty_like(x)
        params = self.Params(ALPHA, SLOPE, accuracy, BETA, LO, HI, CAP)
        function = (self.lib.vact_apply_derivative_f32 if derivative
                    else self.lib.vact_apply_f32)
        status = function(op_id, ctypes.byref(params),
                          x.ctypes.data_as(ctypes.c_void_p),
                          y.ctypes.data_as(ctypes.c_void_p),
                          ctypes.c_size_t(len(x)))
        if status != 0:
            raise RuntimeError('op %d: vact status %d' % (op_id, status))
        return y


class Series:
    """One tier's errors in ULP against its bound. Points over the ULP bound
    but within the absolute floor (where one applies) pass on the floor."""

    def __init__(self, label, colour, in_ulp, bound, bound_label,
                 within_floor=False):
        self.label, self.colour, self.in_ulp = label, colour, in_ulp
        self.bound, self.bound_label = bound, bound_label
        over = in_ulp > bound
        self.on_floor = over & within_floor
        self.on_ulp = in_ulp[~self.on_floor]
        self.failures = int(np.sum(over & ~self.on_floor))

    def summary(self):
        text = '%-7s %.3f ULP (bound %g)' % (
            self.label, self.on_ulp.max(initial=0), self.bound)
        if self.on_floor.any():
            text += ' + %d points over it within the absolute floor' % (
                self.on_floor.sum())
        return text + (', %d OVER THE BOUND' % self.failures
                       if self.failures else '')


# The fastest peer of each op at n = 16,384 on the machine the plots were
# made on: the first table of docs/performance.md's "Against other
# libraries" (scripts/benchmark-peers.sh), as the README's summary names it.
FASTEST_PEER = {
    'sigmoid': 'xnnpack', 'tanh': 'eigen-avx512', 'elu': 'xnnpack',
    'swish': 'onednn',
    'selu': 'eigen-avx512', 'softplus': 'onednn', 'gelu_tanh': 'eigen-avx512',
    'silu': 'eigen-avx512', 'mish': 'onednn', 'gelu': 'eigen-avx512',
}


def read_peer_values(path):
    """{(peer, op): outputs on GRID} from `vact_bench --peer-values`."""
    values = {}
    with open(path) as lines:
        for line in lines:
            words = line.split()
            name = tuple(words[:1] if words[0] == 'x' else words[:2])
            numbers = np.array([float.fromhex(w) for w in words[len(name):]],
                               dtype=np.float32)
            values[name] = numbers
    if not np.array_equal(values[('x',)].view(np.uint32), GRID.view(np.uint32)):
        sys.exit('%s was made on another grid than this script\'s' % path)
    return values


def draw_peer(axes, label, in_ulp):
    """A peer's errors, clipped to the panel's height."""
    top = axes.get_ylim()[1]
    axes.plot(GRID, np.minimum(in_ulp, 0.98 * top), '.', ms=1.2,
              color='tab:gray', alpha=0.6, zorder=0,
              label='%s\n(max %.3g ULP, clipped)' % (label, in_ulp.max()))
    axes.legend(fontsize=6.5, loc='upper left', bbox_to_anchor=(1.01, 1),
                markerscale=3)


def draw_errors(axes, series):
    top = 1.25 * max([1.0] + [s.bound for s in series] +
                     [s.on_ulp.max(initial=0) for s in series])
    for s in reversed(series):  # the precise tier in front
        axes.plot(GRID[~s.on_floor], s.on_ulp, '.', ms=1.5, color=s.colour,
                  label=s.label)
        if s.on_floor.any():
            clipped = np.minimum(s.in_ulp[s.on_floor], top * 0.98)
            axes.plot(GRID[s.on_floor], clipped, '.', ms=1.5, alpha=0.25,
                      color=s.colour,
                      label='%s over it, but within\nthe absolute floor '
                      '(clipped)' % s.label)
        axes.axhline(s.bound, ls='--', lw=1, color=s.colour,
                     label='%s bound:\n%s' % (s.label, s.bound_label))
    axes.set_ylim(-0.05 * top, top)
    axes.set_ylabel('error (ULP)', fontsize=8)
    axes.legend(fontsize=6.5, loc='upper left', bbox_to_anchor=(1.01, 1),
                markerscale=3)


def plot(path, op, isa, x, value, derivative, value_series, derivative_series,
         peer=None):
    figure, (curves, value_axes, derivative_axes) = plt.subplots(
        3, 1, sharex=True, figsize=(11.25, 7.5), dpi=80)
    figure.suptitle('%s: %s   (ISA %s)' % (op['name'], op['formula'], isa),
                    fontsize=11)
    curves.plot(x, value, lw=1.2, label='f(x)')
    curves.plot(x, derivative, lw=1.2, label="f'(x)")
    curves.axhline(0, lw=0.5, color='gray')
    curves.legend(fontsize=7, loc='upper left', bbox_to_anchor=(1.01, 1))
    curves.set_title('f and f\' (precise tier)', fontsize=8)

    value_axes.set_title(
        'error of f: the precise tier and the fast tier\'s own kernel'
        if len(value_series) > 1 else
        'error of f (both tiers: the fast tier runs the precise kernel)',
        fontsize=8)
    draw_errors(value_axes, value_series)
    if peer is not None:
        draw_peer(value_axes, *peer)

    derivative_axes.set_title(
        "error of f' (both tiers); where |f'| < 2^-22 the bound is 2^-24 "
        'absolute instead', fontsize=8)
    draw_errors(derivative_axes, derivative_series)
    derivative_axes.set_xlabel('x (float32 grid)', fontsize=8)
    for axes in (curves, value_axes, derivative_axes):
        axes.tick_params(labelsize=7)
        axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)


def main(library_path='build/shared/libvact.so', out_dir='docs/plots',
         peer_values_path=None):
    library = Library(os.path.abspath(library_path))
    peer_values = (read_peer_values(peer_values_path) if peer_values_path
                   else {})
    ops = read_ops(OPS_DEF)
    if not library.reads_accuracy() or library.op_name(len(ops)) is not None:
        sys.exit('%s is older than include/vact (it ignores '
                 'vact_params.accuracy or has other ops): rebuild it, see '
                 'the docstring of %s' % (library_path, __file__))
    isa = library.isa()
    os.makedirs(out_dir, exist_ok=True)
    x_exact = [mpf(float(v)) for v in GRID]
    failures = 0
    for op_id, (name, op) in enumerate(ops.items()):
        if library.op_name(op_id) != name or int(op['id']) != op_id:
            sys.exit('ops.def row %s is op %d (%s) in the library'
                     % (name, op_id, library.op_name(op_id)))
        exact_f, exact_derivative = EXACT[name]  # KeyError: add the op there
        want = [exact_f(v) for v in x_exact]
        want_derivative = [exact_derivative(v) for v in x_exact]

        value = library.apply(op_id, PRECISE, GRID)
        derivative = library.apply(op_id, PRECISE, GRID, derivative=True)
        # Derivatives run the precise kernel in both tiers; so does the value
        # of an op without a fast kernel of its own: same bits expected.
        same_kernel = [library.apply(op_id, FAST, GRID, derivative=True)]
        if op['fast'] != 'own':
            same_kernel.append(library.apply(op_id, FAST, GRID))
        for fast, precise in zip(same_kernel, (derivative, value)):
            if not np.array_equal(fast.view(np.uint32),
                                  precise.view(np.uint32)):
                print('%s: the fast tier differs from the precise one' % name)
                failures += 1

        in_ulp, _ = errors(value, want)
        value_series = [Series('precise', 'tab:blue', in_ulp, op['value_ulp'],
                               '%g ULP' % op['value_ulp'])]
        if op['fast'] == 'own':
            in_ulp, absolute = errors(library.apply(op_id, FAST, GRID), want)
            value_series.append(Series(
                'fast', 'tab:red', in_ulp, op['fast_ulp'],
                'max(%g ULP, 2^-30 absolute)' % op['fast_ulp'],
                absolute <= FAST_FLOOR))
        in_ulp, absolute = errors(derivative, want_derivative)
        small = np.array([abs(w) < DERIVATIVE_FLOOR_BELOW
                          for w in want_derivative])
        derivative_series = [Series(
            "f'", 'tab:green', in_ulp, op['derivative_ulp'],
            "%g ULP; 2^-24 absolute\nwhere |f'| < 2^-22"
            % op['derivative_ulp'],
            small & (absolute <= DERIVATIVE_FLOOR))]

        peer = None
        peer_name = FASTEST_PEER.get(name)
        if (peer_name, name) in peer_values:
            in_ulp, _ = errors(peer_values[(peer_name, name)], want)
            peer = ('fastest peer at 16K: %s' % peer_name, in_ulp)
        print('%-11s %s%s' % (name, ' | '.join(
            s.summary() for s in value_series + derivative_series),
            ' | %s %.3f ULP' % (peer_name, peer[1].max()) if peer else ''))
        failures += sum(s.failures for s in value_series + derivative_series)
        plot(os.path.join(out_dir, 'accuracy-%s.png' % name), op, isa, GRID,
             value, derivative, value_series, derivative_series, peer)
    print('ISA %s, %d points in [-8, 8]: %s' % (
        isa, len(GRID),
        '%d FAILURES' % failures if failures else 'all within bounds'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
