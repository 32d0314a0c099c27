// -----------------------------------------------------------------------------
// examples/consumer/ledger.h
// -----------------------------------------------------------------------------
//
// The code under test: a project's own library, written without racestress
// (no harness include). ledger_cases_test.cc race-tests it.

#ifndef LEDGER_LEDGER_H_
#define LEDGER_LEDGER_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace ledger {

// An account balance that several threads deposit into.
class Ledger {
 public:
  // Adds `amount` under the ledger's lock.
  void Deposit(int64_t amount);

  // Adds `amount` without the lock, a "fast path" for single-threaded
  // imports. The bug: called from two threads, both can read the same
  // balance, and one deposit is lost.
  void DepositUnlocked(int64_t amount);

  int64_t Balance() const;

 private:
  mutable absl::Mutex mu_;
  int64_t balance_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ledger

#endif  // LEDGER_LEDGER_H_
