#include "harness/tsan/clock_waits.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

// This layer links nothing but TSan: it detects TSan itself.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RACESTRESS_ROUTE_CLOCK_WAITS 1
#endif
#endif

#if defined(RACESTRESS_ROUTE_CLOCK_WAITS)

// TSan's annotation interface (sanitizer/tsan_interface.h), flags as there;
// and TSan's own interceptors of the four, where it has them (LLVM 18 added
// pthread_mutex_clocklock's): our definitions replace TSan's weak public
// names, so where TSan intercepts a call we hand it straight to TSan.
extern "C" {
void __tsan_acquire(void* addr);
void __tsan_mutex_pre_lock(void* addr, unsigned flags);
int __tsan_mutex_post_lock(void* addr, unsigned flags, int recursion);
int __interceptor_pthread_mutex_clocklock(pthread_mutex_t*, clockid_t, const struct timespec*)
    __attribute__((weak));
int __interceptor_pthread_rwlock_clockrdlock(pthread_rwlock_t*, clockid_t, const struct timespec*)
    __attribute__((weak));
int __interceptor_pthread_rwlock_clockwrlock(pthread_rwlock_t*, clockid_t, const struct timespec*)
    __attribute__((weak));
int __interceptor_sem_clockwait(sem_t*, clockid_t, const struct timespec*) __attribute__((weak));
}

namespace {

constexpr unsigned kReadLock = 1 << 3;       // __tsan_mutex_read_lock
constexpr unsigned kTryLock = 1 << 4;        // __tsan_mutex_try_lock
constexpr unsigned kTryLockFailed = 1 << 5;  // __tsan_mutex_try_lock_failed

// glibc's definition, which ours stands in front of.
template <typename F>
F Next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// A timed lock is a try-lock to TSan: it may fail. EOWNERDEAD (a robust
// mutex whose owner died) still hands the mutex over.
template <typename Lock>
int AnnotatedLock(void* lock, unsigned flags, Lock&& call) {
  __tsan_mutex_pre_lock(lock, flags | kTryLock);
  const int result = call();
  const bool taken = result == 0 || result == EOWNERDEAD;
  __tsan_mutex_post_lock(lock, flags | kTryLock | (taken ? 0 : kTryLockFailed), 0);
  return result;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int pthread_mutex_clocklock(
    pthread_mutex_t* mutex, clockid_t clock, const struct timespec* deadline) {
  if (&__interceptor_pthread_mutex_clocklock != nullptr) {
    return __interceptor_pthread_mutex_clocklock(mutex, clock, deadline);
  }
  static const auto real =
      Next<int (*)(pthread_mutex_t*, clockid_t, const struct timespec*)>("pthread_mutex_clocklock");
  return AnnotatedLock(mutex, 0, [&] { return real(mutex, clock, deadline); });
}

extern "C" __attribute__((visibility("default"))) int pthread_rwlock_clockrdlock(
    pthread_rwlock_t* lock, clockid_t clock, const struct timespec* deadline) {
  if (&__interceptor_pthread_rwlock_clockrdlock != nullptr) {
    return __interceptor_pthread_rwlock_clockrdlock(lock, clock, deadline);
  }
  static const auto real = Next<int (*)(pthread_rwlock_t*, clockid_t, const struct timespec*)>(
      "pthread_rwlock_clockrdlock");
  return AnnotatedLock(lock, kReadLock, [&] { return real(lock, clock, deadline); });
}

extern "C" __attribute__((visibility("default"))) int pthread_rwlock_clockwrlock(
    pthread_rwlock_t* lock, clockid_t clock, const struct timespec* deadline) {
  if (&__interceptor_pthread_rwlock_clockwrlock != nullptr) {
    return __interceptor_pthread_rwlock_clockwrlock(lock, clock, deadline);
  }
  static const auto real = Next<int (*)(pthread_rwlock_t*, clockid_t, const struct timespec*)>(
      "pthread_rwlock_clockwrlock");
  return AnnotatedLock(lock, 0, [&] { return real(lock, clock, deadline); });
}

// As TSan's sem_timedwait: a successful wait acquires what sem_post released.
extern "C" __attribute__((visibility("default"))) int sem_clockwait(
    sem_t* sem, clockid_t clock, const struct timespec* deadline) {
  if (&__interceptor_sem_clockwait != nullptr) return __interceptor_sem_clockwait(sem, clock, deadline);
  static const auto real =
      Next<int (*)(sem_t*, clockid_t, const struct timespec*)>("sem_clockwait");
  const int result = real(sem, clock, deadline);
  if (result == 0) __tsan_acquire(sem);
  return result;
}

#endif  // RACESTRESS_ROUTE_CLOCK_WAITS

namespace racestress::internal {

int ClockWaitsRouted() {
#if defined(RACESTRESS_ROUTE_CLOCK_WAITS)
  return (&__interceptor_pthread_mutex_clocklock == nullptr) +
         (&__interceptor_pthread_rwlock_clockrdlock == nullptr) +
         (&__interceptor_pthread_rwlock_clockwrlock == nullptr) +
         (&__interceptor_sem_clockwait == nullptr);
#else
  return 0;
#endif
}

}  // namespace racestress::internal
