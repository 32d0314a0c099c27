// -----------------------------------------------------------------------------
// harness/runner/controlled_trace_test.cc
// -----------------------------------------------------------------------------
//
// The controlled engine's reports, on the fixtures of
// controlled_engine_test.cc: a deadlock with its wait-for cycle the moment it
// happens, the step trace naming each step's variable and value, started
// threads scheduled like actors, livelocks at the step limit, and the same
// seed giving the same schedule, trace and all.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/runner/flags.h"
#include "harness/runner/protocol.h"
#include "harness/runner/supervisor.h"
#include "harness/runner/test_support.h"
#include "harness/tsan/tsan_reports.h"
#include "harness/semaphore.h"

#include "harness/runner/controlled_test_support.h"

namespace racestress::internal {
namespace {

using ::testing::AnyOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

TEST(ControlledEngine, DeadlockIsReportedWithItsCycleWithoutATimeout) {
  const CaseRun run = RunSupervised(Fixture("OppositeOrder"), Controlled("random", 1000));
  const std::vector<Finding> hangs = FindingsOf(run, Symptom::kHang);
  ASSERT_FALSE(hangs.empty()) << Describe(run);
  // Found by the scheduler ("every live actor is blocked"), not by a timer.
  EXPECT_THAT(hangs[0].detail, HasSubstr("deadlock at step"));
  EXPECT_THAT(hangs[0].detail,
              AnyOf(HasSubstr("wait-for cycle: actor 0 -> actor 1 -> actor 0"),
                    HasSubstr("wait-for cycle: actor 1 -> actor 0 -> actor 1")));
  EXPECT_THAT(hangs[0].detail, HasSubstr("waits in Mutex::Lock at controlled_engine_test.cc"));
  // The report and the trace name the mutexes as the fixture does.
  EXPECT_THAT(hangs[0].detail,
              AnyOf(HasSubstr("for b, which actor 1 holds (locked as b at"),
                    HasSubstr("for a, which actor 0 holds (locked as a at")));
  EXPECT_THAT(hangs[0].detail, ContainsRegex("T[01] lock a  \\(controlled_engine_test.cc:"));
  EXPECT_THAT(hangs[0].detail, ContainsRegex("T[01] lock b  \\(controlled_engine_test.cc:"));
}

TEST(ControlledEngine, TraceNamesEachStepsVariableAndValue) {
  RunOptions options = Controlled("dfs", 100);
  options.strategy.preemption_bound = 2;
  const CaseRun run = RunSupervised(Fixture("AtomicLostIncrement"), options);
  const std::vector<Finding> lost = FindingsOf(run, Symptom::kLostUpdate);
  ASSERT_FALSE(lost.empty()) << Describe(run);
  // Both actors read 0 before either stored: both store 1.
  for (const char* step : {"T0 load total -> 0  (controlled_engine_test.cc:",
                           "T1 load total -> 0  (controlled_engine_test.cc:",
                           "T0 store total <- 1  (controlled_engine_test.cc:",
                           "T1 store total <- 1  (controlled_engine_test.cc:"}) {
    EXPECT_THAT(lost[0].detail, HasSubstr(step));
  }
}

// -----------------------------------------------------------------------------
// Threads started by actors

TEST(ControlledEngine, AStartedThreadIsScheduledLikeAnActor) {
  RunOptions options = Controlled("dfs", 1000);
  const CaseRun run = RunSupervised(Fixture("ReadBeforeJoin"), options);
  if (kTsanEnabled) {
    // The start orders only what came before it: the read races the write.
    ASSERT_FALSE(FindingsOf(run, Symptom::kRace).empty()) << Describe(run);
  } else {
    ASSERT_TRUE(run.finished) << Describe(run);
    EXPECT_TRUE(run.findings.empty()) << Describe(run);
    // The thread ran before the read in some schedules and after in others,
    // and dfs knew when it had seen them all.
    EXPECT_EQ(Values(run), (std::set<std::string>{"0", "42"})) << Describe(run);
    EXPECT_THAT(run.note, ContainsRegex("all [0-9]+ schedules explored"));
  }
}

TEST(ControlledEngine, JoiningAThreadThatNeverEndsIsADeadlock) {
  const CaseRun run = RunSupervised(Fixture("JoinAStuckThread"), Controlled("random", 10));
  const std::vector<Finding> hangs = FindingsOf(run, Symptom::kHang);
  ASSERT_FALSE(hangs.empty()) << Describe(run);
  EXPECT_THAT(hangs[0].detail, HasSubstr("deadlock at step"));
  EXPECT_THAT(hangs[0].detail, HasSubstr("actor 0 waits in Thread::Join"));
  EXPECT_THAT(hangs[0].detail, HasSubstr("actor 1 waits in Notification::WaitForNotification"));
  EXPECT_THAT(hangs[0].detail, HasSubstr("T0 start T1  (controlled_engine_test.cc:"));
}

TEST(ControlledEngine, PctPlacesAStartedThreadAmongThePriorities) {
  RunOptions options = Controlled("pct", 200);
  options.strategy.pct_depth = 1;
  const CaseRun run = RunSupervised(Fixture("ReadBeforeJoin"), options);
  if (!kTsanEnabled) {
    // Without preemptions the thread runs first exactly when its place is
    // above its starter's: both happen over 200 schedules.
    EXPECT_EQ(Values(run), (std::set<std::string>{"0", "42"})) << Describe(run);
  } else {
    EXPECT_FALSE(FindingsOf(run, Symptom::kRace).empty()) << Describe(run);
  }
}

TEST(ControlledEngine, ASpinThatNeverEndsIsALivelockAtTheStepLimit) {
  RunOptions options = Controlled("random", 10);
  options.max_steps = 1000;
  const CaseRun run = RunSupervised(Fixture("SpinForever"), options);
  const std::vector<Finding> hangs = FindingsOf(run, Symptom::kHang);
  ASSERT_FALSE(hangs.empty()) << Describe(run);
  EXPECT_EQ(hangs[0].iteration, 0);
  EXPECT_THAT(hangs[0].detail, HasSubstr("livelock: the schedule did not end within 1000 "
                                         "scheduling points"));
}

TEST(ControlledEngine, SameSeedSameScheduleSameTrace) {
  RunOptions options = Controlled("random", 1000, 0x5eed);
  const CaseBase& c = Fixture("OppositeOrder");
  const CaseRun first = RunSupervised(c, options);
  const std::vector<Finding> hangs = FindingsOf(first, Symptom::kHang);
  ASSERT_FALSE(hangs.empty()) << Describe(first);
  EXPECT_THAT(hangs[0].detail, HasSubstr("step trace"));
  for (int replay = 0; replay < 5; ++replay) {
    const CaseRun again = RunSupervised(c, options);
    const std::vector<Finding> again_hangs = FindingsOf(again, Symptom::kHang);
    ASSERT_FALSE(again_hangs.empty());
    EXPECT_EQ(again_hangs[0].iteration, hangs[0].iteration);
    EXPECT_EQ(again_hangs[0].detail, hangs[0].detail);
  }
  // And --replay starts at the failing schedule.
  options.first_iteration = hangs[0].iteration;
  options.replaying = true;
  const CaseRun replayed = RunSupervised(c, options);
  const std::vector<Finding> replayed_hangs = FindingsOf(replayed, Symptom::kHang);
  ASSERT_FALSE(replayed_hangs.empty());
  EXPECT_EQ(replayed_hangs[0].detail, hangs[0].detail);
  EXPECT_EQ(replayed.iterations, 1);
}

}  // namespace
}  // namespace racestress::internal
