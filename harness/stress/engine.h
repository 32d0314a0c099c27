// -----------------------------------------------------------------------------
// harness/stress/engine.h
// -----------------------------------------------------------------------------
//
// The stress engine: runs one case in the calling process, iteration after
// iteration, on persistent worker threads (one per actor), and reports what
// it sees to a `FindingSink`.
//
// Iterations run in batches ("strides", after jcstress): the controller
// allocates a batch of fresh states, releases every actor at once, and each
// actor runs through the whole batch, iteration by iteration, with the
// iteration's seeded start offset and perturbation. After all actors
// finished the batch, the controller runs the arbiter on each state. The
// stride adapts so that a batch lasts about a millisecond; a case can fix it.
//
// Thread safety: one engine runs at a time in a process (TSan's report hook is
// process-wide). `RunCase` blocks its caller, which becomes the controller.

#ifndef RACESTRESS_HARNESS_STRESS_ENGINE_H_
#define RACESTRESS_HARNESS_STRESS_ENGINE_H_

#include "harness/core/case_base.h"
#include "harness/core/engine_options.h"
#include "harness/core/finding.h"

namespace racestress::internal {

// RunStress()
//
// Runs `c` under `options`, reporting findings to `sink` as they happen.
// On a hang the blocked actors cannot be joined: the result says `hung` and
// the caller must end the process without returning to static destructors.
EngineResult RunStress(const CaseBase& c, const EngineOptions& options, FindingSink& sink);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_STRESS_ENGINE_H_
