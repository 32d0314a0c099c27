// -----------------------------------------------------------------------------
// harness/stress/perturbation_test.cc
// -----------------------------------------------------------------------------
//
// The per-actor context behind racestress::point(): profiles drawn from the
// iteration seed, points that are no-ops outside an actor, and the status an
// actor publishes for hang reports.

#include "harness/stress/perturbation.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "harness/mutex.h"
#include "harness/point.h"

namespace racestress::internal {
namespace {

bool SameProfile(const PerturbationProfile& a, const PerturbationProfile& b) {
  return a.intensity == b.intensity && a.max_spin == b.max_spin &&
         a.yield_per_256 == b.yield_per_256 && a.sleep_per_256 == b.sleep_per_256 &&
         a.max_start_delay == b.max_start_delay;
}

// Polls `done` until it holds or a generous deadline passes.
template <typename Predicate>
bool Eventually(Predicate done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!done()) {
    if (absl::Now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// -----------------------------------------------------------------------------
// PerturbationProfile

TEST(PerturbationProfile, ForIterationIsDeterministicPerSeed) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const uint64_t iteration_seed = IterationSeed(CaseSeed(0x2a, "A.B"), seed);
    EXPECT_TRUE(SameProfile(PerturbationProfile::ForIteration(iteration_seed),
                            PerturbationProfile::ForIteration(iteration_seed)))
        << "seed " << seed;
  }
}

TEST(PerturbationProfile, ManySeedsYieldCalmAndShakenProfiles) {
  constexpr int kSeeds = 2000;
  int calm = 0, yielding = 0, sleeping = 0, delayed = 0;
  std::set<uint32_t> intensities, spins;
  for (uint64_t i = 0; i < kSeeds; ++i) {
    const PerturbationProfile p =
        PerturbationProfile::ForIteration(IterationSeed(CaseSeed(7, "A.B"), i));
    if (p.intensity == 0) {
      ++calm;
      // A calm profile perturbs nothing at its points.
      EXPECT_EQ(p.max_spin, 0u);
      EXPECT_EQ(p.yield_per_256, 0u);
      EXPECT_EQ(p.sleep_per_256, 0u);
    } else {
      EXPECT_GT(p.max_spin, 0u);
      intensities.insert(p.intensity);
      spins.insert(p.max_spin);
    }
    yielding += p.yield_per_256 > 0;
    sleeping += p.sleep_per_256 > 0;
    delayed += p.max_start_delay > 0;
  }
  // A quarter of the iterations are calm; loose bounds.
  EXPECT_GT(calm, kSeeds / 8);
  EXPECT_LT(calm, kSeeds / 2);
  // Several intensities and spin lengths are tried, not one fixed style.
  EXPECT_GE(intensities.size(), 3u);
  EXPECT_GE(spins.size(), 3u);
  EXPECT_GT(yielding, 0);
  EXPECT_GT(sleeping, 0);
  EXPECT_LT(sleeping, yielding);  // sleeps are the rare style
  EXPECT_GT(delayed, 0);
}

// -----------------------------------------------------------------------------
// ActorContext

TEST(ActorContext, BeginIterationDependsOnlyOnCaseSeedIterationAndActor) {
  const uint64_t case_seed = CaseSeed(0x2a, "A.B");
  ActorStatus status;
  ActorContext warm;
  warm.actor = 1;
  warm.status = &status;
  // Run iterations 0..4 with draws and points in between, then 5.
  for (int64_t i = 0; i < 5; ++i) {
    warm.BeginIteration(case_seed, i);
    for (int d = 0; d < 10; ++d) (void)warm.rng.Next();
    warm.points = 40;
  }
  warm.BeginIteration(case_seed, 5);

  ActorContext fresh;
  fresh.actor = 1;
  fresh.BeginIteration(case_seed, 5);

  EXPECT_TRUE(SameProfile(warm.profile, fresh.profile));
  EXPECT_TRUE(SameProfile(
      fresh.profile, PerturbationProfile::ForIteration(IterationSeed(case_seed, 5))));
  EXPECT_EQ(warm.points, 0u);
  EXPECT_EQ(status.iteration.load(), 5);
  for (int d = 0; d < 100; ++d) ASSERT_EQ(warm.rng.Next(), fresh.rng.Next()) << "draw " << d;
}

TEST(ActorContext, ActorsOfOneIterationShareTheProfileButNotTheStream) {
  const uint64_t case_seed = CaseSeed(0x2a, "A.B");
  ActorContext a0, a1;
  a0.actor = 0;
  a1.actor = 1;
  a0.BeginIteration(case_seed, 3);
  a1.BeginIteration(case_seed, 3);
  EXPECT_TRUE(SameProfile(a0.profile, a1.profile));
  int equal = 0;
  for (int d = 0; d < 100; ++d) equal += a0.rng.Next() == a1.rng.Next();
  EXPECT_EQ(equal, 0);
}

TEST(ActorContext, PointOutsideAnyActorIsANoOp) {
  ASSERT_EQ(CurrentActor(), nullptr);
  ActorStatus status;
  ActorContext context;
  context.status = &status;
  racestress::point();  // no ScopedActor: must not touch any context
  racestress::point("elsewhere.cc", 3);
  EXPECT_EQ(CurrentActor(), nullptr);
  EXPECT_EQ(context.points, 0u);
  EXPECT_EQ(status.point_file.load(), nullptr);
  EXPECT_EQ(status.point_line.load(), 0);
}

TEST(ActorContext, PointInsideAnActorRecordsFileAndLine) {
  ActorStatus status;
  ActorContext context;
  context.status = &status;  // the default profile is calm: no perturbation
  {
    ScopedActor scope(&context);
    ASSERT_EQ(CurrentActor(), &context);
    const int line = __LINE__ + 1;
    racestress::point();
    EXPECT_STREQ(status.point_file.load(), __FILE__);
    EXPECT_EQ(status.point_line.load(), line);
    racestress::point("elsewhere.cc", 3);
    EXPECT_STREQ(status.point_file.load(), "elsewhere.cc");
    EXPECT_EQ(status.point_line.load(), 3);
    EXPECT_EQ(context.points, 2u);
  }
  EXPECT_EQ(CurrentActor(), nullptr);
}

TEST(ActorContext, PointUnderAShakingProfileStillRecordsEveryPoint) {
  ActorStatus status;
  ActorContext context;
  context.status = &status;
  context.profile = {.intensity = 16, .max_spin = 4, .yield_per_256 = 64};
  ScopedActor scope(&context);
  for (int i = 0; i < 100; ++i) racestress::point("shaken.cc", i);
  EXPECT_EQ(context.points, 100u);
  EXPECT_EQ(status.point_line.load(), 99);
}

TEST(ScopedActor, NestedScopesRestoreTheOuterActor) {
  ActorContext outer, inner;
  {
    ScopedActor a(&outer);
    {
      ScopedActor b(&inner);
      EXPECT_EQ(CurrentActor(), &inner);
    }
    EXPECT_EQ(CurrentActor(), &outer);
  }
  EXPECT_EQ(CurrentActor(), nullptr);
}

TEST(ScopedActor, IsPerThread) {
  ActorContext context;
  ScopedActor scope(&context);
  ActorContext* seen_elsewhere = &context;
  std::thread other([&] { seen_elsewhere = CurrentActor(); });
  other.join();
  EXPECT_EQ(seen_elsewhere, nullptr);
  EXPECT_EQ(CurrentActor(), &context);
}

// -----------------------------------------------------------------------------
// ScopedBlocking

TEST(ScopedBlocking, PublishesAndClearsBlockedOn) {
  ActorStatus status;
  ActorContext context;
  context.status = &status;
  ScopedActor scope(&context);
  {
    ScopedBlocking blocked("Mutex::Lock", "waiter.cc", 12);
    ASSERT_NE(status.blocked_on.load(), nullptr);
    EXPECT_STREQ(status.blocked_on.load(), "Mutex::Lock");
    EXPECT_STREQ(status.blocked_file.load(), "waiter.cc");
    EXPECT_EQ(status.blocked_line.load(), 12);
  }
  EXPECT_EQ(status.blocked_on.load(), nullptr);
}

TEST(ScopedBlocking, IsANoOpOutsideAnActor) {
  ActorStatus status;
  ActorContext context;
  context.status = &status;
  {
    ScopedBlocking blocked("Mutex::Lock", "waiter.cc", 12);
    EXPECT_EQ(status.blocked_on.load(), nullptr);
  }
  EXPECT_EQ(status.blocked_on.load(), nullptr);
}

TEST(ScopedBlocking, MutexLockPublishesWhereAnActorWaits) {
  racestress::Mutex mu;
  ActorStatus status;
  std::atomic<bool> acquired{false};
  int lock_line = 0;
  mu.Lock();
  std::thread actor([&] {
    ActorContext context;
    context.status = &status;
    ScopedActor scope(&context);
    lock_line = __LINE__ + 1;
    mu.Lock();
    acquired.store(true);
    mu.Unlock();
  });
  const bool published = Eventually([&] { return status.blocked_on.load() != nullptr; });
  EXPECT_TRUE(published) << "the actor never published that it waits";
  if (published) {
    EXPECT_STREQ(status.blocked_on.load(), "Mutex::Lock");
    EXPECT_STREQ(status.blocked_file.load(), __FILE__);
  }
  EXPECT_FALSE(acquired.load());
  mu.Unlock();
  actor.join();
  EXPECT_TRUE(acquired.load());
  EXPECT_EQ(status.blocked_on.load(), nullptr);
  EXPECT_EQ(status.blocked_line.load(), lock_line);
}

}  // namespace
}  // namespace racestress::internal
