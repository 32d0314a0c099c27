// -----------------------------------------------------------------------------
// harness/core/engine_options_test.cc
// -----------------------------------------------------------------------------
//
// EndIteration(): where a run's iterations stop, without overflowing for a
// range that starts far out (a shard's, a replay's).

#include "harness/core/engine_options.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(EndIteration, IsTheFirstPlusTheCountOrUnbounded) {
  EngineOptions options;
  options.first_iteration = 17;
  EXPECT_EQ(EndIteration(options), kMax);  // no count: the time budget ends the run
  options.max_iterations = 3;
  EXPECT_EQ(EndIteration(options), 20);
}

TEST(EndIteration, ARangeNearTheEndStopsThereInsteadOfWrapping) {
  EngineOptions options;
  options.first_iteration = kMax - 5;
  options.max_iterations = kMax;
  EXPECT_EQ(EndIteration(options), kMax);
  options.max_iterations = 5;
  EXPECT_EQ(EndIteration(options), kMax);
}

}  // namespace
}  // namespace racestress::internal
