// -----------------------------------------------------------------------------
// harness/controlled/strategy_test.cc
// -----------------------------------------------------------------------------
//
// The controlled engine's strategies, driven by a model of a case: actor i
// runs segments[i] segments; between two segments it sits at a scheduling
// point (a decision where it may go on), and after its last one it has
// finished (a decision where it cannot). dfs is checked against a brute-force
// enumeration of the same tree.

#include "harness/controlled/strategy.h"

#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/core/rng.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

// One schedule of the model under `strategy`: the actors chosen, in order.
std::vector<int> RunModel(Strategy& strategy, const std::vector<int>& segments, uint64_t seed,
                          int64_t index) {
  const int n = static_cast<int>(segments.size());
  std::vector<int> left = segments;
  std::vector<int> choices;
  strategy.BeginSchedule(seed, index, n);
  int current = -1;
  for (;;) {
    std::vector<int> runnable;
    for (int a = 0; a < n; ++a) {
      if (left[a] > 0) runnable.push_back(a);
    }
    if (runnable.empty()) break;
    const int chosen = strategy.Pick(runnable, current);
    EXPECT_GT(left[chosen], 0) << "picked an actor that is not runnable";
    choices.push_back(chosen);
    current = --left[chosen] > 0 ? chosen : -1;
  }
  strategy.EndSchedule(static_cast<int64_t>(choices.size()));
  return choices;
}

// Every choice sequence of the model with at most `bound` preemptions.
void Enumerate(std::vector<int>& left, int current, int preemptions, int bound,
               std::vector<int>& prefix, std::set<std::string>& out) {
  bool any = false;
  for (int a = 0; a < static_cast<int>(left.size()); ++a) {
    if (left[a] == 0) continue;
    any = true;
    const int cost = current >= 0 && a != current ? 1 : 0;
    if (preemptions + cost > bound) continue;
    --left[a];
    prefix.push_back(a);
    Enumerate(left, left[a] > 0 ? a : -1, preemptions + cost, bound, prefix, out);
    prefix.pop_back();
    ++left[a];
  }
  if (!any) out.insert(absl::StrJoin(prefix, "."));
}

std::unique_ptr<Strategy> Make(StrategyOptions options) {
  auto strategy = MakeStrategy(options);
  EXPECT_TRUE(strategy.ok()) << strategy.status();
  return *std::move(strategy);
}

int Preemptions(const std::vector<int>& choices, const std::vector<int>& segments) {
  std::vector<int> left = segments;
  int current = -1, preemptions = 0;
  for (int a : choices) {
    if (current >= 0 && a != current) ++preemptions;
    current = --left[a] > 0 ? a : -1;
  }
  return preemptions;
}

// -----------------------------------------------------------------------------

class DfsAgainstBruteForce
    : public testing::TestWithParam<std::tuple<std::vector<int>, int>> {};

TEST_P(DfsAgainstBruteForce, ExploresExactlyTheBoundedSchedules) {
  const auto& [segments, bound] = GetParam();
  StrategyOptions options;
  options.name = "dfs";
  options.preemption_bound = bound;
  std::unique_ptr<Strategy> dfs = Make(options);
  std::set<std::string> explored;
  int64_t schedules = 0;
  while (!dfs->Exhausted()) {
    ASSERT_LT(schedules, 100000) << "dfs does not end";
    const std::string path = absl::StrJoin(RunModel(*dfs, segments, 0, schedules), ".");
    EXPECT_TRUE(explored.insert(path).second) << "explored twice: " << path;
    ++schedules;
  }
  std::vector<int> left = segments, prefix;
  std::set<std::string> expected;
  Enumerate(left, -1, 0, bound, prefix, expected);
  EXPECT_EQ(explored, expected);
}

INSTANTIATE_TEST_SUITE_P(
    Models, DfsAgainstBruteForce,
    testing::Combine(testing::Values(std::vector<int>{3, 3}, std::vector<int>{2, 2, 2},
                                     std::vector<int>{1, 4}),
                     testing::Values(0, 1, 2, 10)));

TEST(Dfs, DescribesTheLatestScheduleAsAReplayablePath) {
  StrategyOptions options;
  options.name = "dfs";
  std::unique_ptr<Strategy> dfs = Make(options);
  const std::vector<int> segments = {2, 2};
  RunModel(*dfs, segments, 0, 0);
  const std::vector<int> second = RunModel(*dfs, segments, 0, 1);
  const std::string describe = dfs->Describe();
  EXPECT_EQ(describe, "--strategy=path --path=" + absl::StrJoin(second, "."));

  options.name = "path";
  options.path = absl::StrJoin(second, ".");
  std::unique_ptr<Strategy> path = Make(options);
  EXPECT_EQ(RunModel(*path, segments, 0, 0), second);
}

TEST(Pct, DepthOneNeverPreempts) {
  StrategyOptions options;
  options.name = "pct";
  options.pct_depth = 1;
  std::unique_ptr<Strategy> pct = Make(options);
  const std::vector<int> segments = {4, 4, 4};
  for (int64_t i = 0; i < 50; ++i) {
    EXPECT_EQ(Preemptions(RunModel(*pct, segments, 1000 + i, i), segments), 0);
  }
}

TEST(Pct, DepthTwoPreemptsAtMostOnceAndSometimes) {
  StrategyOptions options;
  options.name = "pct";
  options.pct_depth = 2;
  options.pct_steps = 12;
  std::unique_ptr<Strategy> pct = Make(options);
  const std::vector<int> segments = {4, 4, 4};
  int preempted = 0;
  for (int64_t i = 0; i < 200; ++i) {
    const int preemptions = Preemptions(RunModel(*pct, segments, 1000 + i, i), segments);
    EXPECT_LE(preemptions, 1);
    preempted += preemptions;
  }
  EXPECT_GT(preempted, 0);
  EXPECT_EQ(pct->Describe(), "--strategy=pct --pct_depth=2 --pct_steps=12");
}

TEST(Pct, AYieldingActorStepsBelowEveryOther) {
  StrategyOptions options;
  options.name = "pct";
  options.pct_depth = 1;
  std::unique_ptr<Strategy> pct = Make(options);
  const std::vector<int> all = {0, 1, 2};
  for (int64_t i = 0; i < 50; ++i) {
    pct->BeginSchedule(1000 + i, i, 3);
    // Without preemptions the highest priority runs; once it yields (a
    // spin-wait) every other actor comes first, and the next one after it.
    const int spinner = pct->Pick(all, -1);
    pct->Yielded(spinner);
    const int next = pct->Pick(all, spinner);
    EXPECT_NE(next, spinner);
    pct->Yielded(next);
    const int third = pct->Pick(all, next);
    EXPECT_NE(third, spinner);
    EXPECT_NE(third, next);
    pct->EndSchedule(3);
  }
}

// PCT as first written: d-1 change points, every one of them compared with
// the step at every scheduling point. The strategy must choose as it does
// (recorded schedules and trace hashes stay valid) at a fraction of the cost.
std::vector<int> ScannedPct(const std::vector<int>& segments, int depth, int64_t steps,
                            uint64_t seed) {
  const int n = static_cast<int>(segments.size());
  Rng rng(seed);
  std::vector<int> priority(n);
  for (int a = 0; a < n; ++a) priority[a] = depth + a;
  for (int a = n - 1; a > 0; --a) {
    std::swap(priority[a], priority[rng.Below(static_cast<uint32_t>(a + 1))]);
  }
  std::vector<std::pair<int64_t, int>> change_points;
  for (int i = 1; i < depth; ++i) {
    change_points.emplace_back(1 + static_cast<int64_t>(rng.Next() % steps), i);
  }
  std::vector<int> left = segments, choices;
  auto highest = [&](const std::vector<int>& runnable) {
    int best = runnable[0];
    for (int a : runnable) best = priority[a] > priority[best] ? a : best;
    return best;
  };
  for (int64_t step = 1;; ++step) {
    std::vector<int> runnable;
    for (int a = 0; a < n; ++a) {
      if (left[a] > 0) runnable.push_back(a);
    }
    if (runnable.empty()) return choices;
    int chosen = highest(runnable);
    for (const auto& [at, lowered] : change_points) {
      if (at != step) continue;
      priority[chosen] = lowered;
      chosen = highest(runnable);
    }
    choices.push_back(chosen);
    --left[chosen];
  }
}

TEST(Pct, ChoosesAsTheScanOfEveryChangePointDid) {
  const std::vector<int> segments = {3, 5, 4};
  for (int depth = 1; depth <= 13; ++depth) {
    StrategyOptions options;
    options.name = "pct";
    options.pct_depth = depth;
    options.pct_steps = 12;
    std::unique_ptr<Strategy> pct = Make(options);
    for (int64_t i = 0; i < 100; ++i) {
      EXPECT_EQ(RunModel(*pct, segments, 500 + i, i), ScannedPct(segments, depth, 12, 500 + i))
          << "depth " << depth << ", schedule " << i;
    }
  }
}

TEST(Pct, DepthBeyondTheStepsChoosesAsDepthStepsPlusOne) {
  // k = 12 steps have 12 places to change: the largest depth allowed draws
  // those 12, as depth 13 does, instead of kMaxPctDepth - 1.
  StrategyOptions options;
  options.name = "pct";
  options.pct_steps = 12;
  options.pct_depth = kMaxPctDepth;
  std::unique_ptr<Strategy> deepest = Make(options);
  options.pct_depth = 13;
  std::unique_ptr<Strategy> thirteen = Make(options);
  const std::vector<int> segments = {4, 4, 4};
  for (int64_t i = 0; i < 100; ++i) {
    EXPECT_EQ(RunModel(*deepest, segments, 900 + i, i), RunModel(*thirteen, segments, 900 + i, i))
        << "schedule " << i;
  }
  EXPECT_EQ(deepest->Describe(),
            absl::StrCat("--strategy=pct --pct_depth=", kMaxPctDepth, " --pct_steps=12"));
}

TEST(Strategies, SameSeedSameChoices) {
  for (const char* name : {"random", "pct"}) {
    StrategyOptions options;
    options.name = name;
    options.pct_steps = 20;
    std::unique_ptr<Strategy> a = Make(options), b = Make(options);
    const std::vector<int> segments = {5, 5, 5};
    std::set<std::vector<int>> distinct;
    for (int64_t i = 0; i < 20; ++i) {
      const std::vector<int> first = RunModel(*a, segments, 77 + i, i);
      EXPECT_EQ(first, RunModel(*b, segments, 77 + i, i)) << name;
      distinct.insert(first);
    }
    EXPECT_GT(distinct.size(), 1u) << name << ": seeds make no difference";
  }
}

TEST(MakeStrategy, RejectsBadValuesWithTheFlagName) {
  StrategyOptions options;
  options.name = "fifo";
  EXPECT_THAT(std::string(MakeStrategy(options).status().message()),
              HasSubstr("bad value for --strategy: 'fifo'"));
  options.name = "pct";
  for (int depth : {0, -1, kMaxPctDepth + 1, std::numeric_limits<int>::max()}) {
    options.pct_depth = depth;
    EXPECT_THAT(std::string(MakeStrategy(options).status().message()),
                HasSubstr(absl::StrCat("bad value for --pct_depth: must be 1 to ", kMaxPctDepth)))
        << depth;
  }
  options.pct_depth = kMaxPctDepth;
  EXPECT_TRUE(MakeStrategy(options).ok());
  options.pct_depth = 2;
  options.pct_steps = -1;
  EXPECT_THAT(std::string(MakeStrategy(options).status().message()),
              HasSubstr("--pct_steps"));
  options.pct_steps = 0;
  options.name = "path";
  options.path = "0.x";
  EXPECT_THAT(std::string(MakeStrategy(options).status().message()), HasSubstr("--path"));
  options.name = "dfs";
  options.preemption_bound = -1;
  EXPECT_THAT(std::string(MakeStrategy(options).status().message()),
              HasSubstr("--preemption_bound"));
}

}  // namespace
}  // namespace racestress::internal
