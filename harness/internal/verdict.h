// -----------------------------------------------------------------------------
// harness/internal/verdict.h
// -----------------------------------------------------------------------------
//
// Turns what a case's process reported into a verdict: passed or not, why, in
// words a reader can act on, and the one command that replays it.
//
// A clean case passes when nothing was flagged. A racy case passes when one
// of the symptoms it declares (and that this preset can observe) was flagged.

#ifndef RACESTRESS_HARNESS_INTERNAL_VERDICT_H_
#define RACESTRESS_HARNESS_INTERNAL_VERDICT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "harness/internal/case_base.h"
#include "harness/internal/flags.h"
#include "harness/internal/protocol.h"

namespace racestress::internal {

struct OutcomeCount {
  std::string value;
  int64_t count = 0;
  std::string grade;        // "acceptable", "interesting", "forbidden"
  std::string description;
};

struct CaseReport {
  std::string name;         // Suite.Name
  std::string file;
  int line = 0;
  bool racy = false;
  bool passed = false;
  bool skipped = false;
  int64_t first_iteration = 0;  // where the run started (a replay, a shard)
  int64_t iterations = 0;
  int64_t elapsed_ms = 0;
  int64_t races = 0;
  int64_t hangs = 0;
  int64_t crashes = 0;
  std::vector<OutcomeCount> outcomes;  // most frequent first
  std::optional<Finding> first_failure;  // racy: first detection
  std::string replay;                  // command replaying first_failure
  std::string message;                 // the verdict in words
  std::string note;                    // the engine's closing remark, if any
};

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

#endif  // RACESTRESS_HARNESS_INTERNAL_VERDICT_H_
