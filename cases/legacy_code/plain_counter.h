// -----------------------------------------------------------------------------
// cases/legacy_code/plain_counter.h
// -----------------------------------------------------------------------------
//
// Code written without racestress in mind, as a user's library would be: no
// harness include, std::mutex and plain ints. The catalog compiles it with
// `racestress_instrument()` (cases/CMakeLists.txt), which makes every load and
// store in it a scheduling point without a change to this source.

#ifndef RACESTRESS_CASES_LEGACY_CODE_PLAIN_COUNTER_H_
#define RACESTRESS_CASES_LEGACY_CODE_PLAIN_COUNTER_H_

#include <map>
#include <mutex>

namespace legacy {

// `*counter = *counter + 1`: a read, then a write. Not thread-safe.
void Increment(int* counter);

// The same under `*mu`.
void IncrementUnderLock(std::mutex* mu, int* counter);

// A map from key to the first value added for it, and how many adds went in.
class FirstValues {
 public:
  // Adds `value` for `key` unless the key is present. The bug: the mutex
  // guards each look at the map, not the look and the insert together, so
  // two callers can both find the key absent and both insert.
  void AddIfAbsent(int key, int value);

  // The same, checked and inserted under one lock.
  void AddIfAbsentAtomically(int key, int value);

  // How many inserts went in (more than the keys means one was duplicated).
  int inserts() const;

 private:
  mutable std::mutex mu_;
  std::map<int, int> values_;  // guarded by mu_
  int inserts_ = 0;            // guarded by mu_
};

}  // namespace legacy

#endif  // RACESTRESS_CASES_LEGACY_CODE_PLAIN_COUNTER_H_
