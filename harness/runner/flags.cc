#include "harness/runner/flags.h"

#include <cstdlib>
#include <random>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

ABSL_FLAG(std::string, seed, "",
          "run seed, decimal or 0x-hex; default $RACESTRESS_SEED, else random");
ABSL_FLAG(int64_t, iterations, 0, "iteration budget per case; 0: the case's own");
ABSL_FLAG(absl::Duration, time_budget, absl::ZeroDuration(),
          "time budget per case (e.g. 2s); 0: the case's own");
ABSL_FLAG(std::string, replay, "", "SEED:ITERATION, as printed by a failure");
ABSL_FLAG(std::string, json, "", "write the JSON report to this path");
ABSL_FLAG(std::string, html, "", "write the HTML report (one self-contained file) to this path");
ABSL_FLAG(bool, isolate, true, "run each case in a child process of its own");
ABSL_FLAG(std::string, engine, "stress",
          "stress (randomized timing, the default) or controlled (one actor at a time, "
          "chosen by --strategy)");
ABSL_FLAG(std::string, strategy, "random", "controlled engine: random, pct, dfs or path");
ABSL_FLAG(int, pct_depth, 2, "controlled engine, pct: the bug depth d");
ABSL_FLAG(int64_t, pct_steps, 0,
          "controlled engine, pct: steps per schedule k; 0: the most seen so far");
ABSL_FLAG(int, preemption_bound, 2, "controlled engine, dfs: preemptions per schedule");
ABSL_FLAG(std::string, path, "-", "controlled engine, path: actor choices, e.g. 0.1.1.0");
ABSL_FLAG(int64_t, max_steps, 10000000,
          "controlled engine: scheduling points per schedule before a livelock is reported");
ABSL_FLAG(absl::Duration, progress_every, absl::Seconds(10),
          "when output is not a terminal: a progress line per running case this often "
          "(0: none); a terminal gets a live line");
ABSL_FLAG(std::string, racestress_child, "", "internal: the case a child process runs");
ABSL_FLAG(int, racestress_child_fd, -1, "internal: where a child process reports");
ABSL_FLAG(bool, racestress_child_in_test, false,
          "internal: the child's case is a scenario inside the test --gtest_filter selects");

namespace racestress::internal {
namespace {

// Abseil's own flags (--flagfile, --fromenv, ...) are not racestress's to take.
bool IsOwnFlag(absl::string_view name) {
  for (absl::string_view own :
       {"seed", "iterations", "time_budget", "replay", "json", "html", "isolate", "engine",
        "strategy",
        "pct_depth", "pct_steps", "preemption_bound", "path", "max_steps", "progress_every",
        "racestress_child",
        "racestress_child_fd", "racestress_child_in_test"}) {
    if (name == own) return true;
  }
  return false;
}

}  // namespace


absl::StatusOr<RunOptions> ParseRunOptions(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument '", arg, "' (flags take the form --name=value)"));
    }
    arg.remove_prefix(2);
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(arg, absl::MaxSplits('=', 1));
    const bool has_value = arg.find('=') != absl::string_view::npos;
    absl::string_view name = kv.first;
    std::string value(kv.second);
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no")) {
      flag = absl::FindCommandLineFlag(name.substr(2));
      if (flag != nullptr && flag->IsOfType<bool>()) {
        value = "false";
      } else {
        flag = nullptr;
      }
    }
    if (flag == nullptr || !IsOwnFlag(flag->Name())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown flag --", name, " (see --help; racestress's own: --seed, --iterations, "
          "--time_budget, --replay, --json, --html, --isolate, --engine, --strategy, "
          "--pct_depth, --pct_steps, --preemption_bound, --path, --max_steps, "
          "--progress_every)"));
    }
    if (!has_value && value.empty()) {
      if (!flag->IsOfType<bool>()) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
      value = "true";
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad value '", value, "' for --", name, ": ", error));
    }
  }

  RunOptions options;
  std::string seed = absl::GetFlag(FLAGS_seed);
  if (seed.empty()) {
    if (const char* env = std::getenv("RACESTRESS_SEED"); env != nullptr && *env != '\0') {
      seed = env;
    }
  }
  if (!seed.empty()) {
    if (!ParseSeed(seed, &options.run_seed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad seed '", seed, "': expected a decimal or 0x-hex 64-bit number"));
    }
  } else {
    std::random_device device;
    options.run_seed = (uint64_t{device()} << 32) ^ device();
  }
  options.iterations = absl::GetFlag(FLAGS_iterations);
  if (options.iterations < 0) {
    return absl::InvalidArgumentError("bad value for --iterations: must be >= 0");
  }
  options.time_budget = absl::GetFlag(FLAGS_time_budget);
  if (options.time_budget < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("bad value for --time_budget: must be >= 0");
  }
  if (const std::string replay = absl::GetFlag(FLAGS_replay); !replay.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(replay, absl::MaxSplits(':', 1));
    if (!ParseSeed(parts.first, &options.run_seed) ||
        !absl::SimpleAtoi(parts.second, &options.first_iteration) || options.first_iteration < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad replay token '", replay, "': expected SEED:ITERATION, e.g. 0x2a:17"));
    }
    if (!absl::GetFlag(FLAGS_seed).empty()) {
      return absl::InvalidArgumentError("--replay carries its own seed: drop --seed");
    }
    options.replaying = true;
  }
  const std::string engine = absl::GetFlag(FLAGS_engine);
  if (engine != "stress" && engine != "controlled") {
    return absl::InvalidArgumentError(
        absl::StrCat("bad value for --engine: '", engine, "' (expected stress or controlled)"));
  }
  options.controlled = engine == "controlled";
  options.strategy.name = absl::GetFlag(FLAGS_strategy);
  options.strategy.pct_depth = absl::GetFlag(FLAGS_pct_depth);
  options.strategy.pct_steps = absl::GetFlag(FLAGS_pct_steps);
  options.strategy.preemption_bound = absl::GetFlag(FLAGS_preemption_bound);
  options.strategy.path = absl::GetFlag(FLAGS_path);
  if (auto strategy = MakeStrategy(options.strategy); !strategy.ok()) {
    return strategy.status();
  }
  options.max_steps = absl::GetFlag(FLAGS_max_steps);
  if (options.max_steps < 1) {
    return absl::InvalidArgumentError("bad value for --max_steps: must be >= 1");
  }
  options.progress_every = absl::GetFlag(FLAGS_progress_every);
  if (options.progress_every < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("bad value for --progress_every: must be >= 0");
  }
  options.json_path = absl::GetFlag(FLAGS_json);
  options.html_path = absl::GetFlag(FLAGS_html);
  options.isolate = absl::GetFlag(FLAGS_isolate);
  options.child_case = absl::GetFlag(FLAGS_racestress_child);
  options.child_fd = absl::GetFlag(FLAGS_racestress_child_fd);
  options.child_in_test = absl::GetFlag(FLAGS_racestress_child_in_test);
  return options;
}

std::vector<std::string> ChildArguments(const RunOptions& options,
                                        const std::string& case_name, int fd) {
  std::vector<std::string> args = {
      absl::StrCat("--racestress_child=", case_name),
      absl::StrCat("--racestress_child_fd=", fd),
      absl::StrCat("--replay=", FormatSeed(options.run_seed), ":", options.first_iteration),
      absl::StrCat("--iterations=", options.iterations),
      absl::StrCat("--time_budget=", absl::FormatDuration(options.time_budget)),
      absl::StrCat("--engine=", options.controlled ? "controlled" : "stress"),
      absl::StrCat("--strategy=", options.strategy.name),
      absl::StrCat("--pct_depth=", options.strategy.pct_depth),
      absl::StrCat("--pct_steps=", options.strategy.pct_steps),
      absl::StrCat("--preemption_bound=", options.strategy.preemption_bound),
      absl::StrCat("--path=", options.strategy.path),
      absl::StrCat("--max_steps=", options.max_steps),
  };
  if (!options.scenario_test.empty()) {
    // The child runs the test around the scenario, and nothing else.
    args.insert(args.end(), {absl::StrCat("--gtest_filter=", options.scenario_test),
                             "--gtest_also_run_disabled_tests", "--racestress_child_in_test"});
  }
  return args;
}

}  // namespace racestress::internal
