# SPDX-License-Identifier: Apache-2.0
#
# FindXNNPACK: XNNPACK as Debian packs it (libxnnpack-dev), which ships no
# CMake package and no pkg-config file. xnnpack.h includes <pthreadpool.h>,
# which is in libpthreadpool-dev, a package libxnnpack-dev does not depend
# on: both headers are required.
#
# Result: XNNPACK_FOUND and the imported target XNNPACK::XNNPACK.

find_path(XNNPACK_INCLUDE_DIR xnnpack.h)
find_path(XNNPACK_PTHREADPOOL_INCLUDE_DIR pthreadpool.h)
find_library(XNNPACK_LIBRARY NAMES XNNPACK xnnpack)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(XNNPACK
  REQUIRED_VARS XNNPACK_LIBRARY XNNPACK_INCLUDE_DIR
                XNNPACK_PTHREADPOOL_INCLUDE_DIR)

if(XNNPACK_FOUND AND NOT TARGET XNNPACK::XNNPACK)
  add_library(XNNPACK::XNNPACK UNKNOWN IMPORTED)
  set_target_properties(XNNPACK::XNNPACK PROPERTIES
    IMPORTED_LOCATION "${XNNPACK_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES
      "${XNNPACK_INCLUDE_DIR};${XNNPACK_PTHREADPOOL_INCLUDE_DIR}")
endif()
mark_as_advanced(XNNPACK_INCLUDE_DIR XNNPACK_PTHREADPOOL_INCLUDE_DIR
                 XNNPACK_LIBRARY)
