#include "harness/gtest/gtest_bridge.h"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "harness/core/case_base.h"
#include "harness/core/judging.h"
#include "harness/core/rng.h"
#include "harness/gtest/run_reports.h"
#include "harness/report/outcome_table.h"
#include "harness/runner/case_ending.h"
#include "harness/runner/sharding.h"
#include "harness/runner/supervisor.h"
#include "harness/tsan/tsan_reports.h"

namespace racestress::internal {
namespace {

// The --gtest_repeat repetition under way (0 for the first or only one).
int current_repetition = 0;

// How many scenarios the running test has run so far.
int scenarios_in_test = 0;

std::vector<CaseReport>& MutableReports() {
  static auto* reports = new std::vector<CaseReport>();
  return *reports;
}

class CaseTest : public testing::Test {
 public:
  CaseTest(const CaseBase* c, const RunOptions* options) : case_(c), options_(options) {}

  void TestBody() override {
    const CaseReport report = RunAndJudge(*case_, *options_);
    const CaseConfig& config = case_->config();
    if (report.skipped) {
      GTEST_SKIP() << report.message;
    } else if (!report.passed) {
      ADD_FAILURE_AT(config.file.c_str(), config.line) << report.message;
    } else if (config.racy) {
      printf("%s\n", report.message.c_str());
    }
  }

 private:
  const CaseBase* case_;
  const RunOptions* options_;
};

// The seed, verdict, iterations and replay line of `report` as properties of
// the running GoogleTest test, so --gtest_output=xml|json (and CTest's JUnit
// output) carry them. A test with several scenarios keeps its last one's.
void RecordVerdict(const CaseReport& report, uint64_t run_seed) {
  if (testing::UnitTest::GetInstance()->current_test_info() == nullptr) return;
  testing::Test::RecordProperty("racestress_seed", FormatSeed(run_seed));
  testing::Test::RecordProperty(
      "racestress_verdict", report.skipped ? "skipped" : report.passed ? "passed" : "failed");
  testing::Test::RecordProperty("racestress_iterations", absl::StrCat(report.iterations));
  if (!report.replay.empty()) testing::Test::RecordProperty("racestress_replay", report.replay);
}

// The command line's options, for the cases and the scenarios.
const RunOptions* runner_options = nullptr;

}  // namespace

const RunOptions* RunnerOptions() { return runner_options; }

CaseReport RunAndJudge(const CaseBase& c, const RunOptions& run_options) {
  const CaseConfig& config = c.config();
  // Each --gtest_repeat repetition explores new seeds; its failures print
  // the seed they actually ran with, so the replay line stays exact.
  RunOptions options = run_options;
  if (current_repetition > 0 && !options.replaying) {
    options.run_seed = Mix(options.run_seed, static_cast<uint64_t>(current_repetition));
  }
  auto keep = [&](const CaseReport& report) {
    MutableReports().push_back(report);
    RecordVerdict(report, options.run_seed);
    return report;
  };
  auto skip = [&](const std::string& reason) { return keep(Skipped(c, reason)); };
  // A declaration that cannot be run as written fails without running.
  auto refuse = [&](std::string message) {
    CaseReport report = Skipped(c, "");
    report.passed = report.skipped = false;
    report.message = std::move(message);
    return keep(report);
  };
  if (c.ActorCount() < 1) {
    return refuse(absl::StrCat(config.FullName(), ": no actor to run: give it .Actor(body) "
                               "or a State::Worker() for .Threads(n)"));
  }
  if (std::string error = DeclarationError(config); !error.empty()) {
    return refuse(std::move(error));
  }
  if (config.racy && !Any(CountedSymptoms(c))) {
    return skip(absl::StrCat("its only symptom is a ", SymptomsName(config, config.racy_symptoms),
                             ", which only ThreadSanitizer sees (run it under the tsan preset)"));
  }
  if (options.controlled && !config.uncontrolled_reason.empty()) {
    return skip(absl::StrCat("the controlled engine cannot schedule it: ",
                             config.uncontrolled_reason, " (run it under the stress engine)"));
  }
  const int64_t budget = IterationBudget(c, options);  // before narrowing
  if (!NarrowToShard(c, options)) {
    return skip(absl::StrCat("shard ", options.shard_index, " of ", options.total_shards,
                             " has none of its ", budget, " iterations"));
  }
  if (!options.isolate) WriteReportsBeforeInProcessCase(c, options);
  const CaseRun run = RunSupervised(c, options);
  return keep(Judge(c, run, options, RunnerPath()));
}

void RegisterCasesWithGoogleTest(const RunOptions& options) {
  const RunOptions* saved = new RunOptions(options);
  runner_options = saved;
  SetInProcessEnding(&EndRunInProcess);
  for (const auto& c : Registry()) {
    const CaseBase* raw = c.get();
    testing::RegisterTest(raw->config().suite.c_str(), raw->config().name.c_str(), nullptr,
                          nullptr, raw->config().file.c_str(), raw->config().line,
                          [raw, saved]() -> testing::Test* { return new CaseTest(raw, saved); });
  }
}

const std::vector<CaseReport>& CaseReports() { return MutableReports(); }

void AppendCaseReport(const CaseReport& report) { MutableReports().push_back(report); }

namespace {

// `patterns` (a ':' list) with @racy and @clean replaced by the cases of
// that expectation.
std::string ExpandPatterns(absl::string_view patterns) {
  std::vector<std::string> out;
  for (absl::string_view pattern : absl::StrSplit(patterns, ':', absl::SkipEmpty())) {
    if (pattern != "@racy" && pattern != "@clean") {
      out.emplace_back(pattern);
      continue;
    }
    for (const auto& c : Registry()) {
      if (c->config().racy == (pattern == "@racy")) out.push_back(c->config().FullName());
    }
  }
  return absl::StrJoin(out, ":");
}

}  // namespace

void ExpandExpectationFilter(std::vector<std::string>& args) {
  constexpr absl::string_view kFlag = "--gtest_filter=";
  for (std::string& arg : args) {
    if (!absl::StartsWith(arg, kFlag) || !absl::StrContains(arg, '@')) continue;
    const absl::string_view filter = absl::string_view(arg).substr(kFlag.size());
    const size_t dash = filter.find('-');
    const std::string positive = ExpandPatterns(filter.substr(0, dash));
    const std::string negative =
        dash == absl::string_view::npos ? "" : ExpandPatterns(filter.substr(dash + 1));
    // An empty positive part means "every test" to GoogleTest; one that
    // expanded to no case must select none.
    const bool none = positive.empty() && dash != 0;
    arg = absl::StrCat(kFlag, none ? "-*" : positive, none || negative.empty() ? "" : "-",
                       none ? "" : negative);
  }
}

void OutcomePrinter::OnTestIterationStart(const testing::UnitTest& /*unit_test*/,
                                          int iteration) {
  current_repetition = iteration;
}

void OutcomePrinter::OnTestStart(const testing::TestInfo& /*test_info*/) {
  scenarios_in_test = 0;
  tsan_reports_at_start_ = TsanReportCount();
}

int NextScenarioIndex() { return scenarios_in_test++; }

void OutcomePrinter::OnTestEnd(const testing::TestInfo& test_info) {
  // Listeners hear OnTestEnd in reverse order, so this failure still counts
  // for the test and GoogleTest's printer reports it FAILED. Cases run in
  // children: a report here is outside them (with --noisolate, a racy case's
  // report is its verdict's business).
  const int64_t tsan_reports = TsanReportCount() - tsan_reports_at_start_;
  const RunOptions* options = RunnerOptions();
  if (tsan_reports > 0 && (options == nullptr || options->isolate)) {
    ADD_FAILURE() << "ThreadSanitizer reported " << tsan_reports
                  << " time(s) in the test binary's own process while this test ran, outside "
                     "any racestress case or scenario (the report is printed above)";
  }
  const std::string name = absl::StrCat(test_info.test_suite_name(), ".", test_info.name());
  // A scenario's table was printed when its assertion ran.
  if (FindCase(name) == nullptr) return;
  const auto& reports = CaseReports();
  for (auto it = reports.rbegin(); it != reports.rend(); ++it) {
    if (it->name == name) {
      printf("%s", OutcomeTable(*it).c_str());
      fflush(stdout);
      return;
    }
  }
}

}  // namespace racestress::internal
