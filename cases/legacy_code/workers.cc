#include "cases/legacy_code/workers.h"

#include <thread>
#include <vector>

#include "cases/legacy_code/plain_counter.h"

namespace legacy {

void CountInThreads(int* counter, int threads, int calls) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([counter, calls] {
      for (int i = 0; i < calls; ++i) Increment(counter);
    });
  }
  for (std::thread& worker : workers) worker.join();
}

void CountInThreadsUnderLock(std::mutex* mu, int* counter, int threads, int calls) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([mu, counter, calls] {
      for (int i = 0; i < calls; ++i) IncrementUnderLock(mu, counter);
    });
  }
  for (std::thread& worker : workers) worker.join();
}

void Mailbox::Post(int value) {
  std::lock_guard<std::mutex> lock(mu_);
  value_ = value;
  has_value_ = true;
  posted_.notify_one();
}

int Mailbox::Take() {
  std::unique_lock<std::mutex> lock(mu_);
  posted_.wait(lock, [this] { return has_value_; });
  return value_;
}

int Mailbox::TakeWithoutCheck() {
  std::unique_lock<std::mutex> lock(mu_);
  posted_.wait(lock);
  return value_;
}

}  // namespace legacy
