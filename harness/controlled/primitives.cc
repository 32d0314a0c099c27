// The harness's primitives (core/scheduler.h) as the controlled scheduler
// models them. Their real objects stay unused: only one actor runs at a
// time, and the scheduler does the waiting.

#include "absl/base/thread_annotations.h"
#include "harness/controlled/scheduler.h"
#include "harness/tsan/tsan_annotations.h"

namespace racestress::internal {

void ControlledScheduler::Lock(MutexState& mu, const char* file, int line) {
  Lock(static_cast<const void*>(&mu), file, line);
}

bool ControlledScheduler::TryLock(MutexState& mu, const char* file, int line) {
  return TryLock(static_cast<const void*>(&mu), file, line);
}

void ControlledScheduler::Unlock(MutexState& mu, const char* file, int line) {
  Unlock(static_cast<const void*>(&mu), file, line);
}

void ControlledScheduler::Wait(CondVarState& cv, MutexState& mu, const char* file, int line) {
  CondWait(&cv, &mu, "CondVar::Wait", file, line);
}

void ControlledScheduler::Signal(CondVarState& cv, bool all, const char* file, int line) {
  CondSignal(&cv, all, file, line);
}

// The count is still a critical section for TSan: acquire, change, release.
void ControlledScheduler::AddPermits(SemaphoreState& s, int delta)
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  TsanAcquire(&s);
  s.permits += delta;
  TsanRelease(&s);
}

void ControlledScheduler::Acquire(SemaphoreState& s, const char* file, int line)
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  WaitUntil([&s]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return s.permits > 0; },
            "Semaphore::Acquire", file, line);
  AddPermits(s, -1);
}

void ControlledScheduler::Release(SemaphoreState& s, const char* file, int line) {
  Point(file, line);
  AddPermits(s, +1);
}

void ControlledScheduler::Notify(NotificationState& n, const char* file, int line) {
  Point(file, line);
  Trace(TraceOp::kSignal, file, line, false, 0);
  TsanRelease(&n);
  n.notified.store(true, std::memory_order_relaxed);
}

void ControlledScheduler::WaitForNotification(NotificationState& n, const char* file,
                                              int line) {
  WaitUntil([&n] { return n.notified.load(std::memory_order_relaxed); },
            "Notification::WaitForNotification", file, line);
  TsanAcquire(&n);
}

bool ControlledScheduler::HasBeenNotified(NotificationState& n, const char* file, int line) {
  Point(file, line);
  if (!n.notified.load(std::memory_order_relaxed)) return false;
  TsanAcquire(&n);
  return true;
}

void ControlledScheduler::Start(ThreadState& t, const char* file, int line) {
  auto run = [](void* state) { static_cast<ThreadState*>(state)->body(); };
  t.actor = StartThread(run, &t, file, line);
}

void ControlledScheduler::Join(ThreadState& t, const char* file, int line) {
  if (t.actor < 0) {
    // Started natively, before the run: an ordinary thread join.
    t.native.join();
    return;
  }
  JoinThread(t.actor, file, line);
}

}  // namespace racestress::internal
