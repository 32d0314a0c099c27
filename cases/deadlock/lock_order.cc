// -----------------------------------------------------------------------------
// cases/deadlock/lock_order.cc
// -----------------------------------------------------------------------------
//
// Two accounts, each with its own lock. One actor moves 1 from a to b, the
// other 1 from b to a, three times each, holding both locks for each move.
// Expected: each account ends where it began, 100 + 3 x 1 - 3 x 1 = 100. If
// the actors take the two locks in opposite orders, each can hold one and
// wait for the other forever: a deadlock (a hang), which TSan reports as a
// lock-order inversion as soon as it has seen both orders.
//
// Seed: 004_ab661c4dcfa37486.txt, "Conclusion" (race conditions and deadlocks).
// Run:  ctest --preset tsan -R '^Deadlock\.'

#include <cstdint>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int64_t kOpening = 100;
constexpr int kTransfers = 3;

// Use a struct so the lock annotations apply.
struct Account {
  Mutex mu;
  int64_t balance ABSL_GUARDED_BY(mu) = kOpening;
};

void Move(Account& from, Account& to)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(from.mu, to.mu) {
  from.balance -= 1;
  point();
  to.balance += 1;
}

// The bug: each actor locks its source account first, so the two actors
// take the locks in opposite orders.
struct OppositeOrderLocks {
  Account a, b;

  static void Transfer(Account& from, Account& to) {
    for (int i = 0; i < kTransfers; ++i) {
      MutexLock lock_from(from.mu);
      point();
      MutexLock lock_to(to.mu);
      Move(from, to);
    }
  }
  void AToB() { Transfer(a, b); }
  void BToA() { Transfer(b, a); }
  std::string Result() {
    MutexLock lock_a(a.mu);
    MutexLock lock_b(b.mu);
    return absl::StrCat("a ", a.balance, ", b ", b.balance);
  }
};

// The fix: one global order, a before b, whichever way the money moves.
struct GlobalOrderLocks {
  Account a, b;

  void AToB() {
    for (int i = 0; i < kTransfers; ++i) {
      MutexLock lock_a(a.mu);
      point();
      MutexLock lock_b(b.mu);
      Move(a, b);
    }
  }
  void BToA() {
    for (int i = 0; i < kTransfers; ++i) {
      MutexLock lock_a(a.mu);
      point();
      MutexLock lock_b(b.mu);
      Move(b, a);
    }
  }
  std::string Result() {
    MutexLock lock_a(a.mu);
    MutexLock lock_b(b.mu);
    return absl::StrCat("a ", a.balance, ", b ", b.balance);
  }
};

// The fix: std::scoped_lock takes both locks at once, deadlock-free in either
// order (std::lock's back-off: lock one, try the other, else release and
// retry). The analysis cannot follow std::scoped_lock, hence no annotations.
struct ScopedLockAccounts {
  struct Account {
    Mutex mu;
    int64_t balance = kOpening;  // guarded by mu
  } a, b;

  static void Transfer(Account& from, Account& to) {
    for (int i = 0; i < kTransfers; ++i) {
      point();
      std::scoped_lock lock(from.mu, to.mu);
      from.balance -= 1;
      point();
      to.balance += 1;
    }
  }
  void AToB() { Transfer(a, b); }
  void BToA() { Transfer(b, a); }
  std::string Result() {
    std::scoped_lock lock(a.mu, b.mu);
    return absl::StrCat("a ", a.balance, ", b ", b.balance);
  }
};

const std::string kUnchanged = absl::StrCat("a ", kOpening, ", b ", kOpening);

}  // namespace

RACESTRESS_CASE(Deadlock, LockOrderOpposite, OppositeOrderLocks)
    .Actor(&OppositeOrderLocks::AToB)
    .Actor(&OppositeOrderLocks::BToA)
    .Outcome(Equals(kUnchanged), Expect::kAcceptable, "no deadlock in this run")
    .Outcome(Otherwise(), Expect::kForbidden, "a transfer was lost")
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kRace | Symptom::kHang)
    .RaceKinds({TsanKind::kLockOrderInversion});  // TSan's deadlock detector, not a data race

RACESTRESS_CASE(Deadlock, LockOrderGlobal, GlobalOrderLocks)
    .Actor(&GlobalOrderLocks::AToB)
    .Actor(&GlobalOrderLocks::BToA)
    .Outcome(Equals(kUnchanged), Expect::kAcceptable, "every transfer done, no deadlock")
    .Outcome(Otherwise(), Expect::kForbidden, "a transfer was lost");

RACESTRESS_CASE(Deadlock, LockOrderScopedLock, ScopedLockAccounts)
    .Actor(&ScopedLockAccounts::AToB)
    .Actor(&ScopedLockAccounts::BToA)
    .Outcome(Equals(kUnchanged), Expect::kAcceptable, "every transfer done, no deadlock")
    .Outcome(Otherwise(), Expect::kForbidden, "a transfer was lost");

}  // namespace racestress::cases
