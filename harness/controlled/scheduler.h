// -----------------------------------------------------------------------------
// harness/controlled/scheduler.h
// -----------------------------------------------------------------------------
//
// The controlled engine's scheduler: the actors of one schedule as fibers on
// the calling thread, one running at a time, and a strategy choosing at every
// scheduling point who runs next. It implements `Scheduler` (core/) for the
// harness's primitives (primitives.cc) on a model of its own, keyed by each
// object's address: a mutex, a condition variable, a wait until a condition
// holds, threads started and joined. intercept/ reaches the same model for
// the pthread calls of code racestress did not compile.
//
// A blocked actor blocks in the scheduler, never in the OS, so a deadlock is
// seen the moment no live actor can run. TSan keeps watching: each actor is
// a TSan fiber, switching creates no happens-before edge, and the model
// announces exactly the edges each primitive makes (an unlock before the next
// lock, a signal before its wake-ups, a start before the thread's body). The
// scheduler's own books are handed between fibers on tokens of its own: the
// controller's start before the actors, their end (or, for a schedule cut
// short, a hand-back of every fiber) before the controller's next move.
//
// Thread safety: one thread (the engine's), its fibers one at a time.

#ifndef RACESTRESS_HARNESS_CONTROLLED_SCHEDULER_H_
#define RACESTRESS_HARNESS_CONTROLLED_SCHEDULER_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "harness/controlled/actor.h"
#include "harness/controlled/fiber.h"
#include "harness/controlled/strategy.h"
#include "harness/controlled/trace.h"
#include "harness/controlled/watchdog.h"
#include "harness/core/scheduler.h"

namespace racestress::internal {

// What the actors of a schedule run.
class ScheduleBody {
 public:
  // The case's actor `actor`, on the schedule's state.
  virtual void RunActor(int actor) = 0;
  // Actor `actor` let an exception escape (`what` says which).
  virtual void ActorThrew(int actor, const std::string& what) = 0;

 protected:
  ~ScheduleBody() = default;
};

enum class FutexResult { kWoken, kValueChanged, kTimedOut };

enum class ScheduleEnding { kCompleted, kDeadlock, kLivelock };

class ControlledScheduler final : public Scheduler {
 public:
  ControlledScheduler(int case_actors, Strategy& strategy, int64_t max_steps,
                      ScheduleBody& body);
  // Rebalances the fibers' TSan state and releases them.
  ~ControlledScheduler();

  // --- the engine's side: one schedule ------------------------------------------

  // Readies the case's actors for schedule `index`, chosen from `seed`.
  void BeginSchedule(uint64_t seed, int64_t index);
  // Runs the schedule until every actor finished or none can run.
  void RunSchedule();
  ScheduleEnding ending() const { return ending_; }
  const std::string& ending_detail() const { return ending_detail_; }
  int64_t steps() const { return steps_; }
  const StepTrace& trace() const { return trace_; }
  const ScheduleProgress& progress() const { return progress_; }
  // Makes this thread's primitives (and intercept/'s) this scheduler's.
  void Install();
  void Uninstall();

  // --- Scheduler, for the harness's primitives (primitives.cc) ----------------

  void Point(const char* file, int line) override;
  void Yield(const char* file, int line) override;
  void Trace(TraceOp op, const char* file, int line, bool has_value, int64_t value) override;
  void Lock(MutexState& mu, const char* file, int line) override;
  bool TryLock(MutexState& mu, const char* file, int line) override;
  void Unlock(MutexState& mu, const char* file, int line) override;
  void Wait(CondVarState& cv, MutexState& mu, const char* file, int line) override;
  void Signal(CondVarState& cv, bool all, const char* file, int line) override;
  void Acquire(SemaphoreState& s, const char* file, int line) override;
  void Release(SemaphoreState& s, const char* file, int line) override;
  void Notify(NotificationState& n, const char* file, int line) override;
  void WaitForNotification(NotificationState& n, const char* file, int line) override;
  bool HasBeenNotified(NotificationState& n, const char* file, int line) override;
  void Start(ThreadState& t, const char* file, int line) override;
  void Join(ThreadState& t, const char* file, int line) override;

  // --- the model, keyed by address (also intercept/'s) -------------------------

  // A scheduling point, then blocks until `mu` is free and takes it. The
  // unlock before happens before what follows.
  void Lock(const void* mu, const char* file, int line);
  bool TryLock(const void* mu, const char* file, int line);
  void Unlock(const void* mu, const char* file, int line);
  // A scheduling point, then blocks until `ready()` (evaluated with the actor
  // suspended); `what` names the wait in a deadlock report.
  void WaitUntil(absl::FunctionRef<bool()> ready, const char* what, const char* file, int line);
  // Unlocks `mu`, blocks until a later CondSignal(cv) picks this waiter
  // (oldest first; no spurious wake-ups), locks `mu` again.
  void CondWait(const void* cv, const void* mu, const char* what, const char* file, int line);
  void CondSignal(const void* cv, bool all, const char* file, int line);
  // A futex wait on the 32-bit `word` (futex.cc): a scheduling point, then
  // kValueChanged if `word` no longer holds `expected`; else blocks until a
  // FutexWake of `word` with a bitset sharing a bit with `bitset` picks this
  // waiter (oldest first; no spurious wake-ups). A `timed` wait times out
  // after the others had their turn instead of blocking. `what` names the
  // wait in the trace and a deadlock report.
  FutexResult FutexWait(const void* word, uint32_t expected, uint32_t bitset, bool timed,
                        const char* what);
  // Wakes up to `count` of `word`'s matching waiters; returns how many, then
  // a scheduling point.
  int FutexWake(const void* word, int count, uint32_t bitset, const char* what);
  // `entry(arg)` as a new actor; returns its number.
  int StartThread(void (*entry)(void*), void* arg, const char* file, int line);
  void JoinThread(int thread, const char* file, int line);
  // From the actors' next scheduling points to the end of the run, TSan no
  // longer checks their plain memory accesses (their synchronization, and so
  // lock-order inversions, it still sees). For the TSan report handler: once
  // a race is reported, TSan checks each later access of the racing pair
  // again (a report it then drops as seen), and TSans of LLVM 15 and later
  // do so by replaying the racing fiber's trace each time, no longer
  // skipping an address already reported as clang 14's does: enough to
  // stall a schedule of a few thousand racy accesses for minutes. The
  // schedules still run whole: outcomes, hangs and crashes still count.
  void StopCheckingAccesses() { accesses_unchecked_ = true; }
  // True while an actor's fiber runs (not the controller).
  bool ActorRunning() const { return running_ >= 0; }

 private:
  void AddActor();
  static void ResetActor(Actor& a);
  void HandBack(absl::FunctionRef<bool(const Actor&)> which);
  void RenewTsanFibers();
  void UncheckAccesses(Actor& a);  // StopCheckingAccesses(), on a's fiber
  static void RecheckAccesses(Actor& a);
  void AppendTrace(TraceOp op, const char* file, int line, bool has_value, int64_t value);
  void Reschedule(int me, bool can_continue);
  int PickNext(int me, bool can_continue);
  void Block(Actor& me, absl::FunctionRef<bool()> ready, const char* what, const void* object,
             const char* file, int line);
  static void ActorEntry(void* arg);
  void RunActorBody(Actor& me);
  void AddPermits(SemaphoreState& s, int delta);

  Strategy& strategy_;
  const int64_t max_steps_;
  ScheduleBody& body_;
  Fiber controller_;
  int controller_ignore_depth_ = 0;
  // A deque: an actor's address is its fiber's argument and must not move
  // when a started thread adds one.
  std::deque<Actor> actors_;
  int case_actors_ = 0;  // the case's own actors, numbered first
  int live_ = 0;         // actors of this schedule: the case's and the threads started
  std::vector<int> runnable_;
  HeldMutexes held_;
  std::map<const void*, CondState> conds_;
  // Each futex word's waiters, on their blocked fibers' stacks.
  std::map<const void*, std::deque<FutexWaiter*>> futexes_;
  int running_ = -1;
  int64_t steps_ = 0;
  ScheduleEnding ending_ = ScheduleEnding::kCompleted;
  bool accesses_unchecked_ = false;
  std::string ending_detail_;
  StepTrace trace_;
  char start_token_ = 0;
  char finish_token_ = 0;
  ScheduleProgress progress_;
  // While HandBack() restarts fibers only to release finish_token_. Atomic
  // (relaxed, no edge): a fiber abandoned mid-schedule read it last with
  // nothing ordering that read before the controller's next write.
  std::atomic<bool> handing_back_{false};
};

// The controlled scheduler running this thread's fibers, or null; for code
// that may run on any thread (compiler-inserted hooks, interposed calls).
ControlledScheduler* ControlledSchedulerOfThisThread();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_SCHEDULER_H_
