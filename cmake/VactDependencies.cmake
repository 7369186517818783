# SPDX-License-Identifier: Apache-2.0
#
# Dependencies: the system's packages first (Debian: libxsimd-dev,
# doctest-dev, libbenchmark-dev); on a machine with internet, a pinned
# download when none is installed (FetchContent tries find_package first).
include(FetchContent)
include(GNUInstallDirs)

FetchContent_Declare(xsimd
  GIT_REPOSITORY https://github.com/xtensor-stack/xsimd.git
  GIT_TAG 8.1.0
  FIND_PACKAGE_ARGS 8.1)
FetchContent_MakeAvailable(xsimd)
# Debian's xsimd 8.1 package links its target to "xtl" (for xtl's complex
# numbers, which vact does not use) without finding xtl; give that name a
# target so that consumers do not get -lxtl.
if(TARGET xsimd AND NOT TARGET xtl)
  get_target_property(vact_xsimd_links xsimd INTERFACE_LINK_LIBRARIES)
  if("xtl" IN_LIST vact_xsimd_links)
    add_library(xtl INTERFACE IMPORTED)
  endif()
endif()

if(VACT_BUILD_TESTS)
  FetchContent_Declare(doctest
    GIT_REPOSITORY https://github.com/doctest/doctest.git
    GIT_TAG v2.4.9
    FIND_PACKAGE_ARGS 2.4)
  FetchContent_MakeAvailable(doctest)
endif()

if(VACT_BUILD_BENCHMARKS)
  set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
  FetchContent_Declare(benchmark
    GIT_REPOSITORY https://github.com/google/benchmark.git
    GIT_TAG v1.7.1
    FIND_PACKAGE_ARGS 1.7)
  FetchContent_MakeAvailable(benchmark)
endif()
