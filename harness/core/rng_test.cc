// -----------------------------------------------------------------------------
// harness/core/rng_test.cc
// -----------------------------------------------------------------------------
//
// Seed derivation and the per-actor generator. Replay rests on these claims:
// a seed depends on its inputs and nothing else, different inputs give
// different seeds, and the generator's helpers stay in range.

#include "harness/core/rng.h"

#include <cstdint>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

constexpr uint64_t kRunSeed = 0x2a;

// -----------------------------------------------------------------------------
// Seed derivation

TEST(Rng, MixIsAPureFunctionOfItsInputs) {
  static_assert(Mix(1, 2) == Mix(1, 2), "Mix must be usable in constant expressions");
  EXPECT_EQ(Mix(0x1234, 0x5678), Mix(0x1234, 0x5678));
  EXPECT_NE(Mix(0x1234, 0x5678), Mix(0x1234, 0x5679));
  EXPECT_NE(Mix(0x1234, 0x5678), Mix(0x1235, 0x5678));
}

TEST(Rng, MixIsNotSymmetric) {
  EXPECT_NE(Mix(1, 2), Mix(2, 1));
  EXPECT_NE(Mix(0, 7), Mix(7, 0));
}

TEST(Rng, HashNameIsFnv1aAndStableAcrossBuilds) {
  // Published FNV-1a 64-bit values: a change here silently changes every
  // case's seed, and with it every printed replay token.
  static_assert(HashName("") == 0xcbf29ce484222325ULL);
  EXPECT_EQ(HashName("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(HashName("foobar"), 0x85944171f73967e8ULL);
}

TEST(Rng, CaseSeedIsTheSameForTheSameRunSeedAndName) {
  EXPECT_EQ(CaseSeed(kRunSeed, "Counter.LostUpdateRacy"),
            CaseSeed(kRunSeed, "Counter.LostUpdateRacy"));
}

TEST(Rng, CaseSeedDiffersBetweenCaseNames) {
  const std::vector<const char*> names = {
      "Counter.LostUpdateRacy", "Counter.LostUpdateMutex", "Counter.LostUpdateAtomic",
      "Counter.LostUpdateRacz", "Counter.LostUpdateRac",   "counter.LostUpdateRacy",
      "A.B",                    "B.A",                     "",
  };
  std::set<uint64_t> seeds;
  for (const char* name : names) seeds.insert(CaseSeed(kRunSeed, name));
  EXPECT_EQ(seeds.size(), names.size());
}

TEST(Rng, CaseSeedDiffersBetweenRunSeeds) {
  std::set<uint64_t> seeds;
  for (uint64_t run_seed = 0; run_seed < 1000; ++run_seed) {
    seeds.insert(CaseSeed(run_seed, "Counter.LostUpdateRacy"));
  }
  EXPECT_EQ(seeds.size(), 1000u);
}

TEST(Rng, IterationSeedDependsOnlyOnCaseSeedAndIteration) {
  const uint64_t case_seed = CaseSeed(kRunSeed, "Counter.LostUpdateRacy");
  // Computing other iterations first must not change iteration 17's seed.
  const uint64_t first = IterationSeed(case_seed, 17);
  for (uint64_t i = 0; i < 100; ++i) (void)IterationSeed(case_seed, i);
  EXPECT_EQ(IterationSeed(case_seed, 17), first);
  EXPECT_EQ(IterationSeed(case_seed, 17), Mix(case_seed, 17));
}

TEST(Rng, IterationSeedsOfOneCaseAreDistinct) {
  const uint64_t case_seed = CaseSeed(kRunSeed, "Counter.LostUpdateRacy");
  std::set<uint64_t> seeds;
  for (uint64_t i = 0; i < 10000; ++i) seeds.insert(IterationSeed(case_seed, i));
  EXPECT_EQ(seeds.size(), 10000u);
}

TEST(Rng, IterationSeedDiffersBetweenCasesAtTheSameIteration) {
  EXPECT_NE(IterationSeed(CaseSeed(kRunSeed, "A.X"), 5),
            IterationSeed(CaseSeed(kRunSeed, "A.Y"), 5));
}

// -----------------------------------------------------------------------------
// The generator

TEST(Rng, SameSeedGivesTheSameSequence) {
  Rng a(12345);
  Rng b(12345);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Next(), b.Next()) << "draw " << i;
}

TEST(Rng, DifferentSeedsGiveDifferentSequences) {
  Rng a(12345);
  Rng b(12346);
  int equal = 0;
  for (int i = 0; i < 1000; ++i) equal += a.Next() == b.Next();
  EXPECT_EQ(equal, 0);
}

TEST(Rng, BelowStaysInRange) {
  Rng rng(7);
  for (uint32_t bound : {1u, 2u, 3u, 7u, 10u, 1000u, 65537u, 0xffffffffu}) {
    for (int i = 0; i < 10000; ++i) {
      const uint32_t v = rng.Below(bound);
      ASSERT_LT(v, bound) << "bound " << bound << ", draw " << i;
    }
  }
}

TEST(Rng, BelowOneIsAlwaysZero) {
  Rng rng(99);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(rng.Below(1), 0u);
}

TEST(Rng, BelowCoversEveryValueOfASmallBound) {
  Rng rng(2024);
  for (uint32_t bound = 1; bound <= 32; ++bound) {
    std::vector<int> hits(bound, 0);
    for (int i = 0; i < 2000; ++i) ++hits[rng.Below(bound)];
    for (uint32_t v = 0; v < bound; ++v) {
      EXPECT_GT(hits[v], 0) << "value " << v << " never drawn below " << bound;
    }
  }
}

TEST(Rng, BelowIsRoughlyUniform) {
  Rng rng(31337);
  constexpr int kDraws = 40000;
  std::vector<int> hits(4, 0);
  for (int i = 0; i < kDraws; ++i) ++hits[rng.Below(4)];
  for (int v = 0; v < 4; ++v) {
    // Expected 10000; the bounds are more than 10 standard deviations wide.
    EXPECT_GT(hits[v], 9000) << "value " << v;
    EXPECT_LT(hits[v], 11000) << "value " << v;
  }
}

TEST(Rng, ChanceZeroNeverAndFullAlways) {
  Rng rng(5);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_FALSE(rng.Chance(0));
    ASSERT_TRUE(rng.Chance(65536));
  }
}

TEST(Rng, ChanceMatchesItsProportion) {
  constexpr int kDraws = 100000;
  struct Row {
    uint32_t per_65536;
    double low, high;  // loose bounds around per_65536 / 65536
  };
  for (const Row& row : {Row{16384, 0.23, 0.27}, Row{32768, 0.48, 0.52},
                         Row{655, 0.007, 0.013}, Row{65535, 0.999, 1.0}}) {
    Rng rng(0xc0ffee);
    int hits = 0;
    for (int i = 0; i < kDraws; ++i) hits += rng.Chance(row.per_65536);
    const double share = static_cast<double>(hits) / kDraws;
    EXPECT_GE(share, row.low) << "Chance(" << row.per_65536 << ")";
    EXPECT_LE(share, row.high) << "Chance(" << row.per_65536 << ")";
  }
}

}  // namespace
}  // namespace racestress::internal
