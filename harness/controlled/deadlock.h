// -----------------------------------------------------------------------------
// harness/controlled/deadlock.h
// -----------------------------------------------------------------------------
//
// What a deadlock report says: each blocked actor, where it waits and for
// what (a mutex named as each side's source names it, and who holds it), and
// the wait-for cycle when the waits are on mutexes.
//
// Thread safety: a pure function of the scheduler's books.

#ifndef RACESTRESS_HARNESS_CONTROLLED_DEADLOCK_H_
#define RACESTRESS_HARNESS_CONTROLLED_DEADLOCK_H_

#include <cstdint>
#include <deque>
#include <string>

#include "harness/controlled/actor.h"

namespace racestress::internal {

// DescribeDeadlock()
//
// The report for step `step`, when none of the first `live` of `actors` can
// run.
std::string DescribeDeadlock(int64_t step, const std::deque<Actor>& actors, int live,
                             const HeldMutexes& held);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_DEADLOCK_H_
