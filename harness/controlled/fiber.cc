#include "harness/controlled/fiber.h"

#include <pthread.h>
#include <errno.h>
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>  // std::__once_callable, std::__once_call

#include "harness/tsan/tsan_annotations.h"

#if defined(__x86_64__)
// racestress_switch_stack(save, next): pushes the callee-saved registers,
// stores the stack pointer in *save, loads `next` as the stack pointer, pops
// the registers saved there and returns into that context.
// racestress_fiber_start: a new fiber's first "return address"; calls
// r12(rbx), as Fiber::Restart() laid the registers out.
#if defined(RACESTRESS_TSAN)
extern "C" void AnnotateBenignRaceSized(const char* file, int line, const volatile void* address,
                                        size_t size, const char* description);
#endif
extern "C" void racestress_switch_stack(void** save, void* next);
extern "C" void racestress_fiber_start();
asm(R"(
  .text
  .globl racestress_switch_stack
  .type racestress_switch_stack, @function
racestress_switch_stack:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size racestress_switch_stack, .-racestress_switch_stack

  .globl racestress_fiber_start
  .type racestress_fiber_start, @function
racestress_fiber_start:
  movq %rbx, %rdi
  callq *%r12
  ud2
  .size racestress_fiber_start, .-racestress_fiber_start
)");
#endif

namespace racestress::internal {
namespace {

// The fiber running on this thread: set by every switch, read by the crash
// handler (constinit: no TLS wrapper, safe in a signal handler).
thread_local constinit const Fiber* running_fiber = nullptr;

}  // namespace

size_t Fiber::DefaultStackBytes() {
  constexpr size_t kAtLeast = size_t{8} << 20, kAtMost = size_t{1} << 30;
  size_t bytes = 0;
  pthread_attr_t attr;
  // A fresh attribute reports the size glibc gives a thread it starts.
  if (pthread_attr_init(&attr) == 0) {
    pthread_attr_getstacksize(&attr, &bytes);
    pthread_attr_destroy(&attr);
  }
  return std::clamp(bytes, kAtLeast, kAtMost);
}

StackGuard Fiber::GuardOfRunning() {
  return running_fiber != nullptr ? running_fiber->guard_ : StackGuard{};
}

Fiber::Fiber() {
#if defined(RACESTRESS_TSAN)
  tsan_fiber_ = __tsan_get_current_fiber();
#endif
}

Fiber::Fiber(Entry entry, void* arg, size_t stack_bytes)
    : entry_(entry), arg_(arg), stack_bytes_(stack_bytes) {
  // Reserved, not committed (MAP_NORESERVE): an actor's stack costs the
  // pages it touches, however large it may grow.
  mapping_ = mmap(nullptr, kGuardBytes + stack_bytes_, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (mapping_ == MAP_FAILED || mprotect(mapping_, kGuardBytes, PROT_NONE) != 0) {
    perror("racestress: mmap of a fiber stack");
    abort();
  }
  guard_.low = reinterpret_cast<uintptr_t>(mapping_);
  guard_.high = guard_.low + kGuardBytes;
  stack_ = reinterpret_cast<void*>(guard_.high);
#if defined(RACESTRESS_TSAN)
  tsan_fiber_ = __tsan_create_fiber(0);
  owns_tsan_fiber_ = true;
#endif
  Restart();
}

Fiber::~Fiber() {
  if (running_fiber == this) running_fiber = nullptr;
#if defined(RACESTRESS_TSAN)
  if (owns_tsan_fiber_) __tsan_destroy_fiber(tsan_fiber_);
#endif
  if (mapping_ != nullptr) munmap(mapping_, kGuardBytes + stack_bytes_);
}

void Fiber::DeclareSharedThreadLocals() {
#if defined(RACESTRESS_TSAN)
  // Atomic: this thread's fibers share the flag too.
  thread_local std::atomic<bool> declared{false};
  if (declared.exchange(true, std::memory_order_relaxed)) return;
  static constexpr char kWhy[] = "std::call_once's hand-off, shared by a thread's fibers";
  AnnotateBenignRaceSized(__FILE__, __LINE__, &std::__once_callable,
                          sizeof(std::__once_callable), kWhy);
  AnnotateBenignRaceSized(__FILE__, __LINE__, &std::__once_call, sizeof(std::__once_call), kWhy);
  AnnotateBenignRaceSized(__FILE__, __LINE__, &errno, sizeof(errno),
                          "errno, shared by a thread's fibers");
#endif
}

void Fiber::RenewTsanIdentity() {
  if (!ran_) return;
  ran_ = false;
#if defined(RACESTRESS_TSAN)
  if (!owns_tsan_fiber_) return;
  __tsan_destroy_fiber(tsan_fiber_);
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
}

// Not instrumented: the saved stack pointers and the stacks' first words are
// the switch's business, handed between fibers by the switch itself, which
// TSan cannot see (as it cannot see inside swapcontext).
__attribute__((no_sanitize("thread"))) void Fiber::Restart() {
  const auto self = reinterpret_cast<uintptr_t>(this);
#if defined(__x86_64__)
  // From the (16-byte aligned) top: 16 bytes of slack, the return address
  // racestress_fiber_start at top-24 (so that its call leaves the callee an
  // ABI-aligned stack), then rbp, rbx, r12, r13, r14, r15 as the switch pops
  // them: rbx = this, r12 = Start.
  auto top = (reinterpret_cast<uintptr_t>(stack_) + stack_bytes_) & ~uintptr_t{15};
  auto* slot = reinterpret_cast<uintptr_t*>(top - 24);
  slot[0] = reinterpret_cast<uintptr_t>(&racestress_fiber_start);
  slot[-1] = 0;                                                  // rbp
  slot[-2] = self;                                               // rbx
  slot[-3] = reinterpret_cast<uintptr_t>(&Fiber::Start);         // r12
  slot[-4] = 0;                                                  // r13
  slot[-5] = 0;                                                  // r14
  slot[-6] = 0;                                                  // r15
  saved_sp_ = &slot[-6];
#else
  getcontext(&context_);
  context_.uc_stack.ss_sp = stack_;
  context_.uc_stack.ss_size = stack_bytes_;
  context_.uc_link = nullptr;
  // makecontext passes int arguments only: the pointer travels in two halves.
  makecontext(&context_, reinterpret_cast<void (*)()>(&Fiber::Trampoline), 2,
              static_cast<unsigned>(self >> 32), static_cast<unsigned>(self & 0xffffffffu));
#endif
}

void Fiber::Start(Fiber* fiber) {
  std::__once_callable = nullptr;  // its own, not the switching fiber's
  std::__once_call = nullptr;
  errno = 0;
  fiber->entry_(fiber->arg_);
  fprintf(stderr, "racestress: a fiber's entry returned\n");
  abort();
}

#if !defined(__x86_64__)
void Fiber::Trampoline(unsigned high, unsigned low) {
  Start(reinterpret_cast<Fiber*>((uintptr_t{high} << 32) | low));
}
#endif

__attribute__((no_sanitize("thread"))) void Fiber::SwitchTo(Fiber& from, Fiber& to) {
#if defined(RACESTRESS_TSAN)
  __tsan_switch_to_fiber(to.tsan_fiber_, kTsanSwitchToFiberNoSync);
#endif
  running_fiber = &to;
  to.ran_ = true;
  from.once_callable_ = std::__once_callable;
  from.once_call_ = std::__once_call;
  from.errno_ = errno;
#if defined(__x86_64__)
  racestress_switch_stack(&from.saved_sp_, to.saved_sp_);
#else
  swapcontext(&from.context_, &to.context_);
#endif
  std::__once_callable = from.once_callable_;  // resumed: its own again
  std::__once_call = from.once_call_;
  errno = from.errno_;
}

}  // namespace racestress::internal
