// -----------------------------------------------------------------------------
// cases/semaphore/bounded_resource.cc
// -----------------------------------------------------------------------------
//
// A shared resource tolerates at most two users at once. Three workers use it
// twice each, taking a permit first. Expected: at most 2 permits = 2 users at
// once, 3 workers x 2 uses = 6 uses. Counting the users in a plain
// int instead ("wait while count >= 2, then count += 1") is check-then-act:
// two workers see one free slot, both take it, and the bound is exceeded (a
// lost decrement leaks a slot for good instead, and the others wait forever).
//
// Seed: 003_942b4a3290349fc5.txt, "Locks and Semaphores" for shared resources.
// Run:  ctest --preset tsan -R '^Semaphore\.BoundExceeded'

#include <atomic>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "harness/case.h"
#include "harness/semaphore.h"

namespace racestress::cases {
namespace {

constexpr int kWorkers = 3;
constexpr int kUses = 2;
constexpr int kPermits = 2;
constexpr int kExpectedUses = kWorkers * kUses;

// The resource: records how many users it has now, the peak, and the uses
// (atomics, so that the measurement itself is race-free).
struct Resource {
  std::atomic<int> users{0};
  std::atomic<int> peak{0};
  std::atomic<int> uses{0};

  void Use() {
    const int now = users.fetch_add(1, std::memory_order_relaxed) + 1;
    int seen = peak.load(std::memory_order_relaxed);
    while (now > seen && !peak.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
    }
    point();
    // The work done with the resource: the user leaves the processor while
    // it holds its slot, so that a third worker can find the count stale.
    std::this_thread::yield();
    uses.fetch_add(1, std::memory_order_relaxed);
    users.fetch_sub(1, std::memory_order_relaxed);
  }
  std::string Summary() const {
    return absl::StrCat("peak ", peak.load(std::memory_order_relaxed), ", uses ",
                        uses.load(std::memory_order_relaxed));
  }
};

// The bug: a plain occupancy count used as a semaphore.
struct RacyCountResource {
  Racy<int> taken;
  Resource resource;

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kUses; ++i) {
      while (taken.Load() >= kPermits) yield();
      taken.Store(taken.Load() + 1);
      resource.Use();
      taken.Store(taken.Load() - 1);
    }
  }
  std::string Result() const { return resource.Summary(); }
};

// The fix: a semaphore, whose Acquire() checks and takes under one lock.
struct CountingSemaphoreResource {
  Semaphore permits{kPermits};
  Resource resource;

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kUses; ++i) {
      permits.Acquire();
      resource.Use();
      permits.Release();
    }
  }
  std::string Result() const { return resource.Summary(); }
};

const std::string kOnePeak = absl::StrCat("peak 1, uses ", kExpectedUses);
const std::string kTwoPeak = absl::StrCat("peak 2, uses ", kExpectedUses);

}  // namespace

RACESTRESS_CASE(Semaphore, BoundExceededRacyCount, RacyCountResource)
    .Threads(kWorkers)
    .Outcome(OneOf({kOnePeak, kTwoPeak}), Expect::kAcceptable,
             "every use within the bound in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "bound exceeded: two workers took the last free slot")
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kRace | Symptom::kForbidden | Symptom::kHang);

RACESTRESS_CASE(Semaphore, BoundExceededCountingSemaphore, CountingSemaphoreResource)
    .Threads(kWorkers)
    .Outcome(OneOf({kOnePeak, kTwoPeak}), Expect::kAcceptable,
             "every use within the bound")
    .Outcome(Otherwise(), Expect::kForbidden, "bound exceeded or a use lost");

}  // namespace racestress::cases
