# CTest GtestBridge.VerdictInGtestOutput: each case's seed, verdict,
# iterations and replay line are properties of its GoogleTest test, so
# --gtest_output=xml (and CTest's JUnit output, which reads it) carries them.
#   cmake -DFIXTURE=<racestress_gate_fixture> -DWORK_DIR=... -P gtest_output_test.cmake
# The fixture has one regressed case (failed, with a replay line) and one clean.

file(MAKE_DIRECTORY "${WORK_DIR}")
set(xml_path "${WORK_DIR}/gtest_output.xml")
file(REMOVE "${xml_path}")
# The count must bind, not the case's 1 s time budget: a loaded machine ran
# only 148 of the 200 within it.
execute_process(COMMAND "${FIXTURE}" --racestress_seed=0x2a --iterations=200 --time_budget=600s
                        "--gtest_output=xml:${xml_path}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 1)
  message(FATAL_ERROR "fixture: exit code ${code}, expected 1 (one case regressed)\n${out}\n${err}")
endif()
if(NOT EXISTS "${xml_path}")
  message(FATAL_ERROR "no XML written at ${xml_path}\n${out}\n${err}")
endif()
file(READ "${xml_path}" xml)

# expect_property(<test> <name> <value regex>): the <testcase name="<test>">
# element has <property name="<name>" value="..."/> matching the regex.
function(expect_property test name value)
  string(REGEX MATCH "<testcase name=\"${test}\"[^>]*>.*</testcase>" element "${xml}")
  string(FIND "${element}" "</testcase>" end)
  string(SUBSTRING "${element}" 0 ${end} element)
  if(NOT element MATCHES "<property name=\"${name}\" value=\"${value}\"/>")
    message(FATAL_ERROR "${test}: no property ${name} = ${value} in:\n${element}\n\n${xml}")
  endif()
  message(STATUS "${test}: ${name} ${CMAKE_MATCH_0}")
endfunction()

expect_property(RegressedCounter racestress_seed "0x000000000000002a")
expect_property(RegressedCounter racestress_verdict "failed")
expect_property(RegressedCounter racestress_iterations "[1-9][0-9]*")
expect_property(RegressedCounter racestress_replay
                "[^\"]*racestress_gate_fixture --gtest_filter=GateFixture.RegressedCounter --replay=0x000000000000002a:[0-9]+")
expect_property(LockedCounter racestress_seed "0x000000000000002a")
expect_property(LockedCounter racestress_verdict "passed")
expect_property(LockedCounter racestress_iterations "200")
string(REGEX MATCH "<testcase name=\"LockedCounter\"[^>]*>.*" locked "${xml}")
string(FIND "${locked}" "</testcase>" end)
string(SUBSTRING "${locked}" 0 ${end} locked)
if(locked MATCHES "racestress_replay")
  message(FATAL_ERROR "a clean case with a replay line:\n${locked}")
endif()

# A skipped case says so: here a shard that has none of the case's iterations.
set(ENV{GTEST_TOTAL_SHARDS} 2)
set(ENV{GTEST_SHARD_INDEX} 0)
file(REMOVE "${xml_path}")
execute_process(COMMAND "${FIXTURE}" --racestress_seed=0x2a --iterations=1
                        --gtest_filter=GateFixture.LockedCounter "--gtest_output=xml:${xml_path}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
unset(ENV{GTEST_TOTAL_SHARDS})
unset(ENV{GTEST_SHARD_INDEX})
if(NOT code EQUAL 0 OR NOT EXISTS "${xml_path}")
  message(FATAL_ERROR "sharded fixture: exit code ${code}, expected 0\n${out}\n${err}")
endif()
file(READ "${xml_path}" xml)
expect_property(LockedCounter racestress_verdict "skipped")
