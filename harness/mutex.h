// -----------------------------------------------------------------------------
// mutex.h
// -----------------------------------------------------------------------------
//
// `Mutex` is a std::mutex whose lock and unlock are scheduling points, so the
// stress engine varies the order in which actors take it (a race hidden by an
// incidental lock hand-off shows up once the hand-off order changes). It is an
// Abseil thread-safety capability: guard state with `ABSL_GUARDED_BY(mu)` and
// clang's -Wthread-safety checks every access at compile time.
//
// An actor blocked in `Lock()` publishes where it waits, so a hang report names
// the lock and the line. Under the controlled engine the scheduler implements
// the mutex (the std::mutex is unused), so a deadlock is reported with who
// holds and who waits for what the moment it happens.
//
// Thread safety: `Lock()`, `Unlock()` and `TryLock()` may be called from any
// thread. Unlocking a mutex the caller does not hold is undefined behaviour.
//
// Memory ordering: as std::mutex. Everything a thread did before `Unlock()`
// happens before everything the next holder does after its `Lock()` returns.

#ifndef RACESTRESS_HARNESS_MUTEX_H_
#define RACESTRESS_HARNESS_MUTEX_H_

#include <mutex>

#include "absl/base/thread_annotations.h"
#include "harness/core/scheduler.h"
#include "harness/stress/perturbation.h"
#include "harness/point.h"

namespace racestress {

class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // Mutex::Lock()
  //
  // A scheduling point, then blocks until the calling thread holds the mutex.
  void Lock(const char* file = __builtin_FILE(), int line = __builtin_LINE())
      ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    if (auto* scheduler = internal::ActiveScheduler()) {
      return scheduler->Lock(this, file, line);
    }
    point(file, line);
    internal::ScopedBlocking blocked("Mutex::Lock", file, line);
    internal::ScopedHarnessPthreadCalls own;
    mu_.lock();
  }

  // Mutex::Unlock()
  //
  // Releases the mutex, then a scheduling point.
  void Unlock(const char* file = __builtin_FILE(), int line = __builtin_LINE())
      ABSL_UNLOCK_FUNCTION() {
    if (auto* scheduler = internal::ActiveScheduler()) {
      return scheduler->Unlock(this, file, line);
    }
    {
      internal::ScopedHarnessPthreadCalls own;
      mu_.unlock();
    }
    point(file, line);
  }

  // Mutex::TryLock()
  //
  // A scheduling point, then takes the mutex if it is free; true if it did.
  [[nodiscard]] bool TryLock(const char* file = __builtin_FILE(),
                             int line = __builtin_LINE())
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    if (auto* scheduler = internal::ActiveScheduler()) {
      return scheduler->TryLock(this, file, line);
    }
    point(file, line);
    internal::ScopedHarnessPthreadCalls own;
    return mu_.try_lock();
  }

  // Mutex::lock() / unlock() / try_lock()
  //
  // The standard Lockable names, so that std::scoped_lock, std::unique_lock
  // and std::lock work with this mutex, under both engines. The trace then
  // points into the standard library's <mutex>, not at the caller.
  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { Lock(); }
  void unlock() ABSL_UNLOCK_FUNCTION() { Unlock(); }
  [[nodiscard]] bool try_lock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return TryLock(); }

 private:
  friend class CondVar;  // waits on mu_ under the stress engine
  std::mutex mu_;
};

// MutexLock
//
// Holds `mu` for the lifetime of the guard: the advertised way to lock.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex& mu, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE()) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu)
      : mu_(mu), file_(file), line_(line) {
    mu_.Lock(file_, line_);
  }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_.Unlock(file_, line_); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
  const char* file_;
  int line_;
};

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_MUTEX_H_
