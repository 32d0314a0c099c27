// -----------------------------------------------------------------------------
// cases/primitives/condition.cc
// -----------------------------------------------------------------------------
//
// The fourth primitive: a condition. A consumer waits until a producer has
// put one item, 6 x 7 = 42, then takes it. A condition variable keeps no
// memory of a signal nobody waited for: a consumer that waits without first
// checking for the item (or checks state that the producer changes outside
// the lock) sleeps forever when the producer signalled first. The lost
// wake-up is a hang.
//
// Seed: 000_e45c04ed2e832ebf.txt, "Locks, Semaphores, Events, and Conditions" (Conditions).
// Run:  ctest --preset tsan -R '^Primitives\.LostWakeup'

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kItem = 6 * 7;

// The bug: the consumer waits unconditionally, so a signal sent before it
// waits is lost; a spurious wake-up would also let it read no item.
struct NoPredicateCondition {
  Mutex mu;
  CondVar item_put;
  int item ABSL_GUARDED_BY(mu) = 0;
  int seen = 0;  // the consumer's own

  void Producer() {
    point();
    MutexLock lock(mu);
    item = kItem;
    item_put.Signal();
  }
  void Consumer() {
    point();
    MutexLock lock(mu);
    item_put.Wait(mu);
    seen = item;
  }
  int Result() const { return seen; }
};

// The bug: the consumer checks the predicate, but the producer sets it and
// signals without the lock, between the consumer's check and its wait.
struct UnlockedNotifyCondition {
  Mutex mu;
  CondVar item_put;
  Racy<int> item;
  Racy<bool> has_item;
  int seen = 0;  // the consumer's own

  void Producer() {
    item.Store(kItem);
    has_item.Store(true);
    item_put.Signal();
  }
  void Consumer() {
    MutexLock lock(mu);
    while (!has_item.Load()) {
      point();
      item_put.Wait(mu);
    }
    seen = item.Load();
  }
  int Result() const { return seen; }
};

// The fix: state changes under the lock, and the consumer waits in a loop
// until the predicate holds.
struct PredicateLoopCondition {
  Mutex mu;
  CondVar item_put;
  bool has_item ABSL_GUARDED_BY(mu) = false;
  int item ABSL_GUARDED_BY(mu) = 0;
  int seen = 0;  // the consumer's own

  void Producer() {
    point();
    MutexLock lock(mu);
    item = kItem;
    has_item = true;
    item_put.Signal();
  }
  void Consumer() {
    point();
    MutexLock lock(mu);
    while (!has_item) {
      point();
      item_put.Wait(mu);
    }
    seen = item;
  }
  int Result() const { return seen; }
};

}  // namespace

RACESTRESS_CASE(Primitives, LostWakeupNoPredicate, NoPredicateCondition)
    .Actor(&NoPredicateCondition::Producer)
    .Actor(&NoPredicateCondition::Consumer)
    .Outcome(Equals(kItem), Expect::kAcceptable, "the consumer was waiting before the signal")
    .Outcome(Otherwise(), Expect::kForbidden, "the consumer woke without an item")
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kHang | Symptom::kForbidden);

RACESTRESS_CASE(Primitives, LostWakeupUnlockedNotify, UnlockedNotifyCondition)
    .Actor(&UnlockedNotifyCondition::Producer)
    .Actor(&UnlockedNotifyCondition::Consumer)
    .Outcome(Equals(kItem), Expect::kAcceptable, "the signal arrived while the consumer waited")
    .Outcome(Otherwise(), Expect::kForbidden, "the consumer took no item")
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kRace | Symptom::kHang);

RACESTRESS_CASE(Primitives, LostWakeupPredicateLoop, PredicateLoopCondition)
    .Actor(&PredicateLoopCondition::Producer)
    .Actor(&PredicateLoopCondition::Consumer)
    .Outcome(Equals(kItem), Expect::kAcceptable, "the consumer took the item")
    .Outcome(Otherwise(), Expect::kForbidden, "the consumer took no item");

}  // namespace racestress::cases
