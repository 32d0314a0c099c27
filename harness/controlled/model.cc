// The controlled scheduler's model of synchronization, keyed by address:
// scheduling points, mutexes, waits, condition variables, threads.

#include <cstdio>
#include <cstdlib>

#include "harness/controlled/ignore_scope.h"
#include "harness/controlled/scheduler.h"
#include "harness/tsan/tsan_annotations.h"

namespace racestress::internal {

void ControlledScheduler::Point(const char*, int) {
  if (running_ < 0) return;  // the controller (the arbiter): no schedule
  Actor& me = actors_[running_];
  IgnoreScope ignore(me.ignore_depth);
  // Not traced: every traced operation starts with a point of its own.
  Reschedule(me.index, /*can_continue=*/true);
}

void ControlledScheduler::Yield(const char*, int) {
  if (running_ < 0) return;
  Actor& me = actors_[running_];
  IgnoreScope ignore(me.ignore_depth);
  strategy_.Yielded(me.index);
  Reschedule(me.index, /*can_continue=*/true);
}

void ControlledScheduler::Trace(TraceOp op, const char* file, int line, bool has_value,
                                int64_t value) {
  if (running_ < 0) return;
  IgnoreScope ignore(actors_[running_].ignore_depth);
  AppendTrace(op, file, line, has_value, value);
}

void ControlledScheduler::Lock(const void* mu, const char* file, int line) {
  // The controller (the arbiter) locking: nothing runs concurrently.
  if (running_ < 0) return TsanAcquire(mu);
  Actor& me = actors_[running_];
  {
    IgnoreScope ignore(me.ignore_depth);
    Reschedule(me.index, /*can_continue=*/true);
    if (held_.count(mu) != 0) {
      AppendTrace(TraceOp::kWait, file, line, false, 0);
      auto free = [this, mu] { return held_.count(mu) == 0; };
      Block(me, free, "Mutex::Lock", mu, file, line);
    }
    held_[mu] = Held{me.index, file, line};
    AppendTrace(TraceOp::kLock, file, line, false, 0);
  }
  TsanAcquire(mu);
}

bool ControlledScheduler::TryLock(const void* mu, const char* file, int line) {
  if (running_ < 0) {
    TsanAcquire(mu);
    return true;
  }
  Actor& me = actors_[running_];
  {
    IgnoreScope ignore(me.ignore_depth);
    Reschedule(me.index, /*can_continue=*/true);
    if (held_.count(mu) != 0) {
      AppendTrace(TraceOp::kTryLockFailed, file, line, false, 0);
      return false;
    }
    held_[mu] = Held{me.index, file, line};
    AppendTrace(TraceOp::kLock, file, line, false, 0);
  }
  TsanAcquire(mu);
  return true;
}

void ControlledScheduler::Unlock(const void* mu, const char* file, int line) {
  if (running_ < 0) return;
  Actor& me = actors_[running_];
  TsanRelease(mu);
  IgnoreScope ignore(me.ignore_depth);
  held_.erase(mu);
  AppendTrace(TraceOp::kUnlock, file, line, false, 0);
  Reschedule(me.index, /*can_continue=*/true);
}

void ControlledScheduler::WaitUntil(absl::FunctionRef<bool()> ready, const char* what,
                                    const char* file, int line) {
  if (running_ < 0) return;
  Actor& me = actors_[running_];
  IgnoreScope ignore(me.ignore_depth);
  Reschedule(me.index, /*can_continue=*/true);
  if (!ready()) {
    AppendTrace(TraceOp::kWait, file, line, false, 0);
    Block(me, ready, what, nullptr, file, line);
    AppendTrace(TraceOp::kWoken, file, line, false, 0);
  }
}

void ControlledScheduler::CondWait(const void* cv, const void* mu, const char* what,
                                   const char* file, int line) {
  if (running_ < 0) {
    fprintf(stderr, "racestress: a case's state or arbiter waited on a condition variable; "
                    "under the controlled engine only actors may wait\n");
    abort();
  }
  uint64_t ticket;
  {
    IgnoreScope ignore(actors_[running_].ignore_depth);  // the scheduler's books
    ticket = conds_[cv].next_ticket++;
  }
  Unlock(mu, file, line);
  WaitUntil([this, cv, ticket] { return ticket < conds_[cv].wake_limit; }, what, file, line);
  TsanAcquire(cv);
  Lock(mu, file, line);
}

void ControlledScheduler::CondSignal(const void* cv, bool all, const char* file, int line) {
  if (running_ < 0) return;  // the controller: no actor can be waiting on a fresh state
  {
    IgnoreScope ignore(actors_[running_].ignore_depth);
    AppendTrace(TraceOp::kSignal, file, line, false, 0);
    CondState& c = conds_[cv];
    if (all) {
      c.wake_limit = c.next_ticket;
    } else if (c.wake_limit < c.next_ticket) {
      ++c.wake_limit;
    }
  }
  TsanRelease(cv);
  Point(file, line);
}

int ControlledScheduler::StartThread(void (*entry)(void*), void* arg, const char* file,
                                     int line) {
  if (running_ < 0) {
    fprintf(stderr, "racestress: a case's state or arbiter started a thread; under the "
                    "controlled engine only actors may start threads\n");
    abort();
  }
  if (live_ == static_cast<int>(actors_.size())) AddActor();
  Actor& thread = actors_[live_];
  // Everything the starter did so far happens before the thread's body.
  TsanRelease(&thread.start_token);
  Actor& me = actors_[running_];
  IgnoreScope ignore(me.ignore_depth);
  ++live_;
  ResetActor(thread);
  thread.thread_entry = entry;
  thread.thread_arg = arg;
  strategy_.ActorStarted(thread.index);
  AppendTrace(TraceOp::kStart, file, line, true, thread.index);
  Reschedule(me.index, /*can_continue=*/true);
  return thread.index;
}

void ControlledScheduler::JoinThread(int thread, const char* file, int line) {
  if (running_ < 0 || thread < case_actors_ || thread >= live_) {
    fprintf(stderr, "racestress: Thread::Join() of a thread this schedule did not start\n");
    abort();
  }
  Actor& me = actors_[running_];
  {
    IgnoreScope ignore(me.ignore_depth);
    Reschedule(me.index, /*can_continue=*/true);
    const Actor& joined = actors_[thread];
    if (joined.state != ActorState::kFinished) {
      AppendTrace(TraceOp::kWait, file, line, true, thread);
      auto finished = [&joined] { return joined.state == ActorState::kFinished; };
      Block(me, finished, "Thread::Join", nullptr, file, line);
    }
    AppendTrace(TraceOp::kJoin, file, line, true, thread);
  }
  TsanAcquire(&actors_[thread].finish_token);
}

}  // namespace racestress::internal
