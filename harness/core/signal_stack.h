// -----------------------------------------------------------------------------
// harness/core/signal_stack.h
// -----------------------------------------------------------------------------
//
// An actor that recurses without end must be reported, not die in silence:
// its stack runs into a guard page (the one below a thread's stack, or below
// a controlled-engine fiber's), and the crash handler (runner/) that
// reports it cannot run on the stack that just overflowed. A thread that runs
// actors therefore gets an alternate signal stack (sigaltstack) of its own,
// and records where its stack's guard is, so that the handler can tell an
// overflow from any other invalid access.
//
// Thread safety: a ScopedSignalStack belongs to the thread that made it;
// ThisThreadStackGuard() reads that thread's record only, and is
// async-signal-safe.

#ifndef RACESTRESS_HARNESS_CORE_SIGNAL_STACK_H_
#define RACESTRESS_HARNESS_CORE_SIGNAL_STACK_H_

#include <signal.h>

#include <cstddef>
#include <cstdint>

namespace racestress::internal {

// A range of addresses no access may touch: [low, high).
struct StackGuard {
  uintptr_t low = 0;
  uintptr_t high = 0;
  bool Contains(const void* address) const {
    const auto a = reinterpret_cast<uintptr_t>(address);
    return a >= low && a < high;
  }
};

// ScopedSignalStack
//
// Gives the calling thread an alternate signal stack (a handler installed
// with SA_ONSTACK runs there) and records its stack's guard, for its
// lifetime; restores the previous alternate stack after. Nested ones do
// nothing.
class ScopedSignalStack {
 public:
  ScopedSignalStack();
  ~ScopedSignalStack();
  ScopedSignalStack(const ScopedSignalStack&) = delete;
  ScopedSignalStack& operator=(const ScopedSignalStack&) = delete;

 private:
  void* mapping_ = nullptr;  // a guard page, then the signal stack; null if nested
  stack_t previous_ = {};
  StackGuard previous_guard_;
};

// The guard below the calling thread's own stack while a ScopedSignalStack
// lives on it (empty otherwise, or where the C library reports no guard).
// Async-signal-safe.
StackGuard ThisThreadStackGuard();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_SIGNAL_STACK_H_
