// -----------------------------------------------------------------------------
// harness/runner/flags.h
// -----------------------------------------------------------------------------
//
// racestress's own command-line flags (Abseil flags), parsed from what
// GoogleTest leaves in argv after it took its --gtest_* flags:
//
//   --seed=S            run seed, decimal or 0x-hex (default: $RACESTRESS_SEED,
//                       else random; always printed)
//   --iterations=N      iteration budget per case (default: the case's)
//   --time_budget=D     time budget per case, e.g. 2s, 500ms (default: the case's)
//   --replay=S:I        run seed S, starting at iteration I (a failure prints it)
//   --json=PATH         write the JSON report to PATH, whole or not at all
//   --isolate           run each case in a child process (default true)
//
// Bad input is reported as one line and exit code 2 by the runner.

#ifndef RACESTRESS_HARNESS_RUNNER_FLAGS_H_
#define RACESTRESS_HARNESS_RUNNER_FLAGS_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "harness/controlled/strategy.h"
#include "harness/core/seed.h"

namespace racestress::internal {

struct RunOptions {
  uint64_t run_seed = 0;
  int64_t iterations = 0;                        // 0: each case's own
  absl::Duration time_budget = absl::ZeroDuration();  // zero: each case's own
  int64_t first_iteration = 0;                   // from --replay
  bool replaying = false;
  std::string json_path;
  std::string html_path;
  bool isolate = true;
  bool controlled = false;                       // --engine=controlled
  StrategyOptions strategy;
  int64_t max_steps = 10000000;
  absl::Duration progress_every = absl::Seconds(10);  // plain progress lines; 0: none
  // This run's share of each case's iterations (sharding.h): shard
  // `shard_index` of `total_shards`.
  int shard_index = 0;
  int total_shards = 1;
  // Set in a child process only: the case it runs and where it reports;
  // `child_in_test`: the case is a scenario inside the GoogleTest test that
  // --gtest_filter selects, reached by running that test.
  std::string child_case;
  int child_fd = -1;
  bool child_in_test = false;
  // Set by a scenario's assertion for the child it starts: the test around
  // the scenario ("Suite.Test").
  std::string scenario_test;
};

// ParseRunOptions()
//
// Parses argv[1..argc) (GoogleTest's flags already removed). Returns a one-line
// error for an unknown flag, a bad value or a stray argument.
absl::StatusOr<RunOptions> ParseRunOptions(int argc, char** argv);


// The arguments that make a child process run `case_name` with `options`.
std::vector<std::string> ChildArguments(const RunOptions& options,
                                        const std::string& case_name, int fd);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_FLAGS_H_
