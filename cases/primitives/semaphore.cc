// -----------------------------------------------------------------------------
// cases/primitives/semaphore.cc
// -----------------------------------------------------------------------------
//
// The second primitive: a semaphore. Four actors pass through a section that
// a counting semaphore admits at most two at a time; the section records how
// many actors are inside (an atomic, so the measurement itself is race-free)
// and the most it ever saw. Expected: at most 2 permits = 2 inside at once.
// Created with one permit per actor (4), the semaphore admits them all.
//
// Seed: 000_e45c04ed2e832ebf.txt, "Locks, Semaphores, Events, and Conditions" (Semaphores).
// Run:  ctest --preset tsan -R '^Primitives\.BoundExceeded'

#include <atomic>
#include <thread>

#include "harness/case.h"
#include "harness/semaphore.h"

namespace racestress::cases {
namespace {

constexpr int kActors = 4;
constexpr int kPermits = 2;
constexpr int kStepsInside = 4;  // scheduling points while holding a permit
// Each actor passes through the section this many times per iteration. The
// bound is exceeded only when three actors overlap inside; with one pass and
// no yield inside, 4 to 5 of 1000 runs missed it within the budget.
constexpr int kPasses = 4;

// The section both variants guard: counts who is inside and keeps the peak.
struct Section {
  std::atomic<int> inside{0};
  std::atomic<int> peak{0};

  void Enter() {
    const int now = inside.fetch_add(1, std::memory_order_relaxed) + 1;
    int seen = peak.load(std::memory_order_relaxed);
    while (now > seen && !peak.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
    }
    for (int i = 0; i < kStepsInside; ++i) point();
    // The work done while holding the resource (the tutorial sleeps here):
    // the holder leaves the processor while it holds its permit.
    std::this_thread::yield();
  }
  void Leave() { inside.fetch_sub(1, std::memory_order_relaxed); }
};

// The bug: the semaphore is created with one permit per actor, not two.
struct ExtraPermitsSection {
  Semaphore permits{kActors};
  Section section;

  void Worker(int /*thread_index*/) {
    for (int pass = 0; pass < kPasses; ++pass) {
      permits.Acquire();
      section.Enter();
      section.Leave();
      permits.Release();
    }
  }
  int Result() const { return section.peak.load(std::memory_order_relaxed); }
};

// The fix: a semaphore of exactly `kPermits` permits.
struct CountingSemaphoreSection {
  Semaphore permits{kPermits};
  Section section;

  void Worker(int /*thread_index*/) {
    for (int pass = 0; pass < kPasses; ++pass) {
      permits.Acquire();
      section.Enter();
      section.Leave();
      permits.Release();
    }
  }
  int Result() const { return section.peak.load(std::memory_order_relaxed); }
};

}  // namespace

RACESTRESS_CASE(Primitives, BoundExceededExtraPermits, ExtraPermitsSection)
    .Threads(kActors)
    .Outcome(Where("at most 2 inside at once", [](int peak) { return peak <= kPermits; }),
             Expect::kAcceptable, "the section stayed within its bound in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "bound exceeded: more actors inside than the semaphore should admit")
    .Racy(Symptom::kForbidden);

RACESTRESS_CASE(Primitives, BoundExceededCountingSemaphore, CountingSemaphoreSection)
    .Threads(kActors)
    .Outcome(Where("at most 2 inside at once", [](int peak) { return peak <= kPermits; }),
             Expect::kAcceptable, "the semaphore bounded the section")
    .Outcome(Otherwise(), Expect::kForbidden,
             "bound exceeded: more actors inside than permits");

}  // namespace racestress::cases
