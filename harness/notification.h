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

#include "harness/core/scheduler.h"

namespace racestress {

class Notification {
 public:
  Notification() = default;
  Notification(const Notification&) = delete;
  Notification& operator=(const Notification&) = delete;

  // Notification::Notify()
  //
  // A scheduling point, then wakes every waiter, now and to come.
  void Notify(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // Notification::WaitForNotification()
  //
  // A scheduling point, then blocks until `Notify()` has been called.
  void WaitForNotification(const char* file = __builtin_FILE(),
                           int line = __builtin_LINE()) const;

  // Notification::HasBeenNotified()
  //
  // A scheduling point, then whether `Notify()` has been called.
  [[nodiscard]] bool HasBeenNotified(const char* file = __builtin_FILE(),
                                     int line = __builtin_LINE()) const;

 private:
  // Mutable: waiting changes no observable state, but the scheduler's
  // books and the native wait take the state by reference.
  mutable internal::NotificationState state_;
};

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_NOTIFICATION_H_
