// -----------------------------------------------------------------------------
// examples/consumer/ledger_cases_test.cc
// -----------------------------------------------------------------------------
//
// Two tellers each deposit 1 into one ledger, 1000 times: the balance must
// be 2 x 1000 = 2000. Ledger::DepositUnlocked reads and writes the balance
// without the lock, so a deposit can be lost; Ledger::Deposit takes it.
// Every RACESTRESS_CASE is a GoogleTest test, so `ctest` in this project's
// build directory runs them (gtest_discover_tests in CMakeLists.txt).
//
// Run:  ctest --test-dir <build dir> -R '^Ledger\.'

#include <cstdint>

#include "harness/case.h"
#include "ledger.h"

namespace {

using racestress::Equals;
using racestress::Expect;
using racestress::Otherwise;
using racestress::Symptom;

constexpr int kTellers = 2;
constexpr int kDeposits = 1000;
constexpr int64_t kExpectedBalance = int64_t{kTellers} * kDeposits;

// The bug: the unlocked fast path, from two threads.
struct UnlockedDeposits {
  ledger::Ledger ledger;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kDeposits; ++i) ledger.DepositUnlocked(1);
  }
  int64_t Result() const { return ledger.Balance(); }
};

// The fix: the locked deposit.
struct LockedDeposits {
  ledger::Ledger ledger;
  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kDeposits; ++i) ledger.Deposit(1);
  }
  int64_t Result() const { return ledger.Balance(); }
};

}  // namespace

RACESTRESS_CASE(Ledger, LostDepositUnlocked, UnlockedDeposits)
    .Threads(kTellers)
    .Outcome(Equals(kExpectedBalance), Expect::kAcceptable, "no deposit lost in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "lost deposit: one teller's write overwrote the other's",
             Symptom::kLostUpdate)
    .Racy(Symptom::kRace | Symptom::kLostUpdate);  // a known bug: must be flagged

RACESTRESS_CASE(Ledger, LostDepositLocked, LockedDeposits)
    .Threads(kTellers)
    .Outcome(Equals(kExpectedBalance), Expect::kAcceptable, "every deposit counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost deposit under the lock",
             Symptom::kLostUpdate);  // clean: any race, lost deposit, hang or crash fails it
