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

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
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
  // A race (kind kRace) only: the kind of report ThreadSanitizer gave.
  TsanKind tsan_kind = TsanKind::kUnknown;
};

// FindingName()
//
// What `finding` is, in words: a race's kind ("lock-order inversion"), any
// other finding's symptom ("lost update").
std::string FindingName(const Finding& finding);

// A finding as an engine reports it: views, so that reporting allocates
// nothing (it happens inside TSan's report hook and in signal handlers).
struct FindingView {
  int64_t iteration = -1;
  Symptom kind = Symptom::kNone;
  absl::string_view detail;
  EngineKind engine = EngineKind::kStress;
  absl::string_view strategy;
  absl::string_view replay_flags;
  TsanKind tsan_kind = TsanKind::kUnknown;

  Finding ToFinding() const;
};

// What one TSan report is, from TSan's key for it (TsanReport::kind): its
// kind, and the detail of its finding, which is the kind's name, or TSan's
// key itself for a kind racestress does not know. Allocation-free: it runs
// inside TSan's report hook.
struct RaceReport {
  TsanKind kind = TsanKind::kUnknown;
  absl::string_view detail;
};
RaceReport ClassifyTsanReport(const char* tsan_key);

// Receives findings as they happen. `OnFinding` may be called from any
// thread, including inside TSan's report hook: implementations must not
// allocate or block on locks an actor may hold.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void OnFinding(const FindingView& finding) = 0;
};

// FindingFilter
//
// What both engines pass on to the sink: the first finding of each symptom
// (a case that loses updates in every iteration must not flood the report),
// and every TSan report (TSan deduplicates them; each is distinct).
//
// Thread safety: `Flag()` and `Found()` may be called from any thread.
class FindingFilter {
 public:
  explicit FindingFilter(FindingSink& sink) : sink_(sink) {}

  void Flag(const FindingView& finding);

  // True once a finding of any of `kinds` was flagged; a race only if it was
  // of one of `race_kinds`, when that names any.
  bool Found(Symptom kinds, absl::Span<const TsanKind> race_kinds = {}) const;

 private:
  FindingSink& sink_;
  std::atomic<uint32_t> found_{0};
  std::atomic<uint32_t> found_race_kinds_{0};  // bit i: a race of TsanKind i
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_FINDING_H_
