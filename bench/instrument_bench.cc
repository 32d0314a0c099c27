// -----------------------------------------------------------------------------
// bench/instrument_bench.cc
// -----------------------------------------------------------------------------
//
// What compiler-inserted scheduling points (racestress_instrument()) add, on
// code that knows nothing of racestress: cases/legacy_code/. This file is
// built twice, linked once against that library compiled plainly and once
// against it instrumented; bench/instrument_compare.py runs both side by
// side and prints the ratios. Each configuration runs the stress engine, with
// its default seeded perturbation, for the same wall time.
//
// Prints one tab-separated line per configuration:
//   name, threads, iterations, iterations per second, share gone wrong
//
// Run: build/<preset>/bench/racestress_instrument_bench[_plain] [--seconds=2]

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "cases/legacy_code/plain_counter.h"
#include "harness/case.h"
#include "harness/runner/run_case.h"
#include "harness/core/rng.h"

ABSL_FLAG(double, seconds, 2.0, "wall time per configuration");
ABSL_FLAG(uint64_t, bench_seed, 1, "run seed");

namespace racestress::bench {
namespace {

// `calls` plain increments per thread; wrong when one was lost.
template <int kCalls>
struct PlainIncrements {
  int counter = 0;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kCalls; ++i) legacy::Increment(&counter);
  }
  int Result() const { return counter; }
};

// Every thread adds one key; wrong when it went in more than once.
struct CheckThenAct {
  legacy::FirstValues values;
  void Worker(int thread_index) { values.AddIfAbsent(1, thread_index); }
  int Result() const { return values.inserts(); }
};

// No race: the overhead of the hooks alone.
struct LockedIncrements {
  std::mutex mu;
  int counter = 0;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < 100; ++i) legacy::IncrementUnderLock(&mu, &counter);
  }
  int Result() {
    std::lock_guard<std::mutex> lock(mu);
    return counter;
  }
};

struct AtomicCheck {
  legacy::FirstValues values;
  void Worker(int thread_index) { values.AddIfAbsentAtomically(1, thread_index); }
  int Result() const { return values.inserts(); }
};

class NullSink : public internal::FindingSink {
 public:
  void OnFinding(const internal::FindingView&) override {}
};

template <typename State>
void Measure(const std::string& name, int threads, int expected) {
  TypedCase<State> c("Bench", "Instrument", __FILE__, __LINE__);
  c.Threads(threads)
      .Outcome(Equals(expected), Expect::kAcceptable, "right")
      .Outcome(Otherwise(), Expect::kInteresting, "wrong");
  internal::EngineOptions options;
  options.case_seed = internal::CaseSeed(absl::GetFlag(FLAGS_bench_seed), name);
  options.time_budget = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  NullSink sink;
  const internal::EngineResult result = internal::RunCase(c, options, sink);
  int64_t wrong = 0;
  for (const auto& entry : result.outcomes) {
    if (entry.row != 0) wrong += entry.count;
  }
  const double seconds = std::max<int64_t>(result.elapsed_ms, 1) / 1000.0;
  absl::PrintF("%s\t%d\t%d\t%.0f\t%.6f\n", name, threads, result.iterations,
               result.iterations / seconds,
               result.iterations > 0 ? static_cast<double>(wrong) / result.iterations : 0.0);
  fflush(stdout);
}

// Outside any case, on a thread that is not an actor: what the hooks cost
// when nothing is being tested (threads 0 in the output).
void MeasureOutsideACase(const std::string& name) {
  constexpr int kCalls = 20'000'000;
  int counter = 0;
  const absl::Time start = absl::Now();
  for (int i = 0; i < kCalls; ++i) legacy::Increment(&counter);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  absl::PrintF("%s\t%d\t%d\t%.0f\t%.6f\n", name, 0, counter, counter / seconds, 0.0);
  fflush(stdout);
}

}  // namespace
}  // namespace racestress::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace racestress::bench;
  Measure<PlainIncrements<1>>("lost update: counter = counter + 1, 1 call per thread", 2, 2);
  Measure<PlainIncrements<1>>("lost update: counter = counter + 1, 1 call per thread", 5, 5);
  Measure<PlainIncrements<100>>("lost update: counter = counter + 1, 100 calls per thread", 2,
                                200);
  Measure<PlainIncrements<100>>("lost update: counter = counter + 1, 100 calls per thread", 5,
                                500);
  Measure<CheckThenAct>("check-then-act: std::map add-if-absent, lock taken twice", 2, 1);
  Measure<CheckThenAct>("check-then-act: std::map add-if-absent, lock taken twice", 5, 1);
  Measure<LockedIncrements>("no race: 100 increments under a std::mutex", 2, 200);
  Measure<AtomicCheck>("no race: std::map add-if-absent under one lock", 2, 1);
  MeasureOutsideACase("outside a case: counter = counter + 1 on the main thread");
  return 0;
}
