// -----------------------------------------------------------------------------
// harness/report/report_json.h
// -----------------------------------------------------------------------------
//
// The JSON report (--json=PATH):
//
//   {"seed": "0x…", "preset": "tsan", "engine": "stress", "engine_flags": "",
//    "iteration_budget": 0, "time_budget": "0", "replay": null,
//    "shard": {"index": 0, "total": 1},
//    "cases": [{"name", "expectation", "passed", "skipped", "iterations",
//    "elapsed_ms", "races", "hangs", "crashes",
//    "outcomes": [{"value", "count", "class"}],
//    "first_failure": {"iteration", "kind", "report_kind", "detail", "replay"}
//                     | null}]}
//
// The fields before "cases" say which run this is (ReportRun), so that
// scripts/merge_shards.py merges only the shards of one run. "class" is the
// grade's ExpectName(), "kind" the symptom's SymptomKey() (harness/outcome.h):
// the family, "race" for every ThreadSanitizer report, as before kinds were
// told apart. "report_kind" says which report a race is, as TSan names it
// (TsanKindKey(): "data-race", "lock-order-inversion", "heap-use-after-free",
// ..., "unknown" for a kind racestress does not know); null for any other
// symptom. "races" counts the reports of every kind.
// The runner writes it with WriteFileAtomically() (report/atomic_file.h), so
// a reader sees the whole report or none.
//
// Thread safety: a pure function.

#ifndef RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_
#define RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "harness/core/case_report.h"
// Not used here: for the callers that wrote their reports with the
// functions it declares when they lived in this header (gtest/runner.cc).
#include "harness/report/atomic_file.h"

namespace racestress::internal {

// Which shard of a sharded run a report is (runner/sharding.h finds out);
// an unsharded run is shard 0 of 1.
struct ReportShard {
  int index = 0;
  int total = 1;
};

// What makes the reports of two shards reports of one run: the same values
// of all but `shard`.
struct ReportRun {
  uint64_t seed = 0;
  std::string preset;
  std::string engine = "stress";        // --engine's value
  std::string engine_flags;             // the engine's own flags, "" for stress
  int64_t iteration_budget = 0;         // --iterations as given; 0: each case's own
  absl::Duration time_budget;           // --time_budget as given; zero: each case's own
  std::string replay;                   // --replay's token, "" when not replaying (null)
  ReportShard shard;
};

std::string ReportJson(const ReportRun& run, const std::vector<CaseReport>& cases);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_
