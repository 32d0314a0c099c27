// -----------------------------------------------------------------------------
// harness/runner/test_support.h
// -----------------------------------------------------------------------------
//
// Small readers and makers of a supervised run's result, for the harness's
// own tests.

#ifndef RACESTRESS_HARNESS_RUNNER_TEST_SUPPORT_H_
#define RACESTRESS_HARNESS_RUNNER_TEST_SUPPORT_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "harness/stress/engine.h"
#include "harness/runner/protocol.h"

namespace racestress::internal {

// The findings of `run` of kind `kind`, in the order they were reported.
inline std::vector<Finding> FindingsOf(const CaseRun& run, Symptom kind) {
  std::vector<Finding> found;
  for (const auto& f : run.findings) {
    if (f.kind == kind) found.push_back(f);
  }
  return found;
}

// A race finding of `kind` in `iteration`, as the engines report one.
inline Finding RaceFinding(int64_t iteration, TsanKind kind) {
  Finding f;
  f.iteration = iteration;
  f.kind = Symptom::kRace;
  f.detail = TsanKindName(kind);
  f.tsan_kind = kind;
  return f;
}

// A run that finished `iterations` iterations, with nothing found yet.
inline CaseRun FinishedRun(int64_t iterations) {
  CaseRun run;
  run.iterations = iterations;
  run.elapsed_ms = 100;
  run.stride = 8;
  run.finished = true;
  return run;
}

// The distinct arbiter values `run` saw.
inline std::set<std::string> Values(const CaseRun& run) {
  std::set<std::string> values;
  for (const auto& e : run.outcomes) values.insert(e.value);
  return values;
}

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_TEST_SUPPORT_H_
