// -----------------------------------------------------------------------------
// harness/core/signal_stack_test.cc
// -----------------------------------------------------------------------------
//
// A thread that runs actors gets an alternate signal stack and knows its
// stack's guard, for as long as the scope lives; nested scopes change
// nothing; the previous state comes back after.

#include "harness/core/signal_stack.h"

#include <signal.h>

#include <cstdint>
#include <thread>

#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

stack_t AlternateStack() {
  stack_t stack = {};
  sigaltstack(nullptr, &stack);
  return stack;
}

TEST(SignalStack, GivesTheThreadAnAlternateStackAndItsGuard) {
  std::thread([] {
    const stack_t before = AlternateStack();
    {
      ScopedSignalStack scope;
      const stack_t during = AlternateStack();
      EXPECT_EQ(during.ss_flags & SS_DISABLE, 0);
      EXPECT_GE(during.ss_size, size_t{64} * 1024);
      // The guard lies just below this thread's stack, so below a local.
      const StackGuard guard = ThisThreadStackGuard();
      char local = 0;
      EXPECT_LT(guard.low, guard.high);
      EXPECT_LT(guard.high, reinterpret_cast<uintptr_t>(&local));
      EXPECT_TRUE(guard.Contains(reinterpret_cast<void*>(guard.low)));
      EXPECT_FALSE(guard.Contains(&local));
      {
        ScopedSignalStack nested;
        EXPECT_EQ(AlternateStack().ss_sp, during.ss_sp);
      }
      EXPECT_EQ(AlternateStack().ss_sp, during.ss_sp);
      EXPECT_EQ(ThisThreadStackGuard().low, guard.low);
    }
    EXPECT_EQ(AlternateStack().ss_flags, before.ss_flags);
    EXPECT_EQ(AlternateStack().ss_sp, before.ss_sp);
    EXPECT_EQ(ThisThreadStackGuard().high, 0u);
  }).join();
}

}  // namespace
}  // namespace racestress::internal
