// -----------------------------------------------------------------------------
// cases/queue/producer_consumer.cc
// -----------------------------------------------------------------------------
//
// `queue.Queue` in C++: 2 producers put 8 numbered items each, 2 consumers take
// 8 each. Expected: 2 x 8 = 16 items, each consumed exactly once, each producer's
// in FIFO order. A ring buffer with plain head and tail indices loses items (two
// puts fill one slot) and duplicates them (two takes read one); a consumer that
// finds it empty once both producers are done gives up, and what it never
// took is lost.
//
// Seed: 002_6d8f4c7edb4bab55.txt, "Extra Tools" (queue.Queue, a safe way to share data).
// Run:  ctest --preset tsan -R '^Queue\.'

#include <array>
#include <atomic>
#include <deque>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kProducers = 2;
constexpr int kConsumers = 2;
constexpr int kItemsPerProducer = 8;
constexpr int kItems = kProducers * kItemsPerProducer;
constexpr int kQuota = kItems / kConsumers;  // what each consumer takes
constexpr int kCapacity = 4;                 // the blocking queue's bound
constexpr char kEveryItemOnceInOrder[] = "lost 0, duplicated 0, reordered 0";

// What each consumer took, in order; each its own. Actors are numbered
// producers first, so consumer c is actor kProducers + c.
using Taken = std::array<std::vector<int>, kConsumers>;

// Item `seq` of `producer`: one number, unique across producers.
int Item(int producer, int seq) { return producer * kItemsPerProducer + seq; }

// Counts the items never taken, taken more than once, or taken out of FIFO
// order (a consumer seeing one producer's items not in increasing order).
std::string Audit(const Taken& taken) {
  std::array<int, kItems> times = {};
  int reordered = 0;
  for (const std::vector<int>& items : taken) {
    std::array<int, kProducers> last_seq;
    last_seq.fill(-1);
    for (int item : items) {
      ++times[item];
      const int producer = item / kItemsPerProducer, seq = item % kItemsPerProducer;
      if (seq <= last_seq[producer]) ++reordered;
      last_seq[producer] = seq;
    }
  }
  int lost = 0, duplicated = 0;
  for (int n : times) {
    if (n == 0) ++lost;
    if (n > 1) duplicated += n - 1;
  }
  return absl::StrCat("lost ", lost, ", duplicated ", duplicated, ", reordered ", reordered);
}

// The bug: a ring buffer whose indices are plain shared ints.
struct UnlockedRing {
  std::array<Racy<int>, kItems> slots;  // room for every item; an index never passes kItems
  Racy<int> head, tail;
  // Bookkeeping, not part of the ring: lets a consumer stop polling once
  // nothing more can arrive (an atomic, so it adds no race of its own).
  std::atomic<int> producers_done{0};
  Taken taken;

  void Producer(int producer) {
    for (int seq = 0; seq < kItemsPerProducer; ++seq) {
      const int t = tail.Load();
      slots[t % kItems].Store(Item(producer, seq));
      tail.Store(t + 1);
    }
    producers_done.fetch_add(1, std::memory_order_release);
  }
  void Consumer(int actor) {
    std::vector<int>& mine = taken[actor - kProducers];
    while (mine.size() < kQuota) {
      // Read before looking at the ring: every put counted here is visible.
      const bool puts_done = producers_done.load(std::memory_order_acquire) == kProducers;
      const int h = head.Load();
      if (h < tail.Load()) {
        mine.push_back(slots[h % kItems].Load());
        head.Store(h + 1);
      } else if (puts_done) {
        return;  // empty for good: what this consumer never took is lost
      } else {
        yield();  // racestress::yield: the controlled engine lets the producers run
      }
    }
  }
  std::string Result() const { return Audit(taken); }
};

// The fix: a bounded blocking queue; Put waits while it is full, Take while empty.
struct CondVarQueue {
  Mutex mu;
  std::deque<int> items ABSL_GUARDED_BY(mu);
  CondVar not_empty;
  CondVar not_full;
  Taken taken;

  void Put(int item) {
    MutexLock lock(mu);
    while (items.size() >= kCapacity) not_full.Wait(mu);
    items.push_back(item);
    not_empty.Signal();
  }
  int Take() {
    MutexLock lock(mu);
    while (items.empty()) not_empty.Wait(mu);
    const int item = items.front();
    items.pop_front();
    not_full.Signal();
    return item;
  }
  void Producer(int producer) {
    for (int seq = 0; seq < kItemsPerProducer; ++seq) {
      point();
      Put(Item(producer, seq));
    }
  }
  void Consumer(int actor) {
    std::vector<int>& mine = taken[actor - kProducers];
    for (int i = 0; i < kQuota; ++i) {
      point();
      mine.push_back(Take());
    }
  }
  std::string Result() const { return Audit(taken); }
};

}  // namespace

RACESTRESS_CASE(Queue, LostItemUnlockedRing, UnlockedRing)
    .Actor(&UnlockedRing::Producer, kProducers)
    .Actor(&UnlockedRing::Consumer, kConsumers)
    .Outcome(Equals(std::string(kEveryItemOnceInOrder)), Expect::kAcceptable,
             "every item consumed once, in order, in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "items lost or duplicated: two actors claimed the same slot")
    .Racy(Symptom::kRace | Symptom::kForbidden);

RACESTRESS_CASE(Queue, LostItemCondVar, CondVarQueue)
    .Actor(&CondVarQueue::Producer, kProducers)
    .Actor(&CondVarQueue::Consumer, kConsumers)
    .Outcome(Equals(std::string(kEveryItemOnceInOrder)), Expect::kAcceptable,
             "every item consumed exactly once, FIFO per producer")
    .Outcome(Otherwise(), Expect::kForbidden, "an item lost, duplicated or reordered by the queue");

}  // namespace racestress::cases
