#include "harness/controlled/watchdog.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "harness/core/abandon.h"

namespace racestress::internal {

Watchdog::Watchdog(const ScheduleProgress& progress, absl::Duration hang_timeout,
                   FindingSink& sink, std::string strategy, std::string replay_flags)
    : progress_(progress),
      hang_timeout_(hang_timeout),
      sink_(sink),
      strategy_(std::move(strategy)),
      replay_flags_(std::move(replay_flags)),
      thread_([this] { Watch(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Watchdog::Watch() {
  uint64_t seen = progress_.steps.load(std::memory_order_relaxed);
  absl::Time last_change = absl::Now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(50));
    const uint64_t now = progress_.steps.load(std::memory_order_relaxed);
    if (now != seen) {
      seen = now;
      last_change = absl::Now();
      continue;
    }
    if (absl::Now() - last_change >= hang_timeout_) ReportAndExit();
  }
}

void Watchdog::ReportAndExit() {
  const int running = progress_.running.load(std::memory_order_relaxed);
  // running < 0: no actor's fiber was running but the engine's own thread:
  // between schedules (the case's state, the arbiter, the strategy's draws).
  const std::string detail =
      running >= 0
          ? absl::StrCat(
                "actor ", running, " did not reach a scheduling point for ",
                absl::FormatDuration(hang_timeout_),
                ": it blocks outside racestress's primitives (a std::mutex or absl::Mutex held "
                "by a suspended actor, a thread join, I/O), which the controlled engine cannot "
                "schedule; use racestress::Mutex, Semaphore, ... or run it under the stress "
                "engine")
          : absl::StrCat("no actor was running and the controlled engine made no step for ",
                         absl::FormatDuration(hang_timeout_),
                         ": the case's state, its arbiter (Result()) or the scheduler itself, "
                         "between two schedules, blocked or ran that long");
  FindingView finding;
  finding.iteration = progress_.schedule.load(std::memory_order_relaxed);
  finding.kind = Symptom::kHang;
  finding.detail = detail;
  finding.engine = EngineKind::kControlled;
  finding.strategy = strategy_;
  finding.replay_flags = replay_flags_;
  sink_.OnFinding(finding);
  AbandonProcess();
}

}  // namespace racestress::internal
