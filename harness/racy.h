// -----------------------------------------------------------------------------
// racy.h
// -----------------------------------------------------------------------------
//
// `Racy<T>` is a plain shared variable that a case accesses without
// synchronization on purpose: the bug under test. Its type says so, where a
// comment could not.
//
// Every `Load()` and `Store()` is a scheduling point (see point.h) followed by
// an ordinary, non-atomic access, so:
//  * ThreadSanitizer sees every access and reports the race;
//  * the compiler cannot fold a loop of `Store(Load() + 1)` into one add (the
//    point is an opaque call), which keeps each increment a separate load and
//    store, as Python's `counter += 1` is;
//  * the engine can widen the window between a load and the store after it.
//
// Each `Racy<T>` sits on its own cache line. TSan tracks memory in 8-byte
// granules and misses races on a variable that shares its granule with a hot
// neighbour; a line of its own also keeps false sharing out of the timing.
//
// Thread safety: none, by design. Concurrent `Store()` with any other access is
// a data race, which is the point.

#ifndef RACESTRESS_HARNESS_RACY_H_
#define RACESTRESS_HARNESS_RACY_H_

#include <type_traits>

#include "harness/core/scheduler.h"
#include "harness/point.h"

namespace racestress {

template <typename T>
class alignas(64) Racy {
  static_assert(std::is_trivially_copyable_v<T>,
                "Racy<T> models a plain machine word; use a harness primitive "
                "or Mutex-guarded state for larger objects");

 public:
  constexpr Racy() = default;
  constexpr explicit Racy(T initial) : value_(initial) {}
  Racy(const Racy&) = delete;
  Racy& operator=(const Racy&) = delete;

  // Racy::Load()
  //
  // A scheduling point, then a plain read.
  [[nodiscard]] T Load(const char* file = __builtin_FILE(),
                       int line = __builtin_LINE()) const {
    point(file, line);
    const T value = value_;
    internal::TraceValue(internal::TraceOp::kLoad, value, file, line);
    return value;
  }

  // Racy::Store()
  //
  // A scheduling point, then a plain write.
  void Store(T value, const char* file = __builtin_FILE(),
             int line = __builtin_LINE()) {
    point(file, line);
    value_ = value;
    internal::TraceValue(internal::TraceOp::kStore, value, file, line);
  }

 private:
  T value_{};
};

// Shared<T>
//
// The same wrapper under the name for a plain variable that the case means to
// protect (under a Mutex, after a Notification ...): every access is still a
// scheduling point and a step of the controlled engine's trace, and TSan still
// reports it if the protection is missing.
template <typename T>
using Shared = Racy<T>;

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_RACY_H_
