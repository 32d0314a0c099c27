// -----------------------------------------------------------------------------
// harness/intercept/blocking_points.h
// -----------------------------------------------------------------------------
//
// The pthread functions of blocking_points.cc replace the C library's in a
// binary that links them. Linking the instrument hooks links them (the hooks
// call this); a binary without instrumented code calls it to get them.

#ifndef RACESTRESS_HARNESS_INTERCEPT_BLOCKING_POINTS_H_
#define RACESTRESS_HARNESS_INTERCEPT_BLOCKING_POINTS_H_

namespace racestress::internal {

// Does nothing; a reference to it links the interposed pthread functions.
void InstallBlockingPoints();

// Does nothing; InstallBlockingPoints() refers to it, which links
// pthread_once (once.cc).
void InstallOncePoints();

// Does nothing; InstallBlockingPoints() refers to it, which links syscall
// (its futex calls) and sched_yield (futex.cc).
void InstallFutexPoints();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_INTERCEPT_BLOCKING_POINTS_H_
