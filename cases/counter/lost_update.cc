// -----------------------------------------------------------------------------
// cases/counter/lost_update.cc
// -----------------------------------------------------------------------------
//
// Five workers each add 1 to a shared counter 100000 times. `counter += 1` is
// a load, an add and a store: two workers can load the same value, and one
// increment is lost. Expected total: 5 threads x 100000 increments = 500000.
//
// Seed: 001_987c801a944d387b.txt, "Example with Lock" (5 x 100000 = 500000).
// Run:  ctest --preset tsan -R '^Counter\.LostUpdate'

#include <atomic>
#include <cstdint>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kThreads = 5;
constexpr int kIncrements = 100000;
constexpr int64_t kExpectedTotal = int64_t{kThreads} * kIncrements;

// The bug: a read-modify-write with nothing around it.
struct RacyCounter {
  Racy<int64_t> total;

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kIncrements; ++i) total.Store(total.Load() + 1);
  }
  int64_t Result() const { return total.Load(); }
};

// The fix, as the tutorial writes it: `with lock:` is a std::lock_guard.
struct StdMutexCounter {
  std::mutex mu;
  int64_t total = 0;  // guarded by mu (std::mutex carries no annotations)

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kIncrements; ++i) {
      point();
      std::lock_guard<std::mutex> lock(mu);
      total += 1;
    }
  }
  int64_t Result() {
    std::lock_guard<std::mutex> lock(mu);
    return total;
  }
};

// The fix with Abseil's mutex; the annotation makes clang check every access.
struct AbslMutexCounter {
  absl::Mutex mu;
  int64_t total ABSL_GUARDED_BY(mu) = 0;

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kIncrements; ++i) {
      point();
      absl::MutexLock lock(&mu);
      total += 1;
    }
  }
  int64_t Result() {
    absl::MutexLock lock(&mu);
    return total;
  }
};

// The fix without a lock: one indivisible read-modify-write.
struct AtomicCounter {
  std::atomic<int64_t> total{0};

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kIncrements; ++i) {
      point();
      total.fetch_add(1, std::memory_order_relaxed);
    }
  }
  int64_t Result() const { return total.load(std::memory_order_relaxed); }
};

// Python's answer: one global interpreter lock around every step. A thread
// holds it for a switch interval of steps, then lets another run. No race,
// and no parallelism either: bench/counter_throughput.py measures the price.
Mutex global_interpreter_lock;
constexpr int kSwitchInterval = 100;

struct GilCounter {
  int64_t total ABSL_GUARDED_BY(global_interpreter_lock) = 0;

  void Worker(int /*thread_index*/) {
    for (int done = 0; done < kIncrements;) {
      MutexLock gil(global_interpreter_lock);
      for (int step = 0; step < kSwitchInterval && done < kIncrements; ++step, ++done) {
        point();  // one bytecode step; the OS may still preempt the GIL holder
        total += 1;
      }
    }
  }
  int64_t Result() {
    MutexLock gil(global_interpreter_lock);
    return total;
  }
};

}  // namespace

RACESTRESS_CASE(Counter, LostUpdateRacy, RacyCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "no update lost in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "lost update: one worker's increment overwrote another's", Symptom::kLostUpdate)
    .Racy(Symptom::kRace | Symptom::kLostUpdate);

RACESTRESS_CASE(Counter, LostUpdateStdMutex, StdMutexCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update under a mutex",
             Symptom::kLostUpdate);

RACESTRESS_CASE(Counter, LostUpdateAbslMutex, AbslMutexCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update under a mutex",
             Symptom::kLostUpdate);

RACESTRESS_CASE(Counter, LostUpdateGil, GilCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update under the GIL",
             Symptom::kLostUpdate);

RACESTRESS_CASE(Counter, LostUpdateAtomic, AtomicCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update with fetch_add",
             Symptom::kLostUpdate);

}  // namespace racestress::cases
