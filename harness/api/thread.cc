#include "harness/thread.h"

#include <cstdio>
#include <cstdlib>

#include "harness/stress/native_scheduler.h"

namespace racestress {

Thread::Thread(std::function<void()> body, const char* file, int line)
    : state_(std::make_unique<internal::ThreadState>()) {
  state_->body = std::move(body);
  internal::SchedulerForThisThread().Start(*state_, file, line);
}

Thread::~Thread() {
  if (Joinable()) Join();
}

Thread::Thread() = default;
Thread::Thread(Thread&& other) noexcept = default;

Thread& Thread::operator=(Thread&& other) noexcept {
  if (Joinable()) {
    fprintf(stderr, "racestress: a Thread still running was assigned to; Join() it first\n");
    abort();
  }
  state_ = std::move(other.state_);
  return *this;
}

void Thread::Join(const char* file, int line) {
  if (!Joinable()) {
    fprintf(stderr, "racestress: Join() of a Thread that is not joinable (%s:%d)\n", file, line);
    abort();
  }
  internal::SchedulerForThisThread().Join(*state_, file, line);
  state_.reset();
}

}  // namespace racestress
