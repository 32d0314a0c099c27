# The CMake package `cmake --install build/<preset>` writes, for another
# project's find_package(racestress): racestress's libraries and headers, and
# the Abseil and GoogleTest they were compiled with. Those two are carried
# rather than left to the consumer because only this build's copies are
# compiled with the preset's sanitizer (cmake/Dependencies.cmake). Their own
# install rules stay off, since they would build all of Abseil; the package
# takes exactly the libraries racestress links. Everything is exported as
# racestress::<name> (racestress::absl_base, racestress::gtest), so it cannot
# clash with a system absl:: or GTest::; racestressConfig.cmake adds the usual
# names where they are free.

include(CMakePackageConfigHelpers)

set(RACESTRESS_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/racestress")

# racestress_link_closure(<out_var> <target>...): <target>... and every target
# of this build they link, directly or not, aliases resolved. Imported targets
# (Threads::Threads) and flags are left out: the consumer's side provides them.
function(racestress_link_closure out_var)
  set(closure "")
  set(pending ${ARGN})
  while(pending)
    list(POP_FRONT pending item)
    # A static library's private dependency, still linked by its users.
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.+)>$" "\\1" item "${item}")
    if(NOT TARGET "${item}")
      continue()
    endif()
    get_target_property(aliased "${item}" ALIASED_TARGET)
    if(aliased)
      set(item "${aliased}")
    endif()
    get_target_property(imported "${item}" IMPORTED)
    if(imported OR item IN_LIST closure)
      continue()
    endif()
    list(APPEND closure "${item}")
    foreach(property IN ITEMS LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(links "${item}" ${property})
      if(links)
        list(APPEND pending ${links})
      endif()
    endforeach()
  endwhile()
  set(${out_var} "${closure}" PARENT_SCOPE)
endfunction()

# gmock too, so that a project's tests can use matchers.
racestress_link_closure(RACESTRESS_PACKAGE_TARGETS
  racestress_gtest_main racestress_instrument_hooks racestress_tsan_reports GTest::gmock)

set_target_properties(racestress_harness PROPERTIES EXPORT_NAME harness)
foreach(layer IN ITEMS core stress controlled runner report)
  set_target_properties(racestress_${layer} PROPERTIES EXPORT_NAME ${layer})
endforeach()
set_target_properties(racestress_instrument_hooks PROPERTIES EXPORT_NAME instrument_hooks)
set_target_properties(racestress_tsan_reports PROPERTIES EXPORT_NAME tsan_reports)
set_target_properties(racestress_gtest_main PROPERTIES EXPORT_NAME gtest_main)
set_target_properties(racestress_gtest PROPERTIES EXPORT_NAME gtest_bridge)

# The preset's sanitizer reaches the consumer's targets through the harness.
# Installed interface only: in this tree CMAKE_CXX_FLAGS already has it.
string(REGEX MATCHALL "-f(no-)?sanitize[^ ]*" _racestress_compile_flags "${CMAKE_CXX_FLAGS}")
string(REGEX MATCHALL "-fsanitize=[^ ]*" _racestress_link_flags "${CMAKE_EXE_LINKER_FLAGS}")
foreach(flag IN LISTS _racestress_compile_flags)
  target_compile_options(racestress_harness INTERFACE "$<INSTALL_INTERFACE:${flag}>")
endforeach()
foreach(flag IN LISTS _racestress_link_flags)
  target_link_options(racestress_harness INTERFACE "$<INSTALL_INTERFACE:${flag}>")
endforeach()

# Abseil's and GoogleTest's libraries are EXCLUDE_FROM_ALL: `all` must build
# each one the package installs, or `cmake --install` finds a file missing.
add_custom_target(racestress_package ALL)
set(RACESTRESS_PACKAGE_DEPENDENCIES "")  # their names, for racestressConfig.cmake's aliases
foreach(target IN LISTS RACESTRESS_PACKAGE_TARGETS)
  get_target_property(type ${target} TYPE)
  if(NOT type STREQUAL "INTERFACE_LIBRARY")
    add_dependencies(racestress_package ${target})
  endif()
  if(NOT target MATCHES "^racestress_")
    list(APPEND RACESTRESS_PACKAGE_DEPENDENCIES ${target})
  endif()
endforeach()

install(TARGETS ${RACESTRESS_PACKAGE_TARGETS} EXPORT racestressTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(EXPORT racestressTargets NAMESPACE racestress::
  DESTINATION "${RACESTRESS_INSTALL_CMAKEDIR}")

# Headers at the paths the sources include them by: "harness/case.h",
# "absl/synchronization/mutex.h", "gtest/gtest.h".
install(DIRECTORY "${PROJECT_SOURCE_DIR}/harness/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/harness"
  FILES_MATCHING PATTERN "*.h"
  PATTERN "test_support.h" EXCLUDE)  # the harness's own tests' helpers
install(DIRECTORY "${RACESTRESS_ABSL_SOURCE_DIR}/absl" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.h" PATTERN "*.inc"
  PATTERN "copts" EXCLUDE PATTERN "testdata" EXCLUDE)  # as Abseil's own install
install(DIRECTORY "${RACESTRESS_GTEST_SOURCE_DIR}/googletest/include/"
                  "${RACESTRESS_GTEST_SOURCE_DIR}/googlemock/include/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" FILES_MATCHING PATTERN "*.h")

# What the consumer's code under test must be compiled with (racestress_CXX_FLAGS).
separate_arguments(RACESTRESS_PACKAGE_CXX_FLAGS UNIX_COMMAND "${CMAKE_CXX_FLAGS}")
string(REGEX MATCH "^[0-9]+" RACESTRESS_CLANG_MAJOR "${CMAKE_CXX_COMPILER_VERSION}")
configure_package_config_file(cmake/racestressConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/racestressConfig.cmake"
  INSTALL_DESTINATION "${RACESTRESS_INSTALL_CMAKEDIR}"
  NO_SET_AND_CHECK_MACRO NO_CHECK_REQUIRED_COMPONENTS_MACRO)
# 0.x: a new minor version may change the API.
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/racestressConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/racestressConfig.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/racestressConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/Instrument.cmake"
  DESTINATION "${RACESTRESS_INSTALL_CMAKEDIR}")
