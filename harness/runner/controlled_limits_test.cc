// -----------------------------------------------------------------------------
// harness/runner/controlled_limits_test.cc
// -----------------------------------------------------------------------------
//
// The controlled engine at its limits, never blaming the case for its own
// doing:
//  * a schedule cut by --max_steps is a livelock finding, and nothing else:
//    under TSan the scheduler's books, left by the abandoned fibers, are not
//    reported as a race of the case.
//
// The fixtures are controlled_engine_test.cc's.

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/runner/controlled_test_support.h"
#include "harness/runner/supervisor.h"
#include "harness/runner/test_support.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

// MutexPair (controlled_engine_test.cc) takes more scheduling points than this.
constexpr int kCutAt = 5;

TEST(ControlledEngine, AScheduleCutByMaxStepsIsALivelockAndNothingElse) {
  for (const char* strategy : {"random", "pct"}) {
    RunOptions options = Controlled(strategy, 30);
    options.max_steps = kCutAt;
    const CaseRun run = RunSupervised(Fixture("MutexPair"), options);
    EXPECT_TRUE(run.finished) << Describe(run);
    EXPECT_EQ(run.iterations, 30) << strategy;
    // Each schedule after a cut one reset what the abandoned fibers had
    // read; TSan reported that as a data race of the case.
    EXPECT_TRUE(FindingsOf(run, Symptom::kRace).empty()) << strategy << ": " << Describe(run);
    ASSERT_EQ(run.findings.size(), 1u) << strategy << ": " << Describe(run);
    EXPECT_EQ(run.findings[0].kind, Symptom::kHang);
    EXPECT_THAT(run.findings[0].detail,
                HasSubstr(absl::StrCat("livelock: the schedule did not end within ", kCutAt,
                                       " scheduling points")));
  }
}

}  // namespace
}  // namespace racestress::internal
