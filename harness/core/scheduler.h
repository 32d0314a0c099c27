// -----------------------------------------------------------------------------
// harness/core/scheduler.h
// -----------------------------------------------------------------------------
//
// The face the controlled engine shows to the harness's primitives. During a
// controlled run, `ActiveScheduler()` is non-null on the run's thread, and
// every primitive routes its scheduling points and blocking through it:
//
//   if (auto* s = internal::ActiveScheduler()) { s->Lock(this, ...); return; }
//
// In the controlled engine only one actor runs at a time. `Point()` lets the
// strategy pick who runs next; `Lock()` and `WaitUntil()` block the calling
// actor in the scheduler (never in the OS), so a deadlock is seen the moment
// every live actor is blocked, with who holds and who waits for what.
//
// Outside a controlled run every call here is unreachable: `ActiveScheduler()`
// is null and the primitives take their ordinary path.
//
// Thread safety: a scheduler is used only by the fibers of its own thread. A
// primitive used from another thread during a controlled run (a thread the
// case started itself) is a thread the scheduler cannot control: the process
// says so and exits with a clear message instead of running unsoundly.

#ifndef RACESTRESS_HARNESS_CORE_SCHEDULER_H_
#define RACESTRESS_HARNESS_CORE_SCHEDULER_H_

#include <cstdint>
#include <type_traits>

#include "absl/functional/function_ref.h"

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

class Scheduler {
 public:
  // Scheduler::Point()
  //
  // A scheduling point: the strategy may switch to another actor here.
  virtual void Point(const char* file, int line) = 0;

  // Scheduler::Yield()
  //
  // A scheduling point at which the running actor steps back (a spin-wait):
  // the strategy prefers any other runnable actor.
  virtual void Yield(const char* file, int line) = 0;

  // Scheduler::Trace()
  //
  // Records that the running actor did `op` at file:line (with the value read
  // or written, if `has_value`).
  virtual void Trace(TraceOp op, const char* file, int line, bool has_value = false,
                     int64_t value = 0) = 0;

  // Scheduler::Lock() / TryLock() / Unlock()
  //
  // The scheduler's mutex, identified by `mu`'s address. `Lock()` is a
  // scheduling point, then blocks the actor (in the scheduler) until `mu` is
  // free. `Unlock()` releases it, then is a scheduling point. The
  // happens-before edge from an unlock to the next lock is announced to TSan.
  virtual void Lock(const void* mu, const char* file, int line) = 0;
  virtual bool TryLock(const void* mu, const char* file, int line) = 0;
  virtual void Unlock(const void* mu, const char* file, int line) = 0;

  // Scheduler::WaitUntil()
  //
  // A scheduling point, then blocks the actor until `ready()` is true (it is
  // evaluated by the scheduler, with the actor suspended). `what` names the
  // wait in a deadlock report, e.g. "Semaphore::Acquire".
  virtual void WaitUntil(absl::FunctionRef<bool()> ready, const char* what,
                         const char* file, int line) = 0;

  // Scheduler::StartThread() / JoinThread()
  //
  // `StartThread()` makes `entry(arg)` a new actor of the running schedule
  // and returns its number; what the starter did before happens before the
  // new actor's first step. It is a scheduling point after the start (the
  // new actor may run first). `JoinThread()` is a scheduling point, then
  // blocks until actor `thread` has returned; what it did happens before
  // what the joiner does after.
  virtual int StartThread(void (*entry)(void*), void* arg, const char* file, int line) = 0;
  virtual void JoinThread(int thread, const char* file, int line) = 0;

  // Scheduler::CondWait() / CondSignal()
  //
  // A condition variable identified by `cv`'s address, waited on with the
  // scheduler's mutex `mu` held: `CondWait()` unlocks `mu`, blocks the actor
  // until a later `CondSignal(cv)` picks it (one waiter, oldest first, or all
  // if `all`), then locks `mu` again. No spurious wake-ups: a wait that no
  // signal ends is a deadlock the scheduler reports, naming the wait `what`
  // (e.g. "CondVar::Wait"). A signal happens before the wake-ups it causes.
  virtual void CondWait(const void* cv, const void* mu, const char* what, const char* file,
                        int line) = 0;
  virtual void CondSignal(const void* cv, bool all, const char* file, int line) = 0;

  // Scheduler::ActorRunning()
  //
  // True while an actor's fiber runs (its scheduling points are the
  // strategy's to take); false while the controller itself runs (the case's
  // state being made or judged, the engine's own setup).
  virtual bool ActorRunning() const = 0;

 protected:
  ~Scheduler() = default;
};

// The scheduler of the controlled run on this thread, or null. Aborts with a
// message naming the problem if a controlled run is active on another thread.
Scheduler* ActiveScheduler();

// The scheduler of the controlled run on this thread, or null; never aborts
// (for code that may run on any thread, as compiler-inserted hooks do).
extern thread_local constinit Scheduler* this_thread_scheduler;
inline Scheduler* SchedulerOfThisThread() { return this_thread_scheduler; }

// Records an access of a `Racy<T>` for the step trace (no-op outside a
// controlled run).
void TraceAccess(TraceOp op, const char* file, int line, bool has_value, int64_t value);

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
