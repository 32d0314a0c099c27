// -----------------------------------------------------------------------------
// harness/intercept/blocking_points.cc
// -----------------------------------------------------------------------------
//
// The blocking half of `racestress_instrument(<target>)`: code written without
// racestress synchronizes through std::mutex, std::condition_variable and
// std::thread, which call pthread_mutex_lock, pthread_cond_wait,
// pthread_create ... (some from inline code, some from inside libstdc++.so).
// A binary that links the instrument hooks gets these pthread functions
// (mutex lock, trylock, timedlock, unlock; condition wait, timed and clocked
// wait, signal, broadcast; rwlock lock and unlock; thread create, join,
// detach) from here, for every caller in the process:
//
//   * stress engine, on an actor thread: a scheduling point (the actor's
//     seeded perturbation) before a lock, wait, create or join and after an
//     unlock or signal, then the real function; a thread an actor starts is
//     perturbed like its starter, from a stream drawn from the starter's;
//   * controlled engine, on an actor's fiber: the scheduler's own mutex,
//     condition variable and threads (keyed by the pthread object's address),
//     so only one actor runs, a blocked actor blocks in the scheduler and a
//     deadlock is reported with its cycle; time is the scheduler's, so a
//     timed wait or lock may time out at any step. What the engine cannot
//     model (recursive mutexes, reader-writer locks) is said, and the case
//     stops, instead of hanging;
//   * any other thread, or no case running: the real function after two
//     thread-local reads.
//
// "The real function" is ThreadSanitizer's interceptor under TSan (it keeps
// modelling the happens-before edges of the real calls: TSan's public names
// are weak aliases of `__interceptor_<name>`, which our strong definitions
// replace) and glibc's otherwise.

#include "harness/intercept/blocking_points.h"
#include "harness/intercept/callers.h"
#include "harness/intercept/real_functions.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "harness/controlled/scheduler.h"
#include "harness/stress/perturbation.h"
#include "harness/tsan/tsan_annotations.h"  // defines RACESTRESS_TSAN

namespace racestress::internal {
namespace {

// A thread the controlled engine runs as an actor has no OS thread: its
// pthread_t is a value no real thread has (a real one is an address).
constexpr uint64_t kActorThreadTag = 0x5ace000000000000;
bool IsActorThread(pthread_t t) {
  return (static_cast<uint64_t>(t) & ~uint64_t{0xffffffff}) == kActorThreadTag;
}
int ActorOf(pthread_t t) { return static_cast<int>(static_cast<uint64_t>(t) & 0xffffffff); }

struct StartedByActor {
  void* (*routine)(void*);
  void* arg;
  ActorContext context;  // stress engine: the new thread's perturbation
};

void RunControlled(void* p) {
  StartedByActor* started = static_cast<StartedByActor*>(p);
  void* (*routine)(void*) = started->routine;
  void* arg = started->arg;
  delete started;
  routine(arg);  // the result is dropped: std::thread's join() never reads it
}

void* RunPerturbed(void* p) {
  StartedByActor* started = static_cast<StartedByActor*>(p);
  void* result;
  {
    ScopedActor scoped(&started->context);
    result = started->routine(started->arg);
  }
  delete started;
  return result;
}

bool IsRecursive(const pthread_mutex_t* m) {
  return (m->__data.__kind & 3) == PTHREAD_MUTEX_RECURSIVE_NP;
}

constexpr char kMutexLock[] = "pthread_mutex_lock";
constexpr char kMutexUnlock[] = "pthread_mutex_unlock";
constexpr char kCondWait[] = "pthread_cond_wait";
constexpr char kCondSignal[] = "pthread_cond_signal";
constexpr char kCreate[] = "pthread_create";
constexpr char kJoin[] = "pthread_join";
constexpr char kRwLock[] = "pthread_rwlock_rdlock/wrlock";
constexpr char kRwUnlock[] = "pthread_rwlock_unlock";

}  // namespace

void InstallBlockingPoints() {
  InstallOncePoints();
  InstallFutexPoints();
}

void Unsupported(const char* what) {
  fprintf(stderr,
          "racestress: the controlled engine cannot schedule this case: code it did not compile "
          "calls %s, which it does not model; run the case under the stress engine (mark it "
          ".Uncontrolled(\"...\") to skip it under the controlled engine)\n",
          what);
  fflush(stderr);
  abort();
}

}  // namespace racestress::internal

namespace rs = racestress::internal;

#define RACESTRESS_INTERPOSE extern "C" __attribute__((visibility("default"))) int

RACESTRESS_INTERPOSE pthread_mutex_lock(pthread_mutex_t* m) {
  if (rs::ActorContext* actor = rs::StressActor()) {
    rs::StressPoint(actor, rs::kMutexLock);
    rs::ScopedBlocking blocked(rs::kMutexLock, rs::kMutexLock, 0);
    return rs::Real().mutex_lock(m);
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    if (rs::IsRecursive(m)) rs::Unsupported("a recursive mutex (std::recursive_mutex)");
    s->Lock(m, rs::kMutexLock, 0);
    return 0;
  }
  return rs::Real().mutex_lock(m);
}

RACESTRESS_INTERPOSE pthread_mutex_trylock(pthread_mutex_t* m) {
  if (rs::ActorContext* actor = rs::StressActor()) {
    rs::StressPoint(actor, rs::kMutexLock);
    return rs::Real().mutex_trylock(m);
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    if (rs::IsRecursive(m)) rs::Unsupported("a recursive mutex (std::recursive_mutex)");
    return s->TryLock(m, rs::kMutexLock, 0) ? 0 : EBUSY;
  }
  return rs::Real().mutex_trylock(m);
}

// A lock with a timeout under the controlled engine: taken if free; else
// the timeout expires after the others had their turn (the scheduler owns
// time, as for a timed wait).
RACESTRESS_INTERPOSE pthread_mutex_timedlock(pthread_mutex_t* m, const struct timespec* deadline) {
  if (rs::ActorContext* actor = rs::StressActor()) {
    rs::StressPoint(actor, rs::kMutexLock);
    rs::ScopedBlocking blocked(rs::kMutexLock, rs::kMutexLock, 0);
    return rs::Real().mutex_timedlock(m, deadline);
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    if (rs::IsRecursive(m)) rs::Unsupported("a recursive mutex (std::recursive_timed_mutex)");
    if (s->TryLock(m, rs::kMutexLock, 0)) return 0;
    s->Yield(rs::kMutexLock, 0);
    return ETIMEDOUT;
  }
  return rs::Real().mutex_timedlock(m, deadline);
}

RACESTRESS_INTERPOSE pthread_mutex_unlock(pthread_mutex_t* m) {
  if (rs::ActorContext* actor = rs::StressActor()) {
    const int result = rs::Real().mutex_unlock(m);
    rs::StressPoint(actor, rs::kMutexUnlock);
    return result;
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    s->Unlock(m, rs::kMutexUnlock, 0);
    return 0;
  }
  return rs::Real().mutex_unlock(m);
}

RACESTRESS_INTERPOSE pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  if (rs::ActorContext* actor = rs::StressActor()) {
    rs::StressPoint(actor, rs::kCondWait);
    rs::ScopedBlocking blocked(rs::kCondWait, rs::kCondWait, 0);
    return rs::Real().cond_wait(c, m);
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    s->CondWait(c, m, rs::kCondWait, rs::kCondWait, 0);
    return 0;
  }
  return rs::Real().cond_wait(c, m);
}

// A timed wait: `real_wait` is the C library's (or TSan's) timed or clocked
// wait. Under the controlled engine time is the scheduler's, so the timeout
// may expire at any step: it expires at once, after the others had their
// turn (a yield), which is legal for any timeout and what a caller that loops
// on its predicate handles anyway.
template <typename RealWait>
static int TimedWait(pthread_mutex_t* m, RealWait real_wait) {
  if (rs::ActorContext* actor = rs::StressActor()) {
    rs::StressPoint(actor, rs::kCondWait);
    rs::ScopedBlocking blocked(rs::kCondWait, rs::kCondWait, 0);
    return real_wait();
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    s->Unlock(m, rs::kCondWait, 0);
    s->Yield(rs::kCondWait, 0);
    s->Lock(m, rs::kCondWait, 0);
    return ETIMEDOUT;
  }
  return real_wait();
}

RACESTRESS_INTERPOSE pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m,
                                            const struct timespec* deadline) {
  return TimedWait(m, [=] { return rs::Real().cond_timedwait(c, m, deadline); });
}

RACESTRESS_INTERPOSE pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m,
                                            clockid_t clock, const struct timespec* deadline) {
  return TimedWait(m, [=] { return rs::Real().cond_clockwait(c, m, clock, deadline); });
}

// pthread_cond_signal (`all` false) and pthread_cond_broadcast.
static int Signal(pthread_cond_t* c, bool all) {
  auto real_signal = all ? rs::Real().cond_broadcast : rs::Real().cond_signal;
  if (rs::ActorContext* actor = rs::StressActor()) {
    const int result = real_signal(c);
    rs::StressPoint(actor, rs::kCondSignal);
    return result;
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    s->CondSignal(c, all, rs::kCondSignal, 0);
    return 0;
  }
  return real_signal(c);
}

RACESTRESS_INTERPOSE pthread_cond_signal(pthread_cond_t* c) { return Signal(c, /*all=*/false); }

RACESTRESS_INTERPOSE pthread_cond_broadcast(pthread_cond_t* c) { return Signal(c, /*all=*/true); }

RACESTRESS_INTERPOSE pthread_create(pthread_t* thread, const pthread_attr_t* attr,
                                    void* (*routine)(void*), void* arg) {
  if (rs::ActorContext* starter = rs::StressActor()) {
    rs::StressPoint(starter, rs::kCreate);
    auto* started = new rs::StartedByActor{routine, arg, starter->ForStartedThread()};
    const int result = rs::Real().create(thread, attr, &rs::RunPerturbed, started);
    if (result != 0) delete started;
    return result;
  }
  if (rs::ControlledScheduler* s = rs::ControlledActor()) {
    auto* started = new rs::StartedByActor{routine, arg, {}};
    const int actor = s->StartThread(&rs::RunControlled, started, rs::kCreate, 0);
    *thread = static_cast<pthread_t>(rs::kActorThreadTag | static_cast<uint64_t>(actor));
    return 0;
  }
  return rs::Real().create(thread, attr, routine, arg);
}

RACESTRESS_INTERPOSE pthread_join(pthread_t thread, void** result) {
  if (rs::IsActorThread(thread)) {
    rs::ControlledScheduler* s = rs::ControlledActor();
    if (s == nullptr) {
      fprintf(stderr, "racestress: a thread started under the controlled engine was joined "
                      "outside it (by the case's state or arbiter, or after the schedule)\n");
      abort();
    }
    s->JoinThread(rs::ActorOf(thread), rs::kJoin, 0);
    if (result != nullptr) *result = nullptr;
    return 0;
  }
  if (rs::ActorContext* actor = rs::StressActor()) {
    rs::StressPoint(actor, rs::kJoin);
    rs::ScopedBlocking blocked(rs::kJoin, rs::kJoin, 0);
    return rs::Real().join(thread, result);
  }
  return rs::Real().join(thread, result);
}

RACESTRESS_INTERPOSE pthread_detach(pthread_t thread) {
  // A detached actor still runs to its end within its schedule.
  if (rs::IsActorThread(thread)) return 0;
  return rs::Real().detach(thread);
}

// Reader-writer locks (std::shared_mutex): points under the stress engine.
// The controlled engine has no shared mode to give a reader; rather than
// run them unscheduled (a writer suspended while holding one would block
// the engine's only thread), it says so.
template <typename RealLock>
static int RwLock(RealLock real_lock, bool is_unlock) {
  if (rs::ActorContext* actor = rs::StressActor()) {
    if (is_unlock) {
      const int result = real_lock();
      rs::StressPoint(actor, rs::kRwUnlock);
      return result;
    }
    rs::StressPoint(actor, rs::kRwLock);
    rs::ScopedBlocking blocked(rs::kRwLock, rs::kRwLock, 0);
    return real_lock();
  }
  if (rs::ControlledActor() != nullptr) {
    rs::Unsupported("a reader-writer lock (pthread_rwlock_*, std::shared_mutex)");
  }
  return real_lock();
}

RACESTRESS_INTERPOSE pthread_rwlock_rdlock(pthread_rwlock_t* l) {
  return RwLock([=] { return rs::Real().rwlock_rdlock(l); }, false);
}
RACESTRESS_INTERPOSE pthread_rwlock_tryrdlock(pthread_rwlock_t* l) {
  return RwLock([=] { return rs::Real().rwlock_tryrdlock(l); }, false);
}
RACESTRESS_INTERPOSE pthread_rwlock_wrlock(pthread_rwlock_t* l) {
  return RwLock([=] { return rs::Real().rwlock_wrlock(l); }, false);
}
RACESTRESS_INTERPOSE pthread_rwlock_trywrlock(pthread_rwlock_t* l) {
  return RwLock([=] { return rs::Real().rwlock_trywrlock(l); }, false);
}
RACESTRESS_INTERPOSE pthread_rwlock_unlock(pthread_rwlock_t* l) {
  return RwLock([=] { return rs::Real().rwlock_unlock(l); }, true);
}
