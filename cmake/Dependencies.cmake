# Abseil and GoogleTest are compiled from source inside every build tree, with
# the flags of the preset that builds the project. A prebuilt, uninstrumented
# libabsl or libgtest must never be linked: TSan cannot see the synchronization
# inside it and reports correctly locked code as racy.

file(GLOB _racestress_absl_dirs LIST_DIRECTORIES true
     "${PROJECT_SOURCE_DIR}/.cache/abseil-*")
set(RACESTRESS_ABSL_SOURCE_DIR "" CACHE PATH "Abseil source tree (default: .cache/abseil-*)")
if(NOT RACESTRESS_ABSL_SOURCE_DIR AND _racestress_absl_dirs)
  list(GET _racestress_absl_dirs 0 _racestress_absl_dir)
  set(RACESTRESS_ABSL_SOURCE_DIR "${_racestress_absl_dir}" CACHE PATH "" FORCE)
endif()
if(NOT EXISTS "${RACESTRESS_ABSL_SOURCE_DIR}/CMakeLists.txt")
  message(FATAL_ERROR "Abseil source not found in .cache/: run scripts/setup.sh first")
endif()

set(ABSL_PROPAGATE_CXX_STD ON)
set(ABSL_ENABLE_INSTALL OFF)
set(ABSL_BUILD_TESTING OFF)
add_subdirectory("${RACESTRESS_ABSL_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_deps/abseil"
                 EXCLUDE_FROM_ALL SYSTEM)

set(RACESTRESS_GTEST_SOURCE_DIR "/usr/src/googletest" CACHE PATH "GoogleTest source tree")
if(NOT EXISTS "${RACESTRESS_GTEST_SOURCE_DIR}/CMakeLists.txt")
  message(FATAL_ERROR "GoogleTest source not found in ${RACESTRESS_GTEST_SOURCE_DIR}: run scripts/setup.sh first")
endif()
set(INSTALL_GTEST OFF)
set(BUILD_GMOCK ON)
add_subdirectory("${RACESTRESS_GTEST_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_deps/googletest"
                 EXCLUDE_FROM_ALL SYSTEM)
