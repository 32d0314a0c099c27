// -----------------------------------------------------------------------------
// examples/consumer/user_flags_test.cc
// -----------------------------------------------------------------------------
//
// A test binary with Abseil flags of its own, named as racestress's short
// spellings are (--seed, --json): they stay the project's. On this binary's
// command line --seed=V and --json=PATH set the flags below, and racestress's
// are spelled in full, --racestress_seed=S and --racestress_json=PATH. Each
// case and scenario runs in a child process, which gets the project's flags
// too. CMakeLists.txt runs these tests with --seed=users-own-value
// --json=users-own-json.
//
// Run:  ctest --test-dir <build dir> -R '^UserFlags\.'

#include <cstdint>
#include <string>

#include "absl/flags/flag.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/scenario.h"
#include "ledger.h"

ABSL_FLAG(std::string, seed, "", "the project's own seed (not racestress's run seed)");
ABSL_FLAG(std::string, json, "", "the project's own JSON path (not racestress's report)");

namespace {

using ledger::Ledger;
using racestress::Equals;
using racestress::Expect;
using racestress::Otherwise;

constexpr char kSeed[] = "users-own-value";

// What a teller deposits: 1 if the command line's --seed reached this
// process, 100 if not.
int64_t Amount() { return absl::GetFlag(FLAGS_seed) == kSeed ? 1 : 100; }

TEST(UserFlags, SeedAndJsonAreTheProjectsOwn) {
  EXPECT_EQ(absl::GetFlag(FLAGS_seed), kSeed);
  EXPECT_EQ(absl::GetFlag(FLAGS_json), "users-own-json");
}

// The scenario runs in a child process: its tellers see the same --seed.
TEST(UserFlags, ScenarioChildSeesTheProjectsFlags) {
  EXPECT_RACE_FREE(
      racestress::Scenario<Ledger>([](Ledger& l) { return l.Balance(); })
          .Actor([](Ledger& l) { l.Deposit(Amount()); }, /*copies=*/2)
          .Outcome(Equals(2), Expect::kAcceptable, "both deposits of 1: the child has --seed")
          .Outcome(Otherwise(), Expect::kForbidden, "the child lost the project's --seed"));
}

struct Tellers {
  Ledger ledger;
  void Worker(int /*thread_index*/) { ledger.Deposit(Amount()); }
  int64_t Result() const { return ledger.Balance(); }
};

}  // namespace

// A registered case, in a child process too.
RACESTRESS_CASE(UserFlags, CaseChildSeesTheProjectsFlags, Tellers)
    .Threads(2)
    .Outcome(Equals(2), Expect::kAcceptable, "both deposits of 1: the child has --seed")
    .Outcome(Otherwise(), Expect::kForbidden, "the child lost the project's --seed");
