// -----------------------------------------------------------------------------
// harness/tsan/tsan_annotations.h
// -----------------------------------------------------------------------------
//
// What the controlled engine tells ThreadSanitizer, and nothing when the
// binary is not built with it:
//  * `TsanAcquire(addr)` / `TsanRelease(addr)`: the happens-before edge of a
//    harness primitive (an unlock releases, the next lock acquires), which
//    TSan cannot see when the primitive is implemented by the scheduler;
//  * `ScopedTsanIgnore`: the scheduler's own bookkeeping, touched by whichever
//    actor fiber runs, is invisible to TSan (neither reported nor a source of
//    happens-before edges that would hide the case's races).
//
// Thread safety: each call affects the calling thread (or fiber) only.

#ifndef RACESTRESS_HARNESS_TSAN_TSAN_ANNOTATIONS_H_
#define RACESTRESS_HARNESS_TSAN_TSAN_ANNOTATIONS_H_

#if defined(__SANITIZE_THREAD__)
#define RACESTRESS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RACESTRESS_TSAN 1
#endif
#endif

#include "absl/base/thread_annotations.h"

#if defined(RACESTRESS_TSAN)
extern "C" {
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
void* __tsan_get_current_fiber(void);
void* __tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void* fiber);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
void __tsan_set_fiber_name(void* fiber, const char* name);
void AnnotateIgnoreReadsBegin(const char* file, int line);
void AnnotateIgnoreReadsEnd(const char* file, int line);
void AnnotateIgnoreWritesBegin(const char* file, int line);
void AnnotateIgnoreWritesEnd(const char* file, int line);
void AnnotateIgnoreSyncBegin(const char* file, int line);
void AnnotateIgnoreSyncEnd(const char* file, int line);
}
#endif

namespace racestress::internal {

// __tsan_switch_to_fiber's flag: switch without a happens-before edge.
inline constexpr unsigned kTsanSwitchToFiberNoSync = 1;

inline void TsanAcquire([[maybe_unused]] const void* addr) {
#if defined(RACESTRESS_TSAN)
  __tsan_acquire(const_cast<void*>(addr));
#endif
}

inline void TsanRelease([[maybe_unused]] const void* addr) {
#if defined(RACESTRESS_TSAN)
  __tsan_release(const_cast<void*>(addr));
#endif
}

// ScopedTsanIgnore
//
// For its lifetime, TSan neither records the calling fiber's memory accesses
// nor lets its synchronization create happens-before edges. Nests.
class ScopedTsanIgnore {
 public:
  // Abseil declares these annotations as lock functions for clang's
  // thread-safety analysis; they are not locks.
  ScopedTsanIgnore() ABSL_NO_THREAD_SAFETY_ANALYSIS {
#if defined(RACESTRESS_TSAN)
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
    AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
#endif
  }
  ~ScopedTsanIgnore() ABSL_NO_THREAD_SAFETY_ANALYSIS {
#if defined(RACESTRESS_TSAN)
    AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
    AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
#endif
  }
  ScopedTsanIgnore(const ScopedTsanIgnore&) = delete;
  ScopedTsanIgnore& operator=(const ScopedTsanIgnore&) = delete;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_TSAN_TSAN_ANNOTATIONS_H_
