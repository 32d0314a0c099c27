// -----------------------------------------------------------------------------
// harness/runner/flags.h
// -----------------------------------------------------------------------------
//
// racestress's own command-line flags (Abseil flags), parsed from what
// GoogleTest leaves in argv after it took its --gtest_* flags. kFlagNames is
// the one list of them: --help, the unknown-flag message and a child's
// arguments all come from it.
//
// Names. Every flag is the Abseil flag racestress_<name> (racestress_seed,
// racestress_engine, ...), so it never takes a name from the test binary. On
// the command line:
//
//   --racestress_<name>=V   always racestress's flag;
//   --<name>=V              racestress's flag too (an alias), unless the
//                           binary defines an Abseil flag <name> itself: then
//                           it sets the binary's flag;
//   --no<name>, --<name>    false and true for a bool flag (--noisolate);
//   --other=V               any other Abseil flag the binary defines (its
//                           own, not Abseil's --flagfile and the like) is set
//                           as Abseil would, and passed on to each child.
//
// Anything else (an unknown flag, a bad value, a stray argument, a flag of the
// controlled engine's without --engine=controlled, an empty --json= or
// --html=, or both naming one file) is an error of one line, which the
// runner prints with exit code 2.

#ifndef RACESTRESS_HARNESS_RUNNER_FLAGS_H_
#define RACESTRESS_HARNESS_RUNNER_FLAGS_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "harness/controlled/strategy.h"
#include "harness/core/seed.h"

namespace racestress::internal {

// The flags, in kFlagNames's order.
enum class Flag : int {
  kSeed, kIterations, kTimeBudget, kReplay, kJson, kHtml, kIsolate, kEngine, kStrategy,
  kPctDepth, kPctSteps, kPreemptionBound, kPath, kMaxSteps, kProgressEvery,
  // Internal: the supervisor's, for its child processes.
  kChild, kChildFd, kChildInTest,
};

struct FlagName {
  absl::string_view name;  // the short name; the Abseil flag is racestress_<name>
  absl::string_view arg;   // as --help shows its value ("=S"); "": a bool, shown --no<name>
  absl::string_view help;  // one line
  bool internal = false;  // no short alias, not in --help
  // The engine (--engine=<engine>) that reads the flag; empty: every engine.
  // Given with another engine, the flag would change nothing: EngineTakes().
  absl::string_view engine = {};
};

inline constexpr absl::string_view kFlagPrefix = "racestress_";
// The --engine values whose own flags kFlagNames marks.
inline constexpr absl::string_view kControlled = "controlled";

// --pct_depth's help spells the bound out.
static_assert(kMaxPctDepth == 10000, "update --pct_depth's help text");

inline constexpr FlagName kFlagNames[] = {
    {"seed", "=S", "run seed, decimal or 0x-hex (default $RACESTRESS_SEED, else random)"},
    {"iterations", "=N", "iteration budget per case (default: the case's)"},
    {"time_budget", "=D", "time budget per case, e.g. 2s (default: the case's)"},
    {"replay", "=S:I", "replay from iteration I of run seed S (printed by failures)"},
    {"json", "=PATH", "write the JSON report to PATH"},
    {"html", "=PATH", "write the HTML report (one self-contained file) to PATH"},
    {"isolate", "", "run cases in this process, not each in a child (for a debugger)"},
    {"engine", "=E", "stress (randomized timing, the default) or controlled (one actor "
                     "at a time, chosen by --strategy)"},
    {"strategy", "=S", "controlled engine: random (the default), pct, dfs or path", false,
     kControlled},
    {"pct_depth", "=D", "controlled engine, pct: the bug depth d, 1 to 10000 (default 2)", false,
     kControlled},
    {"pct_steps", "=K", "controlled engine, pct: steps per schedule (default 0: the most "
                        "seen so far)", false, kControlled},
    {"preemption_bound", "=B", "controlled engine, dfs: preemptions per schedule (default 2)",
     false, kControlled},
    {"path", "=P", "controlled engine, path: actor choices, e.g. 0.1.1.0", false, kControlled},
    {"max_steps", "=N", "controlled engine: scheduling points per schedule before a "
                        "livelock is reported (default 10000000)", false, kControlled},
    {"progress_every", "=D", "a progress line per running case this often, when output is "
                             "not a terminal (default 10s; 0: none)"},
    {"child", "=CASE", "internal: the case a child process runs", true},
    {"child_fd", "=FD", "internal: where a child process reports", true},
    {"child_in_test", "", "internal: the child's case is a scenario inside the test "
                          "--gtest_filter selects", true},
};

static_assert(std::size(kFlagNames) == static_cast<size_t>(Flag::kChildInTest) + 1,
              "one kFlagNames entry per Flag");

constexpr const FlagName& NameOf(Flag flag) { return kFlagNames[static_cast<int>(flag)]; }

// The help text of a flag, for its ABSL_FLAG definition.
constexpr absl::string_view FlagHelp(Flag flag) { return NameOf(flag).help; }

// How to spell `flag` on this binary's command line: "--seed" where the
// short alias is racestress's, "--racestress_seed" where the binary defines
// a flag "seed" of its own.
std::string FlagSpelling(Flag flag);

// The flag lines of --help, one per user-facing flag, spelled for this binary.
std::string FlagsUsage();

// Whether the engine `engine` (an --engine value) reads `flag`. The one
// place that decides it: the command line rejects a flag its engine would
// ignore, and a child process is given only its engine's flags.
bool EngineTakes(absl::string_view engine, Flag flag);

// The user's command line (and scenario_test, below).
struct RunOptions {
  uint64_t run_seed = 0;
  int64_t iterations = 0;                        // 0: each case's own
  absl::Duration time_budget = absl::ZeroDuration();  // zero: each case's own
  int64_t first_iteration = 0;                   // from --replay
  bool replaying = false;
  std::string json_path;
  std::string html_path;
  bool isolate = true;
  bool controlled = false;                       // --engine=controlled
  StrategyOptions strategy;
  int64_t max_steps = 10000000;
  absl::Duration progress_every = absl::Seconds(10);  // plain progress lines; 0: none
  // The arguments that set the binary's own Abseil flags, as given: each
  // child process gets them too, so its cases see the same values.
  std::vector<std::string> binary_flags;
  // This run's share of each case's iterations (sharding.h): shard
  // `shard_index` of `total_shards`. From the environment, not a flag.
  int shard_index = 0;
  int total_shards = 1;
  // Not from the command line: set by a scenario's assertion for the child it
  // starts, the test around the scenario ("Suite.Test"); ChildArguments()
  // makes the child run that test. It rides here because RunAndJudge() and
  // the supervisor take the options of one run, and a scenario's run differs
  // from the command line's in this only.
  std::string scenario_test;
  // The build's preset ("tsan"), as RunnerMain was given it: reports name it.
  std::string preset;
};

// Set in a child process only (the internal flags): the case it runs and
// where it reports; `in_test`: the case is a scenario inside the GoogleTest
// test that --gtest_filter selects, reached by running that test.
struct ChildOptions {
  std::string case_name;
  int fd = -1;
  bool in_test = false;
};

struct CommandLine {
  RunOptions run;
  ChildOptions child;
};

// ParseCommandLine()
//
// Parses argv[1..argc) (GoogleTest's flags already removed) as flags.h's top
// says. Returns a one-line error for an unknown flag, a bad value, a stray
// argument, or any other of the mistakes flags.h's top lists.
absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv);

// The engine `options` run ("stress" or "controlled"), and the flags besides
// the seed and budgets that decide its schedules, spelled as on the command
// line ("" for the stress engine, "--strategy=pct --pct_depth=2
// --max_steps=10000000" for the controlled one). The JSON report records
// both: shards of one run agree on them.
std::string EngineName(const RunOptions& options);
std::string EngineFlags(const RunOptions& options);

// The arguments that make a child process run `case_name` with `options`,
// reporting on `fd`: racestress's flags spelled racestress_<name>, then the
// binary's own flags as the command line gave them.
std::vector<std::string> ChildArguments(const RunOptions& options,
                                        const std::string& case_name, int fd);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_FLAGS_H_
