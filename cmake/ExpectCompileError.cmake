# cmake -DCOMPILER=... -DSOURCE=... -DFLAGS=... -DINCLUDES=... -DEXPECTED=regex -P ExpectCompileError.cmake
# Passes when compiling SOURCE fails with a diagnostic matching EXPECTED.
separate_arguments(flag_list UNIX_COMMAND "${FLAGS}")
set(include_args "")
foreach(dir IN LISTS INCLUDES)
  list(APPEND include_args "-I${dir}")
endforeach()
execute_process(
  COMMAND "${COMPILER}" ${flag_list} ${include_args} -fsyntax-only "${SOURCE}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but the thread-safety analysis must reject it")
endif()
if(NOT output MATCHES "${EXPECTED}")
  message(FATAL_ERROR "${SOURCE} failed to compile, but not with the expected diagnostic "
                      "'${EXPECTED}':\n${output}")
endif()
string(REGEX MATCH "[^\n]*${EXPECTED}[^\n]*" line "${output}")
message(STATUS "rejected as expected: ${line}")
