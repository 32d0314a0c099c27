// -----------------------------------------------------------------------------
// cases/legacy_code/workers.h
// -----------------------------------------------------------------------------
//
// More code written without racestress in mind: it starts its own
// std::threads and hands a value over with a std::condition_variable. No
// harness include; the catalog compiles it with `racestress_instrument()`,
// and the harness makes its pthread calls (thread start and join, mutex,
// condition wait and notify) scheduling points too.

#ifndef RACESTRESS_CASES_LEGACY_CODE_WORKERS_H_
#define RACESTRESS_CASES_LEGACY_CODE_WORKERS_H_

#include <condition_variable>
#include <mutex>

namespace legacy {

// Starts `threads` std::threads that each call Increment(counter) `calls`
// times, and joins them. Not thread-safe: updates are lost.
void CountInThreads(int* counter, int threads, int calls);

// The same, each increment under `*mu`.
void CountInThreadsUnderLock(std::mutex* mu, int* counter, int threads, int calls);

// A one-slot mailbox: one thread posts a value, another takes it.
class Mailbox {
 public:
  // Stores `value` and notifies a waiting taker.
  void Post(int value);

  // Waits until a value was posted (the predicate loop), then returns it.
  int Take();

  // The bug: waits for the notification without first checking whether a
  // value is already there. If Post() ran first, its notification reached
  // nobody and this waits forever (a lost wake-up).
  int TakeWithoutCheck();

 private:
  std::mutex mu_;
  std::condition_variable posted_;
  bool has_value_ = false;  // guarded by mu_
  int value_ = 0;           // guarded by mu_
};

}  // namespace legacy

#endif  // RACESTRESS_CASES_LEGACY_CODE_WORKERS_H_
