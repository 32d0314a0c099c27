// -----------------------------------------------------------------------------
// harness/gtest/gtest_bridge.h
// -----------------------------------------------------------------------------
//
// Makes every registered case a GoogleTest test (testing::RegisterTest), so
// --gtest_filter, --gtest_list_tests, --gtest_repeat, --gtest_output=xml and
// gtest_discover_tests work unchanged. The test body runs the case under the
// supervisor and reports the verdict as a GoogleTest failure at the case's
// registration line; `OutcomePrinter` prints each case's outcome histogram.
//
// Thread safety: main thread only.

#ifndef RACESTRESS_HARNESS_GTEST_GTEST_BRIDGE_H_
#define RACESTRESS_HARNESS_GTEST_GTEST_BRIDGE_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "harness/report/outcome_table.h"  // OutcomeTable(), for scenario.cc
#include "harness/runner/flags.h"
#include "harness/runner/verdict.h"

namespace racestress::internal {

// Registers every case of Registry() with GoogleTest, run under `options`.
void RegisterCasesWithGoogleTest(const RunOptions& options);

// The reports of every case and scenario run so far, in order.
const std::vector<CaseReport>& CaseReports();

// Adds `report` to CaseReports() (RunAndJudge() does for every case it runs).
void AppendCaseReport(const CaseReport& report);

// The command line's options, once RegisterCasesWithGoogleTest() saw them;
// nullptr before (a binary whose main is not racestress's).
const RunOptions* RunnerOptions();

// RunAndJudge()
//
// Runs `c` as the current GoogleTest test: skipped, with the reason, where
// this preset or engine cannot judge it; with a seed of its own in each
// --gtest_repeat repetition; this shard's share of its iterations only. The
// report is also kept for --json and --html.
CaseReport RunAndJudge(const CaseBase& c, const RunOptions& options);

// Numbers the scenarios of the running test: 0 for its first, 1 for the
// next... (OutcomePrinter starts again at each test).
int NextScenarioIndex();

// Rewrites @racy and @clean in a --gtest_filter (as gtest_discover_tests
// passes a TEST_FILTER; "@clean-Counter.*", "Lock.*:@racy" too) into the list
// of cases with that expectation.
void ExpandExpectationFilter(std::vector<std::string>& args);

// Prints each case's outcome histogram, jcstress-style, after the test, and
// tracks --gtest_repeat repetitions (each one runs with a seed of its own).
// A test during which ThreadSanitizer reported in this process (not in a
// case's child: a race in an ordinary TEST of the binary) fails, by name.
class OutcomePrinter : public testing::EmptyTestEventListener {
 public:
  void OnTestIterationStart(const testing::UnitTest& unit_test, int iteration) override;
  void OnTestStart(const testing::TestInfo& test_info) override;
  void OnTestEnd(const testing::TestInfo& test_info) override;

 private:
  int64_t tsan_reports_at_start_ = 0;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_GTEST_GTEST_BRIDGE_H_
