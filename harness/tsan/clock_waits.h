// -----------------------------------------------------------------------------
// harness/tsan/clock_waits.h
// -----------------------------------------------------------------------------
//
// ThreadSanitizer before LLVM 18 has no interceptor for the clock variants of
// glibc's timed waits: pthread_mutex_clocklock (libstdc++'s
// std::timed_mutex::try_lock_for and std::recursive_timed_mutex's),
// pthread_rwlock_clockrdlock and pthread_rwlock_clockwrlock
// (std::shared_timed_mutex's try_lock_shared_for / try_lock_for) and
// sem_clockwait. TSan then never sees the lock, sees the unlock, and reports a
// correct program (a "bad unlock"; a missed happens-before edge, so false data
// races). Built with such a TSan, racestress defines these four functions in
// every binary that links it: each calls glibc's own, and tells TSan what it
// did through TSan's mutex annotations, exactly as its interceptor for the
// pthread_mutex_timedlock sibling does (a try-lock that took the mutex, or
// failed to). The semantics are glibc's, unchanged. Where TSan intercepts one
// itself (LLVM 18 added pthread_mutex_clocklock; LLVM 19 still lacks the other
// three), the call goes straight to TSan's interceptor: no workaround is
// active for it. Without TSan none of this is compiled.
//
// Thread safety: the functions are as thread-safe as glibc's.

#ifndef RACESTRESS_HARNESS_TSAN_CLOCK_WAITS_H_
#define RACESTRESS_HARNESS_TSAN_CLOCK_WAITS_H_

namespace racestress::internal {

// How many of the four this binary routes itself (those its TSan lacks an
// interceptor for); 0 without TSan.
int ClockWaitsRouted();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_TSAN_CLOCK_WAITS_H_
