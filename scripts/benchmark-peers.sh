#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# vact against XNNPACK, oneDNN, SLEEF and Eigen: installs the peer packages,
# builds vact_bench with them (release preset), runs the comparison pinned to
# one core and prints the markdown table of scripts/peer_table.py on stdout
# (the benchmark's own console output goes to stderr).
#
# Sizes: n = 16,384 and 4,194,304 for the element-wise ops, 67,108,864 too for
# the memory-bound ones and memcpy, and softmax/log_softmax at 1024x1000,
# 64x32000, 1x4194304 and 4096x10. vact runs on avx2 and avx512 (where the
# CPU has it); each rate is the median of 3 repetitions.
#
# Usage: scripts/benchmark-peers.sh [extra vact_bench flags]
# Environment: VACT_BENCH_CPU (the core to pin to, default 0),
# VACT_PEERS_JSON (where the JSON goes, default build/release/peers.json).
set -euo pipefail
cd "$(dirname "$0")/.."

# libxnnpack-dev does not depend on libpthreadpool-dev, which its header needs.
scripts/install-deps.sh libxnnpack-dev libpthreadpool-dev libdnnl-dev \
  libsleef-dev libeigen3-dev
cmake --preset release -DVACT_BENCH_PEERS=ON
cmake --build --preset release --target vact_bench --parallel 2

ops='sigmoid|tanh|elu|selu|softplus|gelu|gelu_tanh|silu|mish|relu|leaky_relu'
ops+='|step|hardsigmoid|hardswish|softmax|log_softmax|memcpy'
variants='avx2|avx512|neon|xnnpack|onednn|sleef|eigen|memcpy|avx2copy'
sizes='16384|4194304|67108864|1024x1000|64x32000|1x4194304|4096x10'
json=${VACT_PEERS_JSON:-build/release/peers.json}

# One core: the peers run single-threaded too (no XNNPACK thread pool,
# oneDNN on one OpenMP thread), and nothing migrates mid-run.
taskset -c "${VACT_BENCH_CPU:-0}" build/release/bench/vact_bench \
  --peers --large \
  --benchmark_filter="^($ops)/($variants)/($sizes)\$" \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.1 \
  --benchmark_out="$json" --benchmark_out_format=json "$@" >&2
python3 scripts/peer_table.py "$json"
