// -----------------------------------------------------------------------------
// harness/core/judging.h
// -----------------------------------------------------------------------------
//
// How an iteration's outcome and a case's symptoms are judged, the same way
// by every engine and by the verdict: which declared outcome row flags what,
// and which symptoms count for a racy case in this build.
//
// Thread safety: pure functions of the case's configuration.

#ifndef RACESTRESS_HARNESS_CORE_JUDGING_H_
#define RACESTRESS_HARNESS_CORE_JUDGING_H_

#include <string>
#include <vector>

#include "harness/core/case_base.h"
#include "harness/core/finding.h"
#include "harness/outcome.h"

namespace racestress::internal {

// ForbiddenSymptom()
//
// The symptom an arbiter value in outcome row `row` flags, or kNone if the
// row is not forbidden.
Symptom ForbiddenSymptom(const CaseBase& c, int row);

// ForbiddenDetail()
//
// The finding's text for a forbidden `value` in row `row`.
std::string ForbiddenDetail(const CaseBase& c, int row, const std::string& value);

// JudgeOutcome()
//
// Runs the arbiter on a finished `state` (into `accumulator`). Returns the
// symptom its outcome flags, with its text in `detail`, if that symptom is
// one `filter` has not flagged yet; else kNone (and no text is built: the
// hot loop of a case that fails every iteration stays cheap).
Symptom JudgeOutcome(const CaseBase& c, Accumulator& accumulator, void* state,
                     const FindingFilter& filter, std::string* detail);

// CountedSymptoms()
//
// The symptoms that count for a racy case here: races only where TSan runs.
Symptom CountedSymptoms(const CaseBase& c);

// CountsForRacyCase()
//
// Whether `finding` passes racy case `c` here: of a symptom CountedSymptoms()
// has and, for a race, of one of the kinds `c` declares (RaceKinds(); any
// kind if it declares none).
bool CountsForRacyCase(const CaseBase& c, const Finding& finding);

// RaceKindsName()
//
// `kinds` in words, joined by `separator`: "lock-order inversion or data race".
std::string RaceKindsName(const std::vector<TsanKind>& kinds, const char* separator);

// SymptomsName()
//
// SymptomName(symptoms), with the race named by the kinds `config` declares,
// if any: "lock-order inversion or hang".
std::string SymptomsName(const CaseConfig& config, Symptom symptoms);

// DeclarationError()
//
// What contradicts itself in `config` ("" if nothing): kinds of race
// declared by a case that is not racy with Symptom::kRace.
std::string DeclarationError(const CaseConfig& config);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_JUDGING_H_
