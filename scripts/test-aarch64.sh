#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Cross-builds vact and its tests for aarch64 (the aarch64 preset:
# cmake/toolchains/aarch64-linux-gnu.cmake, no benchmarks) and runs them
# under qemu-aarch64: the whole suite on the NEON table (VACT_ISA=neon),
# again on the scalar one (VACT_ISA=scalar), and the thread test. The output
# hashes of tests/expected_output_hashes.hpp are the x86 ones, so these runs
# prove bit identity across machines too. VACT_AARCH64_ISAS picks the runs
# (default "neon scalar"; CI runs neon alone, about 3.5 minutes under qemu:
# its hash and bit-identity tests run every FMA table, scalar included).
#
# Test cases named in KNOWN_NEON_FAILURES are left out of the NEON run that
# decides the exit status, then run on their own, reported and not counted:
# each must name a reported kernel bug, and leaves the list with its fix.
# Set KNOWN_NEON_FAILURES= (empty) to count everything.
#
# Usage: scripts/test-aarch64.sh [doctest options ...]
set -euo pipefail
cd "$(dirname "$0")/.."

# None today (vec::div fixed NEON's division, the last one).
KNOWN_NEON_FAILURES=${KNOWN_NEON_FAILURES-}
isas=${VACT_AARCH64_ISAS-neon scalar}

scripts/install-deps.sh g++-aarch64-linux-gnu qemu-user
cmake --preset aarch64 >/dev/null
cmake --build --preset aarch64 --target vact_tests vact_thread_test

build=build/aarch64/tests
qemu=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
exclude=$KNOWN_NEON_FAILURES  # doctest filters: comma-separated names

run_neon() {
  echo "== aarch64, VACT_ISA=neon (under qemu)"
  if [[ -n $exclude ]]; then
    VACT_ISA=neon "${qemu[@]}" "$build/vact_tests" --minimal \
      "--test-case-exclude=$exclude" "$@"
    echo "== aarch64, VACT_ISA=neon: known failures (not counted)"
    if VACT_ISA=neon "${qemu[@]}" "$build/vact_tests" --minimal \
      "--test-case=$exclude" "$@"; then
      echo "KNOWN_NEON_FAILURES now pass: remove them from $0"
    else
      echo "(still failing, as reported)"
    fi
  else
    VACT_ISA=neon "${qemu[@]}" "$build/vact_tests" --minimal "$@"
  fi
}

for isa in $isas; do
  case $isa in
    neon) run_neon "$@" ;;
    scalar)
      echo "== aarch64, VACT_ISA=scalar (under qemu)"
      VACT_ISA=scalar "${qemu[@]}" "$build/vact_tests" --minimal "$@"
      ;;
    *) echo "VACT_AARCH64_ISAS: no ISA $isa (neon, scalar)" >&2; exit 2 ;;
  esac
done

echo "== aarch64, thread test (under qemu)"
"${qemu[@]}" "$build/vact_thread_test"
