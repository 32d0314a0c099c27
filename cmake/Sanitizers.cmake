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
