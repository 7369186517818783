# SPDX-License-Identifier: Apache-2.0
#
# FindDNNL: oneDNN's CPU library. Debian's libdnnl-dev ships a CMake package
# (dnnl-config.cmake), but it calls find_package(OpenCL REQUIRED) for the GPU
# runtime, which stops the configure step wherever the OpenCL headers are
# missing; this module finds the header and the library directly.
#
# Result: DNNL_FOUND, DNNL_VERSION, DNNL_CPU_THREADING_RUNTIME (OMP, TBB,
# SEQ, THREADPOOL, ...: dnnl_config.h's) and the imported target
# DNNL::dnnl_cpu.

find_path(DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.hpp)
find_library(DNNL_LIBRARY dnnl)

if(DNNL_INCLUDE_DIR)
  set(_dnnl_dir "${DNNL_INCLUDE_DIR}/oneapi/dnnl")
  if(EXISTS "${_dnnl_dir}/dnnl_version.h")
    file(STRINGS "${_dnnl_dir}/dnnl_version.h" _dnnl_version_lines
         REGEX "^#define DNNL_VERSION_(MAJOR|MINOR|PATCH) ")
    set(_dnnl_version_parts "")
    foreach(_part MAJOR MINOR PATCH)
      string(REGEX MATCH "DNNL_VERSION_${_part} +([0-9]+)" _match
             "${_dnnl_version_lines}")
      list(APPEND _dnnl_version_parts "${CMAKE_MATCH_1}")
    endforeach()
    list(JOIN _dnnl_version_parts "." DNNL_VERSION)
  endif()
  if(EXISTS "${_dnnl_dir}/dnnl_config.h")
    file(STRINGS "${_dnnl_dir}/dnnl_config.h" _dnnl_runtime_line
         REGEX "^#define DNNL_CPU_THREADING_RUNTIME ")
    string(REGEX MATCH "DNNL_RUNTIME_([A-Z]+)" _match "${_dnnl_runtime_line}")
    set(DNNL_CPU_THREADING_RUNTIME "${CMAKE_MATCH_1}")
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(DNNL
  REQUIRED_VARS DNNL_LIBRARY DNNL_INCLUDE_DIR
  VERSION_VAR DNNL_VERSION)

if(DNNL_FOUND AND NOT TARGET DNNL::dnnl_cpu)
  add_library(DNNL::dnnl_cpu UNKNOWN IMPORTED)
  set_target_properties(DNNL::dnnl_cpu PROPERTIES
    IMPORTED_LOCATION "${DNNL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${DNNL_INCLUDE_DIR}")
endif()
mark_as_advanced(DNNL_INCLUDE_DIR DNNL_LIBRARY)
