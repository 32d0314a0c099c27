// -----------------------------------------------------------------------------
// notification.h
// -----------------------------------------------------------------------------
//
// `Notification` is a one-shot event, shaped like absl::Notification (and
// Python's threading.Event without clear()): `Notify()` once, and every
// `WaitForNotification()` returns from then on.
//
// Under the stress engine it is an absl::Notification, with scheduling points
// before `Notify()` and each wait. Under the controlled engine the scheduler
// implements the wait, so a notification that never comes is reported as a
// deadlock as soon as no actor can run.
//
// Thread safety: every method may be called from any thread. Calling
// `Notify()` twice is undefined behaviour, as with absl::Notification.
//
// Memory ordering: everything a thread did before `Notify()` happens before
// everything a thread does after `WaitForNotification()` returns or after
// `HasBeenNotified()` returns true.

#ifndef RACESTRESS_HARNESS_NOTIFICATION_H_
#define RACESTRESS_HARNESS_NOTIFICATION_H_

#include <atomic>

#include "absl/synchronization/notification.h"
#include "harness/core/scheduler.h"
#include "harness/stress/perturbation.h"
#include "harness/tsan/tsan_annotations.h"
#include "harness/point.h"

namespace racestress {

class Notification {
 public:
  Notification() = default;
  Notification(const Notification&) = delete;
  Notification& operator=(const Notification&) = delete;

  // Notification::Notify()
  //
  // A scheduling point, then wakes every waiter, now and to come.
  void Notify(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    if (auto* scheduler = internal::ActiveScheduler()) {
      scheduler->Point(file, line);
      scheduler->Trace(internal::TraceOp::kSignal, file, line);
      internal::TsanRelease(this);
      notified_.store(true, std::memory_order_relaxed);
      return;
    }
    point(file, line);
    notification_.Notify();
  }

  // Notification::WaitForNotification()
  //
  // A scheduling point, then blocks until `Notify()` has been called.
  void WaitForNotification(const char* file = __builtin_FILE(),
                           int line = __builtin_LINE()) const {
    if (auto* scheduler = internal::ActiveScheduler()) {
      scheduler->WaitUntil([this] { return notified_.load(std::memory_order_relaxed); },
                           "Notification::WaitForNotification", file, line);
      internal::TsanAcquire(this);
      return;
    }
    point(file, line);
    internal::ScopedBlocking blocked("Notification::WaitForNotification", file, line);
    notification_.WaitForNotification();
  }

  // Notification::HasBeenNotified()
  //
  // A scheduling point, then whether `Notify()` has been called.
  [[nodiscard]] bool HasBeenNotified(const char* file = __builtin_FILE(),
                                     int line = __builtin_LINE()) const {
    if (auto* scheduler = internal::ActiveScheduler()) {
      scheduler->Point(file, line);
      if (!notified_.load(std::memory_order_relaxed)) return false;
      internal::TsanAcquire(this);
      return true;
    }
    point(file, line);
    return notification_.HasBeenNotified();
  }

 private:
  absl::Notification notification_;
  // Controlled engine only. Atomic so that TSan sees no race between actors;
  // the happens-before edge is announced explicitly.
  std::atomic<bool> notified_{false};
};

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_NOTIFICATION_H_
