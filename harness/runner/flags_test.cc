// -----------------------------------------------------------------------------
// harness/runner/flags_test.cc
// -----------------------------------------------------------------------------
//
// racestress's command line: seeds, replay tokens and the one-line errors for
// bad input. The flags are process-wide Abseil flags, so every test starts
// and ends with them at their defaults.

#include "harness/runner/flags.h"

#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_DECLARE_FLAG(std::string, seed);
ABSL_DECLARE_FLAG(int64_t, iterations);
ABSL_DECLARE_FLAG(absl::Duration, time_budget);
ABSL_DECLARE_FLAG(std::string, replay);
ABSL_DECLARE_FLAG(std::string, json);
ABSL_DECLARE_FLAG(bool, isolate);
ABSL_DECLARE_FLAG(std::string, racestress_child);
ABSL_DECLARE_FLAG(int, racestress_child_fd);

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

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
// ParseRunOptions

class ParseRunOptionsTest : public testing::Test {
 protected:
  void SetUp() override {
    ResetFlags();
    // The environment default must not leak into these tests.
    if (const char* env = std::getenv("RACESTRESS_SEED")) saved_env_ = env;
    unsetenv("RACESTRESS_SEED");
  }
  void TearDown() override {
    ResetFlags();
    if (saved_env_) setenv("RACESTRESS_SEED", saved_env_->c_str(), 1);
  }

  static void ResetFlags() {
    absl::SetFlag(&FLAGS_seed, "");
    absl::SetFlag(&FLAGS_iterations, 0);
    absl::SetFlag(&FLAGS_time_budget, absl::ZeroDuration());
    absl::SetFlag(&FLAGS_replay, "");
    absl::SetFlag(&FLAGS_json, "");
    absl::SetFlag(&FLAGS_isolate, true);
    absl::SetFlag(&FLAGS_racestress_child, "");
    absl::SetFlag(&FLAGS_racestress_child_fd, -1);
  }

  // Parses `args` as argv[1..]; flags are reset first so each call stands alone.
  static absl::StatusOr<RunOptions> Parse(std::initializer_list<const char*> args) {
    ResetFlags();
    std::vector<std::string> storage = {"racestress"};
    for (const char* arg : args) storage.emplace_back(arg);
    std::vector<char*> argv;
    for (auto& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    return ParseRunOptions(static_cast<int>(storage.size()), argv.data());
  }

  static std::string ErrorOf(std::initializer_list<const char*> args) {
    const absl::StatusOr<RunOptions> options = Parse(args);
    if (options.ok()) return "<accepted>";
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
    // One line: the runner prints it as is.
    EXPECT_FALSE(absl::StrContains(options.status().message(), "\n"));
    return std::string(options.status().message());
  }

 private:
  std::optional<std::string> saved_env_;
};

TEST_F(ParseRunOptionsTest, NoFlagsGiveTheDefaults) {
  const absl::StatusOr<RunOptions> options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->iterations, 0);
  EXPECT_EQ(options->time_budget, absl::ZeroDuration());
  EXPECT_EQ(options->first_iteration, 0);
  EXPECT_FALSE(options->replaying);
  EXPECT_TRUE(options->json_path.empty());
  EXPECT_TRUE(options->isolate);
  EXPECT_TRUE(options->child_case.empty());
  EXPECT_EQ(options->child_fd, -1);
}

TEST_F(ParseRunOptionsTest, OwnFlagsAreRead) {
  const absl::StatusOr<RunOptions> options =
      Parse({"--seed=0x2a", "--iterations=17", "--time_budget=250ms", "--json=/tmp/r.json",
             "--noisolate"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->run_seed, 42u);
  EXPECT_EQ(options->iterations, 17);
  EXPECT_EQ(options->time_budget, absl::Milliseconds(250));
  EXPECT_EQ(options->json_path, "/tmp/r.json");
  EXPECT_FALSE(options->isolate);
  EXPECT_FALSE(options->replaying);
}

TEST_F(ParseRunOptionsTest, SeedFallsBackToTheEnvironment) {
  setenv("RACESTRESS_SEED", "0x77", 1);
  const absl::StatusOr<RunOptions> options = Parse({});
  unsetenv("RACESTRESS_SEED");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->run_seed, 0x77u);
}

TEST_F(ParseRunOptionsTest, UnknownFlagIsAnErrorNamingTheFlag) {
  EXPECT_THAT(ErrorOf({"--sed=5"}), HasSubstr("--sed"));
  EXPECT_THAT(ErrorOf({"--iterations=5", "--bogus"}), HasSubstr("--bogus"));
  EXPECT_THAT(ErrorOf({"--nojson"}), HasSubstr("--nojson"));
}

TEST_F(ParseRunOptionsTest, AbseilsOwnFlagsAreNotRacestresssToTake) {
  EXPECT_THAT(ErrorOf({"--flagfile=/dev/null"}), HasSubstr("unknown flag --flagfile"));
}

TEST_F(ParseRunOptionsTest, StrayArgumentIsAnError) {
  EXPECT_THAT(ErrorOf({"Counter.LostUpdateRacy"}), HasSubstr("'Counter.LostUpdateRacy'"));
}

TEST_F(ParseRunOptionsTest, BadIterationsValueIsAnErrorNamingTheFlag) {
  EXPECT_THAT(ErrorOf({"--iterations=many"}), HasSubstr("--iterations"));
  EXPECT_THAT(ErrorOf({"--iterations=-5"}), HasSubstr("--iterations"));
  EXPECT_THAT(ErrorOf({"--iterations"}), HasSubstr("--iterations"));
}

TEST_F(ParseRunOptionsTest, BadTimeBudgetOrSeedIsAnError) {
  EXPECT_THAT(ErrorOf({"--time_budget=soon"}), HasSubstr("--time_budget"));
  EXPECT_THAT(ErrorOf({"--time_budget=-1s"}), HasSubstr("--time_budget"));
  EXPECT_THAT(ErrorOf({"--seed=0x"}), HasSubstr("bad seed '0x'"));
  EXPECT_THAT(ErrorOf({"--seed"}), HasSubstr("--seed"));
}

TEST_F(ParseRunOptionsTest, ReplaySetsSeedAndFirstIteration) {
  const absl::StatusOr<RunOptions> options = Parse({"--replay=0x2a:17"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->run_seed, 42u);
  EXPECT_EQ(options->first_iteration, 17);
  EXPECT_TRUE(options->replaying);
}

TEST_F(ParseRunOptionsTest, ReplayOfAFormattedSeedRoundTrips) {
  const std::string token = "--replay=" + FormatSeed(0x9e3779b97f4a7c15) + ":0";
  const absl::StatusOr<RunOptions> options = Parse({token.c_str()});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->run_seed, 0x9e3779b97f4a7c15u);
  EXPECT_EQ(options->first_iteration, 0);
}

TEST_F(ParseRunOptionsTest, BadReplayTokensAreErrors) {
  for (const char* arg : {"--replay=x:1", "--replay=0x2a", "--replay=0x2a:-1",
                          "--replay=0x2a:abc", "--replay=:17", "--replay=0x2a:"}) {
    EXPECT_THAT(ErrorOf({arg}), HasSubstr("bad replay token")) << arg;
  }
}

TEST_F(ParseRunOptionsTest, ReplayWithSeedIsAnError) {
  EXPECT_THAT(ErrorOf({"--seed=5", "--replay=0x2a:17"}), HasSubstr("--replay"));
  EXPECT_THAT(ErrorOf({"--replay=0x2a:17", "--seed=5"}), HasSubstr("drop --seed"));
}

TEST_F(ParseRunOptionsTest, ChildArgumentsParseBackToTheSameRun) {
  RunOptions parent;
  parent.run_seed = 0xdeadbeef;
  parent.first_iteration = 9;
  parent.iterations = 100;
  parent.time_budget = absl::Milliseconds(1500);
  const std::vector<std::string> args = ChildArguments(parent, "Suite.Name", 3);
  std::vector<std::string> storage = {"racestress"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  ResetFlags();
  const absl::StatusOr<RunOptions> child =
      ParseRunOptions(static_cast<int>(storage.size()), argv.data());
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_EQ(child->run_seed, parent.run_seed);
  EXPECT_EQ(child->first_iteration, parent.first_iteration);
  EXPECT_EQ(child->iterations, parent.iterations);
  EXPECT_EQ(child->time_budget, parent.time_budget);
  EXPECT_EQ(child->child_case, "Suite.Name");
  EXPECT_EQ(child->child_fd, 3);
}

}  // namespace
}  // namespace racestress::internal
