# SPDX-License-Identifier: Apache-2.0
#
# FindSLEEF: the SLEEF vector math library (Debian: libsleef-dev, which puts
# sleef.h in the multiarch include directory and ships no CMake package).
#
# Result: SLEEF_FOUND, SLEEF_VERSION (from sleef.h) and the imported target
# SLEEF::sleef.

find_path(SLEEF_INCLUDE_DIR sleef.h)
find_library(SLEEF_LIBRARY sleef)

if(SLEEF_INCLUDE_DIR AND EXISTS "${SLEEF_INCLUDE_DIR}/sleef.h")
  file(STRINGS "${SLEEF_INCLUDE_DIR}/sleef.h" _sleef_version_lines
       REGEX "^#define SLEEF_VERSION_(MAJOR|MINOR|PATCHLEVEL) ")
  set(_sleef_version_parts "")
  foreach(_part MAJOR MINOR PATCHLEVEL)
    string(REGEX MATCH "SLEEF_VERSION_${_part} ([0-9]+)" _match
           "${_sleef_version_lines}")
    list(APPEND _sleef_version_parts "${CMAKE_MATCH_1}")
  endforeach()
  list(JOIN _sleef_version_parts "." SLEEF_VERSION)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SLEEF
  REQUIRED_VARS SLEEF_LIBRARY SLEEF_INCLUDE_DIR
  VERSION_VAR SLEEF_VERSION)

if(SLEEF_FOUND AND NOT TARGET SLEEF::sleef)
  add_library(SLEEF::sleef UNKNOWN IMPORTED)
  set_target_properties(SLEEF::sleef PROPERTIES
    IMPORTED_LOCATION "${SLEEF_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SLEEF_INCLUDE_DIR}")
endif()
mark_as_advanced(SLEEF_INCLUDE_DIR SLEEF_LIBRARY)
