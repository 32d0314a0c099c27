# End-to-end checks of the runner's command line (CTest: Runner.CommandLine).
#   cmake -DRUNNER=build/<preset>/racestress -DWORK_DIR=... -P runner_cli_test.cmake
# Bad input: exit code 2 and one line on stderr that starts with "racestress: ".
# A good run with --json writes the whole documented report.

# expect_bad_input(description args... [EXPECT regex]): `regex` must match the line.
function(expect_bad_input description)
  expect_bad_input_with_env("${description}" "" ${ARGN})
endfunction()

# As expect_bad_input, with the variables `env` (a list of NAME=VALUE) set.
function(expect_bad_input_with_env description env)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "EXPECT" "")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env ${env} "${RUNNER}" ${arg_UNPARSED_ARGUMENTS}
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(STRIP "${err}" err)
  string(REGEX MATCHALL "\n" newlines "${err}")
  if(NOT code EQUAL 2)
    message(FATAL_ERROR "${description}: exit code ${code}, expected 2\nstderr: ${err}")
  endif()
  if(newlines OR NOT err MATCHES "^racestress: ")
    message(FATAL_ERROR "${description}: expected one line 'racestress: ...', got:\n${err}")
  endif()
  if(arg_EXPECT AND NOT err MATCHES "${arg_EXPECT}")
    message(FATAL_ERROR "${description}: expected '${arg_EXPECT}', got:\n${err}")
  endif()
  message(STATUS "${description}: ${err}")
endfunction()

file(MAKE_DIRECTORY "${WORK_DIR}")
expect_bad_input("unknown flag" --no_such_flag=1)
expect_bad_input("unknown case" --gtest_filter=Counter.NoSuchCase)
expect_bad_input("bad seed" --seed=banana)
expect_bad_input("bad replay token" --replay=0x2a)
expect_bad_input("bad iterations" --iterations=-3)
expect_bad_input("bad time budget" --time_budget=soon)
expect_bad_input("unwritable report path" --json=/nonexistent-dir/report.json)
expect_bad_input("report path is a directory" "--json=${WORK_DIR}")
expect_bad_input("stray argument" Counter.LostUpdateAtomic)
expect_bad_input("bad seed, prefixed spelling" --racestress_seed=banana)
expect_bad_input("unknown prefixed flag" --racestress_no_such_flag=1)
expect_bad_input("negated non-bool flag" --nojson)
expect_bad_input("flag without its value" --iterations)
expect_bad_input("bad engine" --engine=fast)
expect_bad_input("bad strategy" --engine=controlled --strategy=clever)
expect_bad_input("Abseil's own flag" --flagfile=/dev/null)
expect_bad_input("internal flag without its prefix" --child=Counter.LostUpdateAtomic)
# What would otherwise be dropped without a word: a controlled engine's flag
# under the stress engine, a report path that names no file, one file for both.
foreach(flag IN ITEMS --strategy=pct --pct_depth=3 --pct_steps=9 --preemption_bound=1
                      --path=0.1 --max_steps=99)
  string(REGEX REPLACE "=.*" "" name "${flag}")
  expect_bad_input("${name} without the controlled engine" ${flag}
                   EXPECT "^racestress: ${name} applies to --engine=controlled only$")
endforeach()
expect_bad_input("strategy under the stress engine" --engine=stress --strategy=random)
expect_bad_input("empty --json" --json= EXPECT "--json= names no file")
expect_bad_input("empty --html" --html= EXPECT "--html= names no file")
expect_bad_input("--json and --html one file" "--json=${WORK_DIR}/r.out"
                 "--html=${WORK_DIR}/./r.out" EXPECT "are one file")
file(GLOB leftovers "${WORK_DIR}/r.out*")
if(leftovers)
  message(FATAL_ERROR "a refused run left ${leftovers}")
endif()
# Numbers a run cannot afford: PCT's depth beyond its bound (2^31 - 1 once
# asked for 32 GiB), steps and bounds below their least value.
expect_bad_input("pct depth beyond its bound" --engine=controlled --strategy=pct
                 --pct_depth=2147483647)
expect_bad_input("pct depth of a million" --engine=controlled --strategy=pct --pct_depth=1000000)
expect_bad_input("pct depth zero" --engine=controlled --strategy=pct --pct_depth=0)
expect_bad_input("pct depth beyond int" --engine=controlled --strategy=pct
                 --pct_depth=99999999999)
expect_bad_input("negative pct steps" --engine=controlled --strategy=pct --pct_steps=-1)
expect_bad_input("zero max steps" --engine=controlled --max_steps=0)
expect_bad_input("negative max steps" --engine=controlled --max_steps=-5)
expect_bad_input("negative preemption bound" --engine=controlled --strategy=dfs
                 --preemption_bound=-1)
# Shard k of S starts at k * 2^40 under a time budget: S is bounded so that
# no shard's range overflows.
expect_bad_input_with_env("shard count that overflows the iteration range"
                          "GTEST_TOTAL_SHARDS=2147483647;GTEST_SHARD_INDEX=2147483646"
                          --gtest_filter=Counter.LostUpdateAtomic --time_budget=10ms)

# --help lists every user-facing flag, and says how the prefixed spelling works.
execute_process(COMMAND "${RUNNER}" --help
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "--help: exit code ${code}\n${out}\n${err}")
endif()
foreach(flag IN ITEMS --seed= --iterations= --time_budget= --replay= --json= --html=
                      --noisolate --engine= --strategy= --pct_depth= --pct_steps=
                      --preemption_bound= --path= --max_steps= --progress_every=
                      --racestress_)
  string(FIND "${out}" "${flag}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "--help does not mention ${flag}:\n${out}")
  endif()
endforeach()
message(STATUS "--help lists every flag")

# The prefixed spellings are the same flags as the short ones.
execute_process(COMMAND "${RUNNER}" --gtest_filter=Counter.LostUpdateAtomic
                        --racestress_iterations=2 --racestress_seed=0x2a --noracestress_isolate
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0 OR NOT out MATCHES "racestress: seed 0x000000000000002a, preset [a-z0-9-]+ \\(rerun the same seeds with --seed=0x000000000000002a\\)"
   OR NOT out MATCHES "  2 iterations in")
  message(FATAL_ERROR "prefixed spellings: exit code ${code}\n${out}\n${err}")
endif()
message(STATUS "prefixed spellings: seed and iterations taken")

# A good run writes the whole report, and nothing else beside it.
set(report "${WORK_DIR}/report.json")
file(REMOVE "${report}")
execute_process(COMMAND "${RUNNER}" --gtest_filter=Counter.LostUpdateAtomic --iterations=2
                        --seed=0x2a "--json=${report}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "good run: exit code ${code}\n${out}\n${err}")
endif()
file(READ "${report}" json)
string(JSON seed GET "${json}" seed)
string(JSON name GET "${json}" cases 0 name)
string(JSON iterations GET "${json}" cases 0 iterations)
string(JSON value GET "${json}" cases 0 outcomes 0 value)
string(JSON class GET "${json}" cases 0 outcomes 0 class)
string(JSON first_failure TYPE "${json}" cases 0 first_failure)
# Which run it is, for scripts/merge_shards.py: an unsharded one is shard 0 of 1.
string(JSON engine GET "${json}" engine)
string(JSON budget GET "${json}" iteration_budget)
string(JSON replay TYPE "${json}" replay)
string(JSON total GET "${json}" shard total)
if(NOT seed STREQUAL "0x000000000000002a" OR NOT name STREQUAL "Counter.LostUpdateAtomic" OR
   NOT iterations EQUAL 2 OR NOT value STREQUAL "500000" OR NOT class STREQUAL "acceptable" OR
   NOT first_failure STREQUAL "NULL" OR NOT engine STREQUAL "stress" OR NOT budget EQUAL 2 OR
   NOT replay STREQUAL "NULL" OR NOT total EQUAL 1)
  message(FATAL_ERROR "unexpected report:\n${json}")
endif()
file(GLOB leftovers "${WORK_DIR}/report.json.tmp*")
if(leftovers)
  message(FATAL_ERROR "temporary files left beside the report: ${leftovers}")
endif()
message(STATUS "good run: report has seed ${seed}, ${name}, ${iterations} iterations of ${value}")

# --noisolate: a racy case flagged in the runner's own process passes with
# exit code 0 (its TSan report is the verdict's finding, not TSan's exit code).
execute_process(COMMAND "${RUNNER}" --gtest_filter=Counter.LostUpdateRacy --noisolate --seed=1
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0 OR NOT out MATCHES "Counter.LostUpdateRacy: flagged as expected")
  message(FATAL_ERROR "--noisolate racy case: exit code ${code}, expected 0\n${out}\n${err}")
endif()
message(STATUS "--noisolate: the racy case flagged in-process, exit code 0")
