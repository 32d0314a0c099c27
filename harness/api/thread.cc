#include "harness/thread.h"

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "harness/core/scheduler.h"
#include "harness/stress/perturbation.h"
#include "harness/point.h"

namespace racestress {

struct Thread::Started {
  std::function<void()> body;
  // Controlled engine: the actor running the body; -1 under the others.
  int actor = -1;
  // Stress engine (or none): the thread, and its perturbation context when
  // the starter is an actor.
  std::thread thread;
  internal::ActorContext context;
  bool perturbed = false;

  static void Run(void* self) { static_cast<Started*>(self)->body(); }
};

Thread::Thread(std::function<void()> body, const char* file, int line)
    : started_(std::make_unique<Started>()) {
  Started& s = *started_;
  s.body = std::move(body);
  if (internal::Scheduler* scheduler = internal::ActiveScheduler()) {
    s.actor = scheduler->StartThread(&Started::Run, &s, file, line);
    return;
  }
  point(file, line);
  if (internal::ActorContext* starter = internal::CurrentActor()) {
    s.context = starter->ForStartedThread();
    s.perturbed = true;
  }
  internal::ScopedHarnessPthreadCalls own;  // perturbed above, its own way
  s.thread = std::thread([&s] {
    if (!s.perturbed) return s.body();
    internal::ScopedActor scoped(&s.context);
    s.body();
  });
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
  started_ = std::move(other.started_);
  return *this;
}

void Thread::Join(const char* file, int line) {
  if (!Joinable()) {
    fprintf(stderr, "racestress: Join() of a Thread that is not joinable (%s:%d)\n", file, line);
    abort();
  }
  if (started_->actor >= 0) {
    internal::Scheduler* scheduler = internal::ActiveScheduler();
    if (scheduler == nullptr) {
      fprintf(stderr, "racestress: a Thread started under the controlled engine was joined "
                      "outside it (%s:%d)\n", file, line);
      abort();
    }
    scheduler->JoinThread(started_->actor, file, line);
  } else {
    point(file, line);
    internal::ScopedBlocking blocked("Thread::Join", file, line);
    internal::ScopedHarnessPthreadCalls own;
    started_->thread.join();
  }
  started_.reset();
}

}  // namespace racestress
