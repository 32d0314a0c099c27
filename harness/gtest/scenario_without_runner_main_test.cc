// -----------------------------------------------------------------------------
// harness/scenario_without_runner_main_test.cc
// -----------------------------------------------------------------------------
//
// A scenario in a binary whose main is GoogleTest's own (GTest::gtest_main),
// not racestress's: nothing parsed the runner's flags and nothing could run
// the scenario's child, so the assertion must fail and say what to link,
// never pass without running.

#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "harness/scenario.h"

namespace racestress {
namespace {

struct Counter {
  Atomic<int> value{0};
  void Add() { value.FetchAdd(1); }
  int Result() { return value.Load(); }
};

TEST(ScenarioWithoutRunnerMain, SaysWhatToLink) {
  EXPECT_NONFATAL_FAILURE(
      EXPECT_RACE_FREE(Scenario<Counter>().Actor(&Counter::Add, 2).Outcome(
          Equals(2), Expect::kAcceptable, "both counted")),
      "EXPECT_RACE_FREE needs racestress's main: link racestress::gtest_main");
}

}  // namespace
}  // namespace racestress
