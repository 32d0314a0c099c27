// -----------------------------------------------------------------------------
// semaphore.h
// -----------------------------------------------------------------------------
//
// `Semaphore` is a counting semaphore built as Python builds
// threading.Semaphore: a count under a lock, and a wait until it is positive.
// `Acquire()` is a scheduling point, and an actor blocked in it publishes
// where it waits, so a hang report names it.
//
// Why not std::counting_semaphore: the one in libstdc++ 12 can miss a wake-up
// in acquire() and block forever (GCC PR 104928); a clean case must not
// inherit that hang.
//
// Thread safety: every method may be called from any thread. Releasing more
// permits than were acquired is allowed (it raises the count), as in Python.
//
// Memory ordering: everything a thread did before `Release()` happens before
// everything the thread whose `Acquire()` takes that permit does after it.

#ifndef RACESTRESS_HARNESS_SEMAPHORE_H_
#define RACESTRESS_HARNESS_SEMAPHORE_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "harness/core/scheduler.h"
#include "harness/stress/perturbation.h"
#include "harness/tsan/tsan_annotations.h"
#include "harness/point.h"

namespace racestress {

class Semaphore {
 public:
  explicit Semaphore(int permits) : permits_(permits) {}
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Semaphore::Acquire()
  //
  // A scheduling point, then blocks until a permit is free and takes it.
  void Acquire(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    if (auto* scheduler = internal::ActiveScheduler()) {
      scheduler->WaitUntil([this] { return ControlledAvailable(); }, "Semaphore::Acquire", file,
                           line);
      ControlledAdd(-1);
      return;
    }
    point(file, line);
    internal::ScopedBlocking blocked("Semaphore::Acquire", file, line);
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Semaphore::Available));
    --permits_;
  }

  // Semaphore::Release()
  //
  // Returns a permit, waking one waiter if any.
  void Release(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    if (auto* scheduler = internal::ActiveScheduler()) {
      scheduler->Point(file, line);
      ControlledAdd(+1);
      return;
    }
    absl::MutexLock lock(&mu_);
    ++permits_;
  }

 private:
  bool Available() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return permits_ > 0; }

  // Under the controlled engine only one actor runs at a time and the
  // scheduler does the waiting; `mu_` is unused. The count is still a
  // critical section for TSan: acquire, change, release.
  bool ControlledAvailable() const ABSL_NO_THREAD_SAFETY_ANALYSIS { return permits_ > 0; }
  void ControlledAdd(int delta) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    internal::TsanAcquire(this);
    permits_ += delta;
    internal::TsanRelease(this);
  }

  absl::Mutex mu_;
  int permits_ ABSL_GUARDED_BY(mu_);
};

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_SEMAPHORE_H_
