// -----------------------------------------------------------------------------
// harness/gtest/run_reports.h
// -----------------------------------------------------------------------------
//
// The run's --json and --html reports, and how a --noisolate run ends when a
// case ends its process. Each report file is written whole or not at all
// (a temporary file renamed over it). With --noisolate the reports are
// written before each case as well, naming that case as the one that ended
// the run: if it does (a crash, _exit() in a signal handler of its own), the
// reports on disk hold every case before it and say which one ended it; if
// it does not, the next write replaces them.
//
// Thread safety: the runner's main thread, except EndRunInProcess(), which
// runs on the thread that ends the process while the main thread is inside
// the case (it touches nothing the main thread does then).

#ifndef RACESTRESS_HARNESS_GTEST_RUN_REPORTS_H_
#define RACESTRESS_HARNESS_GTEST_RUN_REPORTS_H_

#include <vector>

#include "harness/core/case_report.h"
#include "harness/runner/flags.h"
#include "harness/runner/protocol.h"

namespace racestress::internal {

// Writes the reports of `reports` that `options` asks for. A report that
// cannot be written ends the process with a one-line error and exit code 2.
void WriteRunReports(const RunOptions& options, const std::vector<CaseReport>& reports);

// With --noisolate, just before `c` runs under `options` (which must outlive
// the case): the reports so far, and `c` as the case that ended the run.
void WriteReportsBeforeInProcessCase(const CaseBase& c, const RunOptions& options);

// The runner's InProcessEnding (case_ending.h): judges `run`, prints the
// verdict, writes the reports with it, and ends the process with code 1.
[[noreturn]] void EndRunInProcess(const CaseBase& c, const CaseRun& run, const char* why);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_GTEST_RUN_REPORTS_H_
