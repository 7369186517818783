#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Makes sure the Debian/Ubuntu packages vact needs are installed: installs
# the missing ones when run as root or with password-less sudo, otherwise
# says exactly what to install and fails.
#
# Usage: scripts/install-deps.sh [extra-package ...]
set -euo pipefail

# gcc, pkg-config and python3: the packaging and tool tests (tests/consumers,
# vact-info, the README check).
packages=(g++ cmake ninja-build binutils libxsimd-dev doctest-dev
          libbenchmark-dev gcc pkg-config python3 "$@")

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo)
else
  echo "vact needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq \
  --no-install-recommends "${missing[@]}"
