// The pthread functions of blocking_points.cc, under the stress engine: on an
// actor thread each lock, unlock, wait, signal, create and join (and each
// sched_yield and futex call, futex.cc) is one scheduling point of that actor, wherever the call comes from (this file,
// or libstdc++.so for std::condition_variable and std::thread); on any other
// thread none is; a thread an actor starts is perturbed like it. The
// controlled half is checked by the Instrumented.* cases under
// Catalog.ControlledEngine.

#include "harness/intercept/blocking_points.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/stress/perturbation.h"
#include "harness/core/rng.h"

namespace racestress::internal {
namespace {

class BlockingPointsTest : public testing::Test {
 protected:
  BlockingPointsTest() {
    InstallBlockingPoints();
    actor_.actor = 3;
    actor_.rng = Rng(7);  // profile left at intensity 0: count, never delay
  }

  ActorContext actor_;
};

TEST_F(BlockingPointsTest, LockAndUnlockAreOnePointEachOnAnActor) {
  ScopedActor scoped(&actor_);
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&mu);
  EXPECT_EQ(actor_.points, 1u);
  pthread_mutex_unlock(&mu);
  EXPECT_EQ(actor_.points, 2u);
  EXPECT_EQ(pthread_mutex_trylock(&mu), 0);
  pthread_mutex_unlock(&mu);
  EXPECT_EQ(actor_.points, 4u);
}

TEST_F(BlockingPointsTest, StdMutexIsReachedThroughItsPthreadCalls) {
  ScopedActor scoped(&actor_);
  std::mutex mu;
  { std::lock_guard<std::mutex> lock(mu); }
  EXPECT_EQ(actor_.points, 2u);
}

TEST_F(BlockingPointsTest, CallsFromLibstdcxxAreReachedToo) {
  ScopedActor scoped(&actor_);
  std::condition_variable cv;  // notify_one() lives in libstdc++.so
  cv.notify_one();
  cv.notify_all();
  EXPECT_EQ(actor_.points, 2u);
}

TEST_F(BlockingPointsTest, AnotherThreadsCallsAreNotThisActorsPoints) {
  std::atomic<bool> go{false};
  std::atomic<bool> done{false};
  // Started before this thread became an actor: not perturbed, no actor.
  std::thread other([&] {
    while (!go.load()) std::this_thread::yield();
    std::mutex mu;
    { std::lock_guard<std::mutex> lock(mu); }
    std::condition_variable cv;
    cv.notify_one();
    done.store(true);
  });
  {
    ScopedActor scoped(&actor_);
    go.store(true);
    while (!done.load()) {
      // No yield: sched_yield on an actor is a point of its own (below).
    }
    EXPECT_EQ(actor_.points, 0u);  // the other thread's calls counted nowhere here
  }
  other.join();
}

// libstdc++ 12's futex-based primitives (std::latch, std::atomic::wait ...)
// spin with sched_yield, then wait and wake through syscall(SYS_futex, ...).
TEST_F(BlockingPointsTest, YieldsAndFutexCallsArePointsOnAnActor) {
  ScopedActor scoped(&actor_);
  sched_yield();
  EXPECT_EQ(actor_.points, 1u);
  uint32_t word = 0;
  EXPECT_EQ(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0), 0);
  EXPECT_EQ(actor_.points, 2u);
  // A wait on a value the word does not hold returns at once, as the kernel's.
  EXPECT_EQ(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, nullptr, nullptr, 0), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(actor_.points, 3u);
  EXPECT_EQ(syscall(SYS_getpid), getpid());  // not a futex call: no point
  EXPECT_EQ(actor_.points, 3u);
}

TEST_F(BlockingPointsTest, AThreadAnActorStartsIsPerturbedLikeIt) {
  ActorContext* seen_in_thread = nullptr;
  int seen_actor = -1;
  {
    ScopedActor scoped(&actor_);
    std::thread thread([&] {
      seen_in_thread = CurrentActor();
      if (seen_in_thread != nullptr) seen_actor = seen_in_thread->actor;
    });
    thread.join();
    EXPECT_EQ(actor_.points, 2u);  // the create and the join
  }
  EXPECT_NE(seen_in_thread, nullptr);
  EXPECT_NE(seen_in_thread, &actor_);  // a context of its own ...
  EXPECT_EQ(seen_actor, 3);            // ... for the same actor
}

TEST_F(BlockingPointsTest, AThreadStartedOffAnActorIsNotPerturbed) {
  ActorContext* seen_in_thread = &actor_;
  std::thread thread([&] { seen_in_thread = CurrentActor(); });
  thread.join();
  EXPECT_EQ(seen_in_thread, nullptr);
}

TEST_F(BlockingPointsTest, ATimedWaitIsAPoint) {
  ScopedActor scoped(&actor_);
  std::mutex mu;
  std::condition_variable cv;
  {
    std::unique_lock<std::mutex> lock(mu);  // 1
    // Inline in <condition_variable>: pthread_cond_clockwait, which times out
    // at once (2); its re-lock is the C library's own, not a point.
    EXPECT_EQ(cv.wait_for(lock, std::chrono::nanoseconds(0)), std::cv_status::timeout);
  }  // 3
  EXPECT_EQ(actor_.points, 3u);
}

// Correct code that the controlled engine cannot model: a recursive mutex.
// Clean under the stress engine; under the controlled engine the case is
// stopped with a message naming what it cannot schedule (CTest
// ControlledEngine.SaysWhatItCannotModel), instead of hanging.
struct RecursiveLocking {
  std::recursive_mutex mu;
  int count = 0;  // guarded by mu
  void Worker() {
    std::lock_guard<std::recursive_mutex> outer(mu);
    std::lock_guard<std::recursive_mutex> inner(mu);
    ++count;
  }
  int Result() {
    std::lock_guard<std::recursive_mutex> lock(mu);
    return count;
  }
};

}  // namespace

RACESTRESS_CASE(BlockingFixture, RecursiveMutex, RecursiveLocking)
    .Threads(2)
    .Outcome(Equals(2), Expect::kAcceptable, "both counted")
    .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost");

}  // namespace racestress::internal
