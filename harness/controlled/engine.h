// -----------------------------------------------------------------------------
// harness/controlled/engine.h
// -----------------------------------------------------------------------------
//
// The controlled engine: runs a case's actors as fibers on one thread, one at
// a time, and lets a strategy (strategy.h) choose who runs at every
// scheduling point (scheduler.h). An iteration is one schedule: a fresh
// state, every actor from its start to its end (or to a deadlock), then the
// arbiter.
//
// Where the stress engine finds bugs by volume, this engine finds them by
// construction and replays them exactly: the same (case seed, schedule,
// strategy) gives the same interleaving, and a failure carries the step trace
// that led to it and the flags that select its schedule again.
//
// Limits: actors must block only in what the scheduler models (the harness's
// primitives, and through intercept/ the pthread calls of instrumented
// code). An actor blocked elsewhere stops the whole run; the watchdog
// (watchdog.h) reports it as a hang that names the cause.
//
// Thread safety: one engine runs at a time in a process (TSan's report hook is
// process-wide). `RunControlled` blocks its caller, whose thread runs the
// fibers.

#ifndef RACESTRESS_HARNESS_CONTROLLED_ENGINE_H_
#define RACESTRESS_HARNESS_CONTROLLED_ENGINE_H_

#include <cstdint>
#include <string>

#include "harness/core/case_base.h"
#include "harness/core/engine_options.h"
#include "harness/core/finding.h"

namespace racestress::internal {

// RunControlled()
//
// Runs `c` under the controlled engine, reporting findings to `sink` at the
// end of each schedule.
EngineResult RunControlled(const CaseBase& c, const EngineOptions& options, FindingSink& sink);

// The schedule the controlled engine of this process is running, or -1 if
// none is. Async-signal-safe (one atomic load): the crash handler names the
// schedule a crash happened in.
int64_t ControlledScheduleInProgress();

// The actor whose fiber the controlled engine of this process is running
// (numbered as its findings number them), or -1 if none is (no run, or the
// engine's own code between schedules). Async-signal-safe.
int ControlledActorInProgress();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_ENGINE_H_
