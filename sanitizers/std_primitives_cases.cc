// -----------------------------------------------------------------------------
// sanitizers/std_primitives_cases.cc
// -----------------------------------------------------------------------------
//
// The false-positive corpus: correct code for each std:: synchronization
// primitive, as a user writes it, run under the stress engine in the tsan and
// stress presets. Each is clean: a report on any of them is a false report of
// racestress or TSan, to be fixed at its cause. Each hands a plain int from
// one actor to another (or counts under a lock), so a primitive whose
// happens-before edge TSan missed would show as a data race, and one that
// failed to exclude as a lost update. They block in libstdc++ and glibc, so
// the controlled engine does not run them yet.

#include <atomic>
#include <barrier>
#include <condition_variable>
#include <future>
#include <latch>
#include <mutex>
#include <semaphore>
#include <shared_mutex>
#include <stop_token>
#include <thread>

#include "harness/case.h"

namespace racestress::std_corpus {
namespace {

constexpr int kRounds = 20;
constexpr char kBlocksInLibstdcxx[] =
    "it blocks in libstdc++ and glibc, which the controlled engine does not schedule yet";

// A counter under each kind of exclusive lock.
template <typename Mutex>
struct LockedCounter {
  Mutex mu;
  int count = 0;  // guarded by mu
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kRounds; ++i) {
      std::lock_guard<Mutex> lock(mu);
      ++count;
    }
  }
  int Result() {
    std::lock_guard<Mutex> lock(mu);
    return count;
  }
};

// std::recursive_mutex, taken twice by its owner.
struct RecursiveCounter {
  std::recursive_mutex mu;
  int count = 0;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kRounds; ++i) {
      std::lock_guard<std::recursive_mutex> outer(mu);
      std::lock_guard<std::recursive_mutex> inner(mu);
      ++count;
    }
  }
  int Result() { return count; }
};

// std::shared_mutex: writers exclusive, a reader shared.
struct SharedCounter {
  std::shared_mutex mu;
  int count = 0;
  int seen = 0;
  void Writer() {
    for (int i = 0; i < kRounds; ++i) {
      std::unique_lock<std::shared_mutex> lock(mu);
      ++count;
    }
  }
  void Reader() {
    for (int i = 0; i < kRounds; ++i) {
      std::shared_lock<std::shared_mutex> lock(mu);
      seen = count;
    }
  }
  int Result() { return count; }
};

// A spin lock on std::atomic_flag (test_and_set acquire, clear release).
struct SpinCounter {
  std::atomic_flag locked = ATOMIC_FLAG_INIT;
  int count = 0;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kRounds; ++i) {
      while (locked.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
      ++count;
      locked.clear(std::memory_order_release);
    }
  }
  int Result() { return count; }
};

// A message handed from the producer to the consumer by `Signal` and `Wait`,
// which each primitive implements.
template <typename HandOff>
struct Handed : HandOff {
  int message = 0;
  int read = -1;
  void Producer() {
    message = 42;
    this->Signal();
  }
  void Consumer() {
    this->Wait();
    read = message;
  }
  int Result() const { return read; }
};

// std::condition_variable, or condition_variable_any over the same mutex.
template <typename CondVar>
struct ByCondVar {
  std::mutex mu;
  CondVar cv;
  bool ready = false;
  void Signal() {
    {
      std::lock_guard<std::mutex> lock(mu);
      ready = true;
    }
    cv.notify_one();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return ready; });
  }
};
using ByConditionVariable = ByCondVar<std::condition_variable>;
using ByConditionVariableAny = ByCondVar<std::condition_variable_any>;

struct ByBinarySemaphore {
  std::binary_semaphore sem{0};
  void Signal() { sem.release(); }
  void Wait() { sem.acquire(); }
};

struct ByCountingSemaphore {
  std::counting_semaphore<4> sem{0};
  void Signal() { sem.release(); }
  void Wait() { sem.acquire(); }
};

struct ByLatch {
  std::latch done{1};
  void Signal() { done.count_down(); }
  void Wait() { done.wait(); }
};

struct ByAtomicWait {
  std::atomic<int> flag{0};
  void Signal() {
    flag.store(1, std::memory_order_release);
    flag.notify_one();
  }
  void Wait() { flag.wait(0, std::memory_order_acquire); }
};

struct ByPromise {
  std::promise<void> promise;
  std::future<void> future = promise.get_future();
  void Signal() { promise.set_value(); }
  void Wait() { future.wait(); }
};

// std::call_once: whichever actor runs the initializer, both see its write.
struct OnceInitialized {
  std::once_flag once;
  int value = 0;
  int seen[2] = {-1, -1};
  void Worker(int thread_index) {
    std::call_once(once, [this] { value = 42; });
    seen[thread_index] = value;
  }
  int Result() const { return seen[0] * 100 + seen[1]; }
};

// std::barrier: each of two actors writes its slot, then reads the other's.
struct BarrierExchange {
  std::barrier<> sync{2};
  int slot[2] = {0, 0};
  int read[2] = {-1, -1};
  void Worker(int thread_index) {
    slot[thread_index] = thread_index + 1;
    sync.arrive_and_wait();
    read[thread_index] = slot[1 - thread_index];
  }
  int Result() const { return read[0] * 10 + read[1]; }
};

// std::async's result, and std::jthread stopped through its stop_token with a
// condition_variable_any waiting on it: one actor, threads of its own.
struct AsyncAndJthread {
  int result = 0;
  void Run() {
    int computed = 0;
    std::future<void> f = std::async(std::launch::async, [&computed] { computed = 7; });
    f.get();
    std::mutex mu;
    std::condition_variable_any cv;
    int woken = 0;
    {
      std::jthread worker([&](std::stop_token stop) {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, stop, [] { return false; });
        woken = 1;
      });
    }  // ~jthread: request_stop(), then join
    result = computed * 10 + woken;
  }
  int Result() const { return result; }
};

using Mutexes = LockedCounter<std::mutex>;
using TimedMutexes = LockedCounter<std::timed_mutex>;

}  // namespace

#define RACESTRESS_CORPUS_COUNTER(name, State)                                           \
  RACESTRESS_CASE(StdCorpus, name, State)                                                \
      .Threads(2)                                                                        \
      .Iterations(1000)                                                                  \
      .Uncontrolled(kBlocksInLibstdcxx)                                                  \
      .Outcome(Equals(2 * kRounds), Expect::kAcceptable, "every increment counted")      \
      .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate)

RACESTRESS_CORPUS_COUNTER(Mutex, Mutexes);
RACESTRESS_CORPUS_COUNTER(TimedMutexLock, TimedMutexes);
RACESTRESS_CORPUS_COUNTER(RecursiveMutex, RecursiveCounter);
RACESTRESS_CORPUS_COUNTER(AtomicFlagSpinLock, SpinCounter);

RACESTRESS_CASE(StdCorpus, SharedMutex, SharedCounter)
    .Actor(&SharedCounter::Writer, 2)
    .Actor(&SharedCounter::Reader)
    .Iterations(1000)
    .Uncontrolled(kBlocksInLibstdcxx)
    .Outcome(Equals(2 * kRounds), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

#define RACESTRESS_CORPUS_HAND_OFF(name, HandOff)                                  \
  RACESTRESS_CASE(StdCorpus, name, Handed<HandOff>)                                \
      .Actor(&Handed<HandOff>::Producer)                                           \
      .Actor(&Handed<HandOff>::Consumer)                                           \
      .Iterations(1000)                                                            \
      .Uncontrolled(kBlocksInLibstdcxx)                                            \
      .Outcome(Equals(42), Expect::kAcceptable, "the consumer read the message")   \
      .Outcome(Otherwise(), Expect::kForbidden, "the consumer read before the hand-off")

RACESTRESS_CORPUS_HAND_OFF(ConditionVariable, ByConditionVariable);
RACESTRESS_CORPUS_HAND_OFF(ConditionVariableAny, ByConditionVariableAny);
RACESTRESS_CORPUS_HAND_OFF(BinarySemaphore, ByBinarySemaphore);
RACESTRESS_CORPUS_HAND_OFF(CountingSemaphore, ByCountingSemaphore);
RACESTRESS_CORPUS_HAND_OFF(Latch, ByLatch);
RACESTRESS_CORPUS_HAND_OFF(AtomicWaitNotify, ByAtomicWait);
RACESTRESS_CORPUS_HAND_OFF(PromiseFuture, ByPromise);

RACESTRESS_CASE(StdCorpus, CallOnce, OnceInitialized)
    .Threads(2)
    .Iterations(1000)
    .Uncontrolled(kBlocksInLibstdcxx)
    .Outcome(Equals(4242), Expect::kAcceptable, "both actors saw the initializer's write")
    .Outcome(Otherwise(), Expect::kForbidden, "an actor read before initialization");

RACESTRESS_CASE(StdCorpus, Barrier, BarrierExchange)
    .Threads(2)
    .Iterations(1000)
    .Uncontrolled(kBlocksInLibstdcxx)
    .Outcome(Equals(21), Expect::kAcceptable, "each actor read the other's slot")
    .Outcome(Otherwise(), Expect::kForbidden, "an actor read past the barrier too early");

RACESTRESS_CASE(StdCorpus, AsyncAndJthreadStopToken, AsyncAndJthread)
    .Actor(&AsyncAndJthread::Run)
    .Iterations(1000)
    .Uncontrolled(kBlocksInLibstdcxx)
    .Outcome(Equals(71), Expect::kAcceptable, "async's result, and the jthread stopped")
    .Outcome(Otherwise(), Expect::kForbidden, "a result was lost");

}  // namespace racestress::std_corpus
