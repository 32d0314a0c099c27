// -----------------------------------------------------------------------------
// harness/runner/controlled_test_support.h
// -----------------------------------------------------------------------------
//
// What the controlled engine's tests share: their fixture cases by name
// (registered in controlled_engine_test.cc), the options of a controlled run,
// and a run described for a failure message.

#ifndef RACESTRESS_HARNESS_RUNNER_CONTROLLED_TEST_SUPPORT_H_
#define RACESTRESS_HARNESS_RUNNER_CONTROLLED_TEST_SUPPORT_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "harness/core/case_base.h"
#include "harness/runner/flags.h"
#include "harness/runner/protocol.h"

namespace racestress::internal {

inline const CaseBase& Fixture(const std::string& name) {
  const CaseBase* c = FindCase("ControlledFixture." + name);
  EXPECT_NE(c, nullptr) << name;
  return *c;
}

inline RunOptions Controlled(const std::string& strategy, int64_t schedules,
                             uint64_t seed = 0x2a) {
  RunOptions options;
  options.run_seed = seed;
  options.isolate = true;
  options.controlled = true;
  options.strategy.name = strategy;
  options.iterations = schedules;
  options.time_budget = absl::Seconds(120);  // the schedule budget ends the run
  return options;
}

inline std::string Describe(const CaseRun& run) {
  std::string out = absl::StrCat(run.iterations, " schedules, finished ", run.finished, ";");
  for (const auto& f : run.findings) {
    absl::StrAppend(&out, "\n  ", SymptomName(f.kind), " in ", f.iteration, ": ", f.detail);
  }
  return out;
}

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_CONTROLLED_TEST_SUPPORT_H_
