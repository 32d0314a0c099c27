// -----------------------------------------------------------------------------
// harness/report/outcome_table.h
// -----------------------------------------------------------------------------
//
// The outcome histogram as text, jcstress-style, as the runner prints it
// after each case and scenario: the iteration count (and rate), the engine's
// note, then one row per value: RESULT, SAMPLES, FREQ, EXPECT (the grade's
// ExpectName()), DESCRIPTION.
//
// Thread safety: a pure function.

#ifndef RACESTRESS_HARNESS_REPORT_OUTCOME_TABLE_H_
#define RACESTRESS_HARNESS_REPORT_OUTCOME_TABLE_H_

#include <string>

#include "harness/core/case_report.h"

namespace racestress::internal {

// OutcomeTable()
//
// The iteration count and outcome histogram of `report` ("" when it has
// none, or was skipped); the 12 most frequent values, then how many more.
std::string OutcomeTable(const CaseReport& report);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_REPORT_OUTCOME_TABLE_H_
