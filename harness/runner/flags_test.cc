// -----------------------------------------------------------------------------
// harness/runner/flags_test.cc
// -----------------------------------------------------------------------------
//
// racestress's command line: seeds, replay tokens, the names of the flags
// and the one-line errors for bad input. The flags are process-wide Abseil
// flags: each test of ParseCommandLine restores them (absl::FlagSaver).

#include "harness/runner/flags.h"

#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/runner/flags_test_support.h"

// Flags of the test binary's own, as a user's test defines them.
ABSL_FLAG(int, flags_test_user_number, 0, "a flag of the binary's own");
ABSL_FLAG(bool, flags_test_user_switch, true, "a bool flag of the binary's own");

namespace racestress::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;

// -----------------------------------------------------------------------------
// ParseSeed and FormatSeed

TEST(ParseSeed, AcceptsDecimalAndHexInEitherCase) {
  uint64_t seed = 0;
  EXPECT_TRUE(ParseSeed("123", &seed));
  EXPECT_EQ(seed, 123u);
  EXPECT_TRUE(ParseSeed("0x2A", &seed));
  EXPECT_EQ(seed, 42u);
  EXPECT_TRUE(ParseSeed("0X2a", &seed));
  EXPECT_EQ(seed, 42u);
  EXPECT_TRUE(ParseSeed("0", &seed));
  EXPECT_EQ(seed, 0u);
  EXPECT_TRUE(ParseSeed("18446744073709551615", &seed));
  EXPECT_EQ(seed, UINT64_MAX);
  EXPECT_TRUE(ParseSeed("0xffffffffffffffff", &seed));
  EXPECT_EQ(seed, UINT64_MAX);
}

TEST(ParseSeed, RejectsWhatIsNotA64BitNumber) {
  for (const char* text : {"", "-1", "+1", "0x", "0X", "abc", "0xg", "12a", "1.5",
                           "0x12345678901234567", "18446744073709551616"}) {
    uint64_t seed = 0;
    EXPECT_FALSE(ParseSeed(text, &seed)) << "accepted '" << text << "' as " << seed;
  }
}

TEST(ParseSeed, AcceptsNothingButDigitsAfterTheHexPrefix) {
  // flags.h: "12345" or "0x3039"; false for anything else. A second prefix, a
  // sign or padding is a typo, not a seed.
  for (const char* text : {"0x0x2a", "0x+2a", "0x-2a", "0x 2a", " 123", "123 "}) {
    uint64_t seed = 0;
    EXPECT_FALSE(ParseSeed(text, &seed)) << "accepted '" << text << "' as " << seed;
  }
}

TEST(FormatSeed, IsZeroPaddedHexThatParsesBack) {
  EXPECT_EQ(FormatSeed(42), "0x000000000000002a");
  for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{42}, uint64_t{0x9e3779b97f4a7c15},
                        UINT64_MAX}) {
    uint64_t parsed = 1;
    ASSERT_TRUE(ParseSeed(FormatSeed(seed), &parsed)) << FormatSeed(seed);
    EXPECT_EQ(parsed, seed);
  }
}

// -----------------------------------------------------------------------------
// The names of the flags

TEST(FlagNames, EveryEntryIsARegisteredFlagWithItsHelp) {
  for (const FlagName& name : kFlagNames) {
    const std::string registered = absl::StrCat("racestress_", name.name);
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(registered);
    ASSERT_NE(flag, nullptr) << registered;
    EXPECT_EQ(flag->Help(), name.help) << registered;
    EXPECT_EQ(flag->IsOfType<bool>(), name.arg.empty()) << registered;
  }
}

TEST(FlagNames, EveryRacestressFlagIsInTheTable) {
  for (const auto& [registered, flag] : absl::GetAllFlags()) {
    if (!absl::StartsWith(registered, "racestress_")) continue;
    bool listed = false;
    for (const FlagName& name : kFlagNames) {
      listed = listed || registered == absl::StrCat("racestress_", name.name);
    }
    EXPECT_TRUE(listed) << registered << " is not in kFlagNames";
  }
}

TEST(FlagNames, NoShortNameIsRegistered) {
  // The short names stay free for the binary's own flags.
  for (const FlagName& name : kFlagNames) {
    EXPECT_EQ(absl::FindCommandLineFlag(name.name), nullptr) << name.name;
  }
}

TEST(FlagNames, UsageListsEveryUserFacingFlag) {
  const std::string usage = FlagsUsage();
  for (const char* shown :
       {"--seed=S", "--iterations=N", "--time_budget=D", "--replay=S:I", "--json=PATH",
        "--html=PATH", "--noisolate", "--engine=E", "--strategy=S", "--pct_depth=D",
        "--pct_steps=K", "--preemption_bound=B", "--path=P", "--max_steps=N",
        "--progress_every=D"}) {
    EXPECT_THAT(usage, HasSubstr(shown));
  }
  EXPECT_THAT(usage, Not(HasSubstr("--child")));
  EXPECT_THAT(usage, Not(HasSubstr("racestress_child")));
  EXPECT_EQ(FlagSpelling(Flag::kSeed), "--seed");
  EXPECT_EQ(FlagSpelling(Flag::kChild), "--racestress_child");
}

// -----------------------------------------------------------------------------
// ParseCommandLine (the fixture: flags_test_support.h)

TEST_F(ParseCommandLineTest, NoFlagsGiveTheDefaults) {
  const absl::StatusOr<CommandLine> line = Parse({});
  ASSERT_TRUE(line.ok()) << line.status();
  const RunOptions& options = line->run;
  EXPECT_EQ(options.iterations, 0);
  EXPECT_EQ(options.time_budget, absl::ZeroDuration());
  EXPECT_EQ(options.first_iteration, 0);
  EXPECT_FALSE(options.replaying);
  EXPECT_TRUE(options.json_path.empty());
  EXPECT_TRUE(options.isolate);
  EXPECT_TRUE(options.binary_flags.empty());
  EXPECT_TRUE(line->child.case_name.empty());
  EXPECT_EQ(line->child.fd, -1);
  EXPECT_FALSE(line->child.in_test);
}

TEST_F(ParseCommandLineTest, ShortAndPrefixedSpellingsAreRead) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--seed=0x2a", "--iterations=17", "--time_budget=250ms",
                                 "--json=/tmp/r.json", "--noisolate"},
        std::vector<std::string>{"--racestress_seed=0x2a", "--racestress_iterations=17",
                                 "--racestress_time_budget=250ms",
                                 "--racestress_json=/tmp/r.json", "--noracestress_isolate"},
        std::vector<std::string>{"--seed=0x2a", "--racestress_iterations=17",
                                 "--time_budget=250ms", "--racestress_json=/tmp/r.json",
                                 "--isolate=false"}}) {
    const absl::StatusOr<CommandLine> line = Parse(args);
    ASSERT_TRUE(line.ok()) << line.status();
    EXPECT_EQ(line->run.run_seed, 42u);
    EXPECT_EQ(line->run.iterations, 17);
    EXPECT_EQ(line->run.time_budget, absl::Milliseconds(250));
    EXPECT_EQ(line->run.json_path, "/tmp/r.json");
    EXPECT_FALSE(line->run.isolate);
    EXPECT_FALSE(line->run.replaying);
    EXPECT_TRUE(line->run.binary_flags.empty());
  }
}

TEST_F(ParseCommandLineTest, EngineFlagsAreRead) {
  const absl::StatusOr<CommandLine> line =
      Parse({"--engine=controlled", "--strategy=pct", "--pct_depth=3", "--pct_steps=40",
             "--racestress_max_steps=99", "--progress_every=0"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_TRUE(line->run.controlled);
  EXPECT_EQ(line->run.strategy.name, "pct");
  EXPECT_EQ(line->run.strategy.pct_depth, 3);
  EXPECT_EQ(line->run.strategy.pct_steps, 40);
  EXPECT_EQ(line->run.max_steps, 99);
  EXPECT_EQ(line->run.progress_every, absl::ZeroDuration());
}

TEST_F(ParseCommandLineTest, TheBinarysOwnFlagsAreSetAndKeptForTheChild) {
  const absl::StatusOr<CommandLine> line =
      Parse({"--flags_test_user_number=7", "--seed=5", "--noflags_test_user_switch"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->run.run_seed, 5u);
  EXPECT_THAT(line->run.binary_flags,
              ElementsAre("--flags_test_user_number=7", "--noflags_test_user_switch"));
  const std::vector<std::string> child = ChildArguments(line->run, "Suite.Name", 3);
  EXPECT_THAT(child, IsSupersetOf({"--flags_test_user_number=7", "--noflags_test_user_switch"}));
  EXPECT_THAT(ErrorOf({"--flags_test_user_number=many"}),
              HasSubstr("bad value 'many' for --flags_test_user_number"));
}

TEST_F(ParseCommandLineTest, TheBinarysOwnFlagsAreSetAsAbseilWould) {
  {
    absl::FlagSaver saver;
    ASSERT_TRUE(Parse({"--flags_test_user_number=7", "--noflags_test_user_switch"}).ok());
  }
  // Parse() restored them: set them once more, and look.
  absl::FlagSaver saver;
  std::string storage[] = {"racestress", "--flags_test_user_number=7",
                           "--noflags_test_user_switch"};
  char* argv[] = {storage[0].data(), storage[1].data(), storage[2].data(), nullptr};
  ASSERT_TRUE(ParseCommandLine(3, argv).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_flags_test_user_number), 7);
  EXPECT_FALSE(absl::GetFlag(FLAGS_flags_test_user_switch));
}

TEST_F(ParseCommandLineTest, SeedFallsBackToTheEnvironment) {
  setenv("RACESTRESS_SEED", "0x77", 1);
  const absl::StatusOr<CommandLine> line = Parse({});
  unsetenv("RACESTRESS_SEED");
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->run.run_seed, 0x77u);
}

TEST_F(ParseCommandLineTest, UnknownFlagIsAnErrorNamingTheFlagAndRacestresssOwn) {
  EXPECT_THAT(ErrorOf({"--sed=5"}), HasSubstr("--sed"));
  EXPECT_THAT(ErrorOf({"--iterations=5", "--bogus"}), HasSubstr("--bogus"));
  EXPECT_THAT(ErrorOf({"--nojson"}), HasSubstr("--nojson"));
  EXPECT_THAT(ErrorOf({"--bogus"}), HasSubstr("--seed, --iterations, --time_budget"));
  EXPECT_THAT(ErrorOf({"--bogus"}), HasSubstr("--preemption_bound, --path, --max_steps"));
  EXPECT_THAT(ErrorOf({"--bogus"}), Not(HasSubstr("child")));
  EXPECT_THAT(ErrorOf({"--bogus"}), HasSubstr("--isolate"));
  // The internal flags have no short alias.
  EXPECT_THAT(ErrorOf({"--child=Suite.Name"}), HasSubstr("unknown flag --child"));
}

TEST_F(ParseCommandLineTest, AbseilsOwnFlagsAreNotRacestresssToTake) {
  EXPECT_THAT(ErrorOf({"--flagfile=/dev/null"}), HasSubstr("unknown flag --flagfile"));
}

TEST_F(ParseCommandLineTest, StrayArgumentIsAnError) {
  EXPECT_THAT(ErrorOf({"Counter.LostUpdateRacy"}), HasSubstr("'Counter.LostUpdateRacy'"));
}

TEST_F(ParseCommandLineTest, BadIterationsValueIsAnErrorNamingTheFlag) {
  EXPECT_THAT(ErrorOf({"--iterations=many"}), HasSubstr("--iterations"));
  EXPECT_THAT(ErrorOf({"--iterations=-5"}), HasSubstr("--iterations"));
  EXPECT_THAT(ErrorOf({"--iterations"}), HasSubstr("--iterations"));
  EXPECT_THAT(ErrorOf({"--racestress_iterations=many"}), HasSubstr("--racestress_iterations"));
}

TEST_F(ParseCommandLineTest, BadTimeBudgetSeedOrEngineIsAnError) {
  EXPECT_THAT(ErrorOf({"--time_budget=soon"}), HasSubstr("--time_budget"));
  EXPECT_THAT(ErrorOf({"--time_budget=-1s"}), HasSubstr("--time_budget"));
  EXPECT_THAT(ErrorOf({"--seed=0x"}), HasSubstr("bad seed '0x'"));
  EXPECT_THAT(ErrorOf({"--seed"}), HasSubstr("--seed"));
  EXPECT_THAT(ErrorOf({"--engine=fast"}), HasSubstr("--engine"));
  EXPECT_THAT(ErrorOf({"--max_steps=0"}), HasSubstr("--max_steps"));
  EXPECT_THAT(ErrorOf({"--progress_every=-1s"}), HasSubstr("--progress_every"));
}

TEST_F(ParseCommandLineTest, ReplaySetsSeedAndFirstIteration) {
  const absl::StatusOr<CommandLine> line = Parse({"--replay=0x2a:17"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->run.run_seed, 42u);
  EXPECT_EQ(line->run.first_iteration, 17);
  EXPECT_TRUE(line->run.replaying);
}

TEST_F(ParseCommandLineTest, ReplayOfAFormattedSeedRoundTrips) {
  const absl::StatusOr<CommandLine> line =
      Parse({"--replay=" + FormatSeed(0x9e3779b97f4a7c15) + ":0"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->run.run_seed, 0x9e3779b97f4a7c15u);
  EXPECT_EQ(line->run.first_iteration, 0);
}

TEST_F(ParseCommandLineTest, BadReplayTokensAreErrors) {
  for (const char* arg : {"--replay=x:1", "--replay=0x2a", "--replay=0x2a:-1",
                          "--replay=0x2a:abc", "--replay=:17", "--replay=0x2a:"}) {
    EXPECT_THAT(ErrorOf({arg}), HasSubstr("bad replay token")) << arg;
  }
}

TEST_F(ParseCommandLineTest, ReplayWithSeedIsAnError) {
  EXPECT_THAT(ErrorOf({"--seed=5", "--replay=0x2a:17"}), HasSubstr("--replay"));
  EXPECT_THAT(ErrorOf({"--replay=0x2a:17", "--seed=5"}), HasSubstr("drop --seed"));
}

TEST_F(ParseCommandLineTest, ChildArgumentsAreSpelledInFullAndParseBackToTheSameRun) {
  RunOptions parent;
  parent.run_seed = 0xdeadbeef;
  parent.first_iteration = 9;
  parent.iterations = 100;
  parent.time_budget = absl::Milliseconds(1500);
  parent.scenario_test = "Suite.Test";
  std::vector<std::string> args;
  for (const std::string& arg : ChildArguments(parent, "Suite.Name", 3)) {
    // GoogleTest takes its own before racestress parses the rest.
    if (absl::StartsWith(arg, "--gtest_")) continue;
    EXPECT_TRUE(absl::StartsWith(arg, "--racestress_")) << arg;
    args.push_back(arg);
  }
  const absl::StatusOr<CommandLine> child = Parse(args);
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_EQ(child->run.run_seed, parent.run_seed);
  EXPECT_EQ(child->run.first_iteration, parent.first_iteration);
  EXPECT_EQ(child->run.iterations, parent.iterations);
  EXPECT_EQ(child->run.time_budget, parent.time_budget);
  EXPECT_EQ(child->child.case_name, "Suite.Name");
  EXPECT_EQ(child->child.fd, 3);
  EXPECT_TRUE(child->child.in_test);
}

}  // namespace
}  // namespace racestress::internal
