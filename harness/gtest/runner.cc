#include "harness/runner.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "harness/core/case_base.h"
#include "harness/runner/flags.h"
#include "harness/gtest/gtest_bridge.h"
#include "harness/gtest/run_reports.h"
#include "harness/report/atomic_file.h"
#include "harness/gtest/scenario_child.h"
#include "harness/runner/sharding.h"
#include "harness/runner/supervisor.h"

namespace {

using racestress::internal::RunOptions;

[[noreturn]] void BadInput(const std::string& message) {
  fprintf(stderr, "racestress: %s\n", message.c_str());
  exit(2);
}

bool GlobMatch(absl::string_view pattern, absl::string_view name) {
  if (pattern.empty()) return name.empty();
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= name.size(); ++i) {
      if (GlobMatch(pattern.substr(1), name.substr(i))) return true;
    }
    return false;
  }
  return !name.empty() && (pattern[0] == '?' || pattern[0] == name[0]) &&
         GlobMatch(pattern.substr(1), name.substr(1));
}

// An exact name in the filter that names no test is a typo, not a selection.
void CheckFilterNamesExist() {
  const std::string filter = GTEST_FLAG_GET(filter);
  const std::string positive = filter.substr(0, filter.find('-'));
  const testing::UnitTest& unit = *testing::UnitTest::GetInstance();
  for (absl::string_view pattern : absl::StrSplit(positive, ':', absl::SkipEmpty())) {
    if (pattern.find_first_of("*?") != absl::string_view::npos) continue;
    bool found = false;
    for (int s = 0; s < unit.total_test_suite_count() && !found; ++s) {
      const testing::TestSuite& suite = *unit.GetTestSuite(s);
      for (int t = 0; t < suite.total_test_count() && !found; ++t) {
        const std::string name =
            std::string(suite.name()) + "." + suite.GetTestInfo(t)->name();
        found = GlobMatch(pattern, name);
      }
    }
    if (!found) {
      BadInput(std::string("unknown case '") + std::string(pattern) +
               "' (--gtest_list_tests lists them)");
    }
  }
}

// The compiler that built the harness (and so, with it, the sanitizer's
// runtime): a report's reader needs to know which TSan saw the run.
#if defined(__clang__)
#define RACESTRESS_STR2(x) #x
#define RACESTRESS_STR(x) RACESTRESS_STR2(x)
constexpr char kCompiler[] = "clang " RACESTRESS_STR(__clang_major__) "." RACESTRESS_STR(
    __clang_minor__) "." RACESTRESS_STR(__clang_patchlevel__);
#else
constexpr char kCompiler[] = "a compiler other than clang";
#endif

// A filter that selects nothing would pass with no test run: a typo, or a
// selection by expectation that no case has, must not look like a green run.
void CheckSomethingRan() {
  if (testing::UnitTest::GetInstance()->test_to_run_count() > 0) return;
  BadInput("--gtest_filter=" + GTEST_FLAG_GET(filter) +
           " selects no test (--gtest_list_tests lists them)");
}

// After RUN_ALL_TESTS(): the run's exit code, once its reports are written.
int FinishRun(const RunOptions& options, int result) {
  if (!GTEST_FLAG_GET(list_tests)) {
    CheckSomethingRan();
    racestress::internal::WriteRunReports(options, racestress::internal::CaseReports());
  }
  if (!options.isolate) {
    // The cases ran here: a racy one's TSan reports are findings its verdict
    // already judged, not a reason for TSan's own exit code.
    fflush(stdout);
    fflush(stderr);
    syscall(SYS_exit_group, result);
  }
  return result;
}

void PrintUsage(const char* preset) {
  printf("racestress: race-condition stress runner (preset %s)\n%s", preset,
         racestress::internal::FlagsUsage().c_str());
  printf(
      "  --gtest_filter=@racy | @clean   select cases by expectation\n"
      "  GTEST_TOTAL_SHARDS=S GTEST_SHARD_INDEX=k   run shard k's share of every case's\n"
      "                    iterations (scripts/merge_shards.py merges the --json reports)\n"
      "Each flag is also --racestress_<name> (--racestress_seed, --noracestress_isolate):\n"
      "the spelling for a binary that defines an Abseil flag of the short name itself,\n"
      "which --<name> then sets. The binary's own Abseil flags are accepted too.\n\n");
}

}  // namespace

namespace racestress {

int RunnerMain(int argc, char** argv, const char* preset) {
  // Before GoogleTest reads them: the shards split iterations, not cases.
  const auto shard = racestress::internal::ShardFromEnvironment();
  if (!shard.ok()) BadInput(std::string(shard.status().message()));
  std::vector<std::string> args(argv, argv + argc);
  racestress::internal::ExpandExpectationFilter(args);
  bool help = false;
  std::vector<char*> gtest_argv;
  for (auto& arg : args) {
    help = help || arg == "--help" || arg == "-h" || arg == "--gtest_help";
    gtest_argv.push_back(arg.data());
  }
  gtest_argv.push_back(nullptr);
  int gtest_argc = static_cast<int>(gtest_argv.size()) - 1;
  testing::InitGoogleTest(&gtest_argc, gtest_argv.data());
  if (help) {
    PrintUsage(preset);
    return 0;
  }

  auto line = racestress::internal::ParseCommandLine(gtest_argc, gtest_argv.data());
  if (!line.ok()) BadInput(std::string(line.status().message()));
  RunOptions& options = line->run;
  if (!line->child.case_name.empty()) {
    return line->child.in_test ? racestress::internal::ScenarioChildMain(options, line->child)
                               : racestress::internal::ChildMain(options, line->child);
  }
  options.shard_index = shard->index;
  options.total_shards = shard->total;
  options.preset = preset;

  for (const std::string& path : {options.json_path, options.html_path}) {
    if (path.empty()) continue;
    if (auto status = racestress::internal::CheckWritable(path); !status.ok()) {
      BadInput(std::string(status.message()));
    }
  }
  racestress::internal::RegisterCasesWithGoogleTest(options);
  CheckFilterNamesExist();

  if (!GTEST_FLAG_GET(list_tests)) {
    const std::string seed = racestress::internal::FormatSeed(options.run_seed);
    printf("racestress: seed %s, preset %s (rerun the same seeds with %s=%s), built with %s\n",
           seed.c_str(), preset,
           racestress::internal::FlagSpelling(racestress::internal::Flag::kSeed).c_str(),
           seed.c_str(), kCompiler);
  }
  testing::UnitTest::GetInstance()->listeners().Append(
      new racestress::internal::OutcomePrinter);
  return FinishRun(options, RUN_ALL_TESTS());
}

}  // namespace racestress
