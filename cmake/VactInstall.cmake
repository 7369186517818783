# SPDX-License-Identifier: Apache-2.0
#
# `cmake --install`: headers, the library, vact-info, the CMake package
# (vactConfig.cmake, vactConfigVersion.cmake, exported targets) and vact.pc.
#
# Two export sets, so that xsimd is needed only by those who ask for it:
#   vactTargets.cmake      vact::vact, the C and C++ API: no dependencies;
#   vactSimdTargets.cmake  vact::simd, the per-vector math in vact/simd/,
#                          which links xsimd; vactConfig.cmake loads it (and
#                          finds xsimd) only for find_package(vact COMPONENTS
#                          simd) or OPTIONAL_COMPONENTS simd.
include(CMakePackageConfigHelpers)

set(VACT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/vact"
    CACHE STRING "Where to install vact's CMake package (under the prefix)")
mark_as_advanced(VACT_INSTALL_CMAKEDIR)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/vact"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT vact_development
        FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp" PATTERN "*.def")

install(TARGETS vact EXPORT vactTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          COMPONENT vact_development
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          COMPONENT vact_runtime
          NAMELINK_COMPONENT vact_development
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
          COMPONENT vact_runtime)
install(TARGETS vact_simd EXPORT vactSimdTargets)
if(TARGET vact-info)
  install(TARGETS vact-info
          RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
          COMPONENT vact_runtime)
endif()

install(EXPORT vactTargets
        NAMESPACE vact::
        DESTINATION "${VACT_INSTALL_CMAKEDIR}"
        COMPONENT vact_development)
install(EXPORT vactSimdTargets
        NAMESPACE vact::
        DESTINATION "${VACT_INSTALL_CMAKEDIR}"
        COMPONENT vact_development)

# vactConfig.cmake asks for VACT_XSIMD_MIN_VERSION, as the build does
# (cmake/VactDependencies.cmake).
configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/vactConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/vactConfig.cmake"
  INSTALL_DESTINATION "${VACT_INSTALL_CMAKEDIR}"
  NO_SET_AND_CHECK_MACRO)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/vactConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion)
install(FILES
          "${PROJECT_BINARY_DIR}/vactConfig.cmake"
          "${PROJECT_BINARY_DIR}/vactConfigVersion.cmake"
          "${CMAKE_CURRENT_LIST_DIR}/VactXsimdXtl.cmake"
        DESTINATION "${VACT_INSTALL_CMAKEDIR}"
        COMPONENT vact_development)

# vact.pc. The prefix is found from the .pc file's own place (pkg-config's
# ${pcfiledir}), so `cmake --install --prefix` anywhere works. A static
# libvact.a needs the C++ runtime that a C compiler does not link: it goes
# into Libs (not Libs.private), so that plain `pkg-config --libs vact` links
# when only the static library is installed.
set(_vact_pcdir "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
if(IS_ABSOLUTE "${_vact_pcdir}")
  set(VACT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _vact_up "/prefix/${_vact_pcdir}" "/prefix")
  string(REGEX REPLACE "/$" "" _vact_up "${_vact_up}")
  set(VACT_PC_PREFIX "\${pcfiledir}/${_vact_up}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(VACT_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(VACT_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
list(TRANSFORM VACT_CXX_RUNTIME_LIBS PREPEND "-l"
     OUTPUT_VARIABLE VACT_PC_RUNTIME_LIBS)
list(JOIN VACT_PC_RUNTIME_LIBS " " VACT_PC_RUNTIME_LIBS)
if(BUILD_SHARED_LIBS)
  set(VACT_PC_LIBS "-L\${libdir} -lvact")
  set(VACT_PC_LIBS_PRIVATE "${VACT_PC_RUNTIME_LIBS}")
else()
  set(VACT_PC_LIBS "-L\${libdir} -lvact ${VACT_PC_RUNTIME_LIBS}")
  set(VACT_PC_LIBS_PRIVATE "")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/vact.pc.in"
               "${PROJECT_BINARY_DIR}/vact.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/vact.pc"
        DESTINATION "${_vact_pcdir}"
        COMPONENT vact_development)
