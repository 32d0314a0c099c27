// -----------------------------------------------------------------------------
// harness/core/scheduler.h
// -----------------------------------------------------------------------------
//
// The interface every harness primitive calls and every engine implements.
// A primitive (Mutex, CondVar, Semaphore, Notification, Thread, point()) has
// one code path: it asks `SchedulerForThisThread()` (stress/native_scheduler.h)
// for the scheduler of the calling thread and hands it the primitive's state:
//
//   void Mutex::Lock(const char* file, int line) {
//     internal::SchedulerForThisThread().Lock(state_, file, line);
//   }
//
// Two schedulers implement it:
//  * the native scheduler (stress/): real threads block on the state's real
//    objects; on an actor of the stress engine each operation is also a
//    scheduling point of the actor's seeded perturbation; on any other thread
//    a plain std::mutex, condition variable, ... ;
//  * the controlled scheduler (controlled/): one actor runs at a time, and
//    the scheduler models the primitive (the real objects stay unused), so a
//    deadlock is seen the moment every live actor is blocked.
//
// Thread safety: a scheduler is used by the threads (fibers) it schedules.
// `this_thread_scheduler` is set by the controlled engine on its own thread.

#ifndef RACESTRESS_HARNESS_CORE_SCHEDULER_H_
#define RACESTRESS_HARNESS_CORE_SCHEDULER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <type_traits>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace racestress::internal {

// What one step of a schedule did, for the step trace.
enum class TraceOp : uint8_t {
  kPoint,
  kLoad,
  kStore,
  kLock,
  kUnlock,
  kTryLockFailed,
  kWait,
  kWoken,
  kSignal,
  kStart,  // value: the started thread's actor number
  kJoin,   // value: the joined thread's actor number
};

// The state of each primitive: the real objects a native thread blocks on,
// and what the controlled scheduler needs besides its own books (which it
// keys by the state's address).
struct MutexState {
  std::mutex native;
};
struct CondVarState {
  std::condition_variable native;
};
struct SemaphoreState {
  explicit SemaphoreState(int initial) : permits(initial) {}
  absl::Mutex mu;  // native only; the controlled scheduler orders by itself
  int permits;     // under `mu` natively; an actor's alone under control
};
struct NotificationState {
  absl::Notification native;
  // Controlled only. Atomic so that TSan sees no race between actors; the
  // happens-before edge is announced explicitly.
  std::atomic<bool> notified{false};
};
struct ThreadState {
  std::function<void()> body;
  int actor = -1;      // controlled: the actor running the body
  std::thread native;  // native: the thread running it
};

class Scheduler {
 public:
  // Scheduler::Point()
  //
  // A scheduling point: the engine may switch to (or give time to) another
  // actor here.
  virtual void Point(const char* file, int line) = 0;

  // Scheduler::Yield()
  //
  // A scheduling point at which the running actor steps back (a spin-wait):
  // prefer any other runnable actor.
  virtual void Yield(const char* file, int line) = 0;

  // Scheduler::Trace()
  //
  // Records that the running actor did `op` at file:line (with the value
  // read or written, if `has_value`), for the step trace.
  virtual void Trace(TraceOp op, const char* file, int line, bool has_value = false,
                     int64_t value = 0) = 0;

  // Mutex: `Lock()` and `TryLock()` are a scheduling point, then take `mu`
  // (TryLock only if free); `Unlock()` releases it, then is a scheduling
  // point. An unlock happens before the next lock.
  virtual void Lock(MutexState& mu, const char* file, int line) = 0;
  virtual bool TryLock(MutexState& mu, const char* file, int line) = 0;
  virtual void Unlock(MutexState& mu, const char* file, int line) = 0;

  // Condition variable: `Wait()` releases `mu` (held), blocks until a
  // `Signal()` picks it, and takes `mu` again; `Signal()` wakes one waiter
  // or all. A signal happens before the wake-ups it causes.
  virtual void Wait(CondVarState& cv, MutexState& mu, const char* file, int line) = 0;
  virtual void Signal(CondVarState& cv, bool all, const char* file, int line) = 0;

  // Semaphore: `Acquire()` blocks until a permit is free and takes it;
  // `Release()` returns one. A release happens before the acquire it feeds.
  virtual void Acquire(SemaphoreState& s, const char* file, int line) = 0;
  virtual void Release(SemaphoreState& s, const char* file, int line) = 0;

  // Notification: what `Notify()`'s caller did happens before what a waiter
  // does after `WaitForNotification()`, or after `HasBeenNotified()` is true.
  virtual void Notify(NotificationState& n, const char* file, int line) = 0;
  virtual void WaitForNotification(NotificationState& n, const char* file, int line) = 0;
  virtual bool HasBeenNotified(NotificationState& n, const char* file, int line) = 0;

  // Thread: `Start()` runs `t.body` as a new thread (a new actor of the
  // schedule); `Join()` blocks until it returned. The start happens before
  // the body, the body before the join's return.
  virtual void Start(ThreadState& t, const char* file, int line) = 0;
  virtual void Join(ThreadState& t, const char* file, int line) = 0;

 protected:
  ~Scheduler() = default;
};

// The controlled engine's scheduler on this thread (its actors' fibers and
// its controller), or null.
extern thread_local constinit Scheduler* this_thread_scheduler;

// ControlledRunActive()
//
// True while a controlled run is under way anywhere in the process: a
// primitive used from another thread then cannot be scheduled soundly.
bool ControlledRunActive();
void SetControlledRunActive(bool active);

// TraceAccess()
//
// Records an access of a `Racy<T>` or `Atomic<T>` for the step trace (no-op
// outside a controlled run).
inline void TraceAccess(TraceOp op, const char* file, int line, bool has_value,
                        int64_t value) {
  if (Scheduler* s = this_thread_scheduler) s->Trace(op, file, line, has_value, value);
}

// TraceAccess for a value of any type: integers carry their value.
template <typename T>
void TraceValue(TraceOp op, const T& value, const char* file, int line) {
  if constexpr (std::is_integral_v<T>) {
    TraceAccess(op, file, line, true, static_cast<int64_t>(value));
  } else {
    TraceAccess(op, file, line, false, 0);
  }
}

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_SCHEDULER_H_
