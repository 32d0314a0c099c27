#include "harness/core/abandon.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace racestress::internal {
namespace {

std::atomic<AbandonHandler> abandon_handler{nullptr};

}  // namespace

void SetAbandonHandler(AbandonHandler handler) {
  abandon_handler.store(handler, std::memory_order_release);
}

void AbandonProcess() {
  if (AbandonHandler handler = abandon_handler.load(std::memory_order_acquire)) handler();
  fflush(stdout);
  fflush(stderr);
  syscall(SYS_exit_group, 1);
  abort();
}

}  // namespace racestress::internal
