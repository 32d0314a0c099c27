// -----------------------------------------------------------------------------
// harness/runner/controlled_limits_test.cc
// -----------------------------------------------------------------------------
//
// The controlled engine at its limits, never blaming the case for its own
// doing:
//  * a schedule cut by --max_steps is a livelock finding, and nothing else:
//    under TSan the scheduler's books, left by the abandoned fibers, are not
//    reported as a race of the case;
//  * a hang while no actor runs (the arbiter blocks) says so, instead of
//    naming "actor -1".
//
// The fixtures are controlled_engine_test.cc's, and one of this file's own
// registered beside them, so the child can find it.

#include <chrono>
#include <cstdint>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/runner/controlled_test_support.h"
#include "harness/runner/supervisor.h"
#include "harness/runner/test_support.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// MutexPair (controlled_engine_test.cc) takes more scheduling points than this.
constexpr int kCutAt = 5;

// The arbiter never returns: the engine waits for it with no actor running.
// Disabled as an ordinary test (the stress engine has no deadline for an
// arbiter); run only by the test below.
struct BlockingArbiter {
  void Worker(int /*thread_index*/) {}
  int Result() const {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }
};

}  // namespace

RACESTRESS_CASE(ControlledFixture, DISABLED_BlockingArbiter, BlockingArbiter)
    .Threads(1)
    .HangTimeout(absl::Milliseconds(300))
    .Outcome(Otherwise(), Expect::kAcceptable, "any value")
    .Racy(Symptom::kHang);

namespace {

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

TEST(ControlledEngine, AHangWithNoActorRunningSaysSo) {
  const CaseRun run = RunSupervised(Fixture("DISABLED_BlockingArbiter"), Controlled("random", 5));
  const std::vector<Finding> hangs = FindingsOf(run, Symptom::kHang);
  ASSERT_EQ(hangs.size(), 1u) << Describe(run);
  EXPECT_EQ(hangs[0].iteration, 0);
  EXPECT_THAT(hangs[0].detail,
              HasSubstr("no actor was running and the controlled engine made no step for 300ms"));
  EXPECT_THAT(hangs[0].detail, HasSubstr("its arbiter (Result())"));
  EXPECT_THAT(hangs[0].detail, Not(HasSubstr("actor -1")));
}

}  // namespace
}  // namespace racestress::internal
