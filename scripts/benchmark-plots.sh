#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates docs/performance.md's benchmark plots (bench/plots/*.png): builds
# vact_bench with the peers (release preset), runs the sweep of n = 1024 to
# 67,108,864 pinned to one core (a few minutes) and draws the plots with
# bench/plot.py (Debian: python3-matplotlib).
#
# Usage: scripts/benchmark-plots.sh [extra vact_bench flags]
# Environment: VACT_BENCH_CPU (the core to pin to, default 0),
# VACT_SWEEP_JSON (where the JSON goes, default build/release/sweep.json).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh libxnnpack-dev libpthreadpool-dev libdnnl-dev \
  libsleef-dev libeigen3-dev python3-matplotlib
cmake --preset release -DVACT_BENCH_PEERS=ON
cmake --build --preset release --target vact_bench --parallel 2

json=${VACT_SWEEP_JSON:-build/release/sweep.json}
taskset -c "${VACT_BENCH_CPU:-0}" build/release/bench/vact_bench \
  --sweep --peers --benchmark_min_time=0.05 \
  --benchmark_out="$json" --benchmark_out_format=json "$@" >&2
# Debian's matplotlib is for Debian's python3, which a python3 earlier in
# PATH (pyenv, a virtualenv) may hide.
for python in python3 /usr/bin/python3; do
  if "$python" -c 'import matplotlib' 2>/dev/null; then
    exec "$python" bench/plot.py "$json" --out bench/plots
  fi
done
echo "no python3 with matplotlib (Debian: python3-matplotlib)" >&2
exit 1
