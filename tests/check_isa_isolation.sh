#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Guards the per-ISA ODR trap (DESIGN.md, "Per-ISA translation units: the one
# trap"): an inline function that is not a template on the xsimd
# architecture gets compiled into several per-ISA objects, and the linker
# keeps one copy; if that is the AVX2 one, the SSE2 path runs AVX2
# instructions. So every function may use only the instructions its
# demangled name allows:
#   AVX-512 (zmm, xmm16-31/ymm16-31, opmask registers and k* instructions,
#     EVEX-only mnemonics, {1toN} broadcasts): names mentioning avx512
#     (the kernels are instantiated for xsimd::avx512bw, the table is
#     avx512_kernels);
#   AVX/AVX2/FMA (ymm, VEX v* mnemonics, VEX-encoded BMI): also names
#     mentioning avx2 (xsimd::fma3<xsimd::avx2>, avx2_kernels) or xsimd::avx
#     (xsimd's base of the AVX2 types, only declared under -mavx);
#   SSE4.2 and POPCNT: also names mentioning sse4_2 / sse42 or avx;
#   SSE4.1: also names mentioning sse4_1 / sse41 / sse4.1 or avx;
#   SSSE3, SSE3: also names mentioning ssse3, or sse3 (xsimd's bases of the
#     SSE4.1 types).
# Everything else must be baseline x86-64 (SSE2). Also caught: AVX-512 code
# leaking into the AVX2 path (an avx2-named function using zmm or k regs).
# Skipped: the PLT, .init/.fini and the C runtime's start-up stubs of a
# shared library. std:: functions are checked on purpose: an inline one
# (std::floor, std::fma ...) emitted by a per-ISA object is exactly the trap;
# libstdc++/libgcc code linked statically is baseline code and passes.
#
# Usage: check_isa_isolation.sh <libvact.a | libvact.so>
# Exit: 0 clean (or an aarch64 library: "not x86-64, skipped"), 1 violations
# (each offending function is printed with its first offending instruction),
# 2 usage error, objdump missing, unreadable, stripped or other non-x86-64
# input. Needs only bash, awk, grep and objdump (binutils).
set -euo pipefail

die() {
  echo "check_isa_isolation: $*" >&2
  exit 2
}

[[ $# -eq 1 ]] || die "usage: $0 <path-to-libvact.a or .so>"
lib=$1
[[ -f $lib && -r $lib ]] || die "cannot read '$lib'"
command -v objdump >/dev/null 2>&1 || die "objdump not found (install binutils)"

# ---- is it x86-64? -----------------------------------------------------------

# One "architecture:" line per object (per archive member).
architectures=$(objdump -f -- "$lib" 2>/dev/null |
  awk '/^architecture:/ { sub(/^architecture: */, ""); sub(/,.*$/, ""); print }' |
  sort -u) || true
[[ -n $architectures ]] ||
  die "objdump does not recognise '$lib' as an object file or archive"

# e_machine of the first ELF header in the file (an archive's first member),
# as 4 hex digits, for objects this objdump cannot decode (a cross-built
# aarch64 library reads as "UNKNOWN!" on an x86-64 host).
elf_machine() {
  objdump -b binary -s --stop-address=0x100000 -- "$1" 2>/dev/null |
    awk '
      # " 0010 01003e00 ...  ..>.": 35 columns of hex after the offset.
      /^ [0-9a-f]+ / {
        line = substr($0, length($1) + 3, 35)
        gsub(/ /, "", line)
        hex = hex line
      }
      END {
        # Archive members start at even offsets.
        for (p = 1; p + 39 <= length(hex); p += 4)
          if (substr(hex, p, 8) == "7f454c46") {
            print substr(hex, p + 36, 4)
            exit
          }
      }'
}

if [[ $architectures != "i386:x86-64" ]]; then
  if grep -qi 'aarch64' <<<"$architectures" ||
    { grep -q 'UNKNOWN' <<<"$architectures" &&
      [[ $(elf_machine "$lib") == b700 ]]; }; then
    echo "check_isa_isolation: $lib: not x86-64, skipped (aarch64)"
    exit 0
  fi
  die "$lib is not an x86-64 library (architecture: ${architectures//$'\n'/, })"
fi

function_symbols=$(objdump -t -- "$lib" 2>/dev/null |
  grep -cE '[[:space:]]F[[:space:]]') || true
if [[ ${function_symbols:-0} -eq 0 ]]; then
  die "$lib has no function symbols (stripped?): cannot tell functions apart"
fi

# ---- the check ---------------------------------------------------------------

objdump -d --no-show-raw-insn -C -- "$lib" | awk -v lib="$lib" '
function set_of(words, result,    list, i, count) {
  count = split(words, list, " ")
  for (i = 1; i <= count; ++i) result[list[i]] = 1
}

BEGIN {
  # Instruction prefixes objdump prints before the mnemonic.
  set_of("rep repz repe repnz repne lock notrack bnd data16 data32 addr32 " \
         "cs ds es fs gs ss xacquire xrelease {vex} {vex3} {evex} {disp8} " \
         "{disp32} {load} {store}", prefix)
  # Mnemonics that only exist EVEX-encoded (AVX-512), as a regex.
  evex_only = "^v(pternlog|permt2|permi2|pro[lr]v?[dq]|p?compress|p?expand|" \
              "scalef|getexp|getmant|rndscale|rcp14|rsqrt14|fixupimm|range|" \
              "reduce|fpclass|dbpsadbw|pmov(s|us)?(db|dw|qb|qw|qd|wb)|" \
              "pmovm2|pmov[bwdq]2m|align[dq]|" \
              "(extract|insert)[fi](32x4|32x8|64x2|64x4)|" \
              "broadcast[fi](32x2|32x4|32x8|64x2|64x4)|pabsq|p(max|min)[su]q|" \
              "psraq|psravq|psravw|ps[lr]lvw|permw|pmullq|plzcnt|pconflict|" \
              "popcnt|cvtt?(ps|pd|ss|sd)2u(dq|qq|si)|cvtt?(ps|pd)2qq|" \
              "cvtu(dq|qq|si)2|cvtqq2p|pcmpu?[bwdq]$|pcmpu?[bwdq]\\{|" \
              "p?blendm|movdq[au](8|16|32|64)|p(and|andn|or|xor)[dq]$|" \
              "shuf[fi](32x4|64x2))"
  # VEX-encoded general-purpose instructions (BMI1/BMI2).
  set_of("andn bextr blsi blsmsk blsr bzhi mulx pdep pext rorx sarx shlx " \
         "shrx", vex_gpr)
  set_of("crc32 crc32b crc32w crc32l crc32q pcmpgtq pcmpestri pcmpestrm " \
         "pcmpistri pcmpistrm popcnt popcntw popcntl popcntq", sse42)
  set_of("blendpd blendps blendvpd blendvps dppd dpps extractps insertps " \
         "movntdqa mpsadbw packusdw pblendvb pblendw pcmpeqq pextrb pextrd " \
         "pextrq phminposuw pinsrb pinsrd pinsrq pmaxsb pmaxsd pmaxud pmaxuw " \
         "pminsb pminsd pminud pminuw pmovsxbd pmovsxbq pmovsxbw pmovsxdq " \
         "pmovsxwd pmovsxwq pmovzxbd pmovzxbq pmovzxbw pmovzxdq pmovzxwd " \
         "pmovzxwq pmuldq pmulld ptest roundpd roundps roundsd roundss",
         sse41)
  set_of("pabsb pabsd pabsw palignr phaddd phaddsw phaddw phsubd phsubsw " \
         "phsubw pmaddubsw pmulhrsw pshufb psignb psignd psignw", ssse3)
  set_of("addsubpd addsubps haddpd haddps hsubpd hsubps lddqu movddup " \
         "movshdup movsldup fisttp fisttps fisttpl fisttpll", sse3)
  # Start-up code a shared library links in; never ours.
  set_of("_init _fini _start deregister_tm_clones register_tm_clones " \
         "__do_global_dtors_aux frame_dummy", crt)
  checked = 0; simd_named = 0; offenders = 0
}

# "foo.o:     file format elf64-x86-64" names each archive member.
/:[ \t]+file format / { member = $1; sub(/:$/, "", member); next }

/^Disassembly of section / {
  section = $4; sub(/:$/, "", section)
  skip_section = (section ~ /^\.plt/ || section == ".init" || section == ".fini")
  name = ""
  next
}

# "0000000000000000 <void vact::...<xsimd::sse2>(float const*)>:"
/^[0-9a-f]+ <.*>:$/ {
  name = $0
  sub(/^[0-9a-f]+ </, "", name)
  sub(/>:$/, "", name)
  skip = skip_section || name ~ /@plt$/ || (name in crt)
  if (skip) next
  ++checked
  # What the name allows, widest first.
  allow_avx512 = name ~ /avx512/
  allow_avx = allow_avx512 || name ~ /avx2|xsimd::avx([^0-9a-z_]|$)/
  allow_sse42 = name ~ /avx|sse4_2|sse42/
  allow_sse41 = name ~ /avx|sse4_1|sse41|sse4\.1/
  allow_ssse3 = allow_sse41 || name ~ /ssse3/
  allow_sse3 = allow_ssse3 || name ~ /sse3/
  if (allow_avx || allow_sse41 || allow_sse3) ++simd_named
  reported = 0
  next
}

# "  1c:\tvmovups (%rdi),%ymm0"
/^ *[0-9a-f]+:\t/ {
  if (name == "" || skip || reported) next
  text = $0
  sub(/^ *[0-9a-f]+:\t/, "", text)
  sub(/[ \t]*#.*$/, "", text)            # "# 1f <sym+0x3>" comments
  cut = index(text, " <")                # "call 0 <sym>": drop the symbol
  if (cut > 0) text = substr(text, 1, cut - 1)
  count = split(text, word, /[ \t]+/)
  mnemonic = ""; operands = ""
  for (i = 1; i <= count; ++i) {
    if (mnemonic == "" && (word[i] in prefix || word[i] ~ /^rex(\.[wrxb]+)?$/))
      continue
    if (mnemonic == "") mnemonic = word[i]
    else operands = operands " " word[i]
  }
  if (mnemonic == "") next

  why = ""
  if (!allow_avx512 &&
      (operands ~ /%zmm|%[xy]mm(1[6-9]|2[0-9]|3[01])|%k[0-7]|\{1to/ ||
       mnemonic ~ /^k/ || mnemonic ~ evex_only))
    why = "AVX-512 instruction or register"
  else if (!allow_avx &&
           (operands ~ /%ymm/ || mnemonic in vex_gpr ||
            (mnemonic ~ /^v/ && mnemonic !~ /^ver[rw]$/)))
    why = "AVX/AVX2 (VEX) instruction or ymm register"
  else if (!allow_sse42 && (mnemonic in sse42))
    why = "SSE4.2/POPCNT instruction"
  else if (!allow_sse41 && (mnemonic in sse41))
    why = "SSE4.1 instruction"
  else if (!allow_ssse3 && (mnemonic in ssse3))
    why = "SSSE3 instruction"
  else if (!allow_sse3 && (mnemonic in sse3))
    why = "SSE3 instruction"
  if (why == "") next

  reported = 1
  ++offenders
  gsub(/^[ \t]+|[ \t]+$/, "", text)
  printf "OFFENDING %s: %s\n    %s  (%s)\n", member, name, text, why
}

END {
  if (checked == 0) {
    printf "check_isa_isolation: %s: no functions found\n", lib > "/dev/stderr"
    exit 2
  }
  if (offenders > 0) {
    printf "check_isa_isolation: FAILED: %d of %d functions in %s use " \
           "instructions their name does not allow (the per-ISA ODR trap: " \
           "make them templates on the xsimd architecture or put them in a " \
           "per-ISA namespace)\n", offenders, checked, lib
    exit 1
  }
  printf "check_isa_isolation: OK: %d functions checked in %s (%d of them " \
         "named for a SIMD ISA), none uses instructions beyond what its " \
         "name allows\n", checked, lib, simd_named
}'
