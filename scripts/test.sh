#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds vact with its tests (release preset) and runs them all with ctest:
# every op on every ISA this CPU supports.
set -euo pipefail
cd "$(dirname "$0")/.."
# libmpfr-dev: the references' check against MPFR (reference_vs_mpfr);
# python3-mpmath: the polynomial fits behind polynomial_header, and
# python3-gmpy2, its fast arithmetic backend (the fits take a quarter less).
scripts/install-deps.sh libmpfr-dev python3-mpmath python3-gmpy2
cmake --preset release
cmake --build --preset release
ctest --preset release "$@"
