// -----------------------------------------------------------------------------
// harness/runner/controlled_engine_test.cc
// -----------------------------------------------------------------------------
//
// The controlled engine, on fixture cases run in child processes (so that a
// TSan report in one test is not deduplicated away in the next):
//  * the guard: under TSan the unlocked counter is reported in the first
//    schedule, and counters and hand-offs synchronized through the harness's
//    primitives (and std::mutex, std::atomic) never are;
//  * a lost update is found by construction (pct, random) and never by a
//    schedule without preemptions (pct with d = 1);
//  * a deadlock is reported with its wait-for cycle the moment it happens;
//  * dfs says when it has explored every schedule;
//  * the same seed gives the same schedule, trace and all.
//
// The fixtures are registered, so the child (a re-exec of this binary) can
// find them; each also passes when run as an ordinary stress test.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/runner/flags.h"
#include "harness/runner/protocol.h"
#include "harness/runner/supervisor.h"
#include "harness/runner/test_support.h"
#include "harness/runner/controlled_test_support.h"
#include "harness/tsan/tsan_reports.h"
#include "harness/semaphore.h"

namespace racestress::internal {
namespace {

using ::testing::AnyOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

// -----------------------------------------------------------------------------
// Fixtures

// The bug: two actors each do one read-then-write increment.
struct UnlockedPair {
  Racy<int> total;
  void Worker(int /*thread_index*/) { total.Store(total.Load() + 1); }
  int Result() const { return total.Load(); }
};

struct MutexPair {
  Mutex mu;
  int total ABSL_GUARDED_BY(mu) = 0;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < 3; ++i) {
      MutexLock lock(mu);
      const int seen = total;
      point();  // a preemption inside the critical section changes nothing
      total = seen + 1;
    }
  }
  int Result() {
    MutexLock lock(mu);
    return total;
  }
};

struct StdMutexPair {
  std::mutex mu;
  int total = 0;  // guarded by mu
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < 3; ++i) {
      point();  // never inside the std::mutex: the scheduler does not own it
      std::lock_guard<std::mutex> lock(mu);
      total += 1;
    }
  }
  int Result() {
    std::lock_guard<std::mutex> lock(mu);
    return total;
  }
};

struct AtomicPair {
  Atomic<int> total;
  void Worker(int /*thread_index*/) { total.FetchAdd(1); }
  int Result() const { return total.Load(); }
};

// Separately atomic load and store: no data race, but an increment can be
// lost; which outcome a schedule gives depends only on the interleaving.
struct AtomicLoadStorePair {
  Atomic<int> total;
  void Worker(int /*thread_index*/) { total.Store(total.Load() + 1); }
  int Result() const { return total.Load(); }
};

// A payload published before Notify() and read after the wait.
struct NotificationHandOff {
  int payload = 0;
  Notification ready;
  int seen = 0;
  void Writer() {
    payload = 42;
    ready.Notify();
  }
  void Reader() {
    ready.WaitForNotification();
    seen = payload;
  }
  int Result() const { return seen; }
};

// The same through a condition variable with a predicate loop.
struct CondVarHandOff {
  Mutex mu;
  CondVar put;
  bool has_item ABSL_GUARDED_BY(mu) = false;
  int item ABSL_GUARDED_BY(mu) = 0;
  int seen = 0;
  void Producer() {
    MutexLock lock(mu);
    item = 42;
    has_item = true;
    put.Signal();
  }
  void Consumer() {
    MutexLock lock(mu);
    while (!has_item) put.Wait(mu);
    seen = item;
  }
  int Result() const { return seen; }
};

// Three actors, one permit: never two inside at once.
struct OnePermit {
  Semaphore permit{1};
  Atomic<int> inside;
  Atomic<int> peak;
  void Worker(int /*thread_index*/) {
    permit.Acquire();
    const int now = inside.FetchAdd(1) + 1;
    if (now > peak.Load()) peak.Store(now);
    inside.FetchAdd(-1);
    permit.Release();
  }
  int Result() const { return peak.Load(); }
};

// The bug: opposite lock orders.
struct OppositeOrder {
  Mutex a, b;
  void AToB() {
    MutexLock first(a);
    MutexLock second(b);
  }
  void BToA() {
    MutexLock first(b);
    MutexLock second(a);
  }
};

// A thread started and joined: its write is the joiner's to read after.
struct StartJoinHandOff {
  int payload = 0;  // the thread's until Join(), then the actor's
  int seen = 0;
  void Main() {
    Thread writer([this] { payload = 42; });
    point();
    writer.Join();
    seen = payload;
  }
  int Result() const { return seen; }
};

// The bug: the actor reads what its thread writes before joining it.
struct ReadBeforeJoin {
  Racy<int> payload;
  int seen = 0;
  void Main() {
    Thread writer([this] { payload.Store(42); });
    seen = payload.Load();
    writer.Join();
  }
  int Result() const { return seen; }
};

// The bug: joins a thread that waits for a notification nobody sends.
struct JoinAStuckThread {
  Notification never;
  void Main() {
    Thread waiter([this] { never.WaitForNotification(); });
    waiter.Join();
  }
};

// Correct, but holds a std::mutex across a scheduling point: the scheduler
// could switch to an actor that then blocks in a mutex it cannot see.
struct StdMutexAcrossAPoint {
  std::mutex mu;
  int total = 0;  // guarded by mu
  void Worker(int /*thread_index*/) {
    std::lock_guard<std::mutex> lock(mu);
    point();
    total += 1;
  }
  int Result() const { return total; }
};

// The bug: waits for a flag nobody sets, without blocking.
struct SpinForever {
  Racy<bool> flag;
  void Worker(int /*thread_index*/) {
    while (!flag.Load()) {
    }
  }
};

}  // namespace

RACESTRESS_CASE(ControlledFixture, StartJoinHandOff, StartJoinHandOff)
    .Actor(&StartJoinHandOff::Main)
    .Outcome(Equals(42), Expect::kAcceptable, "read after join")
    .Outcome(Otherwise(), Expect::kForbidden, "read a value the thread had not written");

RACESTRESS_CASE(ControlledFixture, ReadBeforeJoin, ReadBeforeJoin)
    .Actor(&ReadBeforeJoin::Main)
    .Outcome(Equals(42), Expect::kAcceptable, "the thread wrote first")
    .Outcome(Equals(0), Expect::kInteresting, "read before the thread wrote")
    .Racy(Symptom::kRace);

RACESTRESS_CASE(ControlledFixture, JoinAStuckThread, JoinAStuckThread)
    .Actor(&JoinAStuckThread::Main)
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kHang);

// CTest ControlledEngine.SkipsUncontrolledCases runs it under the controlled
// engine and expects the skip with this reason.
RACESTRESS_CASE(ControlledFixture, StdMutexAcrossAPoint, StdMutexAcrossAPoint)
    .Uncontrolled("it holds a std::mutex across a scheduling point")
    .Threads(2)
    .Outcome(Equals(2), Expect::kAcceptable, "both increments counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost");

RACESTRESS_CASE(ControlledFixture, SpinForever, SpinForever)
    .Threads(1)
    .HangTimeout(absl::Milliseconds(500))
    .Racy(Symptom::kHang);

RACESTRESS_CASE(ControlledFixture, UnlockedPair, UnlockedPair)
    .Threads(2)
    .Outcome(Equals(2), Expect::kAcceptable, "both increments counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate)
    .Racy(Symptom::kRace | Symptom::kLostUpdate);

RACESTRESS_CASE(ControlledFixture, MutexPair, MutexPair)
    .Threads(2)
    .Outcome(Equals(6), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

RACESTRESS_CASE(ControlledFixture, StdMutexPair, StdMutexPair)
    .Threads(2)
    .Outcome(Equals(6), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

RACESTRESS_CASE(ControlledFixture, AtomicPair, AtomicPair)
    .Threads(2)
    .Outcome(Equals(2), Expect::kAcceptable, "both increments counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate);

RACESTRESS_CASE(ControlledFixture, AtomicLoadStorePair, AtomicLoadStorePair)
    .Threads(2)
    .Outcome(Equals(2), Expect::kAcceptable, "both increments counted")
    .Outcome(Equals(1), Expect::kInteresting, "an increment was lost between load and store");

// The same lost increment, without a data race, graded as the bug it is.
RACESTRESS_CASE(ControlledFixture, AtomicLostIncrement, AtomicLoadStorePair)
    .Threads(2)
    .Outcome(Equals(2), Expect::kAcceptable, "both increments counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost", Symptom::kLostUpdate)
    .Racy(Symptom::kLostUpdate);

RACESTRESS_CASE(ControlledFixture, NotificationHandOff, NotificationHandOff)
    .Actor(&NotificationHandOff::Writer)
    .Actor(&NotificationHandOff::Reader)
    .Outcome(Equals(42), Expect::kAcceptable, "the reader saw the payload")
    .Outcome(Otherwise(), Expect::kForbidden, "the reader missed the payload");

RACESTRESS_CASE(ControlledFixture, CondVarHandOff, CondVarHandOff)
    .Actor(&CondVarHandOff::Producer)
    .Actor(&CondVarHandOff::Consumer)
    .Outcome(Equals(42), Expect::kAcceptable, "the consumer took the item")
    .Outcome(Otherwise(), Expect::kForbidden, "the consumer took no item");

RACESTRESS_CASE(ControlledFixture, OnePermit, OnePermit)
    .Threads(3)
    .Outcome(Equals(1), Expect::kAcceptable, "one actor inside at a time")
    .Outcome(Otherwise(), Expect::kForbidden, "two actors inside at once");

RACESTRESS_CASE(ControlledFixture, OppositeOrder, OppositeOrder)
    .Actor(&OppositeOrder::AToB)
    .Actor(&OppositeOrder::BToA)
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kRace | Symptom::kHang);

namespace {

// -----------------------------------------------------------------------------
// The guard: TSan sees through the scheduler's hand-offs, and the primitives'
// own synchronization.

TEST(ControlledEngine, UnlockedCounterIsFlaggedInTheFirstSchedule) {
  // The case stops at its first finding of a declared symptom.
  const CaseRun run = RunSupervised(Fixture("UnlockedPair"), Controlled("random", 1000));
  ASSERT_TRUE(run.finished) << Describe(run);
  if (kTsanEnabled) {
    // No happens-before edge between the actors, whatever the order.
    const std::vector<Finding> races = FindingsOf(run, Symptom::kRace);
    ASSERT_FALSE(races.empty()) << Describe(run);
    EXPECT_EQ(races[0].iteration, 0);
    EXPECT_EQ(races[0].tsan_kind, TsanKind::kDataRace);
    EXPECT_THAT(races[0].detail, HasSubstr("data race"));
  } else {
    const std::vector<Finding> lost = FindingsOf(run, Symptom::kLostUpdate);
    ASSERT_FALSE(lost.empty()) << Describe(run);
    EXPECT_THAT(lost[0].detail, HasSubstr("1, graded forbidden"));
  }
}

class SynchronizedFixture : public testing::TestWithParam<const char*> {};

TEST_P(SynchronizedFixture, IsNeverFlaggedInAnySchedule) {
  for (const char* strategy : {"random", "pct"}) {
    const CaseRun run = RunSupervised(Fixture(GetParam()), Controlled(strategy, 300));
    EXPECT_TRUE(run.finished) << strategy << ": " << Describe(run);
    EXPECT_TRUE(run.findings.empty()) << strategy << ": " << Describe(run);
    EXPECT_EQ(run.iterations, 300) << strategy;
  }
}

INSTANTIATE_TEST_SUITE_P(Primitives, SynchronizedFixture,
                         testing::Values("MutexPair", "StdMutexPair", "AtomicPair",
                                         "NotificationHandOff", "CondVarHandOff", "OnePermit",
                                         "StartJoinHandOff"));

// -----------------------------------------------------------------------------
// Strategies

TEST(ControlledEngine, PctWithDepthOneNeverPreemptsSoNeverLosesAnUpdate) {
  RunOptions options = Controlled("pct", 200);
  options.strategy.pct_depth = 1;
  const CaseRun run = RunSupervised(Fixture("UnlockedPair"), options);
  EXPECT_TRUE(FindingsOf(run, Symptom::kLostUpdate).empty()) << Describe(run);
  EXPECT_EQ(Values(run), std::set<std::string>{"2"}) << Describe(run);
}

TEST(ControlledEngine, PctWithDepthTwoLosesAnUpdate) {
  RunOptions options = Controlled("pct", 200);
  options.strategy.pct_depth = 2;
  const CaseRun run = RunSupervised(Fixture("UnlockedPair"), options);
  const Symptom wanted = kTsanEnabled ? Symptom::kRace : Symptom::kLostUpdate;
  EXPECT_FALSE(FindingsOf(run, wanted).empty()) << Describe(run);
}

TEST(ControlledEngine, DfsExploresEverySchedule) {
  RunOptions options = Controlled("dfs", 100000);
  options.strategy.preemption_bound = 10;
  const CaseRun run = RunSupervised(Fixture("AtomicLoadStorePair"), options);
  ASSERT_TRUE(run.finished) << Describe(run);
  EXPECT_TRUE(run.findings.empty()) << Describe(run);
  EXPECT_THAT(run.note, ContainsRegex("all [0-9]+ schedules explored"));
  EXPECT_THAT(run.note, HasSubstr(absl::StrCat("; all ", run.iterations,
                                               " schedules explored (dfs, preemption bound 10)")));
  // Both the lost update and the correct total are among them.
  EXPECT_EQ(Values(run), (std::set<std::string>{"1", "2"})) << Describe(run);
}

// -----------------------------------------------------------------------------
// Deadlocks and replay

}  // namespace
}  // namespace racestress::internal
