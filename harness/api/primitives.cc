// The bodies of mutex.h, cond_var.h, semaphore.h, notification.h and
// point.h: each operation is the calling thread's scheduler's
// (core/scheduler.h), whichever engine runs the thread.

#include "harness/cond_var.h"
#include "harness/mutex.h"
#include "harness/notification.h"
#include "harness/point.h"
#include "harness/semaphore.h"
#include "harness/stress/native_scheduler.h"

namespace racestress {

using internal::SchedulerForThisThread;

void point(const char* file, int line) { SchedulerForThisThread().Point(file, line); }

void yield(const char* file, int line) { SchedulerForThisThread().Yield(file, line); }

void Mutex::Lock(const char* file, int line) {
  SchedulerForThisThread().Lock(state_, file, line);
}

void Mutex::Unlock(const char* file, int line) {
  SchedulerForThisThread().Unlock(state_, file, line);
}

bool Mutex::TryLock(const char* file, int line) {
  return SchedulerForThisThread().TryLock(state_, file, line);
}

void CondVar::Wait(Mutex& mu, const char* file, int line) {
  SchedulerForThisThread().Wait(state_, mu.state_, file, line);
}

void CondVar::Signal(const char* file, int line) {
  SchedulerForThisThread().Signal(state_, /*all=*/false, file, line);
}

void CondVar::SignalAll(const char* file, int line) {
  SchedulerForThisThread().Signal(state_, /*all=*/true, file, line);
}

void Semaphore::Acquire(const char* file, int line) {
  SchedulerForThisThread().Acquire(state_, file, line);
}

void Semaphore::Release(const char* file, int line) {
  SchedulerForThisThread().Release(state_, file, line);
}

void Notification::Notify(const char* file, int line) {
  SchedulerForThisThread().Notify(state_, file, line);
}

void Notification::WaitForNotification(const char* file, int line) const {
  SchedulerForThisThread().WaitForNotification(state_, file, line);
}

bool Notification::HasBeenNotified(const char* file, int line) const {
  return SchedulerForThisThread().HasBeenNotified(state_, file, line);
}

}  // namespace racestress
