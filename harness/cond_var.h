// -----------------------------------------------------------------------------
// cond_var.h
// -----------------------------------------------------------------------------
//
// `CondVar` is a condition variable for `racestress::Mutex`, shaped like
// absl::CondVar: `Wait(mu)` atomically releases `mu` and blocks until
// signalled, then re-acquires `mu`; `Signal()` wakes one waiter,
// `SignalAll()` every waiter. As with any condition variable, a waiter must
// re-check its condition in a loop: a signal sent before the wait is lost.
//
// Natively it is a std::condition_variable, and `Wait()` is a scheduling
// point. Under the controlled engine the scheduler implements it
// (waiters are woken in the order they waited; no spurious wake-ups), so a
// lost wake-up is reported as a deadlock the moment no actor can run.
//
// Thread safety: `Wait()` requires the caller to hold `mu`; `Signal()` and
// `SignalAll()` may be called with or without it.
//
// Memory ordering: what the signalling thread did before `Signal()` happens
// before what the woken waiter does after `Wait()` returns (the mutex orders
// the rest).

#ifndef RACESTRESS_HARNESS_COND_VAR_H_
#define RACESTRESS_HARNESS_COND_VAR_H_

#include "absl/base/thread_annotations.h"
#include "harness/core/scheduler.h"
#include "harness/mutex.h"

namespace racestress {

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // CondVar::Wait()
  //
  // Releases `mu`, blocks until signalled, re-acquires `mu`. May return
  // without a signal (stress engine): wait in a loop on the condition.
  void Wait(Mutex& mu, const char* file = __builtin_FILE(), int line = __builtin_LINE())
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  // CondVar::Signal()
  //
  // Wakes one waiter, if any.
  void Signal(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // CondVar::SignalAll()
  //
  // Wakes every waiter.
  void SignalAll(const char* file = __builtin_FILE(), int line = __builtin_LINE());

 private:
  internal::CondVarState state_;
};

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_COND_VAR_H_
