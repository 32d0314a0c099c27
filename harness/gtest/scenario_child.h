// -----------------------------------------------------------------------------
// harness/gtest/scenario_child.h
// -----------------------------------------------------------------------------
//
// The child process of a scenario (harness/scenario.h): the test binary run
// again with --gtest_filter naming the test around the scenario. It runs that
// test silently until the scenario's assertion, which runs the scenario and
// ends the process; the other scenarios of the test pass without running.
//
// Thread safety: main thread only.

#ifndef RACESTRESS_HARNESS_GTEST_SCENARIO_CHILD_H_
#define RACESTRESS_HARNESS_GTEST_SCENARIO_CHILD_H_

#include "harness/runner/flags.h"

namespace racestress::internal {

// ScenarioChildMain()
//
// Runs the test that holds scenario child.case_name. Returns only if the
// test never reached it (an exit code, with a line on stderr saying so).
int ScenarioChildMain(const RunOptions& options, const ChildOptions& child);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_GTEST_SCENARIO_CHILD_H_
