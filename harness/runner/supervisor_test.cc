// -----------------------------------------------------------------------------
// harness/runner/supervisor_test.cc
// -----------------------------------------------------------------------------
//
// Cases run in child processes (RunSupervised with isolate=true): a deadlock
// becomes a hang finding that names the lock, a crash a crash finding that
// names the signal, and neither takes this process down; a clean case runs
// exactly its budget; the same seed replays the same perturbation profiles.
//
// The fixture cases below are registered, so the child (a re-exec of this
// binary) can find them; each is declared with the symptom it must show, so
// that it also passes when run as an ordinary test.

#include "harness/runner/supervisor.h"
#include "harness/runner/test_support.h"

#include <sys/resource.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/core/case_base.h"
#include "harness/runner/flags.h"
#include "harness/stress/perturbation.h"
#include "harness/runner/protocol.h"
#include "harness/core/rng.h"
#include "harness/tsan/tsan_reports.h"
#include "harness/runner/verdict.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kCleanIterations = 200;
constexpr int64_t kProfileIterations = 32;
constexpr int64_t kCrashIteration = 3;

// The iteration the calling actor is running.
int64_t CurrentIteration() { return CurrentActor()->status->iteration.load(); }

// The bug: two actors take two mutexes in opposite orders. Each holds its
// first mutex until the other holds its own, so the cycle closes in the first
// iteration, every time.
struct OppositeOrderLocks {
  Mutex first;
  Mutex second;
  std::atomic<int> holding{0};

  void BothHeld() {
    holding.fetch_add(1);
    while (holding.load() < 2) std::this_thread::yield();
  }
  void Forward() {
    MutexLock a(first);
    BothHeld();
    MutexLock b(second);
  }
  void Backward() {
    MutexLock b(second);
    BothHeld();
    MutexLock a(first);
  }
};

// The bug: actor 0 aborts from iteration kCrashIteration on.
struct AbortingActor {
  void Worker(int thread_index) {
    if (thread_index != 0 || CurrentIteration() < kCrashIteration) return;
    const rlimit no_core = {0, 0};  // a deliberate crash needs no core file
    setrlimit(RLIMIT_CORE, &no_core);
    std::abort();
  }
};

// Two workers increment an atomic: every iteration gives 2.
struct AtomicPair {
  std::atomic<int> total{0};
  void Worker(int /*thread_index*/) { total.fetch_add(1, std::memory_order_relaxed); }
  int Result() const { return total.load(std::memory_order_relaxed); }
};

// The bug: two workers increment a plain shared counter, kIncrements times
// each. TSan sees the race at once; without it, an increment is soon lost.
constexpr int64_t kIncrements = 10000;

struct RacyIncrements {
  Racy<int64_t> total;
  void Worker(int /*thread_index*/) {
    for (int64_t i = 0; i < kIncrements; ++i) total.Store(total.Load() + 1);
  }
  int64_t Result() const { return total.Load(); }
};

// One actor writes down its iteration and its perturbation profile.
std::string ProfileLine(int64_t iteration, const PerturbationProfile& p) {
  return absl::StrCat(iteration, ":", p.intensity, ":", p.max_spin, ":", p.yield_per_256, ":",
                      p.sleep_per_256, ":", p.max_start_delay);
}

struct ProfileRecorder {
  std::string seen;
  void Worker(int /*thread_index*/) { seen = ProfileLine(CurrentIteration(), CurrentActor()->profile); }
  std::string Result() const { return seen; }
};

}  // namespace

RACESTRESS_CASE(EngineFixture, OppositeOrderDeadlock, OppositeOrderLocks)
    .Actor(&OppositeOrderLocks::Forward)
    .Actor(&OppositeOrderLocks::Backward)
    .HangTimeout(absl::Milliseconds(500))
    .Racy(Symptom::kHang | Symptom::kRace);

RACESTRESS_CASE(EngineFixture, AbortInActor, AbortingActor)
    .Threads(2)
    .Racy(Symptom::kCrash);

RACESTRESS_CASE(EngineFixture, RacyIncrements, RacyIncrements)
    .Threads(2)
    .Outcome(Equals(2 * kIncrements), Expect::kAcceptable, "no increment lost")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate)
    .Racy(Symptom::kRace | Symptom::kLostUpdate);

RACESTRESS_CASE(EngineFixture, CleanAtomicPair, AtomicPair)
    .Threads(2)
    .Iterations(kCleanIterations)
    .TimeBudget(absl::Seconds(60))  // the iteration budget ends the run
    .Outcome(Equals(2), Expect::kAcceptable, "both increments counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an atomic increment was lost",
             Symptom::kLostUpdate);

RACESTRESS_CASE(EngineFixture, ProfileRecorder, ProfileRecorder)
    .Threads(1)
    .Iterations(kProfileIterations)
    .TimeBudget(absl::Seconds(60))
    .Outcome(Otherwise(), Expect::kAcceptable, "any profile");

namespace {

// A fixture case registered above; the registrations are in this file, so a
// miss is a renamed fixture, and the test stops at once.
const CaseBase& Fixture(const std::string& name) {
  const CaseBase* c = FindCase(absl::StrCat("EngineFixture.", name));
  if (c == nullptr) {
    fprintf(stderr, "fixture case EngineFixture.%s is not registered\n", name.c_str());
    std::abort();
  }
  return *c;
}

RunOptions Isolated(uint64_t seed) {
  RunOptions options;
  options.run_seed = seed;
  options.isolate = true;
  return options;
}

int64_t TotalCount(const CaseRun& run) {
  int64_t total = 0;
  for (const auto& e : run.outcomes) total += e.count;
  return total;
}

std::set<std::string> ExpectedProfiles(uint64_t run_seed, int64_t first, int64_t count) {
  const uint64_t case_seed = CaseSeed(run_seed, "EngineFixture.ProfileRecorder");
  std::set<std::string> lines;
  for (int64_t i = first; i < first + count; ++i) {
    lines.insert(ProfileLine(i, PerturbationProfile::ForIteration(IterationSeed(case_seed, i))));
  }
  return lines;
}

// -----------------------------------------------------------------------------
// Hangs and crashes

TEST(Supervisor, DeadlockIsAHangFindingThatNamesTheLock) {
  const CaseBase& c = Fixture("OppositeOrderDeadlock");
  const absl::Time start = absl::Now();
  const CaseRun run = RunSupervised(c, Isolated(0x2a));
  // Generous: the hang timeout is 500 ms; the supervisor's own kill would
  // come a minute later and read differently.
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));

  const std::vector<Finding> hangs = FindingsOf(run, Symptom::kHang);
  ASSERT_EQ(hangs.size(), 1u) << "findings: " << run.findings.size();
  EXPECT_EQ(hangs[0].iteration, 0);
  EXPECT_THAT(hangs[0].detail, HasSubstr("still running after 500ms"));
  EXPECT_THAT(hangs[0].detail, HasSubstr(absl::StrCat("actor 0 (iteration 0) blocked in "
                                                      "Mutex::Lock at supervisor_test.cc:")));
  EXPECT_THAT(hangs[0].detail, HasSubstr(absl::StrCat("actor 1 (iteration 0) blocked in "
                                                      "Mutex::Lock at supervisor_test.cc:")));
  // The child told everything before it left.
  EXPECT_TRUE(run.finished);
  EXPECT_TRUE(FindingsOf(run, Symptom::kCrash).empty());
  EXPECT_TRUE(Judge(c, run, Isolated(0x2a), "self").passed);
}

TEST(Supervisor, CrashIsACrashFindingThatNamesTheSignal) {
  const CaseBase& c = Fixture("AbortInActor");
  const CaseRun run = RunSupervised(c, Isolated(0x2a));
  const std::vector<Finding> crashes = FindingsOf(run, Symptom::kCrash);
  ASSERT_FALSE(crashes.empty());
  EXPECT_THAT(crashes[0].detail, HasSubstr("SIGABRT"));
  // The child's signal handler knows which iteration the actor was in.
  EXPECT_EQ(crashes[0].iteration, kCrashIteration);
  EXPECT_FALSE(run.finished);
  EXPECT_TRUE(FindingsOf(run, Symptom::kHang).empty());
  const CaseReport report = Judge(c, run, Isolated(0x2a), "self");
  EXPECT_TRUE(report.passed) << report.message;
  EXPECT_THAT(report.replay, HasSubstr(absl::StrCat(":", kCrashIteration)));
}

TEST(Supervisor, CrashingChildLeavesTheRunnerAbleToRunMore) {
  const CaseRun crashed = RunSupervised(Fixture("AbortInActor"), Isolated(0x2b));
  EXPECT_FALSE(FindingsOf(crashed, Symptom::kCrash).empty());
  // This process is still here, and its next child runs normally.
  const CaseRun clean = RunSupervised(Fixture("CleanAtomicPair"), Isolated(0x2b));
  EXPECT_TRUE(clean.finished);
  EXPECT_TRUE(clean.findings.empty());
  EXPECT_EQ(clean.iterations, kCleanIterations);
}

TEST(Supervisor, DataRaceIsARaceFindingUnderTsanAndALostUpdateWithout) {
  const CaseBase& c = Fixture("RacyIncrements");
  const CaseRun run = RunSupervised(c, Isolated(0x2a));
  EXPECT_TRUE(run.finished);
  const CaseReport report = Judge(c, run, Isolated(0x2a), "self");
  EXPECT_TRUE(report.passed) << report.message;
  if (kTsanEnabled) {
    // Caught in-process by the report hook, and pinned to an iteration.
    const std::vector<Finding> races = FindingsOf(run, Symptom::kRace);
    ASSERT_FALSE(races.empty());
    EXPECT_EQ(races[0].tsan_kind, TsanKind::kDataRace);
    EXPECT_EQ(races[0].detail, "data race");
    EXPECT_GE(races[0].iteration, 0);
  } else {
    const std::vector<Finding> lost = FindingsOf(run, Symptom::kLostUpdate);
    ASSERT_FALSE(lost.empty());
    EXPECT_THAT(lost[0].detail, HasSubstr("graded forbidden (an increment was lost)"));
    EXPECT_TRUE(FindingsOf(run, Symptom::kRace).empty());
  }
  // The run stops with the batch that flagged: the flagged iteration was run.
  ASSERT_TRUE(report.first_failure.has_value());
  EXPECT_LT(report.first_failure->iteration, run.iterations);
}

TEST(Supervisor, UnregisteredCaseIsReportedAsAChildThatDidNotFinish) {
  // The child cannot find a case that was never registered, and says so with
  // exit code 2 before writing anything.
  TypedCase<AtomicPair> unregistered("EngineFixture", "NotRegistered", __FILE__, __LINE__);
  const CaseRun run = RunSupervised(unregistered, Isolated(1));
  EXPECT_FALSE(run.finished);
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].kind, Symptom::kCrash);
  EXPECT_THAT(run.findings[0].detail, HasSubstr("exited with code 2 before finishing"));
}

// -----------------------------------------------------------------------------
// Budgets

TEST(Supervisor, CleanCaseRunsExactlyItsIterations) {
  const CaseBase& c = Fixture("CleanAtomicPair");
  const CaseRun run = RunSupervised(c, Isolated(0x2a));
  EXPECT_TRUE(run.finished);
  EXPECT_TRUE(run.findings.empty());
  EXPECT_EQ(run.iterations, kCleanIterations);
  EXPECT_EQ(TotalCount(run), kCleanIterations);
  ASSERT_EQ(run.outcomes.size(), 1u);
  EXPECT_EQ(run.outcomes[0].value, "2");
  EXPECT_EQ(run.outcomes[0].row, 0);
  const CaseReport report = Judge(c, run, Isolated(0x2a), "self");
  EXPECT_TRUE(report.passed) << report.message;
}

TEST(Supervisor, IterationsOptionOverridesTheCaseBudget) {
  RunOptions options = Isolated(0x2a);
  options.iterations = 50;
  const CaseRun run = RunSupervised(Fixture("CleanAtomicPair"), options);
  EXPECT_TRUE(run.finished);
  EXPECT_EQ(run.iterations, 50);
  EXPECT_EQ(TotalCount(run), 50);
}

// -----------------------------------------------------------------------------
// Seeds and replay

TEST(Supervisor, SameSeedGivesTheSameProfileSequence) {
  const CaseBase& c = Fixture("ProfileRecorder");
  const CaseRun first = RunSupervised(c, Isolated(0x2a));
  const CaseRun second = RunSupervised(c, Isolated(0x2a));
  ASSERT_TRUE(first.finished);
  ASSERT_TRUE(second.finished);
  EXPECT_EQ(first.iterations, kProfileIterations);
  // One distinct line per iteration, each the profile ForIteration draws.
  EXPECT_EQ(Values(first), ExpectedProfiles(0x2a, 0, kProfileIterations));
  EXPECT_EQ(Values(second), Values(first));
  const CaseRun other = RunSupervised(c, Isolated(0x2b));
  EXPECT_EQ(Values(other), ExpectedProfiles(0x2b, 0, kProfileIterations));
  EXPECT_NE(Values(other), Values(first));
}

TEST(Supervisor, ReplayRunsFromTheGivenIterationWithItsProfiles) {
  RunOptions options = Isolated(0x2a);
  options.first_iteration = 10;
  options.iterations = 5;
  options.replaying = true;
  const CaseRun run = RunSupervised(Fixture("ProfileRecorder"), options);
  ASSERT_TRUE(run.finished);
  EXPECT_EQ(run.iterations, 5);
  EXPECT_EQ(Values(run), ExpectedProfiles(0x2a, 10, 5));
}

TEST(Supervisor, IsolatedAndInProcessRunsDrawTheSameProfiles) {
  const CaseBase& c = Fixture("ProfileRecorder");
  RunOptions in_process = Isolated(0x77);
  in_process.isolate = false;
  const CaseRun local = RunSupervised(c, in_process);
  const CaseRun child = RunSupervised(c, Isolated(0x77));
  ASSERT_TRUE(local.finished);
  ASSERT_TRUE(child.finished);
  EXPECT_EQ(Values(local), Values(child));
  EXPECT_EQ(Values(local), ExpectedProfiles(0x77, 0, kProfileIterations));
}

// -----------------------------------------------------------------------------
// Engine options

TEST(EngineOptionsFor, RacyCaseStopsOnItsCountedSymptoms) {
  const CaseBase& c = Fixture("OppositeOrderDeadlock");
  const EngineOptions engine = EngineOptionsFor(c, Isolated(5));
  EXPECT_EQ(engine.case_seed, CaseSeed(5, "EngineFixture.OppositeOrderDeadlock"));
  EXPECT_EQ(engine.hang_timeout, absl::Milliseconds(500));
  EXPECT_EQ(engine.stop_on, CountedSymptoms(c));
  EXPECT_TRUE(Any(engine.stop_on & Symptom::kHang));
  EXPECT_EQ(Any(engine.stop_on & Symptom::kRace), kTsanEnabled);
}

TEST(EngineOptionsFor, CleanCaseRunsItsWholeBudgetUnlessOverridden) {
  const CaseBase& c = Fixture("CleanAtomicPair");
  RunOptions options = Isolated(5);
  EngineOptions engine = EngineOptionsFor(c, options);
  EXPECT_EQ(engine.stop_on, Symptom::kNone);
  EXPECT_EQ(engine.max_iterations, kCleanIterations);
  EXPECT_EQ(engine.time_budget, absl::Seconds(60));
  options.iterations = 7;
  options.time_budget = absl::Milliseconds(300);
  options.first_iteration = 4;
  engine = EngineOptionsFor(c, options);
  EXPECT_EQ(engine.max_iterations, 7);
  EXPECT_EQ(engine.time_budget, absl::Milliseconds(300));
  EXPECT_EQ(engine.first_iteration, 4);
}

}  // namespace
}  // namespace racestress::internal
