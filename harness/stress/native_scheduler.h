// -----------------------------------------------------------------------------
// harness/stress/native_scheduler.h
// -----------------------------------------------------------------------------
//
// The scheduler of every thread the controlled engine does not run: real
// threads on real blocking objects. On an actor of the stress engine each
// operation is also a scheduling point of the actor's seeded perturbation
// (point.h), and a blocked actor publishes where it waits (for the hang
// report); on any other thread (main, an arbiter, no case at all) the
// primitives are the plain std:: and absl:: objects they wrap.
//
// Thread safety: stateless; any thread.

#ifndef RACESTRESS_HARNESS_STRESS_NATIVE_SCHEDULER_H_
#define RACESTRESS_HARNESS_STRESS_NATIVE_SCHEDULER_H_

#include "harness/core/scheduler.h"

namespace racestress::internal {

// The native scheduler (one for the process).
Scheduler& NativeScheduler();

// A primitive used from a thread the case started itself during a controlled
// run: says so and ends the process (the run cannot be scheduled soundly).
[[noreturn]] void AbortForeignThread();

// SchedulerForThisThread()
//
// The controlled engine's scheduler where it runs this thread, else the
// native one. What every primitive calls.
inline Scheduler& SchedulerForThisThread() {
  if (Scheduler* s = this_thread_scheduler) return *s;
  if (ControlledRunActive()) AbortForeignThread();
  return NativeScheduler();
}

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_STRESS_NATIVE_SCHEDULER_H_
