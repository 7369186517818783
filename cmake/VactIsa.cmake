# SPDX-License-Identifier: Apache-2.0
#
# The one place that knows the instruction-set flags. Each ISA is one
# source file, src/isa/<isa>.cpp, compiled with its flags and nothing else
# (the dispatcher and the API stay at the baseline).

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(VACT_ARCH x86_64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(VACT_ARCH aarch64)
else()
  set(VACT_ARCH other)
endif()

# Every kernel's FMAs are written on purpose, so that all FMA-capable ISAs
# (and the scalar one) round the same way: the compiler must fuse nothing
# on its own. Part of every ISA's flags and of vact::simd's interface.
set(VACT_FP_FLAGS -ffp-contract=off)

# name | source | flags (besides VACT_FP_FLAGS) | architecture
set(VACT_ISA_TABLE
  "SSE2|sse2|-msse2|x86_64"
  "SSE41|sse41|-msse4.1|x86_64"
  "AVX2|avx2|-mavx2 -mfma -mf16c|x86_64"
  "AVX512|avx512|-mavx512f -mavx512cd -mavx512bw -mavx512dq -mavx512vl -mavx2 -mfma -mf16c|x86_64"
  "NEON|neon||aarch64")

foreach(entry IN LISTS VACT_ISA_TABLE)
  string(REPLACE "|" ";" fields "${entry}")
  list(GET fields 0 name)
  list(GET fields 3 arch)
  if(arch STREQUAL VACT_ARCH)
    option(VACT_ENABLE_${name} "Compile the ${name} kernels" ON)
  else()
    set(VACT_ENABLE_${name} OFF)
  endif()
endforeach()

# For tests on CPUs without AVX-512: the avx512 table built for AVX2, its
# AVX-512 intrinsics emulated lane by lane (tests/emulation/avx512_on_avx2.hpp,
# over SIMDe: libsimde-dev), and run by the dispatcher wherever AVX2 is, so
# that vact_tests checks its bits against the scalar table's. Slow; never
# for a library that ships.
option(VACT_EMULATE_AVX512
  "Test only: emulate the avx512 table on AVX2 CPUs (needs GCC and SIMDe)" OFF)
if(VACT_EMULATE_AVX512)
  if(NOT VACT_ENABLE_AVX512 OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "VACT_EMULATE_AVX512 needs VACT_ENABLE_AVX512 and GCC")
  endif()
  find_path(VACT_SIMDE_INCLUDE_DIR simde/x86/avx512.h)
  if(NOT VACT_SIMDE_INCLUDE_DIR)
    message(FATAL_ERROR
      "VACT_EMULATE_AVX512 needs SIMDe (Debian: apt-get install libsimde-dev)")
  endif()
  set(VACT_ENABLE_AVX512_BF16 OFF CACHE BOOL "" FORCE)
endif()

# A variant of the avx512 table, not a table of its own: its bf16 rounding
# by AVX512_BF16's vcvtneps2bf16, for the CPUs that have it
# (src/isa/avx512_bf16.cpp; the dispatcher picks it at run time).
if(VACT_ENABLE_AVX512 AND NOT VACT_EMULATE_AVX512)
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-mavx512bf16 VACT_COMPILER_HAS_AVX512BF16)
  option(VACT_ENABLE_AVX512_BF16
    "Round bf16 with AVX512_BF16's instruction where the CPU has it"
    ${VACT_COMPILER_HAS_AVX512BF16})
else()
  set(VACT_ENABLE_AVX512_BF16 OFF)
endif()

# Extra flags for the SIMD ISAs' sources only (not the scalar table, the
# dispatcher or the API): the asan preset uses it to leave out UBSan's
# pointer checks there, which instrument every access of the inlined
# kernels and made each SIMD object take 6-14 minutes to compile, and the
# sanitizer presets to keep line tables only (-g1) there.
set(VACT_SIMD_ISA_EXTRA_FLAGS "" CACHE STRING
  "Extra compile flags for the SIMD ISA sources (src/isa/<isa>.cpp but scalar)")

# GCC schedules instructions before register allocation only where asked
# (-fschedule-insns is off for x86). Without it the array driver's four
# vectors per iteration reach the CPU one whole kernel after another, and a
# kernel's dependency chain outlasts what the out-of-order window can look
# past; with it (register pressure weighed, -fsched-pressure's "model"
# algorithm) their instructions interleave. 1.1-1.5x on the branch-free
# kernels of the ISAs with 16 vector registers (docs/performance.md,
# "Instruction scheduling"); avx512 interleaves its vectors in the source
# (simd::lockstep) and was not measured with it, so it is left out.
# Scheduling reorders, never changes, the operations: same bits.
# VACT_SCHEDULED_KERNELS tells the kernel table of such an object to defer
# its rare paths (defer_rare_paths_over in src/kernels/make_kernel_table.hpp).
set(VACT_SCHEDULED_ISAS SSE2 SSE41 AVX2)
set(VACT_GCC_SCHEDULE_FLAGS
  -fschedule-insns -fsched-pressure --param=sched-pressure-algorithm=2
  -DVACT_SCHEDULED_KERNELS)

function(vact_add_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wconversion -Wshadow)
  endif()
endfunction()

# The compile options of ISA `name` (SSE2, SSE41, ...), for code outside
# the library that instantiates vact/simd/ for that ISA (the tests' fusion
# check): the flags still live only in VACT_ISA_TABLE above.
function(vact_isa_compile_options name out_var)
  foreach(entry IN LISTS VACT_ISA_TABLE)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 entry_name)
    if(entry_name STREQUAL name)
      list(GET fields 2 flags)
      if(name STREQUAL "AVX512" AND VACT_EMULATE_AVX512)
        # -O1: the emulated intrinsics made -O3 take 10 minutes for this
        # object; the bits do not depend on the level (no fast-math, no
        # contraction).
        set(flags "-mavx2 -mfma -mf16c -O1 -Wno-psabi")
        if(NOT VACT_SIMDE_INCLUDE_DIR IN_LIST
           CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
          string(APPEND flags " -isystem ${VACT_SIMDE_INCLUDE_DIR}")
        endif()
        string(APPEND flags " -include ${PROJECT_SOURCE_DIR}/tests/emulation/avx512_on_avx2.hpp")
      endif()
      separate_arguments(flag_list UNIX_COMMAND "${flags}")
      list(APPEND flag_list ${VACT_FP_FLAGS})
      separate_arguments(extra UNIX_COMMAND "${VACT_SIMD_ISA_EXTRA_FLAGS}")
      list(APPEND flag_list ${extra})
      if(name IN_LIST VACT_SCHEDULED_ISAS AND
         CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        list(APPEND flag_list ${VACT_GCC_SCHEDULE_FLAGS})
      endif()
      if(name STREQUAL "AVX512" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
         AND NOT VACT_EMULATE_AVX512)
        # GCC 12's avx512fintrin.h reads its own _mm512_undefined_ps()
        # placeholders (GCC bug 105593): silence that, not our code's.
        list(APPEND flag_list -Wno-uninitialized -Wno-maybe-uninitialized)
      endif()
      set(${out_var} "${flag_list}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "unknown ISA ${name}")
endfunction()

# Adds the scalar table and every enabled ISA's table to `target`, and tells
# the dispatcher which ones it has (VACT_HAVE_<ISA>).
function(vact_add_isa_sources target)
  target_sources(${target} PRIVATE
    ${PROJECT_SOURCE_DIR}/src/isa/scalar.cpp)
  set_source_files_properties(${PROJECT_SOURCE_DIR}/src/isa/scalar.cpp
    PROPERTIES COMPILE_OPTIONS "${VACT_FP_FLAGS}")
  foreach(entry IN LISTS VACT_ISA_TABLE)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 name)
    list(GET fields 1 source)
    list(GET fields 2 flags)
    if(VACT_ENABLE_${name})
      set(file ${PROJECT_SOURCE_DIR}/src/isa/${source}.cpp)
      target_sources(${target} PRIVATE ${file})
      vact_isa_compile_options(${name} flag_list)
      set_source_files_properties(${file} PROPERTIES
        COMPILE_OPTIONS "${flag_list}")
    endif()
  endforeach()
  if(VACT_ENABLE_AVX512_BF16)
    set(file ${PROJECT_SOURCE_DIR}/src/isa/avx512_bf16.cpp)
    target_sources(${target} PRIVATE ${file})
    vact_isa_compile_options(AVX512 flag_list)
    set_source_files_properties(${file} PROPERTIES
      COMPILE_OPTIONS "${flag_list};-mavx512bf16")
  endif()
  vact_add_isa_definitions(${target})
endfunction()

# Tells `target` which ISAs this build compiles in: VACT_HAVE_<ISA>=0 or 1
# (the dispatcher's table list, and vact-info's "compiled in" column).
function(vact_add_isa_definitions target)
  foreach(entry IN LISTS VACT_ISA_TABLE)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 name)
    set(have 0)
    if(VACT_ENABLE_${name})
      set(have 1)
    endif()
    target_compile_definitions(${target} PRIVATE VACT_HAVE_${name}=${have})
  endforeach()
  set(have 0)
  if(VACT_ENABLE_AVX512_BF16)
    set(have 1)
  endif()
  target_compile_definitions(${target} PRIVATE VACT_HAVE_AVX512_BF16=${have})
  if(VACT_EMULATE_AVX512)
    target_compile_definitions(${target} PRIVATE VACT_EMULATED_AVX512=1)
  endif()
endfunction()
