// -----------------------------------------------------------------------------
// mutex.h
// -----------------------------------------------------------------------------
//
// `Mutex` is a mutex whose lock and unlock are scheduling points, so the
// stress engine varies the order in which actors take it (a race hidden by an
// incidental lock hand-off shows up once the hand-off order changes). It is an
// Abseil thread-safety capability: guard state with `ABSL_GUARDED_BY(mu)` and
// clang's -Wthread-safety checks every access at compile time.
//
// An actor blocked in `Lock()` publishes where it waits, so a hang report names
// the lock and the line. Under the controlled engine the scheduler implements
// the mutex, so a deadlock is reported with who holds and who waits for what
// the moment it happens.
//
// Thread safety: `Lock()`, `Unlock()` and `TryLock()` may be called from any
// thread. Unlocking a mutex the caller does not hold is undefined behaviour.
//
// Memory ordering: as std::mutex. Everything a thread did before `Unlock()`
// happens before everything the next holder does after its `Lock()` returns.
//
// Example: a guarded counter, and a transfer that takes two locks at once
// through the standard Lockable names (std::scoped_lock orders them, so two
// transfers in opposite directions cannot deadlock):
//
//   struct Account {
//     racestress::Mutex mu;
//     int64_t balance ABSL_GUARDED_BY(mu) = 0;
//   };
//
//   void Deposit(Account& a, int64_t amount) {
//     racestress::MutexLock lock(a.mu);
//     a.balance += amount;
//   }
//
//   void Transfer(Account& from, Account& to, int64_t amount)
//       ABSL_NO_THREAD_SAFETY_ANALYSIS {  // the analysis cannot follow scoped_lock
//     std::scoped_lock both(from.mu, to.mu);
//     from.balance -= amount;
//     to.balance += amount;
//   }
//
// Under the controlled engine the step trace names each lock by the line of
// its call; a lock taken through lock() names the line of lock() below.

#ifndef RACESTRESS_HARNESS_MUTEX_H_
#define RACESTRESS_HARNESS_MUTEX_H_

#include "absl/base/thread_annotations.h"
#include "harness/core/scheduler.h"

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
      ABSL_EXCLUSIVE_LOCK_FUNCTION();

  // Mutex::Unlock()
  //
  // Releases the mutex, then a scheduling point.
  void Unlock(const char* file = __builtin_FILE(), int line = __builtin_LINE())
      ABSL_UNLOCK_FUNCTION();

  // Mutex::TryLock()
  //
  // A scheduling point, then takes the mutex if it is free; true if it did.
  [[nodiscard]] bool TryLock(const char* file = __builtin_FILE(),
                             int line = __builtin_LINE())
      ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true);

  // Mutex::lock() / unlock() / try_lock()
  //
  // The standard Lockable names, so that std::scoped_lock, std::unique_lock
  // and std::lock work with this mutex, under both engines. The trace then
  // names this header, not the caller: the standard library's lock
  // algorithms pass no source location. (The trace hash counts each step's
  // line: moving these three lines changes the hash of every schedule that
  // locks through them.)

  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { Lock(); }
  void unlock() ABSL_UNLOCK_FUNCTION() { Unlock(); }
  [[nodiscard]] bool try_lock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return TryLock(); }

 private:
  friend class CondVar;  // waits on state_
  internal::MutexState state_;
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
