// -----------------------------------------------------------------------------
// harness/controlled/ignore_scope.h
// -----------------------------------------------------------------------------
//
// The scheduler's own work (its books, the trace, the strategy) runs on the
// actors' fibers, between their accesses: TSan must not see it, or it would
// order the actors through the scheduler's data and hide their races. These
// scopes open TSan's ignore regions around it, counted per fiber, so that a
// fiber abandoned inside one (an actor that finished or deadlocked) is
// rebalanced when it is restarted.
//
// Thread safety: each depth belongs to one fiber.

#ifndef RACESTRESS_HARNESS_CONTROLLED_IGNORE_SCOPE_H_
#define RACESTRESS_HARNESS_CONTROLLED_IGNORE_SCOPE_H_

#include "absl/base/thread_annotations.h"
#include "harness/core/harness_code.h"
#include "harness/tsan/tsan_annotations.h"  // defines RACESTRESS_TSAN

namespace racestress::internal {

// Abseil declares the annotations as lock functions; they are not locks. The
// count itself changes inside the ignored region.
inline void IgnoreBegin(int& depth) ABSL_NO_THREAD_SAFETY_ANALYSIS {
#if defined(RACESTRESS_TSAN)
  AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
  AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
#endif
  ++depth;
}

inline void IgnoreEnd(int& depth) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  --depth;
#if defined(RACESTRESS_TSAN)
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
  AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
  AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
#endif
}

// The scheduler's own work, seen by neither TSan nor the hooks of
// instrumented code (core/harness_code.h).
class IgnoreScope {
 public:
  explicit IgnoreScope(int& depth) : depth_(depth) { IgnoreBegin(depth_); }
  ~IgnoreScope() { IgnoreEnd(depth_); }
  IgnoreScope(const IgnoreScope&) = delete;
  IgnoreScope& operator=(const IgnoreScope&) = delete;

 private:
  int& depth_;
  ScopedHarnessCode harness_;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_IGNORE_SCOPE_H_
