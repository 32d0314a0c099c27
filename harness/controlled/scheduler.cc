#include "harness/controlled/scheduler.h"

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "absl/strings/str_cat.h"
#include "harness/controlled/deadlock.h"
#include "harness/controlled/ignore_scope.h"
#include "harness/core/harness_code.h"
#include "harness/tsan/tsan_annotations.h"

namespace racestress::internal {
namespace {
thread_local constinit ControlledScheduler* this_thread_controlled = nullptr;
}  // namespace

ControlledScheduler* ControlledSchedulerOfThisThread() { return this_thread_controlled; }

ControlledScheduler::ControlledScheduler(int case_actors, Strategy& strategy, int64_t max_steps,
                                         ScheduleBody& body)
    : strategy_(strategy), max_steps_(max_steps), body_(body), case_actors_(case_actors) {
  for (int a = 0; a < case_actors_; ++a) AddActor();
}

ControlledScheduler::~ControlledScheduler() {
  // TSan refuses to end a fiber with ignores enabled: the fibers left inside
  // the scheduler's code (finished, or abandoned) close theirs first.
  HandBack([](const Actor& a) { return a.ignore_depth != 0 || a.accesses_unchecked; });
}

// A fiber that did not finish its schedule (a deadlock, a livelock) never
// released finish_token_: what it read of the scheduler's books (its entry,
// its thread's scheduler, at every primitive before the ignored part) would
// be ordered before nothing, and the controller's next write to them (the
// next schedule's reset, Uninstall(), the destructor) a race TSan reports
// against the case. Each such fiber is restarted once to release the token
// (closing the ignores it was abandoned in), and the controller acquires it.
void ControlledScheduler::HandBack(absl::FunctionRef<bool(const Actor&)> which) {
  handing_back_.store(true, std::memory_order_relaxed);
  const int harness_depth = HarnessCodeDepth();
  for (Actor& a : actors_) {
    if (!which(a)) continue;
    a.fiber->Restart();
    Fiber::SwitchTo(controller_, *a.fiber);
  }
  SetHarnessCodeDepth(harness_depth);
  handing_back_.store(false, std::memory_order_relaxed);
  TsanAcquire(&finish_token_);
}

void ControlledScheduler::Install() {
  Fiber::DeclareSharedThreadLocals();
  this_thread_scheduler = this;
  this_thread_controlled = this;
}

void ControlledScheduler::Uninstall() {
  this_thread_scheduler = nullptr;
  this_thread_controlled = nullptr;
}

void ControlledScheduler::AddActor() {
  Actor& a = actors_.emplace_back();
  a.index = static_cast<int>(actors_.size()) - 1;
  a.scheduler = this;
  a.fiber = std::make_unique<Fiber>(&ControlledScheduler::ActorEntry, &a);
}

void ControlledScheduler::ResetActor(Actor& a) {
  a.state = ActorState::kRunnable;
  a.ready = nullptr;
  a.waiting_in = nullptr;
  a.waiting_for = nullptr;
  a.thread_entry = nullptr;
  a.thread_arg = nullptr;
  a.fiber->Restart();
}

// Under TSan each schedule's actors are TSan fibers of their own
// (Fiber::RenewTsanIdentity(): what a fiber left on TSan's books must not
// pile up over the run). Those that finished left their ignores open, which
// TSan will not let a fiber end in: they are handed back first.
void ControlledScheduler::RenewTsanFibers() {
#if defined(RACESTRESS_TSAN)
  HandBack([](const Actor& a) { return a.ignore_depth != 0 || a.accesses_unchecked; });
  for (Actor& a : actors_) a.fiber->RenewTsanIdentity();
#endif
}

// On the fiber of `a`, which is at a scheduling point.
void ControlledScheduler::UncheckAccesses(Actor& a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  if (!accesses_unchecked_ || a.accesses_unchecked || a.state == ActorState::kFinished) return;
  a.accesses_unchecked = true;
#if defined(RACESTRESS_TSAN)
  AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
  AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
#endif
}

// On the fiber of `a`: before it finishes, or when it is restarted.
void ControlledScheduler::RecheckAccesses(Actor& a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  if (!a.accesses_unchecked) return;
  a.accesses_unchecked = false;
#if defined(RACESTRESS_TSAN)
  AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
  AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
#endif
}

void ControlledScheduler::BeginSchedule(uint64_t seed, int64_t index) {
  RenewTsanFibers();
  progress_.schedule.store(index, std::memory_order_relaxed);
  steps_ = 0;
  trace_.BeginSchedule();
  held_.clear();
  conds_.clear();
  futexes_.clear();  // an abandoned schedule's waiters are gone
  ending_ = ScheduleEnding::kCompleted;
  ending_detail_.clear();
  // Threads the previous schedule started are spares until started again.
  live_ = case_actors_;
  for (int i = 0; i < live_; ++i) ResetActor(actors_[i]);
  strategy_.BeginSchedule(seed, index, case_actors_);
}

void ControlledScheduler::RunSchedule() {
  progress_.steps.fetch_add(1, std::memory_order_relaxed);
  // Everything the controller did (the fresh state) happens before the
  // actors start; nothing between actors is ordered by the hand-offs.
  TsanRelease(&start_token_);
  {
    IgnoreScope ignore(controller_ignore_depth_);
    Reschedule(-1, /*can_continue=*/false);
  }
  // What the actors did happens before the arbiter looks at the state.
  if (ending_ == ScheduleEnding::kCompleted) {
    TsanAcquire(&finish_token_);
  } else {
    const int live = live_;
    HandBack([live](const Actor& a) { return a.index < live; });
  }
}

void ControlledScheduler::AppendTrace(TraceOp op, const char* file, int line, bool has_value,
                                      int64_t value) {
  trace_.Append(running_, op, file, line, has_value, value);
}

// Picks who runs next and switches to it. `me` is the running actor (-1: the
// controller, starting the schedule); `can_continue` says whether `me` could
// go on (false when it blocked or finished). Returns when `me` runs again;
// an actor that finished or deadlocked never does.
void ControlledScheduler::Reschedule(int me, bool can_continue) {
  if (me >= 0) UncheckAccesses(actors_[me]);
  const int next = PickNext(me, can_continue);
  if (next == me) return;
  progress_.running.store(next, std::memory_order_relaxed);
  Fiber& from = me < 0 ? controller_ : *actors_[me].fiber;
  running_ = next;
  // The fibers share this thread's harness-code depth: each gets its own
  // back when it resumes (core/harness_code.h).
  const int harness_depth = HarnessCodeDepth();
  Fiber::SwitchTo(from, next < 0 ? controller_ : *actors_[next].fiber);
  SetHarnessCodeDepth(harness_depth);
  running_ = me;
  if (me >= 0) UncheckAccesses(actors_[me]);
}

// The strategy's choice among the runnable actors; -1 (the controller) when
// the schedule ended, completed, deadlocked or cut off.
int ControlledScheduler::PickNext(int me, bool can_continue) {
  runnable_.clear();
  bool all_finished = true;
  for (int i = 0; i < live_; ++i) {
    Actor& a = actors_[i];
    if (a.state != ActorState::kFinished) all_finished = false;
    if (a.state == ActorState::kRunnable || (a.state == ActorState::kBlocked && (*a.ready)())) {
      runnable_.push_back(a.index);
    }
  }
  progress_.steps.fetch_add(1, std::memory_order_relaxed);
  if (runnable_.empty()) {
    if (!all_finished) {
      ending_ = ScheduleEnding::kDeadlock;
      ending_detail_ = DescribeDeadlock(steps_, actors_, live_, held_);
    }
    return -1;
  }
  if (++steps_ > max_steps_) {
    ending_ = ScheduleEnding::kLivelock;
    ending_detail_ = absl::StrCat("livelock: the schedule did not end within ", max_steps_,
                                  " scheduling points (raise with --max_steps)");
    return -1;
  }
  const int next = strategy_.Pick(runnable_, can_continue ? me : -1);
  trace_.Chose(next);
  actors_[next].state = ActorState::kRunnable;
  actors_[next].ready = nullptr;
  return next;
}

void ControlledScheduler::Block(Actor& me, absl::FunctionRef<bool()> ready, const char* what,
                                const void* object, const char* file, int line) {
  me.state = ActorState::kBlocked;
  me.ready = &ready;
  me.waiting_in = what;
  me.waiting_for = object;
  me.file = file;
  me.line = line;
  Reschedule(me.index, /*can_continue=*/false);
  me.waiting_in = nullptr;
  me.waiting_for = nullptr;
}

void ControlledScheduler::ActorEntry(void* arg) {
  Actor& me = *static_cast<Actor*>(arg);
  ControlledScheduler& s = *me.scheduler;
  // Left open when this fiber was abandoned in the previous schedule.
  while (me.ignore_depth > 0) IgnoreEnd(me.ignore_depth);
  RecheckAccesses(me);
  // What the controller did (the fresh state, the books) happens before.
  TsanAcquire(&s.start_token_);
  if (s.handing_back_.load(std::memory_order_relaxed)) {
    // Only to hand back (HandBack()): the release orders everything this
    // fiber did, its last look at the scheduler's books included, before
    // what the controller does next.
    Fiber& self = *me.fiber;
    TsanRelease(&s.finish_token_);
    Fiber::SwitchTo(self, s.controller_);
  }
  TsanAcquire(&me.start_token);  // a started thread: what its starter did
  // The body is the case's code; the fiber began inside the switch to it.
  SetHarnessCodeDepth(0);
  s.RunActorBody(me);
  SetHarnessCodeDepth(1);  // the scheduler's from here on: it never returns
  RecheckAccesses(me);
  TsanRelease(&me.finish_token);  // for a join of this actor alone
  TsanRelease(&s.finish_token_);
  IgnoreBegin(me.ignore_depth);
  me.state = ActorState::kFinished;
  s.Reschedule(me.index, /*can_continue=*/false);
  fprintf(stderr, "racestress: a finished actor was scheduled again\n");
  abort();
}

void ControlledScheduler::RunActorBody(Actor& me) {
  std::string threw;
  try {
    if (me.thread_entry != nullptr) {
      me.thread_entry(me.thread_arg);
    } else {
      body_.RunActor(me.index);
    }
    return;
  } catch (const std::exception& e) {
    threw = absl::StrCat("actor ", me.index, " threw: ", e.what());
  } catch (...) {
    threw = absl::StrCat("actor ", me.index, " threw");
  }
  IgnoreScope ignore(me.ignore_depth);
  body_.ActorThrew(me.index, threw);
}

}  // namespace racestress::internal
