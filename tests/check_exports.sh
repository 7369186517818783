#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Checks a shared libvact: it has a SONAME, it exports only vact_* symbols
# (the sources use -fvisibility=hidden and mark the C API VACT_API; the C++
# API is header-only over it), and it exports every function that vact.h
# declares with VACT_API. The linker's own symbols (_init, _fini, _edata,
# _end, __bss_start) and version nodes are not counted.
#
# Usage: check_exports.sh <libvact.so> <vact.h>
# Exit: 0 clean, 1 a problem (each one printed), 2 usage error or missing
# tools (nm, objdump: binutils).
set -euo pipefail

die() {
  echo "check_exports: $*" >&2
  exit 2
}

[[ $# -eq 2 ]] || die "usage: $0 <libvact.so> <vact.h>"
lib=$1
header=$2
[[ -f $lib && -r $lib ]] || die "cannot read '$lib'"
[[ -f $header && -r $header ]] || die "cannot read '$header'"
command -v nm >/dev/null 2>&1 || die "nm not found (install binutils)"
command -v objdump >/dev/null 2>&1 || die "objdump not found (install binutils)"

status=0
fail() {
  echo "check_exports: FAILED: $*"
  status=1
}

soname=$(objdump -p -- "$lib" | awk '$1 == "SONAME" { print $2 }')
[[ -n $soname ]] || fail "$lib has no SONAME"

# "0000000000003140 T vact_active_isa" (version nodes have no address).
exported=$(nm -D --defined-only -- "$lib" |
  awk 'NF >= 3 { print $3 } NF == 2 { print $2 }' | sed 's/@.*//' | sort -u)
[[ -n $exported ]] || fail "$lib exports no symbols (is it a shared library?)"
linker_symbols='^(_init|_fini|_edata|_end|__bss_start|VACT_[0-9A-Z_.]*)$'
unexpected=$(grep -Ev -e '^vact_' -e "$linker_symbols" <<<"$exported" || true)
if [[ -n $unexpected ]]; then
  fail "exported symbols not starting with vact_:"
  awk '{ print "    " $0 }' <<<"$unexpected"
fi

# The header preprocessed (the per-op functions are expanded from
# vact/ops.def beside it), VACT_API kept as a marker. "VACT_API vact_status
# vact_elu_f32(" may wrap after the return type.
preprocessed=$(${CC:-cc} -E -P -x c -DVACT_API=VACT_API \
  -I "$(dirname "$header")/.." "$header") ||
  die "cannot preprocess $header (is a C compiler installed?)"
declared=$(tr '\n' ' ' <<<"$preprocessed" |
  grep -oE 'VACT_API[^;(]*\bvact_[a-z0-9_]+[[:space:]]*\(' |
  grep -oE 'vact_[a-z0-9_]+[[:space:]]*\($' | tr -d ' (' | sort -u)
[[ -n $declared ]] || fail "found no VACT_API declarations in $header"
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
if [[ -n $missing ]]; then
  fail "declared in $(basename "$header") but not exported:"
  awk '{ print "    " $0 }' <<<"$missing"
fi

if ((status == 0)); then
  echo "check_exports: OK: $lib (SONAME $soname) exports $(wc -l <<<"$exported")" \
    "symbols, all vact_*, including all $(wc -l <<<"$declared") declared in" \
    "$(basename "$header")"
fi
exit $status
