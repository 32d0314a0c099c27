// -----------------------------------------------------------------------------
// bench/controlled_bench.cc
// -----------------------------------------------------------------------------
//
// The controlled engine's own costs and reach, in one process:
//  * the cost of one scheduling decision (strategy pick plus, when the actor
//    changes, a fiber switch): 2 actors each pass K scheduling points;
//  * dfs on the 2-actor counter (one read-then-write increment each, as
//    atomic load and store so that TSan prints nothing): how many schedules
//    each preemption bound explores, and how many of them lose the update.
//
// Run: build/<preset>/bench/racestress_controlled_bench [--points=20000] [--schedules=20]
//
// Prints Markdown tables for docs/BENCHMARKS.md.

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "harness/case.h"
#include "harness/runner/run_case.h"
#include "harness/core/rng.h"
#include "harness/tsan/tsan_reports.h"

ABSL_FLAG(int, points, 20000, "scheduling points per actor per schedule (decision cost)");
ABSL_FLAG(int, schedules, 20, "schedules per strategy (decision cost)");

namespace racestress::bench {
namespace {

using internal::EngineOptions;
using internal::EngineResult;

int points_per_actor = 0;

struct PointLoop {
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < points_per_actor; ++i) point();
  }
};

struct AtomicCounter {
  Atomic<int> total;
  void Worker(int /*thread_index*/) { total.Store(total.Load() + 1); }
  int Result() const { return total.Load(); }
};

class NullSink : public internal::FindingSink {
 public:
  void OnFinding(const internal::FindingView&) override {}
};

EngineOptions Controlled(const std::string& strategy, int64_t schedules) {
  EngineOptions options;
  options.case_seed = internal::CaseSeed(1, "ControlledBench");
  options.engine = internal::EngineKind::kControlled;
  options.strategy.name = strategy;
  options.max_iterations = schedules;
  options.time_budget = absl::Hours(1);
  options.hang_timeout = absl::Minutes(1);
  return options;
}

void DecisionCost() {
  points_per_actor = absl::GetFlag(FLAGS_points);
  const int schedules = absl::GetFlag(FLAGS_schedules);
  TypedCase<PointLoop> c("Bench", "PointLoop", __FILE__, __LINE__);
  c.Threads(2);
  printf("| strategy | schedules | decisions | ns per decision |\n|---|---|---|---|\n");
  for (const char* strategy : {"random", "pct"}) {
    NullSink sink;
    const absl::Time start = absl::Now();
    const EngineResult result = internal::RunCase(c, Controlled(strategy, schedules), sink);
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    // Each actor: a start, one decision per point, a finish.
    const double decisions = static_cast<double>(result.iterations) * 2 * (points_per_actor + 2);
    printf("| %s | %lld | %.0f | %.0f |\n", strategy, static_cast<long long>(result.iterations),
           decisions, seconds * 1e9 / decisions);
  }
}

void DfsCounter() {
  TypedCase<AtomicCounter> c("Bench", "AtomicCounter", __FILE__, __LINE__);
  c.Threads(2)
      .Outcome(Equals(2), Expect::kAcceptable, "both increments counted")
      .Outcome(Equals(1), Expect::kInteresting, "an increment was lost");
  printf("\n| preemption bound | schedules explored | lost the update | exhausted |\n"
         "|---|---|---|---|\n");
  for (int bound : {0, 1, 2, 3, 100}) {
    NullSink sink;
    EngineOptions options = Controlled("dfs", 1000000);
    options.strategy.preemption_bound = bound;
    const EngineResult result = internal::RunCase(c, options, sink);
    int64_t lost = 0;
    for (const auto& e : result.outcomes) lost += e.value == "1" ? e.count : 0;
    printf("| %d | %lld | %lld | %s |\n", bound, static_cast<long long>(result.iterations),
           static_cast<long long>(lost), result.note.empty() ? "no" : result.note.c_str());
  }
}

}  // namespace
}  // namespace racestress::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  printf("preset %s (TSan %s)\n\n", RACESTRESS_PRESET_NAME,
         racestress::internal::kTsanEnabled ? "on" : "off");
  racestress::bench::DecisionCost();
  racestress::bench::DfsCounter();
  return 0;
}
