// -----------------------------------------------------------------------------
// harness/tests/futex_test.cc
// -----------------------------------------------------------------------------
//
// The primitives libstdc++ 12 builds on futex calls through syscall()
// (intercept/futex.cc), as real code uses them: a latch start gate, a
// binary-semaphore hand-off, an atomic wait/notify hand-off, a barrier
// between phases, a promise/future hand-off (its wait is in libstdc++.so),
// a std::jthread worker stopped through its std::stop_token. Under the
// controlled engine, every strategy: the correct usages run to their end and
// are never flagged, and a misuse of each (the work published after the
// gate, not before) is flagged.

#include <atomic>
#include <barrier>
#include <future>
#include <latch>
#include <semaphore>
#include <stop_token>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/runner/controlled_test_support.h"
#include "harness/runner/supervisor.h"

namespace racestress::internal {
namespace {

// Each actor publishes its slot, passes a gate, then reads the other's.
// `kLate` publishes after the gate: the misuse.
enum class Order { kBeforeGate, kLate };

template <Order order>
struct LatchStartGate {
  std::latch gate{2};
  int slot[2] = {0, 0};
  int seen[2] = {0, 0};
  void Worker(int i) {
    if (order == Order::kBeforeGate) slot[i] = 1;
    gate.arrive_and_wait();
    if (order == Order::kLate) slot[i] = 1;
    seen[i] = slot[1 - i];
  }
  std::string Result() const { return absl::StrCat("saw ", seen[0], " and ", seen[1]); }
};

template <Order order>
struct BarrierPhases {
  std::barrier<> phase{2};
  int slot[2] = {0, 0};
  int seen[2] = {0, 0};
  void Worker(int i) {
    if (order == Order::kBeforeGate) slot[i] = 1;
    phase.arrive_and_wait();
    if (order == Order::kLate) slot[i] = 1;
    seen[i] = slot[1 - i];
    phase.arrive_and_wait();  // a second phase: the barrier is reused
  }
  std::string Result() const { return absl::StrCat("saw ", seen[0], " and ", seen[1]); }
};

// Actor 0 hands a value to actor 1, which waits for it.
template <Order order>
struct SemaphoreHandOff {
  std::binary_semaphore ready{0};
  int value = 0;
  int seen = 0;
  void Worker(int i) {
    if (i == 0) {
      if (order == Order::kBeforeGate) value = 42;
      ready.release();
      if (order == Order::kLate) value = 42;
    } else {
      ready.acquire();
      seen = value;
    }
  }
  std::string Result() const { return absl::StrCat("saw ", seen); }
};

template <Order order>
struct AtomicWaitHandOff {
  std::atomic<int> flag{0};
  int value = 0;
  int seen = 0;
  void Worker(int i) {
    if (i == 0) {
      if (order == Order::kBeforeGate) value = 42;
      flag.store(1, std::memory_order_release);
      flag.notify_one();
      if (order == Order::kLate) value = 42;
    } else {
      flag.wait(0, std::memory_order_acquire);
      seen = value;
    }
  }
  std::string Result() const { return absl::StrCat("saw ", seen); }
};

template <Order order>
struct FutureHandOff {
  std::promise<int> promise;
  std::future<int> future = promise.get_future();
  int value = 0;
  int seen = 0;
  void Worker(int i) {
    if (i == 0) {
      if (order == Order::kBeforeGate) value = 42;
      promise.set_value(1);
      if (order == Order::kLate) value = 42;
    } else {
      seen = future.get() * value;
    }
  }
  std::string Result() const { return absl::StrCat("saw ", seen); }
};

// One actor starts a worker that counts until it is asked to stop, then
// stops it and reads the count; the misuse reads before the stop's join.
template <Order order>
struct JThreadWorker {
  int rounds = 0;  // the worker's, read after the join
  int seen = -1;
  void Worker() {
    std::jthread worker([this](std::stop_token stop) {
      while (!stop.stop_requested()) {
        ++rounds;
        std::this_thread::yield();
      }
      rounds = -1000;  // its last word
    });
    if (order == Order::kLate) seen = rounds < 0 ? 1 : 0;
    worker.request_stop();
    worker.join();
    if (order == Order::kBeforeGate) seen = rounds < 0 ? 1 : 0;
  }
  std::string Result() const { return absl::StrCat("saw ", seen); }
};

// Each usage as a clean case `name` and its misuse `name`Late.
template <template <Order> class Usage>
bool RegisterUsage(const char* name, const char* late_name, int actors, const char* expected) {
  RegisterCase<Usage<Order::kBeforeGate>>("FutexFixture", name, __FILE__, __LINE__)
      .Threads(actors)
      .Outcome(Equals(std::string(expected)), Expect::kAcceptable, "published, then seen")
      .Outcome(Otherwise(), Expect::kForbidden, "the gate let a reader past too early");
  RegisterCase<Usage<Order::kLate>>("FutexFixture", late_name, __FILE__, __LINE__)
      .Threads(actors)
      .Outcome(Equals(std::string(expected)), Expect::kAcceptable, "published, then seen")
      .Outcome(Otherwise(), Expect::kForbidden, "read before it was published")
      .Racy(Symptom::kRace | Symptom::kForbidden);
  return true;
}

[[maybe_unused]] const bool registered =
    RegisterUsage<LatchStartGate>("LatchStartGate", "LatchStartGateLate", 2, "saw 1 and 1") &&
    RegisterUsage<BarrierPhases>("BarrierPhases", "BarrierPhasesLate", 2, "saw 1 and 1") &&
    RegisterUsage<SemaphoreHandOff>("SemaphoreHandOff", "SemaphoreHandOffLate", 2, "saw 42") &&
    RegisterUsage<AtomicWaitHandOff>("AtomicWaitHandOff", "AtomicWaitHandOffLate", 2,
                                     "saw 42") &&
    RegisterUsage<FutureHandOff>("FutureHandOff", "FutureHandOffLate", 2, "saw 42") &&
    RegisterUsage<JThreadWorker>("JThreadWorker", "JThreadWorkerLate", 1, "saw 1");

constexpr const char* kUsages[] = {"LatchStartGate", "BarrierPhases",  "SemaphoreHandOff",
                                   "AtomicWaitHandOff", "FutureHandOff", "JThreadWorker"};
constexpr const char* kStrategies[] = {"random", "pct", "dfs"};

const CaseBase& Case(const std::string& name) {
  const CaseBase* c = FindCase("FutexFixture." + name);
  EXPECT_NE(c, nullptr) << name;
  return *c;
}

TEST(Futex, CorrectUsagesAreNeverFlaggedUnderEveryStrategy) {
  for (const char* usage : kUsages) {
    for (const char* strategy : kStrategies) {
      const CaseRun run = RunSupervised(Case(usage), Controlled(strategy, 300));
      EXPECT_TRUE(run.finished) << usage << " " << strategy << ": " << Describe(run);
      EXPECT_TRUE(run.findings.empty()) << usage << " " << strategy << ": " << Describe(run);
      // dfs may explore every schedule within its bound in fewer.
      if (std::string(strategy) == "dfs") {
        EXPECT_GT(run.iterations, 0) << usage << " dfs: " << Describe(run);
      } else {
        EXPECT_EQ(run.iterations, 300) << usage << " " << strategy << ": " << Describe(run);
      }
    }
  }
}

TEST(Futex, MisusesAreFlaggedUnderEveryStrategy) {
  for (const char* usage : kUsages) {
    for (const char* strategy : kStrategies) {
      const CaseRun run =
          RunSupervised(Case(absl::StrCat(usage, "Late")), Controlled(strategy, 1000));
      bool flagged = false;
      for (const Finding& f : run.findings) {
        flagged |= f.kind == Symptom::kRace || f.kind == Symptom::kForbidden;
      }
      EXPECT_TRUE(flagged) << usage << "Late " << strategy << ": " << Describe(run);
    }
  }
}

}  // namespace
}  // namespace racestress::internal
