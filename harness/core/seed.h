// -----------------------------------------------------------------------------
// harness/core/seed.h
// -----------------------------------------------------------------------------
//
// Run seeds as people type and read them: decimal or 0x-hex in, "0x" and 16
// hex digits out (the seed banner, replay lines, reports).
//
// Thread safety: pure functions.

#ifndef RACESTRESS_HARNESS_CORE_SEED_H_
#define RACESTRESS_HARNESS_CORE_SEED_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace racestress::internal {

// ParseSeed()
//
// Parses "12345" or "0x3039"; false for anything else.
bool ParseSeed(absl::string_view text, uint64_t* seed);

// FormatSeed()
//
// "0x" followed by 16 hex digits.
std::string FormatSeed(uint64_t seed);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_SEED_H_
