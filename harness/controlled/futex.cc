// -----------------------------------------------------------------------------
// harness/controlled/futex.cc
// -----------------------------------------------------------------------------
//
// The controlled scheduler's futex (scheduler.h: FutexWait, FutexWake): the
// kernel's wait queue per address, in the scheduler's books. A futex orders
// nothing by itself (the program's atomics on the word do, and TSan sees
// those), so the model announces no happens-before edge.

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "harness/controlled/ignore_scope.h"
#include "harness/controlled/scheduler.h"

namespace racestress::internal {

FutexResult ControlledScheduler::FutexWait(const void* word, uint32_t expected, uint32_t bitset,
                                           bool timed, const char* what) {
  if (running_ < 0) {
    fprintf(stderr, "racestress: a case's state or arbiter waited on a futex (std::latch, "
                    "std::counting_semaphore, std::atomic<T>::wait ...); under the "
                    "controlled engine only actors may wait\n");
    abort();
  }
  Actor& me = actors_[running_];
  IgnoreScope ignore(me.ignore_depth);  // the kernel's look at the word is no program access
  Reschedule(me.index, /*can_continue=*/true);
  // The kernel compares and queues at once; here only this actor runs.
  if (__atomic_load_n(static_cast<const uint32_t*>(word), __ATOMIC_RELAXED) != expected) {
    return FutexResult::kValueChanged;
  }
  AppendTrace(TraceOp::kWait, what, 0, false, 0);
  if (timed) {
    // The timeout may expire at any step: it does after the others had
    // their turn, as for the other timed waits (intercept/blocking_points.cc).
    strategy_.Yielded(me.index);
    Reschedule(me.index, /*can_continue=*/true);
    return FutexResult::kTimedOut;
  }
  FutexWaiter waiter{bitset, false};
  futexes_[word].push_back(&waiter);
  Block(me, [&waiter] { return waiter.woken; }, what, nullptr, what, 0);
  AppendTrace(TraceOp::kWoken, what, 0, false, 0);
  return FutexResult::kWoken;
}

int ControlledScheduler::FutexWake(const void* word, int count, uint32_t bitset,
                                   const char* what) {
  if (running_ < 0) return 0;  // the controller: no actor waits on a fresh state
  Actor& me = actors_[running_];
  IgnoreScope ignore(me.ignore_depth);
  int woken = 0;
  auto queue = futexes_.find(word);
  if (queue != futexes_.end()) {
    std::deque<FutexWaiter*>& waiters = queue->second;
    // Oldest first, those whose bitset matches, as the kernel does.
    for (auto w = waiters.begin(); w != waiters.end() && woken < count;) {
      if (((*w)->bitset & bitset) == 0) {
        ++w;
        continue;
      }
      (*w)->woken = true;
      w = waiters.erase(w);
      ++woken;
    }
    if (waiters.empty()) futexes_.erase(queue);
  }
  AppendTrace(TraceOp::kSignal, what, 0, true, woken);
  Reschedule(me.index, /*can_continue=*/true);
  return woken;
}

}  // namespace racestress::internal
