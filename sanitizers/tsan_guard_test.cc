// -----------------------------------------------------------------------------
// sanitizers/tsan_guard_test.cc
// -----------------------------------------------------------------------------
//
// Keeps the uninstrumented-library false positive from coming back. A prebuilt
// libabsl is not compiled with -fsanitize=thread, so TSan never sees
// absl::Mutex synchronize and reports a correctly locked counter as a data
// race. These tests fail if such a library is ever linked again, and prove that
// TSan itself is alive: an unsynchronized counter is reported in every run.
//
// Run: ctest --preset tsan -R TsanGuard

#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "harness/tsan/tsan_reports.h"

// Every run must be reported on its own: TSan's default deduplication by
// address and stack would hide the second run's race behind the first's.
extern "C" const char* __tsan_default_options() {
  return "suppress_equal_stacks=0:suppress_equal_addresses=0:halt_on_error=0:"
         "exitcode=0";
}

namespace racestress {
namespace {

using internal::TsanReportCount;

constexpr int kRuns = 20;
constexpr int kThreads = 8;
constexpr int kIncrements = 20000;

template <typename Body>
void RunThreads(int threads, Body body) {
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(body);
  for (auto& thread : pool) thread.join();
}

// Returns how many TSan reports `scenario` caused.
template <typename Scenario>
int64_t ReportsDuring(Scenario scenario) {
  const int64_t before = TsanReportCount();
  scenario();
  return TsanReportCount() - before;
}

TEST(TsanGuard, AbslMutexCounterIsNeverReported) {
  for (int run = 0; run < kRuns; ++run) {
    // Use a struct so the lock annotations apply.
    struct {
      absl::Mutex mu;
      int64_t total ABSL_GUARDED_BY(mu) = 0;
    } state;
    const int64_t reports = ReportsDuring([&] {
      RunThreads(kThreads, [&] {
        for (int i = 0; i < kIncrements; ++i) {
          absl::MutexLock lock(&state.mu);
          state.total += 1;
        }
      });
    });
    absl::MutexLock lock(&state.mu);
    EXPECT_EQ(state.total, int64_t{kThreads} * kIncrements) << "run " << run;
    ASSERT_EQ(reports, 0) << "run " << run
                          << ": TSan reported an absl::Mutex-protected counter; "
                             "is a prebuilt (uninstrumented) libabsl linked?";
  }
}

TEST(TsanGuard, AbslNotificationHandOffIsNeverReported) {
  for (int run = 0; run < kRuns; ++run) {
    struct alignas(64) {
      int64_t payload[16] = {};
    } data;
    absl::Notification published;
    int64_t seen = 0;
    const int64_t reports = ReportsDuring([&] {
      std::thread reader([&] {
        published.WaitForNotification();
        for (int64_t v : data.payload) seen += v;
      });
      std::thread writer([&] {
        for (int64_t& v : data.payload) v = run + 1;
        published.Notify();
      });
      writer.join();
      reader.join();
    });
    EXPECT_EQ(seen, 16 * (run + 1)) << "run " << run;
    ASSERT_EQ(reports, 0) << "run " << run
                          << ": TSan reported an absl::Notification hand-off";
  }
}

TEST(TsanGuard, StdMutexCounterIsNeverReported) {
  for (int run = 0; run < kRuns; ++run) {
    std::mutex mu;
    int64_t total = 0;
    const int64_t reports = ReportsDuring([&] {
      RunThreads(kThreads, [&] {
        for (int i = 0; i < kIncrements; ++i) {
          std::lock_guard<std::mutex> lock(mu);
          total += 1;
        }
      });
    });
    EXPECT_EQ(total, int64_t{kThreads} * kIncrements) << "run " << run;
    ASSERT_EQ(reports, 0) << "run " << run << ": TSan reported a std::mutex counter";
  }
}

TEST(TsanGuard, UnsynchronizedCounterIsReportedInEveryRun) {
  for (int run = 0; run < kRuns; ++run) {
    // Its own cache line: a hot neighbour in the same 8-byte granule can hide
    // the race from TSan's shadow memory.
    struct alignas(64) {
      volatile int64_t total = 0;
    } state;
    const int64_t reports = ReportsDuring([&] {
      RunThreads(2, [&] {
        for (int i = 0; i < 1000; ++i) state.total = state.total + 1;
      });
    });
    EXPECT_GE(reports, 1) << "run " << run
                          << ": TSan missed an unsynchronized counter; is the "
                             "binary built with -fsanitize=thread?";
  }
}

}  // namespace
}  // namespace racestress
