#include "harness/intercept/real_functions.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

#include "harness/tsan/tsan_annotations.h"  // defines RACESTRESS_TSAN

#if defined(RACESTRESS_TSAN)
extern "C" {
int __interceptor_pthread_mutex_lock(pthread_mutex_t*);
int __interceptor_pthread_mutex_trylock(pthread_mutex_t*);
int __interceptor_pthread_mutex_unlock(pthread_mutex_t*);
int __interceptor_pthread_cond_wait(pthread_cond_t*, pthread_mutex_t*);
int __interceptor_pthread_cond_timedwait(pthread_cond_t*, pthread_mutex_t*,
                                         const struct timespec*);
int __interceptor_pthread_cond_clockwait(pthread_cond_t*, pthread_mutex_t*, clockid_t,
                                         const struct timespec*);
int __interceptor_pthread_cond_signal(pthread_cond_t*);
int __interceptor_pthread_cond_broadcast(pthread_cond_t*);
int __interceptor_pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int __interceptor_pthread_join(pthread_t, void**);
int __interceptor_pthread_detach(pthread_t);
int __interceptor_pthread_mutex_timedlock(pthread_mutex_t*, const struct timespec*);
int __interceptor_pthread_rwlock_rdlock(pthread_rwlock_t*);
int __interceptor_pthread_rwlock_tryrdlock(pthread_rwlock_t*);
int __interceptor_pthread_rwlock_wrlock(pthread_rwlock_t*);
int __interceptor_pthread_rwlock_trywrlock(pthread_rwlock_t*);
int __interceptor_pthread_rwlock_unlock(pthread_rwlock_t*);
}
#endif

namespace racestress::internal {
namespace {


#if defined(RACESTRESS_TSAN)
constexpr RealFunctions kReal = {
    __interceptor_pthread_mutex_lock,     __interceptor_pthread_mutex_trylock,
    __interceptor_pthread_mutex_unlock,   __interceptor_pthread_cond_wait,
    __interceptor_pthread_cond_timedwait, __interceptor_pthread_cond_clockwait,
    __interceptor_pthread_cond_signal,    __interceptor_pthread_cond_broadcast,
    __interceptor_pthread_create,         __interceptor_pthread_join,
    __interceptor_pthread_detach,         __interceptor_pthread_mutex_timedlock,
    __interceptor_pthread_rwlock_rdlock,  __interceptor_pthread_rwlock_tryrdlock,
    __interceptor_pthread_rwlock_wrlock,  __interceptor_pthread_rwlock_trywrlock,
    __interceptor_pthread_rwlock_unlock,
};
}  // namespace

const RealFunctions& Real() { return kReal; }
#else
// glibc's versioned definitions (the versions x86-64 binaries link against).
template <typename F>
void Next(F* real, const char* name, const char* version) {
  void* f = dlvsym(RTLD_NEXT, name, version);
  if (f == nullptr) f = dlsym(RTLD_NEXT, name);
  if (f == nullptr) {
    fprintf(stderr, "racestress: cannot find the C library's %s\n", name);
    abort();
  }
  *real = reinterpret_cast<F>(f);
}

RealFunctions Resolve() {
  RealFunctions r;
  Next(&r.mutex_lock, "pthread_mutex_lock", "GLIBC_2.2.5");
  Next(&r.mutex_trylock, "pthread_mutex_trylock", "GLIBC_2.2.5");
  Next(&r.mutex_unlock, "pthread_mutex_unlock", "GLIBC_2.2.5");
  Next(&r.cond_wait, "pthread_cond_wait", "GLIBC_2.3.2");
  Next(&r.cond_timedwait, "pthread_cond_timedwait", "GLIBC_2.3.2");
  Next(&r.cond_clockwait, "pthread_cond_clockwait", "GLIBC_2.30");
  Next(&r.cond_signal, "pthread_cond_signal", "GLIBC_2.3.2");
  Next(&r.cond_broadcast, "pthread_cond_broadcast", "GLIBC_2.3.2");
  Next(&r.create, "pthread_create", "GLIBC_2.34");
  Next(&r.join, "pthread_join", "GLIBC_2.34");
  Next(&r.detach, "pthread_detach", "GLIBC_2.34");
  Next(&r.mutex_timedlock, "pthread_mutex_timedlock", "GLIBC_2.34");
  Next(&r.rwlock_rdlock, "pthread_rwlock_rdlock", "GLIBC_2.34");
  Next(&r.rwlock_tryrdlock, "pthread_rwlock_tryrdlock", "GLIBC_2.34");
  Next(&r.rwlock_wrlock, "pthread_rwlock_wrlock", "GLIBC_2.34");
  Next(&r.rwlock_trywrlock, "pthread_rwlock_trywrlock", "GLIBC_2.34");
  Next(&r.rwlock_unlock, "pthread_rwlock_unlock", "GLIBC_2.34");
  return r;
}

}  // namespace

// Resolved on first use (a static initializer may lock a mutex before ours
// has run); dlvsym locks with glibc's internal functions, not these.
const RealFunctions& Real() {
  static const RealFunctions real = Resolve();
  return real;
}
#endif

}  // namespace racestress::internal
