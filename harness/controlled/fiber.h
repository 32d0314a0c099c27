// -----------------------------------------------------------------------------
// harness/controlled/fiber.h
// -----------------------------------------------------------------------------
//
// A `Fiber` is an execution context with a stack of its own that runs on the
// thread that switches to it: the controlled engine's actors are fibers, so
// exactly one of them runs at a time and the scheduler decides which, at no
// more cost than a register swap.
//
// On x86-64 a switch saves and restores the callee-saved registers and the
// stack pointer, nothing else (swapcontext would also save the signal mask,
// a system call per switch that dominated the cost of a decision). Elsewhere
// it is swapcontext.
//
// Under ThreadSanitizer each fiber is a TSan fiber (tsan_interface.h), which
// TSan treats as a thread of its own: accesses of two fibers race unless the
// case's synchronization orders them. Switching never synchronizes
// (`__tsan_switch_to_fiber_no_sync`): the scheduler's hand-off is not an
// edge the case's code could rely on in a real run.
//
// A fiber's stack is as large as a thread's (RLIMIT_STACK, at least 8 MiB),
// reserved but committed only as it is touched, with a PROT_NONE guard below
// it: an actor that recurses deeper than a thread could faults in the guard
// (reported as a stack overflow by the crash handler, which asks
// `InGuardOfRunning()`), instead of writing over whatever lies below.
//
// Thread safety: a fiber runs only on the thread that created the `Fiber`
// objects; `SwitchTo()` must be called from that thread.

#ifndef RACESTRESS_HARNESS_CONTROLLED_FIBER_H_
#define RACESTRESS_HARNESS_CONTROLLED_FIBER_H_

#include <ucontext.h>

#include <cstddef>

#include "harness/core/signal_stack.h"

namespace racestress::internal {

class Fiber {
 public:
  using Entry = void (*)(void* arg);

  // A fiber for the calling thread itself: the one to switch back to.
  Fiber();
  // A fiber that, when first switched to, runs `entry(arg)` on a stack of
  // `stack_bytes`. `entry` must never return: it switches away for good.
  Fiber(Entry entry, void* arg, size_t stack_bytes = DefaultStackBytes());
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Fiber::Restart()
  //
  // Makes the next switch to this fiber run `entry(arg)` from the top again
  // (the fiber must not be running). Reuses the stack.
  void Restart();

  // Fiber::RenewTsanIdentity()
  //
  // Under ThreadSanitizer, ends this fiber's TSan fiber and gives it a new
  // one, if it ran since it got the one it has; elsewhere does nothing. A
  // restarted fiber never returned from the frames it was left in, and TSan
  // keeps them: on one TSan fiber they pile up schedule after schedule, and
  // newer TSans (LLVM 15 and later) replay the whole pile for every race
  // they check, a cost that grows without bound (measured with clang 19 and
  // 22: a reported race stalls the run). The fiber must not be running, and
  // TSan must see no ignores open on it (TSan aborts a fiber ended inside
  // one).
  void RenewTsanIdentity();

  // Fiber::RanSinceRenewal()
  //
  // Whether the fiber was switched to since it was made or renewed.
  bool RanSinceRenewal() const { return ran_; }

  // Fiber::SwitchTo()
  //
  // Suspends `from` (the fiber running now) and resumes `to`. Returns when
  // some fiber switches back to `from`.
  static void SwitchTo(Fiber& from, Fiber& to);

  // Fiber::DeclareSharedThreadLocals()
  //
  // The fibers of a thread share its thread-locals. The C and standard
  // library's that a thread's calls hand data through (errno, which an
  // interposed call such as a futex wait sets; std::call_once's callable
  // for pthread_once: std::__once_callable and std::__once_call) are each
  // fiber's own: SwitchTo() saves them for the fiber it leaves and gives
  // the fiber it resumes its own back, and a fiber starts with them empty.
  // This tells TSan, which still sees every fiber write the same words,
  // that they are not the case's shared state (every real thread has its
  // own copy, so no race of a real program can be on them): without it,
  // two actors' std::call_once is a race on "TLS of main thread".
  // Idempotent; a no-op without TSan.
  static void DeclareSharedThreadLocals();

  // Fiber::DefaultStackBytes()
  //
  // A thread's default stack size (glibc's, from RLIMIT_STACK), at least
  // 8 MiB, at most 1 GiB.
  static size_t DefaultStackBytes();

  // Fiber::GuardOfRunning()
  //
  // The guard below the stack of the fiber running on this thread; empty
  // while the thread runs on its own stack. Async-signal-safe.
  static StackGuard GuardOfRunning();

  // Below each stack: more than a page, so that a frame larger than a page
  // still lands in it rather than skips it.
  static constexpr size_t kGuardBytes = 64 * 1024;

 private:
  static void Start(Fiber* fiber);  // runs entry_(arg_); never returns
#if !defined(__x86_64__)
  static void Trampoline(unsigned high, unsigned low);  // makecontext's way to Start
#endif

  Entry entry_ = nullptr;
  void* arg_ = nullptr;
  void* mapping_ = nullptr;  // the guard, then the stack
  void* stack_ = nullptr;
  size_t stack_bytes_ = 0;
  StackGuard guard_;
  [[maybe_unused]] void* tsan_fiber_ = nullptr;
  [[maybe_unused]] bool owns_tsan_fiber_ = false;
  bool ran_ = false;
  // While suspended: its std::call_once hand-off (DeclareSharedThreadLocals()).
  void* once_callable_ = nullptr;
  void (*once_call_)() = nullptr;
  int errno_ = 0;
#if defined(__x86_64__)
  void* saved_sp_ = nullptr;  // while suspended: where its registers are
#else
  ucontext_t context_;
#endif
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_FIBER_H_
