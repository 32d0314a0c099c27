#include "harness/core/judging.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "harness/tsan/tsan_reports.h"

namespace racestress::internal {

Symptom ForbiddenSymptom(const CaseBase& c, int row) {
  if (row == kUndeclaredRow) return Symptom::kForbidden;
  const OutcomeRow& outcome = c.config().outcomes[row];
  return outcome.grade == Expect::kForbidden ? outcome.symptom : Symptom::kNone;
}

std::string ForbiddenDetail(const CaseBase& c, int row, const std::string& value) {
  return absl::StrCat(value, ", graded forbidden (",
                      row == kUndeclaredRow ? "no declared outcome matches"
                                            : c.config().outcomes[row].description,
                      ")");
}

Symptom JudgeOutcome(const CaseBase& c, Accumulator& accumulator, void* state,
                     const FindingFilter& filter, std::string* detail) {
  const int row = accumulator.Add(state);
  const Symptom kind = ForbiddenSymptom(c, row);
  if (kind == Symptom::kNone || filter.Found(kind)) return Symptom::kNone;
  *detail = ForbiddenDetail(c, row, accumulator.LastValue());
  return kind;
}

Symptom CountedSymptoms(const CaseBase& c) {
  Symptom counted = c.config().racy_symptoms;
  if (!kTsanEnabled) {
    counted = static_cast<Symptom>(static_cast<uint32_t>(counted) &
                                   ~static_cast<uint32_t>(Symptom::kRace));
  }
  return counted;
}

bool CountsForRacyCase(const CaseBase& c, const Finding& finding) {
  if (!Any(finding.kind & CountedSymptoms(c))) return false;
  const std::vector<TsanKind>& kinds = c.config().race_kinds;
  return finding.kind != Symptom::kRace || kinds.empty() ||
         std::find(kinds.begin(), kinds.end(), finding.tsan_kind) != kinds.end();
}

std::string RaceKindsName(const std::vector<TsanKind>& kinds, const char* separator) {
  return absl::StrJoin(kinds, separator, [](std::string* out, TsanKind kind) {
    out->append(TsanKindName(kind));
  });
}

std::string SymptomsName(const CaseConfig& config, Symptom symptoms) {
  if (config.race_kinds.empty() || !Any(symptoms & Symptom::kRace)) return SymptomName(symptoms);
  const auto others = static_cast<Symptom>(static_cast<uint32_t>(symptoms) &
                                           ~static_cast<uint32_t>(Symptom::kRace));
  std::string out = RaceKindsName(config.race_kinds, " or ");
  if (Any(others)) absl::StrAppend(&out, " or ", SymptomName(others));
  return out;
}

std::string DeclarationError(const CaseConfig& config) {
  if (config.race_kinds.empty() || (config.racy && Any(config.racy_symptoms & Symptom::kRace))) {
    return "";
  }
  return absl::StrCat(config.FullName(), ": .RaceKinds() names ",
                      RaceKindsName(config.race_kinds, ", "),
                      ", but the case is not declared racy with Symptom::kRace (.Racy(), or "
                      "EXPECT_RACE_DETECTED for a scenario): one of them is wrong");
}

}  // namespace racestress::internal
