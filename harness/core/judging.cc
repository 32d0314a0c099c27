#include "harness/core/judging.h"

#include "absl/strings/str_cat.h"
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

}  // namespace racestress::internal
