// -----------------------------------------------------------------------------
// harness/controlled/engine.h
// -----------------------------------------------------------------------------
//
// The controlled engine: runs a case's actors as fibers on one thread, one at
// a time, and lets a strategy (strategy.h) choose who runs at every
// scheduling point. An iteration is one schedule: a fresh state, every actor
// from its start to its end (or to a deadlock), then the arbiter.
//
// Where the stress engine finds bugs by volume, this engine finds them by
// construction and replays them exactly: the same (case seed, schedule,
// strategy) gives the same interleaving, and a failure carries the step trace
// that led to it.
//
// ThreadSanitizer keeps watching: each actor is a TSan fiber, switching
// between actors creates no happens-before edge, and only the case's own
// synchronization through the harness's primitives (announced to TSan) or
// through std:: / absl:: primitives (intercepted by TSan) orders accesses.
// So the unlocked counter is reported in every schedule, interleaved or not.
//
// Limits: actors must block only in the harness's primitives (Mutex,
// Semaphore, ...). An actor blocked elsewhere (a std::mutex held by a
// suspended actor, a join of a thread the case started) stops the whole run;
// a watchdog reports it as a hang that names the cause.
//
// Thread safety: as RunCase (engine.h).

#ifndef RACESTRESS_HARNESS_CONTROLLED_ENGINE_H_
#define RACESTRESS_HARNESS_CONTROLLED_ENGINE_H_

#include <cstdint>

#include "harness/core/case_base.h"
#include "harness/stress/engine.h"

namespace racestress::internal {

// RunControlled()
//
// Runs `c` under the controlled engine (`options.controlled`), reporting
// findings to `sink` at the end of each schedule.
EngineResult RunControlled(const CaseBase& c, const EngineOptions& options,
                           FindingSink& sink);

// The schedule the controlled engine of this process is running, or -1 if
// none is. Async-signal-safe (one atomic load each): the crash handler names
// the schedule a crash happened in.
int64_t ControlledScheduleInProgress();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_ENGINE_H_
