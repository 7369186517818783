# SPDX-License-Identifier: Apache-2.0
#
# Include after finding xsimd. Debian's xsimd 8.1 package links its target
# to "xtl" (for xtl's complex numbers, which vact does not use) without
# finding xtl; give that name an empty imported target, so that whoever
# links xsimd does not get -lxtl. Used by the build (VactDependencies.cmake)
# and installed next to vactConfig.cmake for find_package(vact COMPONENTS
# simd). Imported targets are directory-scoped: include it in the directory
# that found xsimd.
if(TARGET xsimd AND NOT TARGET xtl)
  get_target_property(_vact_xsimd_links xsimd INTERFACE_LINK_LIBRARIES)
  if("xtl" IN_LIST _vact_xsimd_links)
    add_library(xtl INTERFACE IMPORTED)
  endif()
  unset(_vact_xsimd_links)
endif()
