#include "harness/stress/native_scheduler.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "harness/stress/perturbation.h"

namespace racestress::internal {
namespace {

class Native final : public Scheduler {
 public:
  void Point(const char* file, int line) override {
    if (ActorContext* actor = CurrentActor()) actor->Point(file, line);
  }

  void Yield(const char*, int) override { std::this_thread::yield(); }

  void Trace(TraceOp, const char*, int, bool, int64_t) override {}

  // The harness's own pthread calls below took their scheduling point
  // already: ScopedHarnessCode lets intercept/ pass them through.

  void Lock(MutexState& mu, const char* file, int line) override {
    Point(file, line);
    ScopedBlocking blocked("Mutex::Lock", file, line);
    ScopedHarnessCode own;
    mu.native.lock();
  }

  bool TryLock(MutexState& mu, const char* file, int line) override {
    Point(file, line);
    ScopedHarnessCode own;
    return mu.native.try_lock();
  }

  void Unlock(MutexState& mu, const char* file, int line) override {
    {
      ScopedHarnessCode own;
      mu.native.unlock();
    }
    Point(file, line);
  }

  void Wait(CondVarState& cv, MutexState& mu, const char* file, int line) override {
    Point(file, line);
    ScopedBlocking blocked("CondVar::Wait", file, line);
    ScopedHarnessCode own;
    std::unique_lock<std::mutex> lock(mu.native, std::adopt_lock);
    cv.native.wait(lock);
    lock.release();
  }

  void Signal(CondVarState& cv, bool all, const char* file, int line) override {
    Point(file, line);
    ScopedHarnessCode own;
    if (all) {
      cv.native.notify_all();
    } else {
      cv.native.notify_one();
    }
  }

  void Acquire(SemaphoreState& s, const char* file, int line) override
      ABSL_NO_THREAD_SAFETY_ANALYSIS {
    Point(file, line);
    ScopedBlocking blocked("Semaphore::Acquire", file, line);
    absl::MutexLock lock(&s.mu);
    s.mu.Await(absl::Condition(
        +[](int* permits) { return *permits > 0; }, &s.permits));
    --s.permits;
  }

  void Release(SemaphoreState& s, const char* file, int line) override
      ABSL_NO_THREAD_SAFETY_ANALYSIS {
    Point(file, line);
    absl::MutexLock lock(&s.mu);
    ++s.permits;
  }

  void Notify(NotificationState& n, const char* file, int line) override {
    Point(file, line);
    n.native.Notify();
  }

  void WaitForNotification(NotificationState& n, const char* file, int line) override {
    Point(file, line);
    ScopedBlocking blocked("Notification::WaitForNotification", file, line);
    n.native.WaitForNotification();
  }

  bool HasBeenNotified(NotificationState& n, const char* file, int line) override {
    Point(file, line);
    return n.native.HasBeenNotified();
  }

  // A thread an actor starts is perturbed like its starter, from a stream
  // drawn from the starter's, so a seed still fixes every choice.
  void Start(ThreadState& t, const char* file, int line) override {
    Point(file, line);
    ActorContext* starter = CurrentActor();
    const bool perturbed = starter != nullptr;
    ActorContext context = perturbed ? starter->ForStartedThread() : ActorContext{};
    ScopedHarnessCode own;  // perturbed above, its own way
    t.native = std::thread([&t, context, perturbed]() mutable {
      if (!perturbed) return t.body();
      ScopedActor scoped(&context);
      t.body();
    });
  }

  void Join(ThreadState& t, const char* file, int line) override {
    if (t.actor >= 0) {
      fprintf(stderr, "racestress: a Thread started under the controlled engine was joined "
                      "outside it (%s:%d)\n", file, line);
      abort();
    }
    Point(file, line);
    ScopedBlocking blocked("Thread::Join", file, line);
    ScopedHarnessCode own;
    t.native.join();
  }
};

}  // namespace

Scheduler& NativeScheduler() {
  static Native native;
  return native;
}

void AbortForeignThread() {
  fprintf(stderr,
          "racestress: a harness primitive was used from a thread the case started itself; "
          "the controlled engine schedules only the case's actors (run this case under the "
          "stress engine)\n");
  syscall(SYS_exit_group, 2);
  abort();
}

}  // namespace racestress::internal
