// -----------------------------------------------------------------------------
// harness/ci_gate_fixture.cc
// -----------------------------------------------------------------------------
//
// Two fixed (clean) cases for Runner.CiGateFailsOnARace: one that regressed
// (its lock was dropped, so it races and loses updates) and one that did not.
// The gate command of .github/workflows/racestress.yml, run over both, must
// fail the job on the first and show its replay line. Not a catalog case:
// this binary exists for that test only.

#include "harness/case.h"

namespace racestress::gate_fixture {
namespace {

constexpr int kIncrements = 1000;

// The regression: the lock around the increment is gone.
struct RegressedCounter {
  Racy<int> count;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kIncrements; ++i) count.Store(count.Load() + 1);
  }
  int Result() const { return count.Load(); }
};

struct LockedCounter {
  Mutex mu;
  int count ABSL_GUARDED_BY(mu) = 0;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kIncrements; ++i) {
      MutexLock lock(mu);
      ++count;
    }
  }
  int Result() {
    MutexLock lock(mu);
    return count;
  }
};

}  // namespace

RACESTRESS_CASE(GateFixture, RegressedCounter, RegressedCounter)
    .Threads(2)
    .Outcome(Equals(2 * kIncrements), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

RACESTRESS_CASE(GateFixture, LockedCounter, LockedCounter)
    .Threads(2)
    .Outcome(Equals(2 * kIncrements), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

}  // namespace racestress::gate_fixture
