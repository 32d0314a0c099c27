// -----------------------------------------------------------------------------
// harness/controlled/watchdog.h
// -----------------------------------------------------------------------------
//
// The controlled engine's one blind spot: an actor that blocks outside the
// scheduler (a std::mutex held by a suspended actor, I/O) stops the whole
// run, since only one actor runs at a time. The watchdog, a thread of its
// own, sees the scheduler make no step for the hang timeout, reports the
// hang naming the actor, and abandons the process (AbandonProcess(): the
// blocked fiber cannot be unwound).
//
// Thread safety: the watchdog reads the scheduler's progress atomics only.

#ifndef RACESTRESS_HARNESS_CONTROLLED_WATCHDOG_H_
#define RACESTRESS_HARNESS_CONTROLLED_WATCHDOG_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "harness/core/finding.h"

namespace racestress::internal {

// What the watchdog watches, written by the scheduler as it steps.
struct ScheduleProgress {
  std::atomic<uint64_t> steps{0};
  std::atomic<int> running{-1};
  std::atomic<int64_t> schedule{0};
};

class Watchdog {
 public:
  // Watches `progress` until destroyed; a hang goes to `sink`, as found by
  // `strategy` and replayed with `replay_flags`.
  Watchdog(const ScheduleProgress& progress, absl::Duration hang_timeout, FindingSink& sink,
           std::string strategy, std::string replay_flags);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void Watch();
  [[noreturn]] void ReportAndExit();

  const ScheduleProgress& progress_;
  const absl::Duration hang_timeout_;
  FindingSink& sink_;
  const std::string strategy_;
  const std::string replay_flags_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_WATCHDOG_H_
