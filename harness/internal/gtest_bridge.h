// -----------------------------------------------------------------------------
// harness/internal/gtest_bridge.h
// -----------------------------------------------------------------------------
//
// Makes every registered case a GoogleTest test (testing::RegisterTest), so
// --gtest_filter, --gtest_list_tests, --gtest_repeat, --gtest_output=xml and
// gtest_discover_tests work unchanged. The test body runs the case under the
// supervisor and reports the verdict as a GoogleTest failure at the case's
// registration line; `OutcomePrinter` prints each case's outcome histogram.
//
// Thread safety: main thread only.

#ifndef RACESTRESS_HARNESS_INTERNAL_GTEST_BRIDGE_H_
#define RACESTRESS_HARNESS_INTERNAL_GTEST_BRIDGE_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "harness/internal/flags.h"
#include "harness/internal/verdict.h"

namespace racestress::internal {

// Registers every case of Registry() with GoogleTest, run under `options`.
void RegisterCasesWithGoogleTest(const RunOptions& options);

// The reports of every case run so far, in order.
const std::vector<CaseReport>& CaseReports();

// Rewrites "--gtest_filter=@racy" / "@clean" (as gtest_discover_tests passes
// a TEST_FILTER) into the list of cases with that expectation.
void ExpandExpectationFilter(std::vector<std::string>& args);

// Prints each case's outcome histogram, jcstress-style, after the test, and
// tracks --gtest_repeat repetitions (each one runs with a seed of its own).
class OutcomePrinter : public testing::EmptyTestEventListener {
 public:
  void OnTestIterationStart(const testing::UnitTest& unit_test, int iteration) override;
  void OnTestEnd(const testing::TestInfo& test_info) override;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_INTERNAL_GTEST_BRIDGE_H_
