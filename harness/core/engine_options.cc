#include "harness/core/engine_options.h"

#include <limits>

namespace racestress::internal {

int64_t EndIteration(const EngineOptions& options) {
  return options.max_iterations > 0 ? options.first_iteration + options.max_iterations
                                    : std::numeric_limits<int64_t>::max();
}

}  // namespace racestress::internal
