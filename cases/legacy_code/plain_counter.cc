#include "cases/legacy_code/plain_counter.h"

namespace legacy {

void Increment(int* counter) { *counter = *counter + 1; }

void IncrementUnderLock(std::mutex* mu, int* counter) {
  std::lock_guard<std::mutex> lock(*mu);
  *counter = *counter + 1;
}

void FirstValues::AddIfAbsent(int key, int value) {
  bool present;
  {
    std::lock_guard<std::mutex> lock(mu_);
    present = values_.count(key) != 0;
  }
  if (!present) {
    std::lock_guard<std::mutex> lock(mu_);
    values_[key] = value;
    ++inserts_;
  }
}

void FirstValues::AddIfAbsentAtomically(int key, int value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (values_.emplace(key, value).second) ++inserts_;
}

int FirstValues::inserts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return inserts_;
}

}  // namespace legacy
