// -----------------------------------------------------------------------------
// harness/runner/verdict_test.cc
// -----------------------------------------------------------------------------
//
// Judge() on hand-built runs: a clean case passes only when nothing was
// flagged and the run finished; a racy case passes only when a symptom it
// declares (and this preset can observe) was flagged. Failure messages start
// with the case name and end with a replay command.

#include "harness/runner/verdict.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/runner/flags.h"
#include "harness/runner/protocol.h"
#include "harness/runner/test_support.h"
#include "harness/tsan/tsan_reports.h"

namespace racestress::internal {
namespace {

// A finding as an engine reports it (the fields the producers fill today).
Finding Found(int64_t iteration, Symptom kind, std::string detail) {
  Finding f;
  f.iteration = iteration;
  f.kind = kind;
  f.detail = std::move(detail);
  return f;
}

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr uint64_t kSeed = 0x2a;
constexpr char kSelf[] = "/path/to/racestress";

struct CounterState {
  void Worker(int /*thread_index*/) {}
  int64_t Result() const { return 2; }
};

// A two-worker counter case: 2 is right, anything else lost an update.
TypedCase<CounterState> CounterCase() {
  TypedCase<CounterState> c("Suite", "Name", "suite.cc", 12);
  c.Outcome(Equals(int64_t{2}), Expect::kAcceptable, "both increments counted")
      .Outcome(Equals(int64_t{3}), Expect::kInteresting, "counted twice")
      .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);
  return c;
}

RunOptions Options() {
  RunOptions options;
  options.run_seed = kSeed;
  return options;
}

// -----------------------------------------------------------------------------
// Clean cases

TEST(Judge, CleanCaseWithNoFindingsThatFinishedPasses) {
  const TypedCase<CounterState> c = CounterCase();
  const CaseRun run = FinishedRun(100);
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_TRUE(report.passed);
  EXPECT_FALSE(report.skipped);
  EXPECT_FALSE(report.racy);
  EXPECT_EQ(report.name, "Suite.Name");
  EXPECT_EQ(report.file, "suite.cc");
  EXPECT_EQ(report.line, 12);
  EXPECT_EQ(report.iterations, 100);
  EXPECT_EQ(report.elapsed_ms, 100);
  EXPECT_FALSE(report.first_failure.has_value());
  EXPECT_TRUE(report.replay.empty());
  EXPECT_THAT(report.message, StartsWith("Suite.Name: clean after 100 iterations"));
}

TEST(Judge, CleanCaseThatDidNotFinishFails) {
  const TypedCase<CounterState> c = CounterCase();
  CaseRun run = FinishedRun(40);
  run.finished = false;
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_FALSE(report.passed);
  EXPECT_THAT(report.message, StartsWith("Suite.Name: "));
  EXPECT_THAT(report.message, HasSubstr("did not finish"));
}

TEST(Judge, CleanCaseWithARaceFailsWithAReplayCommand) {
  const TypedCase<CounterState> c = CounterCase();
  CaseRun run = FinishedRun(100);
  run.findings.push_back(RaceFinding(17, TsanKind::kDataRace));
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_FALSE(report.passed);
  EXPECT_EQ(report.races, 1);
  ASSERT_TRUE(report.first_failure.has_value());
  EXPECT_EQ(report.first_failure->iteration, 17);
  EXPECT_THAT(report.message, StartsWith("Suite.Name:"));
  EXPECT_THAT(report.message, HasSubstr("replay: "));
  EXPECT_THAT(report.message, HasSubstr("--replay=0x"));
  EXPECT_THAT(report.message, HasSubstr(absl::StrCat("--replay=", FormatSeed(kSeed), ":17")));
  EXPECT_THAT(report.message,
              HasSubstr("iteration 17: ThreadSanitizer reported a data race (its report"));
  // What was acceptable is spelled out, the forbidden row is not.
  EXPECT_THAT(report.message, HasSubstr("expected: 2 (both increments counted)"));
  EXPECT_THAT(report.message, Not(HasSubstr("an increment was lost")));
  EXPECT_EQ(report.replay, ReplayCommand(kSelf, "Suite.Name", kSeed, 17));
  EXPECT_THAT(report.replay, StartsWith(absl::StrCat(kSelf, " --gtest_filter=Suite.Name ")));
}

TEST(Judge, CleanCaseReportsTheFirstFindingAndMentionsTheOthers) {
  const TypedCase<CounterState> c = CounterCase();
  CaseRun run = FinishedRun(100);
  run.findings.push_back(
      Found(5, Symptom::kLostUpdate, "1, graded forbidden (an increment was lost)"));
  run.findings.push_back(RaceFinding(9, TsanKind::kDataRace));
  run.findings.push_back(Found(-1, Symptom::kCrash, "SIGSEGV (invalid memory access)"));
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_FALSE(report.passed);
  EXPECT_EQ(report.first_failure->iteration, 5);
  EXPECT_THAT(report.message, StartsWith("Suite.Name: iteration 5 gave 1, graded forbidden"));
  EXPECT_THAT(report.message, HasSubstr("also: iteration 9"));
  EXPECT_THAT(report.message, HasSubstr("also: the case's process: crash: SIGSEGV"));
  EXPECT_EQ(report.races, 1);
  EXPECT_EQ(report.crashes, 1);
  EXPECT_EQ(report.hangs, 0);
}

TEST(Judge, CleanCaseThatCrashedBeforeIterationZeroReplaysFromZero) {
  const TypedCase<CounterState> c = CounterCase();
  CaseRun run;
  run.findings.push_back(Found(-1, Symptom::kCrash, "the case's process died of SIGABRT (abort)"));
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_FALSE(report.passed);
  EXPECT_EQ(report.crashes, 1);
  EXPECT_THAT(report.replay, HasSubstr(absl::StrCat("--replay=", FormatSeed(kSeed), ":0")));
}

TEST(Judge, AFindingReplaysWithItsOwnEngineFlags) {
  const TypedCase<CounterState> c = CounterCase();
  CaseRun run;
  // As the child's crash handler writes it under --engine=controlled.
  Finding crash;
  crash.iteration = 5;
  crash.kind = Symptom::kCrash;
  crash.detail = "SIGABRT (abort)";
  crash.engine = EngineKind::kControlled;
  crash.strategy = "pct";
  crash.replay_flags = "--engine=controlled --strategy=pct --pct_depth=3";
  run.findings.push_back(crash);
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_THAT(report.replay,
              HasSubstr(absl::StrCat("--replay=", FormatSeed(kSeed),
                                     ":5 --engine=controlled --strategy=pct --pct_depth=3")));
}

// -----------------------------------------------------------------------------
// Racy cases

TEST(Judge, RacyCasePassesWhenADeclaredSymptomIsFound) {
  TypedCase<CounterState> c = CounterCase();
  c.Racy(Symptom::kLostUpdate);
  CaseRun run = FinishedRun(300);
  run.findings.push_back(
      Found(250, Symptom::kLostUpdate, "1, graded forbidden (an increment was lost)"));
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_TRUE(report.passed);
  EXPECT_TRUE(report.racy);
  ASSERT_TRUE(report.first_failure.has_value());
  EXPECT_EQ(report.first_failure->iteration, 250);
  EXPECT_THAT(report.message, StartsWith("Suite.Name: flagged as expected (lost update)"));
  EXPECT_THAT(report.message,
              HasSubstr(absl::StrCat("--replay=", FormatSeed(kSeed), ":250")));
}

TEST(Judge, RacyCasePassesOnTheFirstDeclaredSymptomNotTheFirstFinding) {
  TypedCase<CounterState> c = CounterCase();
  c.Racy(Symptom::kHang);
  CaseRun run = FinishedRun(300);
  run.findings.push_back(Found(3, Symptom::kLostUpdate, "1, graded forbidden"));
  run.findings.push_back(Found(8, Symptom::kHang, "blocked in Mutex::Lock at a.cc:1"));
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_TRUE(report.passed);
  ASSERT_TRUE(report.first_failure.has_value());
  EXPECT_EQ(report.first_failure->kind, Symptom::kHang);
  EXPECT_EQ(report.first_failure->iteration, 8);
}

TEST(Judge, RacyCaseFailsWhenNothingWasFlagged) {
  TypedCase<CounterState> c = CounterCase();
  c.Racy(Symptom::kLostUpdate);
  const CaseReport report = Judge(c, FinishedRun(20000), Options(), kSelf);
  EXPECT_FALSE(report.passed);
  EXPECT_THAT(report.message, StartsWith("Suite.Name: declared racy (lost update required)"));
  EXPECT_THAT(report.message, HasSubstr("20000 iterations"));
  EXPECT_THAT(report.message, HasSubstr("showed neither"));
  EXPECT_TRUE(report.replay.empty());
}

TEST(Judge, RacyCaseFailsWhenOnlyAnUndeclaredSymptomWasFlagged) {
  TypedCase<CounterState> c = CounterCase();
  c.Racy(Symptom::kLostUpdate);
  CaseRun run = FinishedRun(10);
  run.findings.push_back(Found(4, Symptom::kHang, "blocked in Mutex::Lock at a.cc:1"));
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_FALSE(report.passed);
  EXPECT_THAT(report.message, HasSubstr("declared racy"));
  EXPECT_THAT(report.message, HasSubstr("showed hang"));
  EXPECT_EQ(report.hangs, 1);
  // The hang is still the one thing worth replaying.
  EXPECT_THAT(report.message, HasSubstr(absl::StrCat("--replay=", FormatSeed(kSeed), ":4")));
}

TEST(Judge, RaceCountsForARacyCaseOnlyUnderThreadSanitizer) {
  TypedCase<CounterState> c = CounterCase();
  c.Racy(Symptom::kRace | Symptom::kLostUpdate);
  CaseRun run = FinishedRun(50);
  run.findings.push_back(RaceFinding(7, TsanKind::kDataRace));
  const CaseReport report = Judge(c, run, Options(), kSelf);
  EXPECT_EQ(report.races, 1);
  if (kTsanEnabled) {
    EXPECT_TRUE(report.passed) << report.message;
    EXPECT_THAT(report.message, HasSubstr("flagged as expected (data race)"));
  } else {
    // Without TSan a race finding cannot be trusted to appear, so it does
    // not count: only the lost update could pass this case here.
    EXPECT_FALSE(report.passed) << report.message;
    EXPECT_THAT(report.message, HasSubstr("declared racy (lost update required)"));
  }
}

// -----------------------------------------------------------------------------
// Outcomes, Skipped, ReplayCommand

TEST(Judge, OutcomesAreGradedByTheirRowAndSortedMostFrequentFirst) {
  const TypedCase<CounterState> c = CounterCase();
  CaseRun run = FinishedRun(111);
  run.outcomes = {{"1", 10, 2}, {"2", 90, 0}, {"3", 1, 1}, {"9", 10, kUndeclaredRow}};
  const CaseReport report = Judge(c, run, Options(), kSelf);
  ASSERT_EQ(report.outcomes.size(), 4u);
  EXPECT_EQ(report.outcomes[0].value, "2");
  EXPECT_EQ(report.outcomes[0].grade, Expect::kAcceptable);
  EXPECT_EQ(report.outcomes[0].description, "both increments counted");
  // Equal counts keep their reported order.
  EXPECT_EQ(report.outcomes[1].value, "1");
  EXPECT_EQ(report.outcomes[1].grade, Expect::kForbidden);
  EXPECT_EQ(report.outcomes[1].description, "an increment was lost");
  EXPECT_EQ(report.outcomes[2].value, "9");
  EXPECT_EQ(report.outcomes[2].grade, Expect::kForbidden);
  EXPECT_EQ(report.outcomes[2].description, "no declared outcome matches");
  EXPECT_EQ(report.outcomes[3].value, "3");
  EXPECT_EQ(report.outcomes[3].grade, Expect::kInteresting);
}

TEST(Judge, OutcomeRowOutOfRangeIsGradedForbidden) {
  const TypedCase<CounterState> c = CounterCase();
  CaseRun run = FinishedRun(1);
  run.outcomes = {{"5", 1, 17}};
  const CaseReport report = Judge(c, run, Options(), kSelf);
  ASSERT_EQ(report.outcomes.size(), 1u);
  EXPECT_EQ(report.outcomes[0].grade, Expect::kForbidden);
}

TEST(Skipped, PassesAndSaysWhy) {
  const TypedCase<CounterState> c = CounterCase();
  const CaseReport report = Skipped(c, "only ThreadSanitizer sees it");
  EXPECT_TRUE(report.passed);
  EXPECT_TRUE(report.skipped);
  EXPECT_EQ(report.name, "Suite.Name");
  EXPECT_EQ(report.message, "Suite.Name: skipped: only ThreadSanitizer sees it");
}

TEST(ReplayCommand, NamesTheCaseTheSeedAndTheIteration) {
  EXPECT_EQ(ReplayCommand("./racestress", "Counter.LostUpdateRacy", 42, 17),
            "./racestress --gtest_filter=Counter.LostUpdateRacy "
            "--replay=0x000000000000002a:17");
  EXPECT_THAT(ReplayCommand("r", "A.B", 1, -1), HasSubstr(":0"));
}

}  // namespace
}  // namespace racestress::internal
