# SPDX-License-Identifier: Apache-2.0
#
# Cross build for aarch64 Linux with Debian's g++-aarch64-linux-gnu; the
# binaries run under qemu-user (ctest uses the emulator set below).
#
#   cmake --preset aarch64     (or -DCMAKE_TOOLCHAIN_FILE=<this file>)
#
# xsimd and doctest are header-only and installed for the host only. The
# compiler reaches their headers through -idirafter /usr/include: after the
# aarch64 sysroot's own headers, so glibc and libstdc++ stay the target's.
# Their CMake packages come from the host too, named explicitly through
# <Package>_DIR; every other package, library and header is searched for in
# the aarch64 sysroot only.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_CXX_FLAGS_INIT "-idirafter /usr/include")
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # host tools (objdump)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The host's config directories of the header-only packages (Debian puts
# xsimd's under the multiarch directory, doctest's under /usr/lib/cmake).
foreach(package IN ITEMS xsimd doctest)
  if(DEFINED ${package}_DIR)
    continue()
  endif()
  foreach(dir IN ITEMS
          /usr/lib/${CMAKE_HOST_SYSTEM_PROCESSOR}-linux-gnu/cmake/${package}
          /usr/lib/cmake/${package} /usr/share/cmake/${package})
    if(EXISTS ${dir}/${package}Config.cmake)
      set(${package}_DIR ${dir} CACHE PATH "host's ${package} package")
      break()
    endif()
  endforeach()
endforeach()
