# SPDX-License-Identifier: Apache-2.0
#
# Dependencies: the system's packages first (Debian: libxsimd-dev,
# doctest-dev, libbenchmark-dev); on a machine with internet, a pinned
# download when none is installed (FetchContent tries find_package first).
include(FetchContent)
include(GNUInstallDirs)

# The installed package asks for the same xsimd (vactConfig.cmake, simd).
set(VACT_XSIMD_MIN_VERSION 8.1)
FetchContent_Declare(xsimd
  GIT_REPOSITORY https://github.com/xtensor-stack/xsimd.git
  GIT_TAG 8.1.0
  FIND_PACKAGE_ARGS ${VACT_XSIMD_MIN_VERSION})
FetchContent_MakeAvailable(xsimd)
include(VactXsimdXtl)  # Debian's xsimd links a target "xtl" it never finds

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
