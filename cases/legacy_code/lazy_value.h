// -----------------------------------------------------------------------------
// cases/legacy_code/lazy_value.h
// -----------------------------------------------------------------------------
//
// A value computed on first use, by whichever caller comes first: code
// written without racestress (no harness include), compiled with
// `racestress_instrument()` like the rest of legacy_code/.

#ifndef RACESTRESS_CASES_LEGACY_CODE_LAZY_VALUE_H_
#define RACESTRESS_CASES_LEGACY_CODE_LAZY_VALUE_H_

#include <mutex>

namespace legacy {

class LazyValue {
 public:
  // The value (42), computed by the first caller. The bug: a plain flag
  // says whether it was computed, so two callers can both find it unset and
  // both compute it, and nothing orders one caller's writes before another's
  // reads.
  int GetChecked();

  // The same through std::call_once (pthread_once): computed exactly once,
  // and every caller sees it computed.
  int GetOnce();

  // How many times the value was computed. Not thread-safe: read it after
  // the callers are done.
  int computations() const { return computations_; }

 private:
  int Compute();

  std::once_flag once_;
  bool computed_ = false;
  int value_ = 0;
  int computations_ = 0;
};

}  // namespace legacy

#endif  // RACESTRESS_CASES_LEGACY_CODE_LAZY_VALUE_H_
