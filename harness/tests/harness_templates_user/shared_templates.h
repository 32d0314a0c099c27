// -----------------------------------------------------------------------------
// harness/tests/harness_templates_user/shared_templates.h
// -----------------------------------------------------------------------------
//
// A plain library, as a user writes it (no harness include), compiled with
// racestress_instrument(): it instantiates the standard-library templates the
// harness's own code instantiates too (std::vector<int>, std::string,
// std::map keyed by pointers, std::deque), so that the linker may keep its
// instrumented copies for the harness as well (HarnessTemplates.* tests).
// Under C++20, libstdc++ 12 declares no extern std::string templates: every
// user of std::string instantiates its out-of-line members, as the
// controlled scheduler does when it describes a deadlock on the fiber of the
// actor that completed the cycle.

#ifndef RACESTRESS_HARNESS_TESTS_HARNESS_TEMPLATES_USER_SHARED_TEMPLATES_H_
#define RACESTRESS_HARNESS_TESTS_HARNESS_TEMPLATES_USER_SHARED_TEMPLATES_H_

#include <mutex>

namespace templates_user {

// Sums 1..n through a std::map<const void*, int> and through a
// std::deque<int> (each filled from a std::vector<int> grown from empty),
// adds n ones from a std::vector<long> and the length of a std::string of
// 2n + 2 characters built alongside: n(n+1) + n + 2n + 2 in all. Touches
// nothing shared: any thread may call it.
long SumThroughContainers(int n);

// Locks `first`, then `second`, then unlocks both: called with two mutexes
// in opposite orders by two threads, a lock-order deadlock.
void LockBoth(std::mutex& first, std::mutex& second);

}  // namespace templates_user

#endif  // RACESTRESS_HARNESS_TESTS_HARNESS_TEMPLATES_USER_SHARED_TEMPLATES_H_
