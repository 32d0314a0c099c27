// -----------------------------------------------------------------------------
// sanitizers/clock_waits_cases.cc
// -----------------------------------------------------------------------------
//
// The clock variants of glibc's timed waits that ThreadSanitizer before LLVM
// 18 cannot see (harness/tsan/clock_waits.h), each used correctly by the
// std:: type that calls it, and each beside a real race: the correct use must
// stay clean (a false "bad unlock" or a missed happens-before edge would flag
// it), and the race next to it must still be reported (the routing must not
// hide anything). Blocking in glibc, these run under the stress engine only.

#include <semaphore.h>
#include <time.h>

#include <chrono>
#include <mutex>
#include <shared_mutex>

#include "harness/case.h"

namespace racestress::clock_waits {
namespace {

using std::chrono::seconds;
constexpr int kRounds = 50;
constexpr char kBlocksInGlibc[] =
    "it blocks in glibc's clock waits, which the controlled engine does not schedule";

// One increment of `count` under `mu`, taken with try_lock_for.
template <typename TimedMutex>
void IncrementUnder(TimedMutex& mu, int& count) {
  while (!mu.try_lock_for(seconds(10))) {
  }
  ++count;
  mu.unlock();
}

// std::timed_mutex::try_lock_for: pthread_mutex_clocklock. `unguarded` is
// touched outside the lock only when `racy`.
template <typename TimedMutex, bool racy>
struct TimedCounter {
  TimedMutex mu;
  int count = 0;       // guarded by mu
  int unguarded = 0;   // the race beside it
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kRounds; ++i) {
      IncrementUnder(mu, count);
      if (racy) ++unguarded;
    }
  }
  int Result() {
    std::lock_guard<TimedMutex> lock(mu);
    return count;
  }
};

// std::shared_timed_mutex: try_lock_shared_for (pthread_rwlock_clockrdlock)
// by the reader, try_lock_for (pthread_rwlock_clockwrlock) by the writer.
template <bool racy>
struct SharedTimedCounter {
  std::shared_timed_mutex mu;
  int count = 0;  // guarded by mu
  int seen = 0;   // the reader's own
  int unguarded = 0;
  void Writer() {
    for (int i = 0; i < kRounds; ++i) {
      IncrementUnder(mu, count);
      if (racy) ++unguarded;
    }
  }
  void Reader() {
    for (int i = 0; i < kRounds; ++i) {
      while (!mu.try_lock_shared_for(seconds(10))) {
      }
      seen = count;
      mu.unlock_shared();
      if (racy) ++unguarded;
    }
  }
  int Result() { return count; }
};

// sem_clockwait: the poster's write happens before the waiter's read.
template <bool racy>
struct SemaphoreHandOff {
  sem_t sem;
  int message = 0;
  int read = -1;
  SemaphoreHandOff() { sem_init(&sem, 0, 0); }
  ~SemaphoreHandOff() { sem_destroy(&sem); }
  void Poster() {
    message = 42;
    sem_post(&sem);
  }
  void Waiter() {
    if (racy) read = message;  // before the wait: races with the write
    timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += 10;
    while (sem_clockwait(&sem, CLOCK_MONOTONIC, &deadline) != 0) {
    }
    if (!racy) read = message;
  }
  int Result() const { return racy ? 42 : read; }
};

using TimedMutexCounter = TimedCounter<std::timed_mutex, false>;
using TimedMutexRacyCounter = TimedCounter<std::timed_mutex, true>;
using RecursiveTimedMutexCounter = TimedCounter<std::recursive_timed_mutex, false>;

}  // namespace

RACESTRESS_CASE(ClockWaits, TimedMutexTryLockFor, TimedMutexCounter)
    .Threads(2)
    .Iterations(1000)
    .Uncontrolled(kBlocksInGlibc)
    .Outcome(Equals(2 * kRounds), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

RACESTRESS_CASE(ClockWaits, TimedMutexWithARaceBeside, TimedMutexRacyCounter)
    .Threads(2)
    .Uncontrolled(kBlocksInGlibc)
    .Racy(Symptom::kRace);

RACESTRESS_CASE(ClockWaits, RecursiveTimedMutexTryLockFor, RecursiveTimedMutexCounter)
    .Threads(2)
    .Iterations(1000)
    .Uncontrolled(kBlocksInGlibc)
    .Outcome(Equals(2 * kRounds), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

RACESTRESS_CASE(ClockWaits, SharedTimedMutexTryLockFor, SharedTimedCounter<false>)
    .Actor(&SharedTimedCounter<false>::Writer)
    .Actor(&SharedTimedCounter<false>::Reader)
    .Iterations(1000)
    .Uncontrolled(kBlocksInGlibc)
    .Outcome(Equals(kRounds), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

RACESTRESS_CASE(ClockWaits, SharedTimedMutexWithARaceBeside, SharedTimedCounter<true>)
    .Actor(&SharedTimedCounter<true>::Writer)
    .Actor(&SharedTimedCounter<true>::Reader)
    .Uncontrolled(kBlocksInGlibc)
    .Racy(Symptom::kRace);

RACESTRESS_CASE(ClockWaits, SemClockwaitHandsOff, SemaphoreHandOff<false>)
    .Actor(&SemaphoreHandOff<false>::Poster)
    .Actor(&SemaphoreHandOff<false>::Waiter)
    .Iterations(1000)
    .Uncontrolled(kBlocksInGlibc)
    .Outcome(Equals(42), Expect::kAcceptable, "the waiter read the posted message")
    .Outcome(Otherwise(), Expect::kForbidden, "the waiter read before the post");

RACESTRESS_CASE(ClockWaits, SemClockwaitWithARaceBeside, SemaphoreHandOff<true>)
    .Actor(&SemaphoreHandOff<true>::Poster)
    .Actor(&SemaphoreHandOff<true>::Waiter)
    .Uncontrolled(kBlocksInGlibc)
    .Racy(Symptom::kRace);

}  // namespace racestress::clock_waits
