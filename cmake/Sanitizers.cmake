# Runtime options for each sanitizer, read from sanitizers/<name>_options.txt
# (one option a line, '#' comments) and handed to every test through CTest.

function(racestress_read_options file out_var)
  file(STRINGS "${file}" lines)
  set(options "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "#.*$" "" line "${line}")
    string(STRIP "${line}" line)
    if(line)
      list(APPEND options "${line}")
    endif()
  endforeach()
  list(JOIN options ":" joined)
  set(${out_var} "${joined}" PARENT_SCOPE)
endfunction()

# RACESTRESS_TSAN_BASE_OPTIONS: the options without the suppressions file, for
# a binary that carries the suppressions itself (racestress_gtest_main).
set(RACESTRESS_TSAN_SUPPRESSIONS "${PROJECT_SOURCE_DIR}/sanitizers/tsan.supp")
racestress_read_options("${PROJECT_SOURCE_DIR}/sanitizers/tsan_options.txt" RACESTRESS_TSAN_BASE_OPTIONS)
# The llvm-symbolizer of the compiler's own LLVM: the one on PATH may be
# older and unable to read its debug info (clang 14's cannot read clang 22's:
# every frame of a report came out "<null>").
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  get_filename_component(racestress_cxx_real "${CMAKE_CXX_COMPILER}" REALPATH)
  get_filename_component(racestress_cxx_dir "${racestress_cxx_real}" DIRECTORY)
  find_program(RACESTRESS_LLVM_SYMBOLIZER llvm-symbolizer HINTS "${racestress_cxx_dir}"
               NO_DEFAULT_PATH)
  if(RACESTRESS_LLVM_SYMBOLIZER)
    string(APPEND RACESTRESS_TSAN_BASE_OPTIONS
           ":external_symbolizer_path=${RACESTRESS_LLVM_SYMBOLIZER}")
  endif()
endif()
set(RACESTRESS_TSAN_OPTIONS "${RACESTRESS_TSAN_BASE_OPTIONS}:suppressions=${RACESTRESS_TSAN_SUPPRESSIONS}")
racestress_read_options("${PROJECT_SOURCE_DIR}/sanitizers/asan_options.txt" RACESTRESS_ASAN_OPTIONS)

# RACESTRESS_TEST_ENVIRONMENT: the ENVIRONMENT property of every test. One
# variable only: gtest_discover_tests would split a list of several.
if(RACESTRESS_SANITIZER STREQUAL "thread")
  set(RACESTRESS_TEST_ENVIRONMENT "TSAN_OPTIONS=${RACESTRESS_TSAN_OPTIONS}")
elseif(RACESTRESS_SANITIZER STREQUAL "address")
  set(RACESTRESS_TEST_ENVIRONMENT "ASAN_OPTIONS=${RACESTRESS_ASAN_OPTIONS}")
else()
  set(RACESTRESS_TEST_ENVIRONMENT "RACESTRESS_SANITIZER=none")
endif()
