#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the release preset and runs the scalar-vs-SIMD benchmark; the
# summary table at the end is the one in docs/performance.md: every ISA in the precise
# tier, and the fast tier on the fastest ISA ("fast" columns). Extra
# arguments go to the benchmark (e.g. --benchmark_filter=sigmoid
# --benchmark_min_time=0.05).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --target vact_bench
build/release/bench/vact_bench "$@"
