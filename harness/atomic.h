// -----------------------------------------------------------------------------
// atomic.h
// -----------------------------------------------------------------------------
//
// `Atomic<T>` is a std::atomic<T> whose every operation is a scheduling point
// (see point.h): the engines vary the order of atomic operations as they vary
// the order of plain accesses and of lock hand-offs. Under the controlled
// engine each operation is also a step of the trace, with the value it read
// or wrote.
//
// Only the operations the catalog needs are here: Load, Store, FetchAdd,
// Exchange and CompareExchange, each with an explicit memory order
// (default: sequentially consistent, as std::atomic).
//
// Each `Atomic<T>` sits on its own cache line, as `Racy<T>` does.
//
// Thread safety: every operation may be called from any thread.
//
// Memory ordering: exactly std::atomic's for the given order; a scheduling
// point adds none.

#ifndef RACESTRESS_HARNESS_ATOMIC_H_
#define RACESTRESS_HARNESS_ATOMIC_H_

#include <atomic>
#include <cstdint>
#include <type_traits>

#include "harness/core/scheduler.h"
#include "harness/point.h"

namespace racestress {

template <typename T>
class alignas(64) Atomic {
 public:
  constexpr Atomic() = default;
  constexpr explicit Atomic(T initial) : value_(initial) {}
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  // Atomic::Load()
  [[nodiscard]] T Load(std::memory_order order = std::memory_order_seq_cst,
                       const char* file = __builtin_FILE(), int line = __builtin_LINE()) const {
    point(file, line);
    const T value = value_.load(order);
    internal::TraceValue(internal::TraceOp::kLoad, value, file, line);
    return value;
  }

  // Atomic::Store()
  void Store(T value, std::memory_order order = std::memory_order_seq_cst,
             const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    point(file, line);
    value_.store(value, order);
    internal::TraceValue(internal::TraceOp::kStore, value, file, line);
  }

  // Atomic::FetchAdd()
  //
  // Adds `delta` in one indivisible step; returns the value before.
  T FetchAdd(T delta, std::memory_order order = std::memory_order_seq_cst,
             const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    point(file, line);
    const T before = value_.fetch_add(delta, order);
    internal::TraceValue(internal::TraceOp::kStore, static_cast<T>(before + delta), file,
                         line);
    return before;
  }

  // Atomic::Exchange()
  T Exchange(T value, std::memory_order order = std::memory_order_seq_cst,
             const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    point(file, line);
    const T before = value_.exchange(value, order);
    internal::TraceValue(internal::TraceOp::kStore, value, file, line);
    return before;
  }

  // Atomic::CompareExchange()
  //
  // If the value is `expected`, replaces it with `desired` and returns true;
  // otherwise loads the value into `expected` and returns false.
  bool CompareExchange(T& expected, T desired,
                       std::memory_order order = std::memory_order_seq_cst,
                       const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    point(file, line);
    const bool swapped = value_.compare_exchange_strong(expected, desired, order);
    internal::TraceValue(swapped ? internal::TraceOp::kStore : internal::TraceOp::kLoad,
                         swapped ? desired : expected, file, line);
    return swapped;
  }

 private:
  std::atomic<T> value_{};
};

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_ATOMIC_H_
