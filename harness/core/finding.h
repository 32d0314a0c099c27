// -----------------------------------------------------------------------------
// harness/core/finding.h
// -----------------------------------------------------------------------------
//
// A finding is one thing an engine saw go wrong in one iteration: a TSan
// report, a forbidden outcome, a hang, a crash. Engines hand findings to a
// `FindingSink` as they happen; the runner carries them, typed, from the
// case's process to the verdict and the reports.
//
// Thread safety: `FindingSink::OnFinding` may be called from any thread,
// including inside TSan's report hook and signal handlers.

#ifndef RACESTRESS_HARNESS_CORE_FINDING_H_
#define RACESTRESS_HARNESS_CORE_FINDING_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "harness/outcome.h"

namespace racestress::internal {

// The engine that ran an iteration.
enum class EngineKind : uint8_t { kStress, kControlled };

// "stress", "controlled".
const char* EngineName(EngineKind engine);

struct Finding {
  // The iteration (a schedule, under the controlled engine) it was seen in;
  // -1 for the case's process as a whole (it died or was killed).
  int64_t iteration = -1;
  Symptom kind = Symptom::kNone;
  std::string detail;  // what was seen, in words
  EngineKind engine = EngineKind::kStress;
  // Controlled engine: the strategy that chose the schedule ("pct"), and the
  // flags beyond --replay that select it again
  // ("--engine=controlled --strategy=pct --pct_depth=2 --pct_steps=37").
  // Empty under the stress engine: the seed and iteration say everything.
  std::string strategy;
  std::string replay_flags;
};

// Receives findings as they happen. `OnFinding` may be called from any
// thread, including inside TSan's report hook: implementations must not
// allocate or block on locks an actor may hold.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void OnFinding(int64_t iteration, Symptom kind,
                         absl::string_view detail) = 0;
};


}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_FINDING_H_
