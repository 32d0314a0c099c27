#include "harness/core/scheduler.h"

namespace racestress::internal {

thread_local constinit Scheduler* this_thread_scheduler = nullptr;

namespace {
std::atomic<bool> controlled_run_active{false};
}  // namespace

bool ControlledRunActive() { return controlled_run_active.load(std::memory_order_relaxed); }

void SetControlledRunActive(bool active) {
  controlled_run_active.store(active, std::memory_order_release);
}

}  // namespace racestress::internal
