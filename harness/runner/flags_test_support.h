// -----------------------------------------------------------------------------
// harness/runner/flags_test_support.h
// -----------------------------------------------------------------------------
//
// The fixture of the tests of ParseCommandLine() (flags_test.cc,
// flags_checks_test.cc): it parses a made-up command line with the flags at
// their defaults and puts them back after, since they are process-wide
// Abseil flags.

#ifndef RACESTRESS_HARNESS_RUNNER_FLAGS_TEST_SUPPORT_H_
#define RACESTRESS_HARNESS_RUNNER_FLAGS_TEST_SUPPORT_H_

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "harness/runner/flags.h"

namespace racestress::internal {

class ParseCommandLineTest : public testing::Test {
 protected:
  void SetUp() override {
    // The environment default must not leak into these tests.
    if (const char* env = std::getenv("RACESTRESS_SEED")) saved_env_ = env;
    unsetenv("RACESTRESS_SEED");
  }
  void TearDown() override {
    if (saved_env_) setenv("RACESTRESS_SEED", saved_env_->c_str(), 1);
  }

  // Parses `args` as argv[1..], the flags at their defaults first, and puts
  // them back after.
  static absl::StatusOr<CommandLine> Parse(const std::vector<std::string>& args) {
    absl::FlagSaver saver;
    std::vector<std::string> storage = {"racestress"};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    return ParseCommandLine(static_cast<int>(storage.size()), argv.data());
  }

  static std::string ErrorOf(const std::vector<std::string>& args) {
    const absl::StatusOr<CommandLine> line = Parse(args);
    if (line.ok()) return "<accepted>";
    EXPECT_EQ(line.status().code(), absl::StatusCode::kInvalidArgument);
    // One line: the runner prints it as is.
    EXPECT_FALSE(absl::StrContains(line.status().message(), "\n"));
    return std::string(line.status().message());
  }

 private:
  std::optional<std::string> saved_env_;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_FLAGS_TEST_SUPPORT_H_
