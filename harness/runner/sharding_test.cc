// Sharding: the shards' iteration ranges tile the unsharded run's, the
// environment is validated and handed over (GoogleTest must not split the
// cases itself), and a replay is never narrowed.

#include "harness/runner/sharding.h"

#include <cstdlib>
#include <limits>
#include <string>

#include "gtest/gtest.h"
#include "harness/case.h"

namespace racestress::internal {
namespace {

struct Noop {
  void Worker(int /*thread_index*/) {}
};

RunOptions ShardOptions(int index, int total, int64_t iterations) {
  RunOptions options;
  options.shard_index = index;
  options.total_shards = total;
  options.iterations = iterations;
  return options;
}

TEST(NarrowToShard, CountBudgetsTileTheUnshardedRange) {
  const TypedCase<Noop> c("Suite", "Name", "file.cc", 1);
  int64_t next = 0;
  for (int k = 0; k < 3; ++k) {
    RunOptions options = ShardOptions(k, 3, 100);
    ASSERT_TRUE(NarrowToShard(c, options));
    EXPECT_EQ(options.first_iteration, next) << "shard " << k;
    next = options.first_iteration + options.iterations;
  }
  EXPECT_EQ(next, 100);
}

TEST(NarrowToShard, TheCasesOwnCountIsSplitToo) {
  TypedCase<Noop> c("Suite", "Name", "file.cc", 1);
  c.Iterations(10);
  RunOptions options = ShardOptions(1, 2, 0);
  ASSERT_TRUE(NarrowToShard(c, options));
  EXPECT_EQ(options.first_iteration, 5);
  EXPECT_EQ(options.iterations, 5);
}

TEST(NarrowToShard, AShardWithNoIterationsSaysSo) {
  const TypedCase<Noop> c("Suite", "Name", "file.cc", 1);
  RunOptions options = ShardOptions(0, 3, 2);
  EXPECT_FALSE(NarrowToShard(c, options));
}

TEST(NarrowToShard, TimeBudgetsGetRangesOfTheirOwn) {
  const TypedCase<Noop> c("Suite", "Name", "file.cc", 1);
  RunOptions options = ShardOptions(2, 4, 0);
  ASSERT_TRUE(NarrowToShard(c, options));
  EXPECT_EQ(options.first_iteration, 2 * kShardIterationStride);
  EXPECT_EQ(options.iterations, 0);
}

TEST(NarrowToShard, TheLastShardOfTheMostStartsWithinRange) {
  // Time budget: the last shard's range starts where its replay token can
  // name it, and 2^62 iterations before int64's end.
  const TypedCase<Noop> c("Suite", "Name", "file.cc", 1);
  RunOptions options = ShardOptions(kMaxTotalShards - 1, kMaxTotalShards, 0);
  ASSERT_TRUE(NarrowToShard(c, options));
  EXPECT_EQ(options.first_iteration, int64_t{kMaxTotalShards - 1} * kShardIterationStride);
  EXPECT_LT(options.first_iteration, int64_t{1} << 62);
}

TEST(NarrowToShard, AHugeCountBudgetIsSplitExactly) {
  // budget * k overflows 64 bits here; the ranges must still tile [0, budget).
  const TypedCase<Noop> c("Suite", "Name", "file.cc", 1);
  constexpr int64_t kBudget = std::numeric_limits<int64_t>::max();
  int64_t next = 0;
  for (int k : {0, 1, 2}) {
    RunOptions options = ShardOptions(k, 3, kBudget);
    ASSERT_TRUE(NarrowToShard(c, options));
    EXPECT_EQ(options.first_iteration, next) << "shard " << k;
    EXPECT_GT(options.iterations, 0) << "shard " << k;
    next = options.first_iteration + options.iterations;
  }
  EXPECT_EQ(next, kBudget);
  RunOptions last = ShardOptions(kMaxTotalShards - 1, kMaxTotalShards, kBudget);
  ASSERT_TRUE(NarrowToShard(c, last));
  EXPECT_EQ(last.first_iteration + last.iterations, kBudget);
  EXPECT_GT(last.iterations, 0);
}

TEST(NarrowToShard, AReplayIsNeverNarrowed) {
  const TypedCase<Noop> c("Suite", "Name", "file.cc", 1);
  RunOptions options = ShardOptions(1, 3, 90);
  options.replaying = true;
  options.first_iteration = 17;
  ASSERT_TRUE(NarrowToShard(c, options));
  EXPECT_EQ(options.first_iteration, 17);
  EXPECT_EQ(options.iterations, 90);
}

class ShardEnvironment : public testing::Test {
 protected:
  ~ShardEnvironment() override {
    unsetenv("GTEST_TOTAL_SHARDS");
    unsetenv("GTEST_SHARD_INDEX");
  }
};

TEST_F(ShardEnvironment, NoVariablesIsOneShard) {
  const auto shard = ShardFromEnvironment();
  ASSERT_TRUE(shard.ok());
  EXPECT_EQ(shard->total, 1);
}

TEST_F(ShardEnvironment, ReadsAndHandsOverTheVariables) {
  setenv("GTEST_TOTAL_SHARDS", "4", 1);
  setenv("GTEST_SHARD_INDEX", "3", 1);
  const auto shard = ShardFromEnvironment();
  ASSERT_TRUE(shard.ok());
  EXPECT_EQ(shard->index, 3);
  EXPECT_EQ(shard->total, 4);
  EXPECT_EQ(getenv("GTEST_TOTAL_SHARDS"), nullptr);  // GoogleTest runs every case
  EXPECT_EQ(getenv("GTEST_SHARD_INDEX"), nullptr);
}

TEST_F(ShardEnvironment, BadValuesAreErrors) {
  // 2^31 - 1 shards would start the last one's range past int64's end.
  for (auto [total, index] : {std::pair{"4", "4"}, {"0", "0"}, {"x", "0"}, {"2", "-1"},
                              {"2147483647", "2147483646"}, {"4194305", "0"}}) {
    setenv("GTEST_TOTAL_SHARDS", total, 1);
    setenv("GTEST_SHARD_INDEX", index, 1);
    EXPECT_FALSE(ShardFromEnvironment().ok()) << total << " " << index;
  }
  unsetenv("GTEST_SHARD_INDEX");
  setenv("GTEST_TOTAL_SHARDS", "2", 1);
  EXPECT_FALSE(ShardFromEnvironment().ok());
}

TEST_F(ShardEnvironment, TheMostShardsAreAccepted) {
  setenv("GTEST_TOTAL_SHARDS", "4194304", 1);
  setenv("GTEST_SHARD_INDEX", "4194303", 1);
  const auto shard = ShardFromEnvironment();
  ASSERT_TRUE(shard.ok()) << shard.status();
  EXPECT_EQ(shard->total, kMaxTotalShards);
  EXPECT_EQ(shard->index, kMaxTotalShards - 1);
}

}  // namespace
}  // namespace racestress::internal
