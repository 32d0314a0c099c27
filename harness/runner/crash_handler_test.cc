// -----------------------------------------------------------------------------
// harness/runner/crash_handler_test.cc
// -----------------------------------------------------------------------------
//
// The crash finding's cause: a fault in the guard below an actor's stack is
// a stack overflow of that actor, numbered as the engines number actors;
// any other fault, or another signal, is named by its signal.

#include "harness/runner/crash_handler.h"

#include <signal.h>

#include <cstdint>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/stress/perturbation.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

std::string Cause(int signal, uintptr_t address) {
  siginfo_t info = {};
  info.si_signo = signal;
  info.si_addr = reinterpret_cast<void*>(address);
  char out[256];
  DescribeFatalSignal(signal, &info, out, sizeof(out));
  return out;
}

TEST(RunnerCrashHandler, AFaultInTheActorsGuardIsItsStackOverflow) {
  std::thread([] {
    ActorContext context;
    context.actor = 3;
    ScopedActor actor(&context);  // as a stress worker: a signal stack and the guard
    const StackGuard guard = ThisThreadStackGuard();
    ASSERT_LT(guard.low, guard.high);
    EXPECT_THAT(Cause(SIGSEGV, guard.low + 8),
                HasSubstr("stack overflow in actor 3 (SIGSEGV in the guard page below its stack"));
    EXPECT_THAT(Cause(SIGBUS, guard.high - 1), HasSubstr("stack overflow in actor 3 (SIGBUS"));
    // Just above the guard is the stack itself; a null pointer is just that.
    EXPECT_EQ(Cause(SIGSEGV, guard.high), "SIGSEGV (invalid memory access)");
    EXPECT_EQ(Cause(SIGSEGV, 0), "SIGSEGV (invalid memory access)");
    // Only a fault has an address to blame.
    EXPECT_EQ(Cause(SIGABRT, guard.low + 8), "SIGABRT (abort)");
  }).join();
}

TEST(RunnerCrashHandler, WithoutSigInfoTheSignalNamesTheCrash) {
  char out[256];
  DescribeFatalSignal(SIGFPE, nullptr, out, sizeof(out));
  EXPECT_STREQ(out, "SIGFPE (arithmetic error)");
}

}  // namespace
}  // namespace racestress::internal
