// -----------------------------------------------------------------------------
// harness/intercept/once.cc
// -----------------------------------------------------------------------------
//
// pthread_once, which libstdc++ 12's std::call_once calls, for a binary that
// links instrumented code (as blocking_points.cc does for the pthread mutex,
// condition and thread functions):
//
//   * stress engine, on an actor: a scheduling point, then the real call;
//   * controlled engine, on an actor's fiber: the scheduler's. The once
//     variable holds the state, as glibc's and TSan's do: 0 not run, 2 done,
//     and while an actor runs the initializer a mark naming the schedule.
//     An actor that finds this schedule's mark blocks until it is gone (one
//     whose initializer waits for itself, or for a blocked actor, is a
//     deadlock, reported as one); a mark left by an earlier schedule that
//     was abandoned mid-initializer is not this schedule's, and the
//     initializer runs again. The initializer's effects happen before every
//     return that found it done (a release store, an acquire load: the edge
//     TSan sees from the real call). An initializer that throws leaves the
//     variable not run, as POSIX and std::call_once require;
//   * anyone else: glibc's pthread_once, also under TSan, whose interceptor
//     never lets go of a flag whose initializer threw (measured with clang
//     14 and 22: std::call_once's retry after a throw hangs, a correct
//     program reported as a hang); TSan is told the edge glibc makes, from
//     the initializer's return to every caller's.
//
// Fibers share their thread's thread-local storage, and std::call_once
// hands its callable to pthread_once's argument-less initializer through
// two of libstdc++'s thread-locals, which another actor's call_once would
// overwrite between the two: each fiber keeps its own copy of them across
// switches (controlled/fiber.h).

#include <dlfcn.h>
#include <pthread.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "harness/controlled/engine.h"
#include "harness/intercept/blocking_points.h"
#include "harness/intercept/callers.h"
#include "harness/tsan/tsan_annotations.h"  // defines RACESTRESS_TSAN

namespace racestress::internal {
namespace {

constexpr char kOnce[] = "pthread_once";

// glibc's __PTHREAD_ONCE_DONE: what its pthread_once stores once the
// initializer returned, and reads as done.
constexpr int kDone = 2;
bool IsDone(int state) { return (state & kDone) != 0; }

// In progress in this schedule: bit 30, and the schedule in bits 2..29,
// which glibc does not read as done.
int InProgressMark() {
  return (1 << 30) | static_cast<int>((ControlledScheduleInProgress() & 0x0fffffff) << 2);
}

int ControlledOnce(ControlledScheduler& s, pthread_once_t* once, void (*init)()) {
  int* state = reinterpret_cast<int*>(once);
  const int mine = InProgressMark();
  s.Point(kOnce, 0);
  for (;;) {
    const int seen = __atomic_load_n(state, __ATOMIC_ACQUIRE);
    if (IsDone(seen)) return 0;
    if (seen != mine) break;  // not run, or an abandoned schedule's mark
    s.WaitUntil([state, mine] { return __atomic_load_n(state, __ATOMIC_RELAXED) != mine; },
                kOnce, kOnce, 0);
  }
  // Only one actor runs at a time: nothing can come between the look above
  // and this mark.
  __atomic_store_n(state, mine, __ATOMIC_RELAXED);
  try {
    init();
  } catch (...) {
    __atomic_store_n(state, 0, __ATOMIC_RELEASE);
    throw;
  }
  __atomic_store_n(state, kDone, __ATOMIC_RELEASE);
  return 0;
}

using OnceFunction = int (*)(pthread_once_t*, void (*)(void));

OnceFunction GlibcOnce() {
  static const OnceFunction glibc = [] {
    void* f = dlvsym(RTLD_NEXT, "pthread_once", "GLIBC_2.34");
    if (f == nullptr) f = dlsym(RTLD_NEXT, "pthread_once");
    if (f == nullptr) {
      fprintf(stderr, "racestress: cannot find the C library's pthread_once\n");
      abort();
    }
    return reinterpret_cast<OnceFunction>(f);
  }();
  return glibc;
}

// The initializer glibc runs, between TSan's acquire and release of its
// flag: what an earlier initializer did before it threw happens before this
// one, and this one before every return (thread-locals: an initializer may
// call pthread_once itself).
thread_local void (*running_init)() = nullptr;
thread_local pthread_once_t* running_once = nullptr;

void InitThenRelease() {
  pthread_once_t* once = running_once;
  TsanAcquire(once);
  try {
    running_init();
  } catch (...) {
    TsanRelease(once);
    throw;
  }
  TsanRelease(once);
}

int RealOnce(pthread_once_t* once, void (*init)()) {
#if defined(RACESTRESS_TSAN)
  struct Restore {
    void (*init)();
    pthread_once_t* once;
    ~Restore() {
      running_init = init;
      running_once = once;
    }
  } restore{running_init, running_once};
  running_init = init;
  running_once = once;
  const int result = GlibcOnce()(once, &InitThenRelease);
  TsanAcquire(once);
  return result;
#else
  return GlibcOnce()(once, init);
#endif
}

}  // namespace

void InstallOncePoints() {}

}  // namespace racestress::internal

namespace rs = racestress::internal;

extern "C" __attribute__((visibility("default"))) int pthread_once(pthread_once_t* once,
                                                                   void (*init)(void)) {
  if (rs::ActorContext* actor = rs::StressActor()) {
    rs::StressPoint(actor, rs::kOnce);
    return rs::RealOnce(once, init);
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) return rs::ControlledOnce(*s, once, init);
  return rs::RealOnce(once, init);
}
