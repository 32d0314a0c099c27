// -----------------------------------------------------------------------------
// harness/controlled/fiber_test.cc
// -----------------------------------------------------------------------------
//
// A fiber's stack is a thread's: as large (a 400 KiB recursion runs on it),
// with the guard below it that the crash handler recognises, and that guard
// is the running fiber's only while the fiber runs.

#include "harness/controlled/fiber.h"

#include <pthread.h>

#include <cstdint>

#include "gtest/gtest.h"
#include "harness/controlled/recursion_test_support.h"
#include "harness/tsan/tsan_annotations.h"

namespace racestress::internal {
namespace {

constexpr int64_t kDeep = 400 * 1024;

// What a fiber saw of itself; handed over with explicit edges, as switches
// make none.
struct Seen {
  Fiber* self = nullptr;
  Fiber* back = nullptr;
  uintptr_t local = 0;
  StackGuard guard;
  int64_t span = 0;
};

void LookAndRecurse(void* arg) {
  Seen& seen = *static_cast<Seen*>(arg);
  TsanAcquire(&seen);
  char local = 0;
  seen.local = reinterpret_cast<uintptr_t>(&local);
  seen.guard = Fiber::GuardOfRunning();
  seen.span = RecurseAtLeast(kDeep);
  Fiber& self = *seen.self;
  Fiber& back = *seen.back;
  TsanRelease(&seen);
  Fiber::SwitchTo(self, back);
}

TEST(Fiber, StackIsAtLeastAThreadsDefault) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  size_t thread_default = 0;
  ASSERT_EQ(pthread_attr_getstacksize(&attr, &thread_default), 0);
  pthread_attr_destroy(&attr);
  EXPECT_GE(Fiber::DefaultStackBytes(), size_t{8} << 20);
  if (thread_default <= (size_t{1} << 30)) EXPECT_GE(Fiber::DefaultStackBytes(), thread_default);
}

TEST(Fiber, RunsA400KiBRecursionAboveItsGuard) {
  Fiber main;
  Seen seen;
  Fiber fiber(&LookAndRecurse, &seen);
  seen.self = &fiber;
  seen.back = &main;
  // On the thread's own stack: no fiber's guard applies.
  EXPECT_EQ(Fiber::GuardOfRunning().high, 0u);
  TsanRelease(&seen);
  Fiber::SwitchTo(main, fiber);
  TsanAcquire(&seen);
  EXPECT_GE(seen.span, kDeep);
  EXPECT_EQ(seen.guard.high - seen.guard.low, Fiber::kGuardBytes);
  // The stack starts right above the guard and holds the fiber's frames.
  EXPECT_GT(seen.local, seen.guard.high);
  EXPECT_LE(seen.local - seen.guard.high, Fiber::DefaultStackBytes());
  EXPECT_FALSE(seen.guard.Contains(reinterpret_cast<void*>(seen.local)));
  EXPECT_EQ(Fiber::GuardOfRunning().high, 0u);
}

}  // namespace
}  // namespace racestress::internal
