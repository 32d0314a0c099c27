// -----------------------------------------------------------------------------
// harness/intercept/instrument_hooks.h
// -----------------------------------------------------------------------------
//
// What the hooks behind `racestress_instrument()` (instrument_hooks.cc) say
// about themselves, for the tests that check them.

#ifndef RACESTRESS_HARNESS_INTERCEPT_INSTRUMENT_HOOKS_H_
#define RACESTRESS_HARNESS_INTERCEPT_INSTRUMENT_HOOKS_H_

#include <cstdint>

namespace racestress::internal {

// How many loads and stores of instrumented code the hooks were called for
// while the harness's own code ran (core/harness_code.h), in the whole
// process: each was passed over, not made a scheduling point. Nonzero only
// when the harness ran a user's instrumented copy of an inline or template
// function it uses itself. Thread-safe.
int64_t InstrumentedAccessesInHarnessCode();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_INTERCEPT_INSTRUMENT_HOOKS_H_
