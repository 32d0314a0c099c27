// -----------------------------------------------------------------------------
// harness/intercept/callers.h
// -----------------------------------------------------------------------------
//
// Who is calling an interposed C library function (blocking_points.cc,
// once.cc): an actor of the stress engine, an actor fiber of the controlled
// engine, or anyone else (a thread that is not an actor, no case running, or
// the harness's own code: core/harness_code.h), who gets the real function.
//
// Thread safety: each function reads the calling thread's state only.

#ifndef RACESTRESS_HARNESS_INTERCEPT_CALLERS_H_
#define RACESTRESS_HARNESS_INTERCEPT_CALLERS_H_

#include "harness/controlled/scheduler.h"
#include "harness/core/harness_code.h"
#include "harness/stress/perturbation.h"

namespace racestress::internal {

// The stress engine's actor making the call, or null.
inline ActorContext* StressActor() { return !InHarnessCode() ? CurrentActor() : nullptr; }

// The controlled scheduler whose actor fiber makes the call, or null.
inline ControlledScheduler* ControlledActor() {
  if (InHarnessCode()) return nullptr;
  ControlledScheduler* s = ControlledSchedulerOfThisThread();
  return s != nullptr && s->ActorRunning() ? s : nullptr;
}

// The stress actor's scheduling point for the call `what`.
inline void StressPoint(ActorContext* actor, const char* what) {
  ScopedHarnessCode guard;  // a perturbation's own calls, if any
  actor->Point(what, 0);
}

// Stops the case: the controlled engine does not model `what`, which code
// it did not compile calls (blocking_points.cc).
[[noreturn]] void Unsupported(const char* what);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_INTERCEPT_CALLERS_H_
