# SPDX-License-Identifier: Apache-2.0
#
# Checks an installed vactConfigVersion.cmake: SameMajorVersion, so that
# find_package(vact X.Y) accepts the installed version V when X is V's major
# version and X.Y <= V, and refuses a newer minor or another major.
#
# Usage: cmake -DVERSION_FILE=<vactConfigVersion.cmake> -DVERSION=<V> -P this
if(NOT VERSION_FILE OR NOT VERSION)
  message(FATAL_ERROR "usage: cmake -DVERSION_FILE=... -DVERSION=... -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
string(REPLACE "." ";" parts "${VERSION}")
list(GET parts 0 major)
list(GET parts 1 minor)
math(EXPR next_major "${major} + 1")
math(EXPR next_minor "${minor} + 1")
set(results "")
foreach(case "${VERSION}|TRUE" "${major}.0|TRUE" "${major}.${minor}|TRUE"
             "${major}.${next_minor}|FALSE" "${next_major}.0|FALSE")
  string(REPLACE "|" ";" case "${case}")
  list(GET case 0 request)
  list(GET case 1 expected)
  string(REPLACE "." ";" request_parts "${request}")
  set(PACKAGE_FIND_VERSION "${request}")
  list(GET request_parts 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET request_parts 1 PACKAGE_FIND_VERSION_MINOR)
  unset(PACKAGE_VERSION_COMPATIBLE)
  include("${VERSION_FILE}")
  if(NOT "${PACKAGE_VERSION_COMPATIBLE}" STREQUAL "${expected}")
    message(FATAL_ERROR "find_package(vact ${request}) against ${VERSION}: "
            "compatible = '${PACKAGE_VERSION_COMPATIBLE}', expected ${expected}")
  endif()
  string(APPEND results " ${request}:${expected}")
endforeach()
message("   vactConfigVersion.cmake (${VERSION}), compatible:${results}")
