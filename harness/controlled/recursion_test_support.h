// -----------------------------------------------------------------------------
// harness/controlled/recursion_test_support.h
// -----------------------------------------------------------------------------
//
// A recursion of a known stack depth, for the tests of actors' stacks (a
// fiber's, a thread's). Each frame keeps a 1 KiB volatile buffer, so the
// depth is real stack under every preset (TSan's frames are larger, never
// smaller), and the call is not a tail call the compiler could turn into a
// loop.

#ifndef RACESTRESS_HARNESS_CONTROLLED_RECURSION_TEST_SUPPORT_H_
#define RACESTRESS_HARNESS_CONTROLLED_RECURSION_TEST_SUPPORT_H_

#include <cstdint>
#include <limits>

namespace racestress::internal {

// Recurses until at least `bytes` of stack lie between the first frame and
// the deepest one; returns that span. `bytes` = kUnbounded recurses until the
// stack overflows.
inline constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();

[[gnu::noinline]] inline int64_t RecurseAtLeast(int64_t bytes, uintptr_t first_frame = 0) {
  volatile char frame[1024];
  frame[0] = 1;
  frame[sizeof(frame) - 1] = 1;
  const auto here = reinterpret_cast<uintptr_t>(&frame[0]);
  if (first_frame == 0) first_frame = here;
  const auto span = static_cast<int64_t>(first_frame - here);
  if (span >= bytes) return span;
  // Reads this frame after the call: the frame must outlive it.
  return RecurseAtLeast(bytes, first_frame) + frame[sizeof(frame) - 1] - 1;
}

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_RECURSION_TEST_SUPPORT_H_
