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

#include "harness/core/scheduler.h"

namespace racestress {

class Semaphore {
 public:
  explicit Semaphore(int permits) : state_(permits) {}
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Semaphore::Acquire()
  //
  // A scheduling point, then blocks until a permit is free and takes it.
  void Acquire(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // Semaphore::Release()
  //
  // A scheduling point, then returns a permit, waking one waiter if any.
  void Release(const char* file = __builtin_FILE(), int line = __builtin_LINE());

 private:
  internal::SemaphoreState state_;
};

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_SEMAPHORE_H_
