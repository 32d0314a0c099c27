#include "harness/gtest/run_reports.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "harness/core/seed.h"
#include "harness/gtest/gtest_bridge.h"
#include "harness/report/atomic_file.h"
#include "harness/report/outcome_table.h"
#include "harness/report/report_html.h"
#include "harness/report/report_json.h"
#include "harness/runner/supervisor.h"
#include "harness/runner/verdict.h"

namespace racestress::internal {
namespace {

// The options of the --noisolate case under way, for EndRunInProcess().
const RunOptions* in_process_options = nullptr;

void WriteOrExit(const std::string& path, const std::string& text) {
  const absl::Status status = WriteFileAtomically(path, text);
  if (status.ok()) return;
  fprintf(stderr, "racestress: %s\n", std::string(status.message()).c_str());
  fflush(stdout);
  syscall(SYS_exit_group, 2);
}

// Which run the JSON report is of: what the shards of one run agree on.
ReportRun ReportRunOf(const RunOptions& options) {
  ReportRun run;
  run.seed = options.run_seed;
  run.preset = options.preset;
  run.engine = EngineName(options);
  run.engine_flags = EngineFlags(options);
  run.iteration_budget = options.iterations;
  run.time_budget = options.time_budget;
  if (options.replaying) {
    run.replay = FormatSeed(options.run_seed) + ":" + std::to_string(options.first_iteration);
  }
  run.shard = {options.shard_index, options.total_shards};
  return run;
}

}  // namespace

void WriteRunReports(const RunOptions& options, const std::vector<CaseReport>& reports) {
  if (!options.json_path.empty()) {
    WriteOrExit(options.json_path, ReportJson(ReportRunOf(options), reports));
  }
  if (!options.html_path.empty()) {
    WriteOrExit(options.html_path, ReportHtml(options.run_seed, options.preset, reports));
  }
}

void WriteReportsBeforeInProcessCase(const CaseBase& c, const RunOptions& options) {
  in_process_options = &options;
  if (options.json_path.empty() && options.html_path.empty()) return;
  CaseRun ended;
  Finding finding;
  finding.kind = Symptom::kCrash;
  finding.detail =
      "the run's process ended while this case ran (--noisolate): the runner's last output "
      "says how; run it without --noisolate to see it in a process of its own";
  ended.findings.push_back(std::move(finding));
  std::vector<CaseReport> reports = CaseReports();
  reports.push_back(Judge(c, ended, options, RunnerPath()));
  WriteRunReports(options, reports);
}

void EndRunInProcess(const CaseBase& c, const CaseRun& run, const char* why) {
  const RunOptions& options = *in_process_options;
  const CaseReport report = Judge(c, run, options, RunnerPath());
  AppendCaseReport(report);
  fflush(stdout);
  printf("%s\n%s", report.message.c_str(), OutcomeTable(report).c_str());
  printf("racestress: %s: %s; with --noisolate the run ends here, and the cases after it do "
         "not run (without --noisolate, each case runs in a process of its own)\n",
         report.name.c_str(), why);
  fflush(stdout);
  WriteRunReports(options, CaseReports());
  fflush(stderr);
  syscall(SYS_exit_group, 1);
  abort();
}

}  // namespace racestress::internal
