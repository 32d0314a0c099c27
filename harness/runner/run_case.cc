#include "harness/runner/run_case.h"

#include "harness/controlled/engine.h"
#include "harness/stress/engine.h"

namespace racestress::internal {

EngineResult RunCase(const CaseBase& c, const EngineOptions& options, FindingSink& sink) {
  switch (options.engine) {
    case EngineKind::kControlled: return RunControlled(c, options, sink);
    case EngineKind::kStress: break;
  }
  return RunStress(c, options, sink);
}

}  // namespace racestress::internal
