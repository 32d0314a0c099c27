// -----------------------------------------------------------------------------
// harness/runner/sharding.h
// -----------------------------------------------------------------------------
//
// Test sharding as Bazel (and `ctest`-driven setups that copy it) asks for it:
// GTEST_TOTAL_SHARDS=S and GTEST_SHARD_INDEX=k in the environment, and
// GTEST_SHARD_STATUS_FILE touched to say the runner understood. GoogleTest
// would split the *cases* among shards; racestress splits each case's
// *iterations* instead, so every shard runs every case on a disjoint share of
// its iterations, with the seeds an unsharded run would use for them:
//
//   * a count budget of N iterations (--iterations, or the case's own): shard
//     k runs iterations [k N / S, (k + 1) N / S), so S shards together run
//     exactly the N an unsharded run would (a shard left with none skips the
//     case, saying so);
//   * a time budget only: shard k starts at iteration k * 2^40, a range of
//     its own, for the whole budget (hence at most 2^22 shards).
//
// A finding names its absolute iteration, so its replay line replays it
// without sharding; a --replay is not split (every shard replays all of it).
// scripts/merge_shards.py merges the shards' JSON reports into the report of
// one run, and refuses the shards of a replay, which would count twice.
//
// Thread safety: ShardFromEnvironment() changes the environment; call it
// from main() before any thread starts.

#ifndef RACESTRESS_HARNESS_RUNNER_SHARDING_H_
#define RACESTRESS_HARNESS_RUNNER_SHARDING_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "harness/core/case_base.h"
#include "harness/runner/flags.h"

namespace racestress::internal {

struct Shard {
  int index = 0;
  int total = 1;
};

// Reads the sharding variables, validates them (a bad value is an error to
// report as bad input), touches GTEST_SHARD_STATUS_FILE and unsets
// GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX so that GoogleTest runs every case.
absl::StatusOr<Shard> ShardFromEnvironment();

// The first iteration of shard `index`'s range under a time budget.
constexpr int64_t kShardIterationStride = int64_t{1} << 40;

// The most shards a run may have: the last one's range starts below 2^62, so
// its iterations (and a replay's `:ITERATION`) stay far from int64's end.
constexpr int kMaxTotalShards = 1 << 22;

// Narrows `options` (for case `c`) to the shard's iterations. False if the
// shard has none of them (fewer iterations than shards).
bool NarrowToShard(const CaseBase& c, RunOptions& options);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_SHARDING_H_
