// -----------------------------------------------------------------------------
// harness/internal/engine.h
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

#ifndef RACESTRESS_HARNESS_INTERNAL_ENGINE_H_
#define RACESTRESS_HARNESS_INTERNAL_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "harness/internal/case_base.h"
#include "harness/internal/strategy.h"
#include "harness/outcome.h"

namespace racestress::internal {

struct EngineOptions {
  uint64_t case_seed = 0;
  int64_t first_iteration = 0;       // replay starts here
  int64_t max_iterations = 0;        // 0: no limit
  absl::Duration time_budget = absl::Seconds(1);
  absl::Duration hang_timeout = absl::Seconds(10);
  int stride = 0;                    // 0: adaptive
  // Stop after the first finding of one of these symptoms (a racy case's
  // declared symptoms); kNone runs the whole budget.
  Symptom stop_on = Symptom::kNone;
  // False runs every iteration calm (no start offsets, no perturbation at
  // scheduling points): the baseline the benchmarks compare against.
  bool perturb = true;
  // The controlled engine (controlled_engine.h) instead of the stress engine:
  // one actor at a time, chosen by `strategy`; an iteration is a schedule.
  bool controlled = false;
  StrategyOptions strategy;
  int64_t max_steps = 10000000;  // per schedule; more is reported as livelock
  // If set, the engine stores its count of completed iterations here as it
  // goes (relaxed), for a progress display on another thread.
  std::atomic<int64_t>* progress = nullptr;
};

struct Finding {
  int64_t iteration = -1;
  Symptom kind = Symptom::kNone;
  std::string detail;
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

struct EngineResult {
  int64_t iterations = 0;  // completed and judged
  int64_t elapsed_ms = 0;
  int final_stride = 1;
  bool hung = false;       // the workers are stuck: the process must _exit
  std::string note;        // e.g. "all 20 schedules explored (dfs, ...)"
  std::vector<Accumulator::Entry> outcomes;
};

// RunCase()
//
// Runs `c` under `options`, reporting findings to `sink` as they happen.
// On a hang the blocked actors cannot be joined: the result says `hung` and
// the caller must end the process without returning to static destructors.
EngineResult RunCase(const CaseBase& c, const EngineOptions& options,
                     FindingSink& sink);

// Shared by the engines.

// The iteration after the last one `options` allows (max if unbounded).
int64_t EndIteration(const EngineOptions& options);

// The symptom an arbiter value in outcome row `row` flags, or kNone if the
// row is not forbidden.
Symptom ForbiddenSymptom(const CaseBase& c, int row);

// The finding's text for a forbidden `value` in row `row`.
std::string ForbiddenDetail(const CaseBase& c, int row, const std::string& value);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_INTERNAL_ENGINE_H_
