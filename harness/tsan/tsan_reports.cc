#include "harness/tsan/tsan_reports.h"

#include <atomic>

#include "harness/tsan/clock_waits.h"

namespace racestress::internal {
namespace {

std::atomic<int64_t> report_count{0};
std::atomic<TsanReportListener> report_listener{nullptr};

}  // namespace

void SetTsanReportListener(TsanReportListener listener) {
  report_listener.store(listener, std::memory_order_release);
}

int64_t TsanReportCount() {
  return report_count.load(std::memory_order_acquire);
}

namespace {
std::atomic<TsanReportHandler*> active_handler{nullptr};

void RouteReport(const TsanReport& report) {
  if (TsanReportHandler* handler = active_handler.load(std::memory_order_acquire)) {
    handler->OnTsanReport(report);
  }
}
}  // namespace

ScopedTsanReportHandler::ScopedTsanReportHandler(TsanReportHandler* handler) {
  // Every engine installs a handler: this reference links clock_waits.cc's
  // definitions into every binary that runs a case.
  (void)ClockWaitsRouted();
  active_handler.store(handler, std::memory_order_release);
  SetTsanReportListener(&RouteReport);
}

ScopedTsanReportHandler::~ScopedTsanReportHandler() {
  SetTsanReportListener(nullptr);
  active_handler.store(nullptr, std::memory_order_release);
}

}  // namespace racestress::internal

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
// Declared by the TSan runtime (tsan_interface.h is not installed by every
// distribution, so the two entry points are declared here).
extern "C" int __tsan_get_report_data(void* report, const char** description,
                                      int* count, int* stack_count,
                                      int* mop_count, int* loc_count,
                                      int* mutex_count, int* thread_count,
                                      int* unique_tid_count, void** sleep_trace,
                                      unsigned long trace_size);

// Called by TSan once per printed report.
extern "C" void __tsan_on_report(void* report) {
  using racestress::internal::report_count;
  using racestress::internal::report_listener;
  const char* description = "unknown";
  int count = 0, stacks = 0, mops = 0, locs = 0, mutexes = 0, threads = 0,
      unique_tids = 0;
  void* sleep_trace = nullptr;
  __tsan_get_report_data(report, &description, &count, &stacks, &mops, &locs,
                         &mutexes, &threads, &unique_tids, &sleep_trace, 0);
  report_count.fetch_add(1, std::memory_order_acq_rel);
  if (auto listener = report_listener.load(std::memory_order_acquire)) {
    listener(racestress::internal::TsanReport{description});
  }
}
#endif
#endif
