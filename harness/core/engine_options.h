// -----------------------------------------------------------------------------
// harness/core/engine_options.h
// -----------------------------------------------------------------------------
//
// What the runner asks of an engine for one case (`EngineOptions`), and what
// the engine answers when the case's budget is spent (`EngineResult`). Both
// engines take the same options and give the same result.

#ifndef RACESTRESS_HARNESS_CORE_ENGINE_OPTIONS_H_
#define RACESTRESS_HARNESS_CORE_ENGINE_OPTIONS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "harness/core/case_base.h"
#include "harness/core/finding.h"
#include "harness/outcome.h"

namespace racestress::internal {

// The controlled engine's strategy (controlled/strategy.h says what each
// does).
struct StrategyOptions {
  std::string name = "random";  // random | pct | dfs
  int pct_depth = 2;            // d
  int64_t pct_steps = 0;        // k; 0: the most steps seen so far in the run
  int preemption_bound = 2;     // dfs
  std::string path = "-";       // path: actor choices, e.g. "0.1.1.0"
};

// Iteration numbers and counts stay below this bound (the flags reject
// more), so that a first iteration plus a count never overflows.
constexpr int64_t kMaxIteration = int64_t{1} << 62;

struct EngineOptions {
  uint64_t case_seed = 0;
  int64_t first_iteration = 0;       // replay starts here; < kMaxIteration
  int64_t max_iterations = 0;        // 0: no limit
  absl::Duration time_budget = absl::Seconds(1);
  absl::Duration hang_timeout = absl::Seconds(10);
  int stride = 0;                    // 0: adaptive
  // Stop after the first finding of one of these symptoms (a racy case's
  // declared symptoms); kNone runs the whole budget.
  Symptom stop_on = Symptom::kNone;
  // With kRace in stop_on: only a report of one of these kinds stops the
  // run (the case's RaceKinds()); empty: any report.
  std::vector<TsanKind> stop_on_kinds;
  // False runs every iteration calm (no start offsets, no perturbation at
  // scheduling points): the baseline the benchmarks compare against.
  bool perturb = true;
  // The stress engine (stress/engine.h), or the controlled engine
  // (controlled/engine.h): one actor at a time, chosen by `strategy`; an
  // iteration is then a schedule.
  EngineKind engine = EngineKind::kStress;
  StrategyOptions strategy;
  int64_t max_steps = 10000000;  // per schedule; more is reported as livelock
  // If set, the engine stores its count of completed iterations here as it
  // goes (relaxed), for a progress display on another thread.
  std::atomic<int64_t>* progress = nullptr;
};

struct EngineResult {
  int64_t iterations = 0;  // completed and judged
  int64_t elapsed_ms = 0;
  int final_stride = 1;
  bool hung = false;       // the workers are stuck: the process must _exit
  std::string note;        // e.g. "all 20 schedules explored (dfs, ...)"
  std::vector<Accumulator::Entry> outcomes;
};

// EndIteration()
//
// The iteration after the last one `options` allows (max if unbounded).
int64_t EndIteration(const EngineOptions& options);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_ENGINE_OPTIONS_H_
