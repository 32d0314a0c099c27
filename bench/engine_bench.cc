// -----------------------------------------------------------------------------
// bench/engine_bench.cc
// -----------------------------------------------------------------------------
//
// How fast the stress engine iterates and how often it makes a racy increment
// lose an update, side by side with the obvious alternative: spawning fresh
// std::threads for every iteration. Every configuration runs for the same
// wall time in the same process, one after another, so their ratios are
// comparable even though absolute numbers on a shared machine are not.
//
// The tiny case: N actors, each doing one read-then-write increment of a
// shared counter (a relaxed atomic load and store, so that TSan does not
// spend the run printing reports; the lost update is the same). An iteration
// loses an update when the final value is below N.
//
// Run: build/<preset>/bench/racestress_bench [--seconds=2] [--seed=1]
//
// Prints a Markdown table for docs/BENCHMARKS.md.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "harness/case.h"
#include "harness/runner/run_case.h"
#include "harness/core/rng.h"

ABSL_FLAG(double, seconds, 2.0, "wall time per configuration");
ABSL_FLAG(uint64_t, bench_seed, 1, "run seed");

namespace racestress::bench {
namespace {

using internal::EngineOptions;
using internal::EngineResult;

struct TinyIncrement {
  std::atomic<int> value{0};

  void Worker(int /*thread_index*/) {
    const int seen = value.load(std::memory_order_relaxed);
    point();  // the window between the read and the write
    value.store(seen + 1, std::memory_order_relaxed);
  }
  int Result() const { return value.load(std::memory_order_relaxed); }
};

class NullSink : public internal::FindingSink {
 public:
  void OnFinding(const internal::FindingView&) override {}
};

struct Measurement {
  double iterations_per_second = 0;
  double lost_update_rate = 0;
  int64_t iterations = 0;
};

Measurement RunEngine(int actors, bool perturb, int stride, absl::Duration budget,
                      uint64_t seed) {
  TypedCase<TinyIncrement> tiny("Bench", "TinyIncrement", __FILE__, __LINE__);
  tiny.Threads(actors)
      .Outcome(Equals(actors), Expect::kAcceptable, "no update lost")
      .Outcome(Otherwise(), Expect::kInteresting, "an update lost");
  EngineOptions options;
  options.case_seed = internal::CaseSeed(seed, "Bench.TinyIncrement");
  options.time_budget = budget;
  options.perturb = perturb;
  options.stride = stride;
  NullSink sink;
  const EngineResult result = internal::RunCase(tiny, options, sink);
  Measurement m;
  m.iterations = result.iterations;
  m.iterations_per_second = result.iterations / (std::max<int64_t>(result.elapsed_ms, 1) / 1000.0);
  int64_t lost = 0;
  for (const auto& entry : result.outcomes) {
    if (entry.row != 0) lost += entry.count;
  }
  m.lost_update_rate = result.iterations > 0 ? static_cast<double>(lost) / result.iterations : 0;
  return m;
}

Measurement RunSpawnPerIteration(int actors, absl::Duration budget) {
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + absl::ToChronoNanoseconds(budget);
  int64_t iterations = 0, lost = 0;
  std::vector<std::thread> threads;
  while (std::chrono::steady_clock::now() < end) {
    TinyIncrement state;
    threads.clear();
    for (int a = 0; a < actors; ++a) threads.emplace_back([&state, a] { state.Worker(a); });
    for (auto& t : threads) t.join();
    ++iterations;
    lost += state.Result() != actors;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {iterations / seconds, static_cast<double>(lost) / iterations, iterations};
}

void PrintRow(const std::string& what, int actors, const Measurement& m, double baseline) {
  absl::PrintF("| %-44s | %2d | %12.0f | %8.1fx | %9.4f |\n", what, actors,
               m.iterations_per_second, m.iterations_per_second / baseline, m.lost_update_rate);
  fflush(stdout);
}

}  // namespace
}  // namespace racestress::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace racestress::bench;
  const absl::Duration budget = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const uint64_t seed = absl::GetFlag(FLAGS_bench_seed);
  absl::PrintF("preset %s, %s per configuration, seed %d\n\n", RACESTRESS_PRESET_NAME,
               absl::FormatDuration(budget), seed);
  absl::PrintF("| configuration | actors | iterations/s | vs spawn | lost-update rate |\n");
  absl::PrintF("|---|---|---|---|---|\n");
  const Measurement spawn = RunSpawnPerIteration(2, budget);
  PrintRow("spawn 2 std::threads per iteration", 2, spawn, spawn.iterations_per_second);
  PrintRow("engine, stride 1, no perturbation", 2, RunEngine(2, false, 1, budget, seed),
           spawn.iterations_per_second);
  PrintRow("engine, adaptive stride, no perturbation", 2, RunEngine(2, false, 0, budget, seed),
           spawn.iterations_per_second);
  PrintRow("engine, stride 1, seeded perturbation", 2, RunEngine(2, true, 1, budget, seed),
           spawn.iterations_per_second);
  PrintRow("engine, adaptive stride, seeded perturbation (default)", 2,
           RunEngine(2, true, 0, budget, seed), spawn.iterations_per_second);
  for (int actors : {5, 16}) {
    const Measurement spawn_n = RunSpawnPerIteration(actors, budget);
    PrintRow(absl::StrFormat("spawn %d std::threads per iteration", actors), actors, spawn_n,
             spawn_n.iterations_per_second);
    PrintRow("engine, adaptive stride, seeded perturbation (default)", actors,
             RunEngine(actors, true, 0, budget, seed), spawn_n.iterations_per_second);
  }
  return 0;
}
