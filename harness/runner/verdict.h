// -----------------------------------------------------------------------------
// harness/runner/verdict.h
// -----------------------------------------------------------------------------
//
// Turns what a case's process reported into a verdict: passed or not, why, in
// words a reader can act on, and the one command that replays it.
//
// A clean case passes when nothing was flagged. A racy case passes when one
// of the symptoms it declares (and that this preset can observe) was flagged.

#ifndef RACESTRESS_HARNESS_RUNNER_VERDICT_H_
#define RACESTRESS_HARNESS_RUNNER_VERDICT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "harness/core/case_base.h"
#include "harness/core/case_report.h"
#include "harness/runner/flags.h"
#include "harness/runner/protocol.h"

namespace racestress::internal {

// Judge()
//
// The verdict on `run` of `c`. `self` is the runner's path, for the replay line.
CaseReport Judge(const CaseBase& c, const CaseRun& run, const RunOptions& options,
                 const std::string& self);

// The report of a case skipped under this preset, with the reason.
CaseReport Skipped(const CaseBase& c, const std::string& reason);

// The replay command for `iteration` of case `name`, with the engine's
// `flags` that select the schedule (empty for the stress engine).
std::string ReplayCommand(const std::string& self, const std::string& name,
                          uint64_t run_seed, int64_t iteration,
                          absl::string_view flags = {});

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_VERDICT_H_
