// -----------------------------------------------------------------------------
// cases/acquire_release/finally_release.cc
// -----------------------------------------------------------------------------
//
// Ten threads each acquire a lock, add 1 to a shared resource and release the
// lock in `finally`, so it is released even when the body raises. Here every
// third body throws after its increment. Expected: 10 threads x 1 = 10. With
// no lock, increments are lost; with a manual Lock()/Unlock(), the throw skips
// Unlock(), and the next thread to acquire waits forever (a hang).
//
// Seed: 004_ab661c4dcfa37486.txt, "Synchronizing threads" (lock.acquire() / finally release()).
// Run:  ctest --preset tsan -R '^AcquireRelease\.'

#include <cstdint>
#include <stdexcept>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kThreads = 10;
constexpr int64_t kExpectedTotal = int64_t{kThreads} * 1;

// Every third body raises between acquire and release.
void MaybeThrow(int thread_index) {
  if (thread_index % 3 == 0) throw std::runtime_error("the body raised");
}

// The bug: no lock at all.
struct NoLockResource {
  Racy<int64_t> shared_resource;

  void Worker(int thread_index) {
    try {
      shared_resource.Store(shared_resource.Load() + 1);
      MaybeThrow(thread_index);
    } catch (const std::runtime_error&) {
    }
  }
  int64_t Result() const { return shared_resource.Load(); }
};

// The bug: acquire and release by hand; the exception path skips Unlock().
// (Clang's analysis does not follow the throw, so it cannot object.)
struct ManualUnlockResource {
  Mutex mu;
  int64_t shared_resource ABSL_GUARDED_BY(mu) = 0;

  void Body(int thread_index) {
    mu.Lock();
    shared_resource += 1;
    MaybeThrow(thread_index);
    mu.Unlock();
  }
  void Worker(int thread_index) {
    try {
      Body(thread_index);
    } catch (const std::runtime_error&) {
    }
  }
  int64_t Result() {
    MutexLock lock(mu);
    return shared_resource;
  }
};

// The fix: C++'s `finally` is a destructor; MutexLock releases on any exit.
struct MutexLockResource {
  Mutex mu;
  int64_t shared_resource ABSL_GUARDED_BY(mu) = 0;

  void Body(int thread_index) {
    MutexLock lock(mu);
    shared_resource += 1;
    MaybeThrow(thread_index);
  }
  void Worker(int thread_index) {
    try {
      Body(thread_index);
    } catch (const std::runtime_error&) {
    }
  }
  int64_t Result() {
    MutexLock lock(mu);
    return shared_resource;
  }
};

}  // namespace

RACESTRESS_CASE(AcquireRelease, LostUpdateNoLock, NoLockResource)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "no update lost in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "lost update: one thread's += 1 overwrote another's", Symptom::kLostUpdate)
    .Racy(Symptom::kRace | Symptom::kLostUpdate);

RACESTRESS_CASE(AcquireRelease, LeakedLockManualUnlock, ManualUnlockResource)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update under a lock", Symptom::kLostUpdate)
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kHang);

RACESTRESS_CASE(AcquireRelease, FinallyReleaseMutexLock, MutexLockResource)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable,
             "every increment counted, the lock released on every exit")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update under a lock", Symptom::kLostUpdate);

}  // namespace racestress::cases
