#include "harness/core/seed.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace racestress::internal {

bool ParseSeed(absl::string_view text, uint64_t* seed) {
  // Only digits (hex digits after 0x): Abseil's parsers would also take
  // spaces, a sign or a second prefix.
  const bool hex = absl::StartsWithIgnoreCase(text, "0x");
  if (hex) text.remove_prefix(2);
  if (text.empty() || (hex && text.size() > 16)) return false;
  for (char c : text) {
    if (!(hex ? absl::ascii_isxdigit(static_cast<unsigned char>(c))
              : absl::ascii_isdigit(static_cast<unsigned char>(c)))) {
      return false;
    }
  }
  return hex ? absl::SimpleHexAtoi(text, seed) : absl::SimpleAtoi(text, seed);
}

std::string FormatSeed(uint64_t seed) { return absl::StrFormat("0x%016x", seed); }

}  // namespace racestress::internal
