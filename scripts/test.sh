#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds vact with its tests (release preset) and runs them all with ctest:
# every op on every ISA this CPU supports.
set -euo pipefail
cd "$(dirname "$0")/.."
# libmpfr-dev: the references' check against MPFR (reference_vs_mpfr).
scripts/install-deps.sh libmpfr-dev
cmake --preset release
cmake --build --preset release
ctest --preset release "$@"
