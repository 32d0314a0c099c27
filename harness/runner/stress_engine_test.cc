// -----------------------------------------------------------------------------
// harness/runner/stress_engine_test.cc
// -----------------------------------------------------------------------------
//
// The stress engine in this process (RunCase, and RunSupervised with
// isolate=false): budgets, replay offsets, seeded profiles, how findings are
// reported, and that the workers are joined when a run ends. Cases that hang
// or crash need a process of their own: supervisor_test.cc runs those.

#include "harness/stress/engine.h"

#include <dirent.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/runner/flags.h"
#include "harness/stress/perturbation.h"
#include "harness/runner/protocol.h"
#include "harness/core/rng.h"
#include "harness/runner/supervisor.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

// Collects findings from any thread. Tests run no actor that could hold the
// sink's mutex, so locking here cannot deadlock the engine.
class CollectingSink final : public FindingSink {
 public:
  void OnFinding(const FindingView& finding) override {
    absl::MutexLock lock(&mu_);
    findings_.push_back(finding.ToFinding());
  }
  std::vector<Finding> findings() const {
    absl::MutexLock lock(&mu_);
    return findings_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Finding> findings_ ABSL_GUARDED_BY(mu_);
};

EngineOptions Budget(int64_t iterations) {
  EngineOptions options;
  options.case_seed = CaseSeed(0x2a, "EngineTest.Case");
  options.max_iterations = iterations;
  options.time_budget = absl::Seconds(60);  // the iteration budget ends the run
  options.hang_timeout = absl::Seconds(60);
  return options;
}

int64_t TotalCount(const std::vector<Accumulator::Entry>& entries) {
  int64_t total = 0;
  for (const auto& e : entries) total += e.count;
  return total;
}

// Threads of this process, from /proc.
int ThreadCount() {
  int count = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (const dirent* entry = readdir(dir)) count += entry->d_name[0] != '.';
    closedir(dir);
  }
  return count;
}

// -----------------------------------------------------------------------------
// Cases built here, not registered: the engine needs no registry.

// Two workers increment an atomic: every iteration gives 2.
struct AtomicPair {
  std::atomic<int> total{0};
  void Worker(int /*thread_index*/) { total.fetch_add(1, std::memory_order_relaxed); }
  int Result() const { return total.load(std::memory_order_relaxed); }
};

TypedCase<AtomicPair> AtomicPairCase() {
  TypedCase<AtomicPair> c("EngineTest", "AtomicPair", __FILE__, __LINE__);
  c.Threads(2)
      .Outcome(Equals(2), Expect::kAcceptable, "both increments counted")
      .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);
  return c;
}

// Each actor writes down its iteration and its perturbation profile.
std::string ProfileLine(int64_t iteration, const PerturbationProfile& p) {
  return absl::StrCat(iteration, ":", p.intensity, ":", p.max_spin, ":", p.yield_per_256, ":",
                      p.sleep_per_256, ":", p.max_start_delay);
}

struct ProfileSeen {
  std::array<std::string, 2> seen;
  void Worker(int thread_index) {
    const ActorContext* actor = CurrentActor();
    seen[thread_index] = ProfileLine(actor->status->iteration.load(), actor->profile);
  }
  std::string Result() const { return seen[0] + "|" + seen[1]; }
};

TypedCase<ProfileSeen> ProfileSeenCase() {
  TypedCase<ProfileSeen> c("EngineTest", "ProfileSeen", __FILE__, __LINE__);
  c.Threads(2).Outcome(Otherwise(), Expect::kAcceptable, "any profile");
  return c;
}

// What ProfileSeen must report for iterations [first, first + count).
std::set<std::string> ExpectedProfiles(uint64_t case_seed, int64_t first, int64_t count) {
  std::set<std::string> lines;
  for (int64_t i = first; i < first + count; ++i) {
    const std::string line =
        ProfileLine(i, PerturbationProfile::ForIteration(IterationSeed(case_seed, i)));
    lines.insert(line + "|" + line);
  }
  return lines;
}

std::set<std::string> Values(const std::vector<Accumulator::Entry>& entries) {
  std::set<std::string> values;
  for (const auto& e : entries) values.insert(e.value);
  return values;
}

// Always the same value, and no declared outcome accepts it.
struct AlwaysSeven {
  void Worker(int /*thread_index*/) {}
  int Result() const { return 7; }
};

// -----------------------------------------------------------------------------
// Budgets and joining

TEST(Engine, RunsExactlyTheIterationBudgetAndJudgesEveryIteration) {
  const TypedCase<AtomicPair> c = AtomicPairCase();
  CollectingSink sink;
  const EngineResult result = RunStress(c, Budget(300), sink);
  EXPECT_EQ(result.iterations, 300);
  EXPECT_FALSE(result.hung);
  EXPECT_TRUE(sink.findings().empty());
  ASSERT_EQ(result.outcomes.size(), 1u);
  EXPECT_EQ(result.outcomes[0].value, "2");
  EXPECT_EQ(result.outcomes[0].row, 0);
  EXPECT_EQ(TotalCount(result.outcomes), 300);
}

TEST(Engine, FixedStrideIsKept) {
  TypedCase<AtomicPair> c = AtomicPairCase();
  EngineOptions options = Budget(40);
  options.stride = 8;
  CollectingSink sink;
  const EngineResult result = RunStress(c, options, sink);
  EXPECT_EQ(result.iterations, 40);
  EXPECT_EQ(result.final_stride, 8);
}

TEST(Engine, JoinsItsWorkersBeforeReturning) {
  // Warm up: the first thread a process creates may start runtime threads
  // of its own (TSan's background thread) that outlive it.
  std::thread([] {}).join();
  const int before = ThreadCount();
  ASSERT_GT(before, 0);
  const TypedCase<AtomicPair> c = AtomicPairCase();
  CollectingSink sink;
  const EngineResult result = RunStress(c, Budget(50), sink);
  EXPECT_EQ(result.iterations, 50);
  // A joined thread may linger in /proc for a moment after join returns.
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (ThreadCount() != before && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(ThreadCount(), before);
}

TEST(Engine, InProcessRunSupervisedFinishesAndJoinsItsWorkers) {
  std::thread([] {}).join();
  const int before = ThreadCount();
  TypedCase<AtomicPair> c = AtomicPairCase();
  c.Iterations(120).TimeBudget(absl::Seconds(60));
  RunOptions options;
  options.run_seed = 0x2a;
  options.isolate = false;
  const CaseRun run = RunSupervised(c, options);
  EXPECT_TRUE(run.finished);
  EXPECT_EQ(run.iterations, 120);
  EXPECT_TRUE(run.findings.empty());
  EXPECT_EQ(TotalCount(run.outcomes), 120);
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (ThreadCount() != before && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(ThreadCount(), before);
}

TEST(Engine, ConsecutiveRunsInOneProcessAreIndependent) {
  const TypedCase<AtomicPair> c = AtomicPairCase();
  for (int run = 0; run < 3; ++run) {
    CollectingSink sink;
    const EngineResult result = RunStress(c, Budget(30), sink);
    EXPECT_EQ(result.iterations, 30) << "run " << run;
    EXPECT_EQ(TotalCount(result.outcomes), 30) << "run " << run;
    EXPECT_TRUE(sink.findings().empty()) << "run " << run;
  }
}

// -----------------------------------------------------------------------------
// Seeds, profiles and replay

TEST(Engine, EveryActorRunsEachIterationUnderThatIterationsProfile) {
  const TypedCase<ProfileSeen> c = ProfileSeenCase();
  const EngineOptions options = Budget(64);
  CollectingSink sink;
  const EngineResult result = RunStress(c, options, sink);
  EXPECT_EQ(result.iterations, 64);
  EXPECT_EQ(Values(result.outcomes), ExpectedProfiles(options.case_seed, 0, 64));
}

TEST(Engine, SameSeedGivesTheSameProfileSequence) {
  const TypedCase<ProfileSeen> c = ProfileSeenCase();
  CollectingSink sink;
  const EngineResult first = RunStress(c, Budget(48), sink);
  const EngineResult second = RunStress(c, Budget(48), sink);
  EXPECT_EQ(Values(first.outcomes), Values(second.outcomes));
  EngineOptions other = Budget(48);
  other.case_seed = CaseSeed(0x2b, "EngineTest.Case");
  const EngineResult third = RunStress(c, other, sink);
  EXPECT_NE(Values(first.outcomes), Values(third.outcomes));
}

TEST(Engine, ReplayStartsAtFirstIterationWithThatIterationsProfile) {
  const TypedCase<ProfileSeen> c = ProfileSeenCase();
  EngineOptions options = Budget(5);
  options.first_iteration = 1000;
  CollectingSink sink;
  const EngineResult result = RunStress(c, options, sink);
  EXPECT_EQ(result.iterations, 5);
  EXPECT_EQ(Values(result.outcomes), ExpectedProfiles(options.case_seed, 1000, 5));
}

// -----------------------------------------------------------------------------
// Findings

TEST(Engine, ForbiddenOutcomeIsReportedOnceButCountedEveryTime) {
  TypedCase<AlwaysSeven> c("EngineTest", "AlwaysSeven", __FILE__, __LINE__);
  c.Outcome(Equals(1), Expect::kAcceptable, "one")
      .Outcome(Equals(7), Expect::kForbidden, "seven is a lost update", Symptom::kLostUpdate);
  CollectingSink sink;
  const EngineResult result = RunStress(c, Budget(50), sink);
  EXPECT_EQ(result.iterations, 50);
  const std::vector<Finding> findings = sink.findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, Symptom::kLostUpdate);
  EXPECT_EQ(findings[0].iteration, 0);
  EXPECT_THAT(findings[0].detail, HasSubstr("7, graded forbidden (seven is a lost update)"));
  ASSERT_EQ(result.outcomes.size(), 1u);
  EXPECT_EQ(result.outcomes[0].count, 50);
  EXPECT_EQ(result.outcomes[0].row, 1);
}

TEST(Engine, UndeclaredOutcomeIsAForbiddenFinding) {
  TypedCase<AlwaysSeven> c("EngineTest", "Undeclared", __FILE__, __LINE__);
  c.Outcome(Equals(1), Expect::kAcceptable, "one");
  CollectingSink sink;
  const EngineResult result = RunStress(c, Budget(10), sink);
  const std::vector<Finding> findings = sink.findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, Symptom::kForbidden);
  EXPECT_THAT(findings[0].detail, HasSubstr("no declared outcome matches"));
  ASSERT_EQ(result.outcomes.size(), 1u);
  EXPECT_EQ(result.outcomes[0].row, kUndeclaredRow);
}

TEST(Engine, StopOnEndsTheRunAfterTheBatchThatFlagged) {
  TypedCase<AlwaysSeven> c("EngineTest", "StopOn", __FILE__, __LINE__);
  c.Outcome(Otherwise(), Expect::kForbidden, "never right");
  EngineOptions options = Budget(1000);
  options.stride = 4;
  options.stop_on = Symptom::kForbidden;
  CollectingSink sink;
  const EngineResult result = RunStress(c, options, sink);
  EXPECT_EQ(result.iterations, 4);
  EXPECT_EQ(sink.findings().size(), 1u);
}

struct ThrowingWorker {
  void Worker(int thread_index) {
    if (thread_index == 1) throw std::runtime_error("boom at the worker");
  }
};

TEST(Engine, ActorThatThrowsIsACrashFindingAndTheRunGoesOn) {
  TypedCase<ThrowingWorker> c("EngineTest", "Throwing", __FILE__, __LINE__);
  CollectingSink sink;
  const EngineResult result = RunStress(c, Budget(20), sink);
  EXPECT_EQ(result.iterations, 20);
  const std::vector<Finding> findings = sink.findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, Symptom::kCrash);
  EXPECT_EQ(findings[0].iteration, 0);
  EXPECT_THAT(findings[0].detail, HasSubstr("actor 1 threw: boom at the worker"));
}

}  // namespace
}  // namespace racestress::internal
