// -----------------------------------------------------------------------------
// examples/consumer/ledger_scenarios_test.cc
// -----------------------------------------------------------------------------
//
// The ledger race-tested from ordinary GoogleTest TESTs: each scenario is one
// call around lambdas (a fresh Ledger per iteration, the tellers that share
// it, what to read at the end), run many times in a child process under the
// package's engine and sanitizer. A failure prints the verdict, the outcome
// histogram and the command that replays it, as a registered case does.
//
// Run:  ctest --test-dir <build dir> -R '^LedgerScenario\.'

#include <cstdint>

#include "gtest/gtest.h"
#include "harness/scenario.h"
#include "ledger.h"

namespace {

using ledger::Ledger;
using racestress::Equals;
using racestress::Expect;
using racestress::OneOf;
using racestress::Otherwise;
using racestress::Symptom;

TEST(LedgerScenario, ConcurrentDepositsAreCounted) {
  EXPECT_RACE_FREE(
      racestress::Scenario<Ledger>([](Ledger& l) { return l.Balance(); })
          .Actor([](Ledger& l) { l.Deposit(1); }, /*copies=*/2)
          .Outcome(Equals(2), Expect::kAcceptable, "both deposits counted")
          .Outcome(Otherwise(), Expect::kForbidden, "a deposit was lost", Symptom::kLostUpdate));
}

// The unlocked fast path, from two threads: the harness must catch it (a
// data race under the tsan package, a lost deposit under any).
TEST(LedgerScenario, UnlockedDepositsAreCaught) {
  EXPECT_RACE_DETECTED(
      racestress::Scenario<Ledger>([](Ledger& l) { return l.Balance(); })
          .Actor([](Ledger& l) { l.DepositUnlocked(1); }, /*copies=*/2)
          .Outcome(Equals(2), Expect::kAcceptable, "both deposits counted")
          .Outcome(Otherwise(), Expect::kForbidden, "a deposit was lost", Symptom::kLostUpdate));
}

// A balance read while a deposit lands sees it whole or not at all; the
// histogram shows how often each happened.
TEST(LedgerScenario, BalanceReadDuringADepositIsBeforeOrAfter) {
  struct Teller {
    Ledger ledger;
    int64_t seen = -1;  // written by the reader, read by the arbiter after it
  };
  EXPECT_RACE_FREE(
      racestress::Scenario<Teller>([](Teller& t) { return t.seen; })
          .Actor([](Teller& t) { t.ledger.Deposit(5); })
          .Actor([](Teller& t) { t.seen = t.ledger.Balance(); })
          .Outcome(OneOf({int64_t{0}, int64_t{5}}), Expect::kAcceptable,
                   "the balance before or after the deposit")
          .Outcome(Otherwise(), Expect::kForbidden, "a balance that never was"));
}

}  // namespace
