#include <memory>
#include <string>
#include <vector>

#include "harness/core/case_base.h"

namespace racestress::internal {

std::vector<std::unique_ptr<CaseBase>>& Registry() {
  // Function-local: cases register from static initializers in any order.
  static auto* registry = new std::vector<std::unique_ptr<CaseBase>>();
  return *registry;
}

const CaseBase* FindCase(const std::string& full_name) {
  for (const auto& c : Registry()) {
    if (c->config().FullName() == full_name) return c.get();
  }
  return nullptr;
}

}  // namespace racestress::internal
