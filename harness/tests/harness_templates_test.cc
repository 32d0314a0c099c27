// -----------------------------------------------------------------------------
// harness/tests/harness_templates_test.cc
// -----------------------------------------------------------------------------
//
// The linker keeps one copy of each inline or template function, and in this
// binary it keeps the instrumented ones of a user's library
// (harness_templates_user/, linked first): the harness's own calls to
// std::vector<int>::push_back and the like run code with compiler-inserted
// hooks. Those hooks must not make the harness's own work a scheduling point
// (which re-entered the controlled scheduler until the stack overflowed, on
// every case of such a binary): a clean case that calls the library stays
// clean under every engine and strategy, and the hooks say they were reached
// from the harness's code, so that this test cannot pass without the
// situation it is about.

#include <cstdint>
#include <mutex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/time/time.h"
#include "harness/case.h"
#include "harness/intercept/instrument_hooks.h"
#include "harness/runner/controlled_test_support.h"
#include "harness/runner/supervisor.h"
#include "harness/tests/harness_templates_user/shared_templates.h"

namespace racestress::internal {
namespace {

constexpr int kLength = 40;
constexpr long kPerCall = kLength * (kLength + 1) + kLength + 2 * kLength + 2;
constexpr int kActors = 2;

struct SumsThroughContainers {
  std::mutex mu;
  long total = 0;  // guarded by mu
  void Worker(int /*thread_index*/) {
    const long sum = templates_user::SumThroughContainers(kLength);
    std::lock_guard<std::mutex> lock(mu);
    total += sum;
  }
  long Result() {
    std::lock_guard<std::mutex> lock(mu);
    return total;
  }
};

// Two actors take two std::mutexes in opposite orders, inside the library:
// the controlled engine finds the deadlock and describes its cycle, with
// std::string code, on the fiber of the actor that closed it. DISABLED_: a
// fixture of the test below, not a test of its own (the stress engine finds
// this deadlock only by chance).
struct LocksInOppositeOrders {
  std::mutex a, b;
  void Forward() { templates_user::LockBoth(a, b); }
  void Backward() { templates_user::LockBoth(b, a); }
  int Result() const { return 0; }
};

}  // namespace

RACESTRESS_CASE(HarnessTemplates, DISABLED_DeadlockDescribedOnAnActor, LocksInOppositeOrders)
    .Actor(&LocksInOppositeOrders::Forward)
    .Actor(&LocksInOppositeOrders::Backward)
    .Outcome(Equals(0), Expect::kAcceptable, "no deadlock in this run")
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kRace | Symptom::kHang)
    .RaceKinds({TsanKind::kLockOrderInversion});

RACESTRESS_CASE(HarnessTemplates, SharedWithTheScheduler, SumsThroughContainers)
    .Threads(kActors)
    .Outcome(Equals(kActors * kPerCall), Expect::kAcceptable, "every sum counted")
    .Outcome(Otherwise(), Expect::kForbidden, "a sum lost", Symptom::kLostUpdate);

namespace {

const CaseBase& Case(const std::string& name) {
  const CaseBase* c = FindCase("HarnessTemplates." + name);
  EXPECT_NE(c, nullptr) << name;
  return *c;
}

std::string Findings(const CaseRun& run) {
  std::string out;
  for (const auto& f : run.findings) out += "\n  " + f.detail;
  return out;
}

// In this process (no child), so that the hooks' count is this run's.
TEST(HarnessTemplates, ControlledEngineRunsTheUsersCopiesWithoutReenteringItself) {
  for (const char* strategy : {"random", "pct", "dfs"}) {
    RunOptions options = Controlled(strategy, 100);
    options.isolate = false;
    const CaseRun clean = RunSupervised(Case("SharedWithTheScheduler"), options);
    EXPECT_TRUE(clean.finished) << strategy;
    EXPECT_TRUE(clean.findings.empty()) << strategy << Findings(clean);
    EXPECT_EQ(clean.iterations, 100) << strategy;

    const int64_t before = InstrumentedAccessesInHarnessCode();
    const CaseRun deadlock = RunSupervised(Case("DISABLED_DeadlockDescribedOnAnActor"), options);
    EXPECT_TRUE(deadlock.finished) << strategy;
    ASSERT_FALSE(deadlock.findings.empty()) << strategy;
    EXPECT_EQ(deadlock.findings[0].kind, Symptom::kHang) << strategy << Findings(deadlock);
    EXPECT_THAT(deadlock.findings[0].detail, testing::HasSubstr("deadlock")) << strategy;
    EXPECT_GT(InstrumentedAccessesInHarnessCode(), before)
        << strategy << ": the harness never ran the library's instrumented copies, so this "
        << "test shows nothing (did the link order change?)";
  }
}

TEST(HarnessTemplates, StressEngineRunsThemToo) {
  RunOptions options;
  options.run_seed = 0x2a;
  options.isolate = false;
  options.iterations = 200;
  options.time_budget = absl::Seconds(120);
  const CaseRun run = RunSupervised(Case("SharedWithTheScheduler"), options);
  EXPECT_TRUE(run.finished);
  EXPECT_TRUE(run.findings.empty()) << Findings(run);
  EXPECT_EQ(run.iterations, 200);
}

}  // namespace
}  // namespace racestress::internal
