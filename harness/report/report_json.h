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
// It is written to a temporary file beside PATH and renamed over PATH, so a
// reader sees the whole report or none.

#ifndef RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_
#define RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "harness/runner/sharding.h"
#include "harness/runner/verdict.h"

namespace racestress::internal {

// The report of a run; a shard's (total > 1) says which shard it is, for
// scripts/merge_shards.py.
std::string ReportJson(uint64_t run_seed, const std::string& preset,
                       const std::vector<CaseReport>& cases, Shard shard = {});

// Writes `contents` to `path` atomically (temporary file + rename).
absl::Status WriteFileAtomically(const std::string& path, const std::string& contents);

// Checks that `path` can be written, without leaving anything behind.
absl::Status CheckWritable(const std::string& path);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_REPORT_REPORT_JSON_H_
