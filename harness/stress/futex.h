// -----------------------------------------------------------------------------
// harness/stress/futex.h
// -----------------------------------------------------------------------------
//
// Sleeping waits on a 32-bit atomic, for the engine's idle paths: an actor
// waiting for the next batch and the controller waiting for a batch to end
// must leave the processor to the actors that are running (two cores here).
//
// Memory ordering: none of its own. Callers re-read the atomic with the
// ordering they need after a wait returns; waits may return spuriously.

#ifndef RACESTRESS_HARNESS_STRESS_FUTEX_H_
#define RACESTRESS_HARNESS_STRESS_FUTEX_H_

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

#include "absl/time/time.h"

namespace racestress::internal {

// Sleeps while `*word == expected`, for at most `timeout`.
inline void FutexWait(std::atomic<uint32_t>& word, uint32_t expected,
                      absl::Duration timeout) {
  const timespec ts = absl::ToTimespec(timeout);
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, &ts,
          nullptr, 0);
}

// Wakes every thread sleeping in FutexWait on `word`.
inline void FutexWakeAll(std::atomic<uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT32_MAX,
          nullptr, nullptr, 0);
}

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_STRESS_FUTEX_H_
