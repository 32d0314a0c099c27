// -----------------------------------------------------------------------------
// harness/runner/flags_checks_test.cc
// -----------------------------------------------------------------------------
//
// What the command line refuses because it would otherwise drop it without a
// word: a flag of the controlled engine's under another engine, an empty
// report path, one file for both reports. Each is a one-line error (the
// runner exits 2 with it); the replay lines, which give the engine with its
// flags, still parse.

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/runner/flags.h"
#include "harness/runner/flags_test_support.h"

namespace racestress::internal {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// -----------------------------------------------------------------------------
// The controlled engine's flags

TEST(EngineTakes, TheFlagsHelpCallsTheControlledEnginesAreItsOnly) {
  // --help says which flags are the controlled engine's; EngineTakes() must
  // agree, or a flag would be rejected (or ignored) against its own help.
  for (const FlagName& name : kFlagNames) {
    const Flag flag = static_cast<Flag>(&name - kFlagNames);
    const bool controlled_only = absl::StartsWith(name.help, "controlled engine");
    EXPECT_TRUE(EngineTakes("controlled", flag)) << name.name;
    EXPECT_EQ(EngineTakes("stress", flag), !controlled_only) << name.name;
  }
}

TEST_F(ParseCommandLineTest, AControlledEngineFlagWithoutThatEngineIsAnError) {
  for (const char* flag : {"--strategy=pct", "--pct_depth=3", "--pct_steps=40",
                           "--preemption_bound=1", "--path=0.1", "--max_steps=99"}) {
    const std::string name = std::string(flag).substr(0, std::string(flag).find('='));
    const std::string expected = name + " applies to --engine=controlled only";
    EXPECT_EQ(ErrorOf({flag}), expected);
    EXPECT_EQ(ErrorOf({"--engine=stress", flag}), expected);
    EXPECT_EQ(ErrorOf({"--seed=1", flag, "--iterations=5"}), expected);
    // Spelled racestress_<name>, it is the same flag and the same mistake.
    EXPECT_EQ(ErrorOf({"--racestress_" + std::string(flag).substr(2)}), expected);
  }
}

TEST_F(ParseCommandLineTest, TheControlledEnginesFlagsAreTakenWithItInAnyOrder) {
  const absl::StatusOr<CommandLine> line =
      Parse({"--strategy=dfs", "--preemption_bound=1", "--engine=controlled"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_TRUE(line->run.controlled);
  EXPECT_EQ(line->run.strategy.name, "dfs");
  EXPECT_EQ(line->run.strategy.preemption_bound, 1);
}

TEST_F(ParseCommandLineTest, AControlledReplayLinesFlagsParse) {
  // What a controlled finding's replay line gives after --gtest_filter
  // (verdict.cc's ReplayCommand, with the finding's replay flags).
  for (const std::vector<std::string>& replay :
       {std::vector<std::string>{"--replay=0x2a:17", "--engine=controlled", "--strategy=pct",
                                 "--pct_depth=2", "--pct_steps=37"},
        std::vector<std::string>{"--replay=0x2a:3", "--engine=controlled", "--strategy=path",
                                 "--path=0.1.1.0"},
        std::vector<std::string>{"--replay=0x2a:0", "--engine=controlled",
                                 "--strategy=random"}}) {
    const absl::StatusOr<CommandLine> line = Parse(replay);
    ASSERT_TRUE(line.ok()) << line.status();
    EXPECT_TRUE(line->run.replaying);
    EXPECT_TRUE(line->run.controlled);
  }
}

TEST_F(ParseCommandLineTest, AChildIsGivenOnlyItsEnginesFlags) {
  RunOptions stress;
  stress.strategy.name = "pct";  // a scenario's options may carry one
  const std::vector<std::string> stress_child = ChildArguments(stress, "Suite.Name", 3);
  EXPECT_THAT(stress_child, Contains("--racestress_engine=stress"));
  EXPECT_THAT(stress_child, Not(Contains(StartsWith("--racestress_strategy"))));
  EXPECT_THAT(stress_child, Not(Contains(StartsWith("--racestress_max_steps"))));
  ASSERT_TRUE(Parse(stress_child).ok()) << Parse(stress_child).status();

  RunOptions controlled;
  controlled.controlled = true;
  controlled.strategy.name = "pct";
  controlled.strategy.pct_depth = 3;
  controlled.max_steps = 99;
  const absl::StatusOr<CommandLine> child =
      Parse(ChildArguments(controlled, "Suite.Name", 3));
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_TRUE(child->run.controlled);
  EXPECT_EQ(child->run.strategy.name, "pct");
  EXPECT_EQ(child->run.strategy.pct_depth, 3);
  EXPECT_EQ(child->run.max_steps, 99);
}

// -----------------------------------------------------------------------------
// The report paths

TEST_F(ParseCommandLineTest, AnEmptyReportPathIsAnError) {
  EXPECT_EQ(ErrorOf({"--json="}), "--json= names no file (--json=PATH)");
  EXPECT_EQ(ErrorOf({"--html="}), "--html= names no file (--html=PATH)");
  EXPECT_EQ(ErrorOf({"--racestress_json="}), "--json= names no file (--json=PATH)");
  // The last value counts, as for every flag: an empty one last drops the report too.
  EXPECT_THAT(ErrorOf({"--json=r.json", "--json="}), HasSubstr("--json= names no file"));
}

TEST_F(ParseCommandLineTest, OneFileForBothReportsIsAnError) {
  const std::string dir = testing::TempDir();
  for (const auto& [json, html] :
       {std::pair<std::string, std::string>{"r.out", "r.out"}, {"./r.out", "r.out"},
        {"r.out", "sub/../r.out"}, {"r.out", std::filesystem::current_path() / "r.out"},
        {dir + "/r.out", dir + "//./r.out"}}) {
    EXPECT_EQ(ErrorOf({"--json=" + json, "--html=" + html}),
              absl::StrCat("--json=", json, " and --html=", html,
                           " are one file: one report would overwrite the other"));
  }
}

TEST_F(ParseCommandLineTest, OneFileThroughASymlinkIsOneFileToo) {
  const std::filesystem::path dir = testing::TempDir();
  const std::filesystem::path link = dir / absl::StrCat("flags_checks_test_link.", getpid());
  std::filesystem::remove(link);
  std::filesystem::create_directory_symlink(dir, link);
  EXPECT_THAT(ErrorOf({"--json=" + (dir / "r.out").string(),
                       "--html=" + (link / "r.out").string()}),
              HasSubstr("are one file"));
  std::filesystem::remove(link);
}

TEST_F(ParseCommandLineTest, TwoFilesForTheTwoReportsAreTaken) {
  const absl::StatusOr<CommandLine> line = Parse({"--json=r.json", "--html=r.html"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->run.json_path, "r.json");
  EXPECT_EQ(line->run.html_path, "r.html");
}

}  // namespace
}  // namespace racestress::internal
