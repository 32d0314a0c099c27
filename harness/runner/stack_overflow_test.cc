// -----------------------------------------------------------------------------
// harness/runner/stack_overflow_test.cc
// -----------------------------------------------------------------------------
//
// An actor's stack is a thread's under both engines: a 400 KiB recursion
// passes, and an unbounded one is a crash finding that says "stack overflow
// in actor N", in the iteration it happened, instead of a silent pass, a
// random SIGSEGV or a hang blamed on the wrong cause. The controlled
// engine's actors overflow into their fiber's guard, the stress engine's
// into their thread's; either way the crash handler runs on the thread's
// alternate signal stack.
//
// The fixture cases are registered, so the child (a re-exec of this binary)
// can find them; each also passes when run as an ordinary (stress) test.

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/controlled/recursion_test_support.h"
#include "harness/runner/controlled_test_support.h"
#include "harness/runner/supervisor.h"
#include "harness/runner/test_support.h"
#include "harness/runner/verdict.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kDeepKiB = 400;
constexpr int kDeepIterations = 20;
constexpr int64_t kOverflowIteration = 2;

// Both actors recurse 400 KiB deep (the controlled engine's fibers had
// 256 KiB once); the arbiter reports the shallower of the two, in KiB.
struct DeepRecursion {
  int64_t span[2] = {0, 0};
  void Worker(int actor) { span[actor] = RecurseAtLeast(kDeepKiB * 1024); }
  int64_t Result() const { return std::min(span[0], span[1]) / 1024; }
};

// The bug: from iteration kOverflowIteration on, actor 1 recurses without
// end. States are made in iteration order, one per iteration (a schedule,
// under the controlled engine), so the count says which iteration this is.
std::atomic<int64_t> unbounded_states{0};

struct UnboundedRecursion {
  const int64_t iteration = unbounded_states.fetch_add(1);
  void Worker(int actor) {
    if (actor != 1 || iteration < kOverflowIteration) return;
    const rlimit no_core = {0, 0};  // a deliberate crash needs no core file
    setrlimit(RLIMIT_CORE, &no_core);
    RecurseAtLeast(kUnbounded);
  }
};

}  // namespace

RACESTRESS_CASE(StackFixture, DeepRecursion, DeepRecursion)
    .Threads(2)
    .Iterations(kDeepIterations)
    .Outcome(Where("at least 400 KiB", [](int64_t kib) { return kib >= kDeepKiB; }),
             Expect::kAcceptable, "both actors recursed 400 KiB deep")
    .Outcome(Otherwise(), Expect::kForbidden, "a recursion stopped short", Symptom::kForbidden);

RACESTRESS_CASE(StackFixture, UnboundedRecursion, UnboundedRecursion)
    .Threads(2)
    .Racy(Symptom::kCrash);

namespace {

const CaseBase& StackFixture(const std::string& name) {
  const CaseBase* c = FindCase(absl::StrCat("StackFixture.", name));
  EXPECT_NE(c, nullptr) << name;
  return *c;
}

RunOptions Stress() {
  RunOptions options;
  options.run_seed = 0x2a;
  options.isolate = true;
  return options;
}

void ExpectDeepRecursionPasses(const RunOptions& options) {
  const CaseBase& c = StackFixture("DeepRecursion");
  const CaseRun run = RunSupervised(c, options);
  EXPECT_TRUE(run.finished) << Describe(run);
  EXPECT_TRUE(run.findings.empty()) << Describe(run);
  EXPECT_EQ(run.iterations, kDeepIterations);
  for (const auto& outcome : run.outcomes) EXPECT_EQ(outcome.row, 0) << outcome.value << " KiB";
  const CaseReport report = Judge(c, run, options, "self");
  EXPECT_TRUE(report.passed) << report.message;
}

void ExpectStackOverflowInActorOne(const RunOptions& options) {
  const CaseBase& c = StackFixture("UnboundedRecursion");
  const CaseRun run = RunSupervised(c, options);
  EXPECT_FALSE(run.finished);
  const std::vector<Finding> crashes = FindingsOf(run, Symptom::kCrash);
  ASSERT_EQ(crashes.size(), 1u) << Describe(run);
  EXPECT_THAT(crashes[0].detail,
              HasSubstr("stack overflow in actor 1 (SIGSEGV in the guard page below its stack"));
  EXPECT_EQ(crashes[0].iteration, kOverflowIteration);
  EXPECT_TRUE(FindingsOf(run, Symptom::kHang).empty()) << Describe(run);
  const CaseReport report = Judge(c, run, options, "self");
  EXPECT_TRUE(report.passed) << report.message;
  EXPECT_THAT(report.message, HasSubstr("stack overflow in actor 1"));
  EXPECT_THAT(report.replay, HasSubstr(absl::StrCat(":", kOverflowIteration)));
}

TEST(RunnerStackOverflow, FourHundredKiBDeepPassesUnderTheStressEngine) {
  ExpectDeepRecursionPasses(Stress());
}

TEST(RunnerStackOverflow, FourHundredKiBDeepPassesUnderTheControlledEngine) {
  ExpectDeepRecursionPasses(Controlled("random", kDeepIterations));
}

TEST(RunnerStackOverflow, UnboundedRecursionNamesItsActorUnderTheStressEngine) {
  ExpectStackOverflowInActorOne(Stress());
}

TEST(RunnerStackOverflow, UnboundedRecursionNamesItsActorUnderTheControlledEngine) {
  RunOptions options = Controlled("random", 10);
  ExpectStackOverflowInActorOne(options);
}

}  // namespace
}  // namespace racestress::internal
