// -----------------------------------------------------------------------------
// harness/intercept/futex.cc
// -----------------------------------------------------------------------------
//
// syscall() and sched_yield(), for a binary that links instrumented code (as
// blocking_points.cc does for the pthread functions). libstdc++ 12 builds
// std::counting_semaphore, std::binary_semaphore, std::latch, std::barrier,
// std::atomic<T>::wait/notify, std::stop_token (and, inside libstdc++.so,
// std::future) on futex calls made through syscall(SYS_futex, ...), and
// spins with sched_yield before it waits:
//
//   * stress engine, on an actor: a scheduling point before a futex wait or
//     a yield and after a wake, then the real call;
//   * controlled engine, on an actor's fiber: FUTEX_WAIT and FUTEX_WAKE, in
//     their PRIVATE, BITSET and CLOCK_REALTIME forms, are the scheduler's
//     (a waiter blocks in the scheduler, is woken oldest first, and a timed
//     wait may time out at any step); another futex operation is said to be
//     unsupported, and the case stops; sched_yield is a yield to the others;
//   * anyone else, and every other system call: the C library's.
//
// Neither call orders memory: the program's atomics on the futex word do,
// and TSan sees them. TSan intercepts neither.

#include <dlfcn.h>
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "harness/intercept/blocking_points.h"
#include "harness/intercept/callers.h"

namespace racestress::internal {
namespace {

constexpr char kFutexWait[] = "futex wait";
constexpr char kFutexWake[] = "futex wake";
constexpr char kYield[] = "sched_yield";

// The C library's `name`, looked up once. No function-local static: its
// guard waits through syscall(SYS_futex) when two threads meet at it, which
// would come back here.
template <typename F>
F Glibc(std::atomic<F>& cache, const char* name) {
  F f = cache.load(std::memory_order_acquire);
  if (f != nullptr) return f;
  f = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
  if (f == nullptr) {
    fprintf(stderr, "racestress: cannot find the C library's %s\n", name);
    abort();
  }
  cache.store(f, std::memory_order_release);
  return f;
}

using SyscallFunction = long (*)(long, ...);
std::atomic<SyscallFunction> glibc_syscall{nullptr};
std::atomic<int (*)()> glibc_sched_yield{nullptr};

// The six argument registers of a system call (x86-64 and AArch64 pass
// syscall()'s variadic longs in registers, as glibc's own reads them).
struct SyscallArgs {
  long a[6];
};

long Forward(long number, const SyscallArgs& args) {
  return Glibc(glibc_syscall, "syscall")(number, args.a[0], args.a[1], args.a[2], args.a[3],
                                         args.a[4], args.a[5]);
}

bool IsWait(int command) { return command == FUTEX_WAIT || command == FUTEX_WAIT_BITSET; }
bool IsWake(int command) { return command == FUTEX_WAKE || command == FUTEX_WAKE_BITSET; }

long Failed(int error) {
  errno = error;
  return -1;
}

// futex(word, op, value, timeout, word2, bitset) on an actor's fiber.
long ControlledFutex(ControlledScheduler& s, const SyscallArgs& args) {
  const void* word = reinterpret_cast<const void*>(args.a[0]);
  const int command = static_cast<int>(args.a[1]) & FUTEX_CMD_MASK;
  const bool has_bitset = command == FUTEX_WAIT_BITSET || command == FUTEX_WAKE_BITSET;
  const uint32_t bitset = has_bitset ? static_cast<uint32_t>(args.a[5]) : FUTEX_BITSET_MATCH_ANY;
  if (has_bitset && bitset == 0) return Failed(EINVAL);  // as the kernel says
  if (IsWake(command)) {
    return s.FutexWake(word, static_cast<int>(args.a[2]), bitset, kFutexWake);
  }
  if (!IsWait(command)) Unsupported("a futex operation other than wait and wake");
  const bool timed = args.a[3] != 0;
  switch (s.FutexWait(word, static_cast<uint32_t>(args.a[2]), bitset, timed, kFutexWait)) {
    case FutexResult::kWoken: return 0;
    case FutexResult::kValueChanged: return Failed(EAGAIN);
    case FutexResult::kTimedOut: return Failed(ETIMEDOUT);
  }
  return 0;
}

long StressFutex(ActorContext* actor, long number, const SyscallArgs& args) {
  const int command = static_cast<int>(args.a[1]) & FUTEX_CMD_MASK;
  if (IsWait(command)) {
    StressPoint(actor, kFutexWait);
    ScopedBlocking blocked(kFutexWait, kFutexWait, 0);
    return Forward(number, args);
  }
  const long result = Forward(number, args);
  if (IsWake(command)) StressPoint(actor, kFutexWake);
  return result;
}

}  // namespace

void InstallFutexPoints() {}

}  // namespace racestress::internal

namespace rs = racestress::internal;

extern "C" __attribute__((visibility("default"))) long syscall(long number, ...) noexcept {
  rs::SyscallArgs args;
  va_list list;
  va_start(list, number);
  for (long& a : args.a) a = va_arg(list, long);
  va_end(list);
  if (number != SYS_futex) return rs::Forward(number, args);
  if (rs::ActorContext* actor = rs::StressActor()) return rs::StressFutex(actor, number, args);
  if (rs::ControlledScheduler* s = rs::ControlledActor()) return rs::ControlledFutex(*s, args);
  return rs::Forward(number, args);
}

extern "C" __attribute__((visibility("default"))) int sched_yield() noexcept {
  auto glibc = rs::Glibc(rs::glibc_sched_yield, "sched_yield");
  if (rs::ActorContext* actor = rs::StressActor()) {
    rs::StressPoint(actor, rs::kYield);
    return glibc();
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    s->Yield(rs::kYield, 0);
    return 0;
  }
  return glibc();
}
