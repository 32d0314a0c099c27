// -----------------------------------------------------------------------------
// harness/runner/run_case.h
// -----------------------------------------------------------------------------
//
// Runs one case on the engine its options name.
//
// Thread safety: as the engines (one at a time in a process).

#ifndef RACESTRESS_HARNESS_RUNNER_RUN_CASE_H_
#define RACESTRESS_HARNESS_RUNNER_RUN_CASE_H_

#include "harness/core/case_base.h"
#include "harness/core/engine_options.h"
#include "harness/core/finding.h"

namespace racestress::internal {

// RunCase()
//
// Runs `c` under `options.engine`, reporting findings to `sink` as they
// happen. On a hang the blocked actors cannot be joined: the result says
// `hung` and the caller must end the process without returning to static
// destructors.
EngineResult RunCase(const CaseBase& c, const EngineOptions& options, FindingSink& sink);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_RUN_CASE_H_
