// -----------------------------------------------------------------------------
// harness/internal/engine_test.cc
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

const CaseBase& Fixture(const std::string& name) {
  const CaseBase* c = FindCase("ControlledFixture." + name);
  EXPECT_NE(c, nullptr) << name;
  return *c;
}

RunOptions Controlled(const std::string& strategy, int64_t schedules, uint64_t seed = 0x2a) {
  RunOptions options;
  options.run_seed = seed;
  options.isolate = true;
  options.controlled = true;
  options.strategy.name = strategy;
  options.iterations = schedules;
  options.time_budget = absl::Seconds(120);  // the schedule budget ends the run
  return options;
}

std::string Describe(const CaseRun& run) {
  std::string out = absl::StrCat(run.iterations, " schedules, finished ", run.finished, ";");
  for (const auto& f : run.findings) {
    absl::StrAppend(&out, "\n  ", SymptomName(f.kind), " in ", f.iteration, ": ", f.detail);
  }
  return out;
}

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
    EXPECT_THAT(races[0].detail, HasSubstr("data-race"));
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

TEST(ControlledEngine, DeadlockIsReportedWithItsCycleWithoutATimeout) {
  const CaseRun run = RunSupervised(Fixture("OppositeOrder"), Controlled("random", 1000));
  const std::vector<Finding> hangs = FindingsOf(run, Symptom::kHang);
  ASSERT_FALSE(hangs.empty()) << Describe(run);
  // Found by the scheduler ("every live actor is blocked"), not by a timer.
  EXPECT_THAT(hangs[0].detail, HasSubstr("deadlock at step"));
  EXPECT_THAT(hangs[0].detail,
              AnyOf(HasSubstr("wait-for cycle: actor 0 -> actor 1 -> actor 0"),
                    HasSubstr("wait-for cycle: actor 1 -> actor 0 -> actor 1")));
  EXPECT_THAT(hangs[0].detail, HasSubstr("waits in Mutex::Lock at engine_test.cc"));
  // The report and the trace name the mutexes as the fixture does.
  EXPECT_THAT(hangs[0].detail,
              AnyOf(HasSubstr("for b, which actor 1 holds (locked as b at"),
                    HasSubstr("for a, which actor 0 holds (locked as a at")));
  EXPECT_THAT(hangs[0].detail, ContainsRegex("T[01] lock a  \\(engine_test.cc:"));
  EXPECT_THAT(hangs[0].detail, ContainsRegex("T[01] lock b  \\(engine_test.cc:"));
}

TEST(ControlledEngine, TraceNamesEachStepsVariableAndValue) {
  RunOptions options = Controlled("dfs", 100);
  options.strategy.preemption_bound = 2;
  const CaseRun run = RunSupervised(Fixture("AtomicLostIncrement"), options);
  const std::vector<Finding> lost = FindingsOf(run, Symptom::kLostUpdate);
  ASSERT_FALSE(lost.empty()) << Describe(run);
  // Both actors read 0 before either stored: both store 1.
  for (const char* step : {"T0 load total -> 0  (engine_test.cc:",
                           "T1 load total -> 0  (engine_test.cc:",
                           "T0 store total <- 1  (engine_test.cc:",
                           "T1 store total <- 1  (engine_test.cc:"}) {
    EXPECT_THAT(lost[0].detail, HasSubstr(step));
  }
}

// -----------------------------------------------------------------------------
// Threads started by actors

TEST(ControlledEngine, AStartedThreadIsScheduledLikeAnActor) {
  RunOptions options = Controlled("dfs", 1000);
  const CaseRun run = RunSupervised(Fixture("ReadBeforeJoin"), options);
  if (kTsanEnabled) {
    // The start orders only what came before it: the read races the write.
    ASSERT_FALSE(FindingsOf(run, Symptom::kRace).empty()) << Describe(run);
  } else {
    ASSERT_TRUE(run.finished) << Describe(run);
    EXPECT_TRUE(run.findings.empty()) << Describe(run);
    // The thread ran before the read in some schedules and after in others,
    // and dfs knew when it had seen them all.
    EXPECT_EQ(Values(run), (std::set<std::string>{"0", "42"})) << Describe(run);
    EXPECT_THAT(run.note, ContainsRegex("all [0-9]+ schedules explored"));
  }
}

TEST(ControlledEngine, JoiningAThreadThatNeverEndsIsADeadlock) {
  const CaseRun run = RunSupervised(Fixture("JoinAStuckThread"), Controlled("random", 10));
  const std::vector<Finding> hangs = FindingsOf(run, Symptom::kHang);
  ASSERT_FALSE(hangs.empty()) << Describe(run);
  EXPECT_THAT(hangs[0].detail, HasSubstr("deadlock at step"));
  EXPECT_THAT(hangs[0].detail, HasSubstr("actor 0 waits in Thread::Join"));
  EXPECT_THAT(hangs[0].detail, HasSubstr("actor 1 waits in Notification::WaitForNotification"));
  EXPECT_THAT(hangs[0].detail, HasSubstr("T0 start T1  (engine_test.cc:"));
}

TEST(ControlledEngine, PctPlacesAStartedThreadAmongThePriorities) {
  RunOptions options = Controlled("pct", 200);
  options.strategy.pct_depth = 1;
  const CaseRun run = RunSupervised(Fixture("ReadBeforeJoin"), options);
  if (!kTsanEnabled) {
    // Without preemptions the thread runs first exactly when its place is
    // above its starter's: both happen over 200 schedules.
    EXPECT_EQ(Values(run), (std::set<std::string>{"0", "42"})) << Describe(run);
  } else {
    EXPECT_FALSE(FindingsOf(run, Symptom::kRace).empty()) << Describe(run);
  }
}

TEST(ControlledEngine, ASpinThatNeverEndsIsALivelockAtTheStepLimit) {
  RunOptions options = Controlled("random", 10);
  options.max_steps = 1000;
  const CaseRun run = RunSupervised(Fixture("SpinForever"), options);
  const std::vector<Finding> hangs = FindingsOf(run, Symptom::kHang);
  ASSERT_FALSE(hangs.empty()) << Describe(run);
  EXPECT_EQ(hangs[0].iteration, 0);
  EXPECT_THAT(hangs[0].detail, HasSubstr("livelock: the schedule did not end within 1000 "
                                         "scheduling points"));
}

TEST(ControlledEngine, SameSeedSameScheduleSameTrace) {
  RunOptions options = Controlled("random", 1000, 0x5eed);
  const CaseBase& c = Fixture("OppositeOrder");
  const CaseRun first = RunSupervised(c, options);
  const std::vector<Finding> hangs = FindingsOf(first, Symptom::kHang);
  ASSERT_FALSE(hangs.empty()) << Describe(first);
  EXPECT_THAT(hangs[0].detail, HasSubstr("step trace"));
  for (int replay = 0; replay < 5; ++replay) {
    const CaseRun again = RunSupervised(c, options);
    const std::vector<Finding> again_hangs = FindingsOf(again, Symptom::kHang);
    ASSERT_FALSE(again_hangs.empty());
    EXPECT_EQ(again_hangs[0].iteration, hangs[0].iteration);
    EXPECT_EQ(again_hangs[0].detail, hangs[0].detail);
  }
  // And --replay starts at the failing schedule.
  options.first_iteration = hangs[0].iteration;
  options.replaying = true;
  const CaseRun replayed = RunSupervised(c, options);
  const std::vector<Finding> replayed_hangs = FindingsOf(replayed, Symptom::kHang);
  ASSERT_FALSE(replayed_hangs.empty());
  EXPECT_EQ(replayed_hangs[0].detail, hangs[0].detail);
  EXPECT_EQ(replayed.iterations, 1);
}

}  // namespace
}  // namespace racestress::internal
