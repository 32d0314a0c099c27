// -----------------------------------------------------------------------------
// harness/core/case_report.h
// -----------------------------------------------------------------------------
//
// The verdict on one case, as data: what the runner judged (runner/verdict.h)
// and what the reports print (report/). Strings only where they are words
// for a reader (the message); grades and symptoms stay enums.

#ifndef RACESTRESS_HARNESS_CORE_CASE_REPORT_H_
#define RACESTRESS_HARNESS_CORE_CASE_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/finding.h"
#include "harness/outcome.h"

namespace racestress::internal {

struct OutcomeCount {
  std::string value;
  int64_t count = 0;
  Expect grade = Expect::kForbidden;  // ExpectName() names it
  std::string description;
};

struct CaseReport {
  std::string name;         // Suite.Name
  std::string file;
  int line = 0;
  bool racy = false;
  bool passed = false;
  bool skipped = false;
  int64_t first_iteration = 0;  // where the run started (a replay, a shard)
  int64_t iterations = 0;
  int64_t elapsed_ms = 0;
  int64_t races = 0;
  int64_t hangs = 0;
  int64_t crashes = 0;
  std::vector<OutcomeCount> outcomes;  // most frequent first
  std::optional<Finding> first_failure;  // racy: first detection
  std::string replay;                  // command replaying first_failure
  std::string message;                 // the verdict in words
  std::string note;                    // the engine's closing remark, if any
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_CASE_REPORT_H_
