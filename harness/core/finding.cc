#include "harness/core/finding.h"

namespace racestress::internal {

const char* EngineName(EngineKind engine) {
  switch (engine) {
    case EngineKind::kStress: return "stress";
    case EngineKind::kControlled: return "controlled";
  }
  return "?";
}

Finding FindingView::ToFinding() const {
  return Finding{iteration,         kind,
                 std::string(detail), engine,
                 std::string(strategy), std::string(replay_flags), tsan_kind};
}

std::string FindingName(const Finding& finding) {
  return finding.kind == Symptom::kRace ? TsanKindName(finding.tsan_kind)
                                        : SymptomName(finding.kind);
}

RaceReport ClassifyTsanReport(const char* tsan_key) {
  const absl::string_view key = tsan_key != nullptr ? tsan_key : "";
  const TsanKind kind = TsanKindFromKey(key);
  return {kind, kind == TsanKind::kUnknown ? key : absl::string_view(TsanKindName(kind))};
}

void FindingFilter::Flag(const FindingView& finding) {
  const auto bit = static_cast<uint32_t>(finding.kind);
  const uint32_t before = found_.fetch_or(bit, std::memory_order_acq_rel);
  if ((before & bit) == 0 || finding.kind == Symptom::kRace) sink_.OnFinding(finding);
}

}  // namespace racestress::internal
