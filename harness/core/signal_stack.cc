#include "harness/core/signal_stack.h"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace racestress::internal {
namespace {

// Room for the crash handler (snprintf, backtrace(), absl::Symbolize's
// buffers) and, under TSan, the runtime's own handler around it. 256 KiB
// was measured too little: under TSan, half of the controlled engine's actor
// overflows (harness/tests/fault_fixture.cc) died in the handler, on the
// guard of this stack; 1 MiB passed here but once died silently on a loaded
// CI machine, so the margin is generous. Reserved, not committed: only the pages a handler
// touches cost memory.
constexpr size_t kSignalStackBytes = 4 * 1024 * 1024;

thread_local constinit StackGuard this_thread_guard;
thread_local constinit int signal_stack_depth = 0;

// The guard glibc keeps below a thread's stack: [stack low - guard size,
// stack low). Empty where there is none (the main thread's).
StackGuard FindStackGuard() {
  StackGuard guard;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return guard;
  void* low = nullptr;
  size_t size = 0, guard_size = 0;
  if (pthread_attr_getstack(&attr, &low, &size) == 0 &&
      pthread_attr_getguardsize(&attr, &guard_size) == 0 && guard_size > 0) {
    guard.high = reinterpret_cast<uintptr_t>(low);
    guard.low = guard.high - guard_size;
  }
  pthread_attr_destroy(&attr);
  return guard;
}

}  // namespace

ScopedSignalStack::ScopedSignalStack() {
  if (signal_stack_depth++ > 0) return;
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  mapping_ = mmap(nullptr, page + kSignalStackBytes, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (mapping_ == MAP_FAILED) {
    perror("racestress: mmap of a signal stack");
    abort();
  }
  // A handler that overflowed the signal stack would corrupt what lies below.
  mprotect(mapping_, page, PROT_NONE);
  stack_t stack = {};
  stack.ss_sp = static_cast<char*>(mapping_) + page;
  stack.ss_size = kSignalStackBytes;
  if (sigaltstack(&stack, &previous_) != 0) {
    perror("racestress: sigaltstack");
    abort();
  }
  previous_guard_ = this_thread_guard;
  this_thread_guard = FindStackGuard();
}

ScopedSignalStack::~ScopedSignalStack() {
  --signal_stack_depth;
  if (mapping_ == nullptr) return;
  this_thread_guard = previous_guard_;
  if ((previous_.ss_flags & SS_DISABLE) != 0) {
    stack_t disable = {};
    disable.ss_flags = SS_DISABLE;
    sigaltstack(&disable, nullptr);
  } else {
    sigaltstack(&previous_, nullptr);
  }
  munmap(mapping_, static_cast<size_t>(sysconf(_SC_PAGESIZE)) + kSignalStackBytes);
}

StackGuard ThisThreadStackGuard() { return this_thread_guard; }

}  // namespace racestress::internal
