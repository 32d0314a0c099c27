#include "harness/core/finding.h"

namespace racestress::internal {

const char* EngineName(EngineKind engine) {
  switch (engine) {
    case EngineKind::kStress: return "stress";
    case EngineKind::kControlled: return "controlled";
  }
  return "?";
}

}  // namespace racestress::internal
