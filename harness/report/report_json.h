// -----------------------------------------------------------------------------
// harness/report/report_json.h
// -----------------------------------------------------------------------------
//
// The JSON report (--json=PATH):
//
//   {"seed": "0x…", "preset": "tsan", "cases": [{"name", "expectation",
//    "passed", "skipped", "iterations", "elapsed_ms", "races", "hangs",
//    "crashes", "outcomes": [{"value", "count", "class"}],
//    "first_failure": {"iteration", "kind", "detail", "replay"} | null}]}
//
// "class" is the grade's ExpectName(), "kind" the symptom's SymptomKey()
// (harness/outcome.h). The runner writes it with WriteFileAtomically()
// (report/atomic_file.h), so a reader sees the whole report or none.
//
// Thread safety: a pure function.

#ifndef RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_
#define RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/case_report.h"
// Not used here: for the callers that wrote their reports with the
// functions it declares when they lived in this header (gtest/runner.cc).
#include "harness/report/atomic_file.h"

namespace racestress::internal {

// Which shard of a sharded run a report is (runner/sharding.h finds out).
struct ReportShard {
  int index = 0;
  int total = 1;
};

// The report of a run; a shard's (total > 1) says which shard it is, for
// scripts/merge_shards.py.
std::string ReportJson(uint64_t run_seed, const std::string& preset,
                       const std::vector<CaseReport>& cases, ReportShard shard = {});

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_
