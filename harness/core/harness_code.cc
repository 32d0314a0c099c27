#include "harness/core/harness_code.h"

namespace racestress::internal {

thread_local constinit std::atomic<int> harness_code_depth{0};

}  // namespace racestress::internal
