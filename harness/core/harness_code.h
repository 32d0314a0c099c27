// -----------------------------------------------------------------------------
// harness/core/harness_code.h
// -----------------------------------------------------------------------------
//
// Whether the harness's own code is running on this thread: a scheduler's or
// a strategy's decision, the trace, a perturbation, a primitive's own pthread
// calls. Code the user compiled with `racestress_instrument()` calls back
// into the harness at every load, store and blocking call; the harness must
// not answer those calls while it is itself running, for two reasons:
//
//   * the linker keeps one copy of each inline or template function, and it
//     may be the user's instrumented one (std::vector<int>::push_back, which
//     the scheduler calls too): its hooks would make the scheduler's own
//     work a scheduling point, re-entering the scheduler until the stack
//     overflows;
//   * the harness's primitives take their scheduling point themselves: their
//     pthread calls (blocking_points.cc) must pass straight through.
//
// The depth is per thread. The controlled engine's fibers share their
// thread: a switch (ControlledScheduler::Reschedule) saves the depth of the
// fiber it leaves and gives the fiber it resumes back its own.
//
// Thread safety: each thread reads and writes its own depth only.

#ifndef RACESTRESS_HARNESS_CORE_HARNESS_CODE_H_
#define RACESTRESS_HARNESS_CORE_HARNESS_CODE_H_

#include <atomic>

namespace racestress::internal {

// Nonzero while the harness's own code runs on this thread. constinit: the
// hooks read it at every load and store of instrumented code, inline.
// Atomic (relaxed, never an edge) for TSan, which takes the controlled
// engine's fibers for threads of their own and would report their shared
// depth as a race; on x86-64 a relaxed load is a plain one.
extern thread_local constinit std::atomic<int> harness_code_depth;

inline bool InHarnessCode() { return harness_code_depth.load(std::memory_order_relaxed) != 0; }

// The depth itself, to save before a fiber switch and give back after it.
inline int HarnessCodeDepth() { return harness_code_depth.load(std::memory_order_relaxed); }
inline void SetHarnessCodeDepth(int depth) {
  harness_code_depth.store(depth, std::memory_order_relaxed);
}

// ScopedHarnessCode
//
// Marks the harness's own code for its lifetime. Nests.
class ScopedHarnessCode {
 public:
  ScopedHarnessCode() { SetHarnessCodeDepth(HarnessCodeDepth() + 1); }
  ~ScopedHarnessCode() { SetHarnessCodeDepth(HarnessCodeDepth() - 1); }
  ScopedHarnessCode(const ScopedHarnessCode&) = delete;
  ScopedHarnessCode& operator=(const ScopedHarnessCode&) = delete;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_HARNESS_CODE_H_
