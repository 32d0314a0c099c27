#include "harness/core/engine_options.h"

#include <limits>

namespace racestress::internal {

int64_t EndIteration(const EngineOptions& options) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (options.max_iterations <= 0) return kMax;
  // A replay near the end of the range with a large count: no overflow.
  if (options.first_iteration > kMax - options.max_iterations) return kMax;
  return options.first_iteration + options.max_iterations;
}

}  // namespace racestress::internal
