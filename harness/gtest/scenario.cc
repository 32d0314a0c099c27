// The assertions of harness/scenario.h: name the scenario after its test, run
// it as the runner runs a registered case, and judge it the same way.

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/gtest/gtest_bridge.h"
#include "harness/gtest/scenario_child.h"
#include "harness/runner/supervisor.h"
#include "harness/scenario.h"

namespace racestress::internal {
namespace {

// Set in a scenario's child process only.
const RunOptions* child_options = nullptr;
const ChildOptions* child_flags = nullptr;

// What EXPECT_RACE_DETECTED counts when the scenario names nothing: a race,
// and whatever its forbidden outcomes declare.
Symptom DetectableSymptoms(const CaseConfig& config) {
  Symptom symptoms = Symptom::kRace;
  for (const OutcomeRow& row : config.outcomes) {
    if (row.grade == Expect::kForbidden) symptoms = symptoms | row.symptom;
  }
  return symptoms;
}

}  // namespace

ScenarioVerdict RunScenario(CaseBase& scenario, bool racy, const char* macro, const char* file,
                            int line) {
  const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
  if (test == nullptr) {
    return {false, absl::StrCat(macro, " runs a scenario inside a GoogleTest TEST only")};
  }
  const int index = NextScenarioIndex();
  CaseConfig& config = scenario.mutable_config();
  config.suite = test->test_suite_name();
  config.name = index == 0 ? test->name() : absl::StrCat(test->name(), "#", index + 1);
  config.test = absl::StrCat(test->test_suite_name(), ".", test->name());
  config.file = file;
  config.line = line;
  if (racy && !config.racy) {
    config.racy = true;
    config.racy_symptoms = DetectableSymptoms(config);
  } else if (!racy && config.racy) {
    return {false, absl::StrCat(config.FullName(), ": ", macro,
                                " of a scenario declared .Racy(): one of them is wrong")};
  }
  if (child_options != nullptr) {
    // In the child: this scenario is the one to run, or one to pass over.
    if (config.FullName() != child_flags->case_name) return {};
    const int code = RunInThisChild(scenario, *child_options, child_flags->fd);
    fflush(stdout);
    fflush(stderr);
    // Not exit(): the rest of the test, and GoogleTest's end of run, belong
    // to the parent.
    syscall(SYS_exit_group, code);
  }

  const RunOptions* options = RunnerOptions();
  if (options == nullptr) {
    return {false, absl::StrCat(macro, " needs racestress's main: link racestress::gtest_main "
                                       "(instead of GTest::gtest_main)")};
  }
  RunOptions run_options = *options;
  run_options.scenario_test = config.test;
  const CaseReport report = RunAndJudge(scenario, run_options);
  if (report.skipped) {
    GTEST_MESSAGE_AT_(file, line, report.message.c_str(), testing::TestPartResult::kSkip);
    return {};
  }
  printf("%s", OutcomeTable(report).c_str());
  if (report.passed && racy) printf("%s\n", report.message.c_str());
  fflush(stdout);
  if (report.passed) return {};
  return {false, report.message};
}

int ScenarioChildMain(const RunOptions& options, const ChildOptions& child) {
  child_options = new RunOptions(options);
  child_flags = new ChildOptions(child);
  // The parent prints the test's progress; the child's only output is the
  // scenario's own (TSan reports, a crash's stack).
  testing::TestEventListeners& listeners = testing::UnitTest::GetInstance()->listeners();
  delete listeners.Release(listeners.default_result_printer());
  delete listeners.Release(listeners.default_xml_generator());
  (void)RUN_ALL_TESTS();
  fprintf(stderr,
          "racestress: the child process ran %s but never reached the scenario %s (does the "
          "test take another path when run again?)\n",
          GTEST_FLAG_GET(filter).c_str(), child.case_name.c_str());
  return 2;
}

}  // namespace racestress::internal
