// -----------------------------------------------------------------------------
// cases/compile_fail/unlocked_guarded_counter.cc
// -----------------------------------------------------------------------------
//
// The first of the catalog's three layers: the racy counter, annotated as the
// fixed variants are, must not compile. `total` is ABSL_GUARDED_BY(mu), and
// Worker() increments it without holding `mu`: clang's -Wthread-safety
// analysis rejects the access before any test runs.
//
// Not part of the runner. CTest compiles it and passes only if the compiler
// refuses it with the thread-safety diagnostic (CompileFail.UnlockedGuardedCounter).

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "harness/mutex.h"

namespace racestress::cases {

struct UnlockedGuardedCounter {
  Mutex mu;
  int64_t total ABSL_GUARDED_BY(mu) = 0;

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < 100000; ++i) total += 1;  // the bug: no MutexLock
  }
};

}  // namespace racestress::cases
