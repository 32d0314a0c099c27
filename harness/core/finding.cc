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

namespace {
static_assert(static_cast<uint32_t>(TsanKind::kMutexHeldInWrongContext) < 32,
              "a race's kind is one bit of found_race_kinds_");
uint32_t KindBit(TsanKind kind) { return uint32_t{1} << (static_cast<uint32_t>(kind) & 31); }
}  // namespace

void FindingFilter::Flag(const FindingView& finding) {
  const auto bit = static_cast<uint32_t>(finding.kind);
  if (finding.kind == Symptom::kRace) {
    // Before found_: whoever sees the race found sees its kind too.
    found_race_kinds_.fetch_or(KindBit(finding.tsan_kind), std::memory_order_acq_rel);
  }
  const uint32_t before = found_.fetch_or(bit, std::memory_order_acq_rel);
  if ((before & bit) == 0 || finding.kind == Symptom::kRace) sink_.OnFinding(finding);
}

bool FindingFilter::Found(Symptom kinds, absl::Span<const TsanKind> race_kinds) const {
  auto bits = static_cast<uint32_t>(kinds);
  const auto race = static_cast<uint32_t>(Symptom::kRace);
  if ((bits & race) != 0 && !race_kinds.empty()) {
    bits &= ~race;
    const uint32_t found_kinds = found_race_kinds_.load(std::memory_order_acquire);
    for (TsanKind kind : race_kinds) {
      if ((found_kinds & KindBit(kind)) != 0) return true;
    }
  }
  return (found_.load(std::memory_order_acquire) & bits) != 0;
}

}  // namespace racestress::internal
