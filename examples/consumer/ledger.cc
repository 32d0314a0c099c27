#include "ledger.h"

namespace ledger {

void Ledger::Deposit(int64_t amount) {
  absl::MutexLock lock(&mu_);
  balance_ += amount;
}

// Its author silenced the thread-safety analysis that would have rejected it.
void Ledger::DepositUnlocked(int64_t amount) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  balance_ += amount;
}

int64_t Ledger::Balance() const {
  absl::MutexLock lock(&mu_);
  return balance_;
}

}  // namespace ledger
