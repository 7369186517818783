#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# vact against XNNPACK, oneDNN, SLEEF and Eigen: installs the peer packages,
# builds vact_bench with them (release preset), runs the comparison pinned to
# one core and prints the markdown tables of scripts/peer_table.py on stdout
# (the benchmark's own console output goes to stderr).
#
# Two runs, two processes: the first times vact (avx2 and avx512 where the CPU
# has it, each in the precise and the fast tier: avx2, avx2-fast, ...) and
# every peer at the ISA it picks or was built for (xnnpack, onednn, sleef and
# eigen for AVX2, sleef-avx512 and eigen-avx512); the second times oneDNN
# alone held to AVX2 (DNNL_MAX_CPU_ISA=AVX2, which oneDNN reads once per
# process; vact_bench then names it onednn-avx2), for the table of vact avx2
# against AVX2 peers. DNNL_MAX_CPU_ISA and ONEDNN_MAX_CPU_ISA are cleared for
# the first run.
#
# Sizes: n = 16,384 and 4,194,304 for the element-wise ops, 67,108,864 too for
# the memory-bound ones and memcpy, and softmax/log_softmax at 1024x1000,
# 64x32000, 1x4194304 and 4096x10. Each rate is the median of 3 repetitions.
#
# Usage: scripts/benchmark-peers.sh [extra vact_bench flags]
# The extra flags go to both runs; a --benchmark_filter among them narrows
# the first run only (the second always runs onednn-avx2 on every op and
# size above, about 20 seconds).
# Environment: VACT_BENCH_CPU (the core to pin to, default 0),
# VACT_PEERS_JSON (where the first run's JSON goes, default
# build/release/peers.json; the second's goes beside it, with -onednn-avx2
# before .json), VACT_PEERS_ONEDNN_AVX2=0 (skip the second run).
set -euo pipefail
cd "$(dirname "$0")/.."

# libxnnpack-dev does not depend on libpthreadpool-dev, which its header needs.
scripts/install-deps.sh libxnnpack-dev libpthreadpool-dev libdnnl-dev \
  libsleef-dev libeigen3-dev
cmake --preset release -DVACT_BENCH_PEERS=ON
cmake --build --preset release --target vact_bench --parallel 2

ops='sigmoid|tanh|elu|selu|softplus|gelu|gelu_tanh|silu|mish|relu|leaky_relu'
ops+='|step|hardsigmoid|hardswish|softmax|log_softmax|memcpy'
variants='avx2|avx512|neon|avx2-fast|avx512-fast|neon-fast|xnnpack|onednn'
variants+='|sleef|sleef-avx512|eigen|eigen-avx512|memcpy|avx2copy'
sizes='16384|4194304|67108864|1024x1000|64x32000|1x4194304|4096x10'
json=${VACT_PEERS_JSON:-build/release/peers.json}
json_onednn_avx2=${json%.json}-onednn-avx2.json

# One core: the peers run single-threaded too (no XNNPACK thread pool,
# oneDNN on one OpenMP thread), and nothing migrates mid-run.
run() {
  taskset -c "${VACT_BENCH_CPU:-0}" build/release/bench/vact_bench \
    --peers --large \
    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_min_time=0.1 "$@" >&2
}

(
  unset DNNL_MAX_CPU_ISA ONEDNN_MAX_CPU_ISA
  run --benchmark_filter="^($ops)/($variants)/($sizes)\$" \
    --benchmark_out="$json" --benchmark_out_format=json "$@"
)
jsons=("$json")

if [[ ${VACT_PEERS_ONEDNN_AVX2:-1} != 0 ]]; then
  (
    unset ONEDNN_MAX_CPU_ISA  # it would take precedence
    export DNNL_MAX_CPU_ISA=AVX2
    # The filter comes after the user's flags, so that it wins.
    run "$@" --benchmark_filter="^($ops)/onednn-avx2/($sizes)\$" \
      --benchmark_out="$json_onednn_avx2" --benchmark_out_format=json
  )
  jsons+=("$json_onednn_avx2")
fi
python3 scripts/peer_table.py "${jsons[@]}"
