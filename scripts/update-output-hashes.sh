#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates tests/expected_output_hashes.hpp (the checked-in hashes of
# every kernel's outputs, tests/output_hashes.cpp) after an intended kernel
# change: builds the release preset's test binary and runs it with
# --print-hashes, which refuses to print while the FMA ISAs disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vact_tests
out=tests/expected_output_hashes.hpp
trap 'rm -f "$out.new"' EXIT
env -u VACT_ISA build/release/tests/vact_tests --print-hashes >"$out.new"
mv "$out.new" "$out"
git --no-pager diff --stat -- "$out" || true
