#include "harness/runner/flags.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

using racestress::internal::Flag;
using racestress::internal::FlagHelp;

// Each named racestress_<name> after its kFlagNames entry (flags_test.cc
// checks that the two lists agree).
ABSL_FLAG(std::string, racestress_seed, "", FlagHelp(Flag::kSeed));
ABSL_FLAG(int64_t, racestress_iterations, 0, FlagHelp(Flag::kIterations));
ABSL_FLAG(absl::Duration, racestress_time_budget, absl::ZeroDuration(),
          FlagHelp(Flag::kTimeBudget));
ABSL_FLAG(std::string, racestress_replay, "", FlagHelp(Flag::kReplay));
ABSL_FLAG(std::string, racestress_json, "", FlagHelp(Flag::kJson));
ABSL_FLAG(std::string, racestress_html, "", FlagHelp(Flag::kHtml));
ABSL_FLAG(bool, racestress_isolate, true, FlagHelp(Flag::kIsolate));
ABSL_FLAG(std::string, racestress_engine, "stress", FlagHelp(Flag::kEngine));
ABSL_FLAG(std::string, racestress_strategy, "random", FlagHelp(Flag::kStrategy));
ABSL_FLAG(int, racestress_pct_depth, 2, FlagHelp(Flag::kPctDepth));
ABSL_FLAG(int64_t, racestress_pct_steps, 0, FlagHelp(Flag::kPctSteps));
ABSL_FLAG(int, racestress_preemption_bound, 2, FlagHelp(Flag::kPreemptionBound));
ABSL_FLAG(std::string, racestress_path, "-", FlagHelp(Flag::kPath));
ABSL_FLAG(int64_t, racestress_max_steps, 10000000, FlagHelp(Flag::kMaxSteps));
ABSL_FLAG(absl::Duration, racestress_progress_every, absl::Seconds(10),
          FlagHelp(Flag::kProgressEvery));
ABSL_FLAG(std::string, racestress_child, "", FlagHelp(Flag::kChild));
ABSL_FLAG(int, racestress_child_fd, -1, FlagHelp(Flag::kChildFd));
ABSL_FLAG(bool, racestress_child_in_test, false, FlagHelp(Flag::kChildInTest));

namespace racestress::internal {
namespace {

std::string Prefixed(const FlagName& flag) { return absl::StrCat(kFlagPrefix, flag.name); }

const FlagName* FindShortName(absl::string_view name) {
  for (const FlagName& flag : kFlagNames) {
    if (!flag.internal && flag.name == name) return &flag;
  }
  return nullptr;
}

// The kFlagNames entry of a racestress flag; null for any other flag.
const FlagName* OwnEntry(const absl::CommandLineFlag& flag) {
  const absl::string_view name = flag.Name();
  if (!absl::StartsWith(name, kFlagPrefix)) return nullptr;
  for (const FlagName& own : kFlagNames) {
    if (name.substr(kFlagPrefix.size()) == own.name) return &own;
  }
  return nullptr;
}

bool IsRacestressFlag(const absl::CommandLineFlag& flag) { return OwnEntry(flag) != nullptr; }

Flag FlagOf(const FlagName& entry) { return static_cast<Flag>(&entry - kFlagNames); }

// Abseil's own flags (--flagfile, --fromenv, --helpfull, ...) act only inside
// absl::ParseCommandLine, which this is not: they are nobody's to set here.
bool IsAbseilsOwnFlag(const absl::CommandLineFlag& flag) {
  return absl::StrContains(flag.Filename(), "absl/flags/");
}

// The flag `name` names in this binary: the binary's own flag of that name
// if it has one, else racestress's racestress_<name> for a short name.
absl::CommandLineFlag* Resolve(absl::string_view name) {
  if (absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name)) {
    return IsAbseilsOwnFlag(*flag) ? nullptr : flag;
  }
  if (const FlagName* own = FindShortName(name)) return absl::FindCommandLineFlag(Prefixed(*own));
  return nullptr;
}

absl::Status UnknownFlag(absl::string_view name) {
  std::string own;
  for (const FlagName& flag : kFlagNames) {
    if (flag.internal) continue;
    absl::StrAppend(&own, own.empty() ? "" : ", ", FlagSpelling(FlagOf(flag)));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown flag --", name, " (see --help; racestress's own: ", own, ")"));
}

// Sets the flag of one argument, "--name=value", "--name" or "--noname",
// and adds it to `given` if it is racestress's.
absl::Status SetFlag(absl::string_view arg, RunOptions& options, std::vector<Flag>& given) {
  const absl::string_view arg_as_given = arg;
  arg.remove_prefix(2);
  const size_t eq = arg.find('=');
  const absl::string_view name = arg.substr(0, eq);
  std::optional<std::string> value;
  if (eq != absl::string_view::npos) value = std::string(arg.substr(eq + 1));
  absl::CommandLineFlag* flag = Resolve(name);
  if (flag == nullptr && !value && absl::StartsWith(name, "no")) {
    flag = Resolve(name.substr(2));
    if (flag != nullptr && flag->IsOfType<bool>()) {
      value = "false";
    } else {
      flag = nullptr;
    }
  }
  if (flag == nullptr) return UnknownFlag(name);
  if (!value) {
    if (!flag->IsOfType<bool>()) {
      return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
    }
    value = "true";
  }
  std::string error;
  if (!flag->ParseFrom(*value, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad value '", *value, "' for --", name, ": ", error));
  }
  if (const FlagName* own = OwnEntry(*flag)) {
    given.push_back(FlagOf(*own));
  } else {
    options.binary_flags.emplace_back(arg_as_given);
  }
  return absl::OkStatus();
}

absl::Status ReadSeed(RunOptions& options) {
  std::string seed = absl::GetFlag(FLAGS_racestress_seed);
  if (seed.empty()) {
    if (const char* env = std::getenv("RACESTRESS_SEED"); env != nullptr && *env != '\0') {
      seed = env;
    }
  }
  if (seed.empty()) {
    std::random_device device;
    options.run_seed = (uint64_t{device()} << 32) ^ device();
  } else if (!ParseSeed(seed, &options.run_seed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad seed '", seed, "': expected a decimal or 0x-hex 64-bit number"));
  }
  const std::string replay = absl::GetFlag(FLAGS_racestress_replay);
  if (replay.empty()) return absl::OkStatus();
  std::pair<std::string, std::string> parts = absl::StrSplit(replay, absl::MaxSplits(':', 1));
  if (!ParseSeed(parts.first, &options.run_seed) ||
      !absl::SimpleAtoi(parts.second, &options.first_iteration) || options.first_iteration < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad replay token '", replay, "': expected SEED:ITERATION, e.g. 0x2a:17"));
  }
  if (options.first_iteration >= kMaxIteration) {
    return absl::InvalidArgumentError(absl::StrCat("bad replay token '", replay,
                                                   "': the iteration must be below 2^62"));
  }
  if (!absl::GetFlag(FLAGS_racestress_seed).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(FlagSpelling(Flag::kReplay),
                                                   " carries its own seed: drop ",
                                                   FlagSpelling(Flag::kSeed)));
  }
  options.replaying = true;
  return absl::OkStatus();
}

absl::Status MustBe(bool ok, Flag flag, absl::string_view what) {
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("bad value for ", FlagSpelling(flag), ": must be ", what));
}

absl::Status ReadBudgets(RunOptions& options) {
  options.iterations = absl::GetFlag(FLAGS_racestress_iterations);
  options.time_budget = absl::GetFlag(FLAGS_racestress_time_budget);
  options.max_steps = absl::GetFlag(FLAGS_racestress_max_steps);
  options.progress_every = absl::GetFlag(FLAGS_racestress_progress_every);
  for (const absl::Status& status :
       {MustBe(options.iterations >= 0 && options.iterations <= kMaxIteration,
               Flag::kIterations, "0 to 2^62"),
        MustBe(options.time_budget >= absl::ZeroDuration(), Flag::kTimeBudget, ">= 0"),
        MustBe(options.max_steps >= 1, Flag::kMaxSteps, ">= 1"),
        MustBe(options.progress_every >= absl::ZeroDuration(), Flag::kProgressEvery, ">= 0")}) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ReadEngine(RunOptions& options) {
  const std::string engine = absl::GetFlag(FLAGS_racestress_engine);
  if (engine != "stress" && engine != "controlled") {
    return absl::InvalidArgumentError(absl::StrCat("bad value for ", FlagSpelling(Flag::kEngine),
                                                   ": '", engine,
                                                   "' (expected stress or controlled)"));
  }
  options.controlled = engine == "controlled";
  options.strategy.name = absl::GetFlag(FLAGS_racestress_strategy);
  options.strategy.pct_depth = absl::GetFlag(FLAGS_racestress_pct_depth);
  options.strategy.pct_steps = absl::GetFlag(FLAGS_racestress_pct_steps);
  options.strategy.preemption_bound = absl::GetFlag(FLAGS_racestress_preemption_bound);
  options.strategy.path = absl::GetFlag(FLAGS_racestress_path);
  if (auto strategy = MakeStrategy(options.strategy); !strategy.ok()) return strategy.status();
  return absl::OkStatus();
}

bool Given(const std::vector<Flag>& given, Flag flag) {
  return std::find(given.begin(), given.end(), flag) != given.end();
}

// A flag the engine does not read would be ignored without a word.
absl::Status CheckEngineTakesGivenFlags(const std::vector<Flag>& given) {
  const std::string engine = absl::GetFlag(FLAGS_racestress_engine);
  for (const Flag flag : given) {
    if (EngineTakes(engine, flag)) continue;
    return absl::InvalidArgumentError(absl::StrCat(FlagSpelling(flag), " applies to ",
                                                   FlagSpelling(Flag::kEngine), "=",
                                                   NameOf(flag).engine, " only"));
  }
  return absl::OkStatus();
}

// The file a path names, for comparing two paths: "./a", "a" and "d/../a"
// are one file, and so are a symlink and its target.
std::filesystem::path FileOf(const std::string& path) {
  std::error_code error;
  // Absolute first: weakly_canonical() leaves "a" relative but makes "./a" absolute.
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  std::filesystem::path file = std::filesystem::weakly_canonical(absolute, error);
  if (error) file = absolute.lexically_normal();
  return file;
}

// An empty path, or one file for both reports, would lose a report without
// a word (one written over the other).
absl::Status ReadReportPaths(RunOptions& options, const std::vector<Flag>& given) {
  options.json_path = absl::GetFlag(FLAGS_racestress_json);
  options.html_path = absl::GetFlag(FLAGS_racestress_html);
  for (const auto& [flag, path] :
       {std::pair{Flag::kJson, options.json_path}, std::pair{Flag::kHtml, options.html_path}}) {
    if (Given(given, flag) && path.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(FlagSpelling(flag), "= names no file (", FlagSpelling(flag), "=PATH)"));
    }
  }
  if (!options.json_path.empty() && !options.html_path.empty() &&
      FileOf(options.json_path) == FileOf(options.html_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        FlagSpelling(Flag::kJson), "=", options.json_path, " and ", FlagSpelling(Flag::kHtml),
        "=", options.html_path, " are one file: one report would overwrite the other"));
  }
  return absl::OkStatus();
}

std::string Arg(Flag flag, absl::string_view value) {
  return absl::StrCat("--", Prefixed(NameOf(flag)), "=", value);
}

}  // namespace

std::string FlagSpelling(Flag flag) {
  const FlagName& name = NameOf(flag);
  const absl::CommandLineFlag* resolved = name.internal ? nullptr : Resolve(name.name);
  const bool alias = resolved != nullptr && IsRacestressFlag(*resolved);
  return absl::StrCat("--", alias ? name.name : Prefixed(name));
}

std::string FlagsUsage() {
  std::string usage;
  for (const FlagName& name : kFlagNames) {
    if (name.internal) continue;
    std::string spelled = FlagSpelling(FlagOf(name));
    spelled = name.arg.empty() ? absl::StrCat("--no", spelled.substr(2))
                               : absl::StrCat(spelled, name.arg);
    absl::StrAppendFormat(&usage, "  %-20s%s%s\n", spelled, spelled.size() >= 20 ? "\n" : "",
                          spelled.size() >= 20 ? absl::StrCat(std::string(22, ' '), name.help)
                                               : absl::StrCat(name.help));
  }
  return usage;
}

bool EngineTakes(absl::string_view engine, Flag flag) {
  const absl::string_view own = NameOf(flag).engine;
  return own.empty() || own == engine;
}

absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv) {
  CommandLine line;
  std::vector<Flag> given;  // racestress's flags the command line sets
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument '", arg, "' (flags take the form --name=value)"));
    }
    if (absl::Status status = SetFlag(arg, line.run, given); !status.ok()) return status;
  }
  for (auto read : {ReadSeed, ReadBudgets, ReadEngine}) {
    if (absl::Status status = read(line.run); !status.ok()) return status;
  }
  for (const absl::Status& status :
       {CheckEngineTakesGivenFlags(given), ReadReportPaths(line.run, given)}) {
    if (!status.ok()) return status;
  }
  line.run.isolate = absl::GetFlag(FLAGS_racestress_isolate);
  line.child.case_name = absl::GetFlag(FLAGS_racestress_child);
  line.child.fd = absl::GetFlag(FLAGS_racestress_child_fd);
  line.child.in_test = absl::GetFlag(FLAGS_racestress_child_in_test);
  return line;
}

std::string EngineName(const RunOptions& options) {
  return options.controlled ? std::string(kControlled) : "stress";
}

std::string EngineFlags(const RunOptions& options) {
  if (!options.controlled) return "";
  // Spelled as StrategyFlags() spells its own: the same in every binary.
  return absl::StrCat(StrategyFlags(options.strategy), " --max_steps=", options.max_steps);
}

std::vector<std::string> ChildArguments(const RunOptions& options,
                                        const std::string& case_name, int fd) {
  const std::pair<Flag, std::string> flags[] = {
      {Flag::kChild, case_name},
      {Flag::kChildFd, absl::StrCat(fd)},
      {Flag::kReplay, absl::StrCat(FormatSeed(options.run_seed), ":", options.first_iteration)},
      {Flag::kIterations, absl::StrCat(options.iterations)},
      {Flag::kTimeBudget, absl::FormatDuration(options.time_budget)},
      {Flag::kEngine, EngineName(options)},
      {Flag::kStrategy, options.strategy.name},
      {Flag::kPctDepth, absl::StrCat(options.strategy.pct_depth)},
      {Flag::kPctSteps, absl::StrCat(options.strategy.pct_steps)},
      {Flag::kPreemptionBound, absl::StrCat(options.strategy.preemption_bound)},
      {Flag::kPath, options.strategy.path},
      {Flag::kMaxSteps, absl::StrCat(options.max_steps)},
  };
  std::vector<std::string> args;
  for (const auto& [flag, value] : flags) {
    // The child parses its command line as the runner's: no flag its engine ignores.
    if (EngineTakes(EngineName(options), flag)) args.push_back(Arg(flag, value));
  }
  if (!options.scenario_test.empty()) {
    // The child runs the test around the scenario, and nothing else.
    args.insert(args.end(), {absl::StrCat("--gtest_filter=", options.scenario_test),
                             "--gtest_also_run_disabled_tests",
                             Arg(Flag::kChildInTest, "true")});
  }
  args.insert(args.end(), options.binary_flags.begin(), options.binary_flags.end());
  return args;
}

}  // namespace racestress::internal
