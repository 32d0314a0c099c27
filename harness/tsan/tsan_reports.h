// -----------------------------------------------------------------------------
// harness/tsan/tsan_reports.h
// -----------------------------------------------------------------------------
//
// Catches ThreadSanitizer reports in-process. TSan calls the weak hook
// `__tsan_on_report` for every report it prints (after deduplication and
// suppressions); this file defines it and forwards what it learns to whoever
// installed a listener. In a build without TSan nothing is ever reported.
//
// Thread safety: every function may be called from any thread. The listener
// runs on the thread whose access completed the race, inside TSan's report
// path: it must be async-signal-safe in spirit (no locks the reporting thread
// may hold, no allocation-heavy work).

#ifndef RACESTRESS_HARNESS_TSAN_TSAN_REPORTS_H_
#define RACESTRESS_HARNESS_TSAN_TSAN_REPORTS_H_

#include <cstdint>

namespace racestress::internal {

// True when this binary was compiled with -fsanitize=thread.
constexpr bool kTsanEnabled =
#if defined(__SANITIZE_THREAD__)
    true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

// What one TSan report was about: TSan's key for its kind (the description
// __tsan_get_report_data gives), e.g. "data-race", "lock-order-inversion",
// "heap-use-after-free", "thread-leak". ClassifyTsanReport() (core/finding.h)
// says which TsanKind that is.
struct TsanReport {
  const char* kind;
};

using TsanReportListener = void (*)(const TsanReport& report);

// SetTsanReportListener()
//
// Installs `listener` (nullptr removes it). At most one listener is active.
void SetTsanReportListener(TsanReportListener listener);

// TsanReportCount()
//
// Returns how many reports TSan has printed in this process so far.
int64_t TsanReportCount();

// An engine's receiver of TSan's reports while it runs a case.
class TsanReportHandler {
 public:
  // Called on the thread (fiber) that raced, inside TSan's report path:
  // must not allocate or take a lock an actor may hold.
  virtual void OnTsanReport(const TsanReport& report) = 0;

 protected:
  ~TsanReportHandler() = default;
};

// ScopedTsanReportHandler
//
// Routes TSan's reports to `handler` for the scope's lifetime (one engine at
// a time in a process).
class ScopedTsanReportHandler {
 public:
  explicit ScopedTsanReportHandler(TsanReportHandler* handler);
  ~ScopedTsanReportHandler();
  ScopedTsanReportHandler(const ScopedTsanReportHandler&) = delete;
  ScopedTsanReportHandler& operator=(const ScopedTsanReportHandler&) = delete;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_TSAN_TSAN_REPORTS_H_
