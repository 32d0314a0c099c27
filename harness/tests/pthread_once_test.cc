// -----------------------------------------------------------------------------
// harness/tests/pthread_once_test.cc
// -----------------------------------------------------------------------------
//
// pthread_once (once.cc) as std::call_once uses it, under both engines: an
// initializer that throws leaves the flag unset, so the next call runs it
// again (std::call_once's rule), and every caller sees the value of the one
// that returned, whoever ran it and wherever the scheduler switched. The
// common cases (a lazily computed value, clean; a check-then-compute flag,
// racy) are Instrumented.DoubleInit* in the catalog.

#include <mutex>
#include <stdexcept>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/runner/controlled_test_support.h"
#include "harness/runner/supervisor.h"

namespace racestress::internal {
namespace {

// Two actors call std::call_once until it returns; its first run throws.
struct ThrowingInitializer {
  std::once_flag flag;
  int attempts = 0;  // written by the initializer only: ordered by call_once
  int value = 0;
  int seen[2] = {0, 0};
  void Worker(int thread_index) {
    for (;;) {
      try {
        std::call_once(flag, [this] {
          if (++attempts == 1) throw std::runtime_error("the first attempt fails");
          value = 42;
        });
        break;
      } catch (const std::runtime_error&) {
      }
    }
    seen[thread_index] = value;
  }
  std::string Result() const {
    return absl::StrCat(attempts, " attempts, saw ", seen[0], " and ", seen[1]);
  }
};

}  // namespace

RACESTRESS_CASE(OnceFixture, ThrowingInitializer, ThrowingInitializer)
    .Threads(2)
    .Outcome(Equals(std::string("2 attempts, saw 42 and 42")), Expect::kAcceptable,
             "the throw left the flag unset; the second attempt set it")
    .Outcome(Otherwise(), Expect::kForbidden, "call_once ran too often, or a caller missed it");

namespace {

std::string Findings(const CaseRun& run) {
  std::string out;
  for (const auto& f : run.findings) absl::StrAppend(&out, "\n  ", f.detail);
  return out;
}

TEST(Once, ThrowingInitializerRunsAgainUnderEveryStrategy) {
  const CaseBase* c = FindCase("OnceFixture.ThrowingInitializer");
  ASSERT_NE(c, nullptr);
  for (const char* strategy : {"random", "pct", "dfs"}) {
    const CaseRun run = RunSupervised(*c, Controlled(strategy, 300));
    EXPECT_TRUE(run.finished) << strategy;
    EXPECT_TRUE(run.findings.empty()) << strategy << Findings(run);
    EXPECT_GT(run.iterations, 0) << strategy;
  }
}

}  // namespace
}  // namespace racestress::internal
