// -----------------------------------------------------------------------------
// harness/intercept/real_functions.h
// -----------------------------------------------------------------------------
//
// The pthread functions that blocking_points.cc replaces, as they were before
// it: ThreadSanitizer's interceptors under TSan (TSan's public names are weak
// aliases of `__interceptor_<name>`, which our strong definitions replace),
// glibc's otherwise.
//
// Thread safety: resolved once, on first use; then read-only.

#ifndef RACESTRESS_HARNESS_INTERCEPT_REAL_FUNCTIONS_H_
#define RACESTRESS_HARNESS_INTERCEPT_REAL_FUNCTIONS_H_

#include <pthread.h>
#include <time.h>

namespace racestress::internal {


struct RealFunctions {
  int (*mutex_lock)(pthread_mutex_t*);
  int (*mutex_trylock)(pthread_mutex_t*);
  int (*mutex_unlock)(pthread_mutex_t*);
  int (*cond_wait)(pthread_cond_t*, pthread_mutex_t*);
  int (*cond_timedwait)(pthread_cond_t*, pthread_mutex_t*, const struct timespec*);
  int (*cond_clockwait)(pthread_cond_t*, pthread_mutex_t*, clockid_t, const struct timespec*);
  int (*cond_signal)(pthread_cond_t*);
  int (*cond_broadcast)(pthread_cond_t*);
  int (*create)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
  int (*join)(pthread_t, void**);
  int (*detach)(pthread_t);
  int (*mutex_timedlock)(pthread_mutex_t*, const struct timespec*);
  int (*rwlock_rdlock)(pthread_rwlock_t*);
  int (*rwlock_tryrdlock)(pthread_rwlock_t*);
  int (*rwlock_wrlock)(pthread_rwlock_t*);
  int (*rwlock_trywrlock)(pthread_rwlock_t*);
  int (*rwlock_unlock)(pthread_rwlock_t*);
};

// The functions our definitions stand in front of.
const RealFunctions& Real();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_INTERCEPT_REAL_FUNCTIONS_H_
