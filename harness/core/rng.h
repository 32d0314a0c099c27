// -----------------------------------------------------------------------------
// harness/core/rng.h
// -----------------------------------------------------------------------------
//
// Seed derivation and the small, fast generator behind every random choice of
// the stress engine. One run seed determines each case's seed, each
// iteration's seed and each actor's stream, so any iteration can be replayed
// from (run seed, iteration) alone, whatever ran before it.

#ifndef RACESTRESS_HARNESS_CORE_RNG_H_
#define RACESTRESS_HARNESS_CORE_RNG_H_

#include <cstdint>
#include "absl/strings/string_view.h"

namespace racestress::internal {

// Mix()
//
// Combines two 64-bit values into a well-distributed third (SplitMix64's
// finalizer over their sum). Mix(a, b) != Mix(b, a) in general.
constexpr uint64_t Mix(uint64_t a, uint64_t b) {
  uint64_t z = a + 0x9e3779b97f4a7c15ULL * (b + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// HashName()
//
// FNV-1a of a case name: stable across builds, platforms and runs.
constexpr uint64_t HashName(absl::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// The seed of one case in a run, independent of which other cases run.
constexpr uint64_t CaseSeed(uint64_t run_seed, absl::string_view case_name) {
  return Mix(run_seed, HashName(case_name));
}

// The seed of iteration `iteration` of a case.
constexpr uint64_t IterationSeed(uint64_t case_seed, uint64_t iteration) {
  return Mix(case_seed, iteration);
}

// Rng
//
// SplitMix64: one add and three multiply-xorshifts a draw. Not thread-safe:
// each actor owns its own.
class Rng {
 public:
  explicit constexpr Rng(uint64_t seed) : state_(seed) {}

  constexpr uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // A value in [0, bound), bound > 0 (Lemire's multiply-shift).
  constexpr uint32_t Below(uint32_t bound) {
    return static_cast<uint32_t>(((Next() >> 32) * bound) >> 32);
  }

  // True with probability `per_65536` / 65536.
  constexpr bool Chance(uint32_t per_65536) {
    return (Next() & 0xffff) < per_65536;
  }

 private:
  uint64_t state_;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_RNG_H_
