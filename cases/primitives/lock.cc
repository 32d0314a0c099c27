// -----------------------------------------------------------------------------
// cases/primitives/lock.cc
// -----------------------------------------------------------------------------
//
// The first of the four primitives: a lock. Four workers each add 1 to a
// shared counter 1000 times. Without the lock, `counter += 1` is a load and a
// store with a window between them, and an increment is lost; with it, every
// increment counts. Expected total: 4 threads x 1000 increments = 4000.
//
// Seed: 000_e45c04ed2e832ebf.txt, "Locks, Semaphores, Events, and Conditions" (Locks).
// Run:  ctest --preset tsan -R '^Primitives\.LostUpdate'

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kThreads = 4;
constexpr int kIncrements = 1000;
constexpr int64_t kExpectedTotal = int64_t{kThreads} * kIncrements;

// The bug: the counter is shared with no lock around the read-modify-write.
struct UnlockedCounter {
  Racy<int64_t> total;

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kIncrements; ++i) total.Store(total.Load() + 1);
  }
  int64_t Result() const { return total.Load(); }
};

// The fix: `with lock:` around the increment, a scoped racestress::MutexLock.
struct MutexCounter {
  Mutex mu;
  int64_t total ABSL_GUARDED_BY(mu) = 0;

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kIncrements; ++i) {
      MutexLock lock(mu);
      total += 1;
    }
  }
  int64_t Result() {
    MutexLock lock(mu);
    return total;
  }
};

}  // namespace

RACESTRESS_CASE(Primitives, LostUpdateUnlocked, UnlockedCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "no update lost in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "lost update: one worker's increment overwrote another's", Symptom::kLostUpdate)
    .Racy(Symptom::kRace | Symptom::kLostUpdate);

RACESTRESS_CASE(Primitives, LostUpdateMutex, MutexCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update under a lock",
             Symptom::kLostUpdate);

}  // namespace racestress::cases
