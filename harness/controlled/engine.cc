#include "harness/controlled/engine.h"
#include "harness/controlled/strategy.h"
#include "harness/core/judging.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "harness/core/scheduler.h"
#include "harness/controlled/fiber.h"
#include "harness/core/rng.h"
#include "harness/controlled/source_line.h"
#include "harness/tsan/tsan_annotations.h"
#include "harness/tsan/tsan_reports.h"

namespace racestress::internal {

thread_local constinit Scheduler* this_thread_scheduler = nullptr;

namespace {

// Set while a controlled run is under way anywhere in the process.
std::atomic<bool> controlled_run_active{false};

absl::string_view Basename(const char* file) {
  if (file == nullptr) return "?";
  absl::string_view path(file);
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

std::string Where(const char* file, int line) {
  // Line 0: a call the harness intercepted (pthread_mutex_lock ...), named
  // by the function, not by a source line.
  if (line == 0) return std::string(Basename(file));
  return absl::StrCat(Basename(file), ":", line);
}

// What a step of the trace worked on, named as the case's source names it.
std::string TracedObjectAt(TraceOp op, const char* file, int line) {
  const std::string code = SourceLine(file, line);
  switch (op) {
    case TraceOp::kPoint: return "";
    case TraceOp::kLoad: return CalledOn(code, {"Load"});
    case TraceOp::kStore:
      return CalledOn(code, {"Store", "FetchAdd", "Exchange", "CompareExchange"});
    case TraceOp::kLock:
    case TraceOp::kUnlock:
    case TraceOp::kTryLockFailed: return CalledOn(code, {"Lock", "TryLock", "Unlock"});
    case TraceOp::kWait:
    case TraceOp::kWoken:  // a wait in Lock() is on its mutex
      return CalledOn(code, {"Wait", "Acquire", "WaitForNotification", "Lock"});
    case TraceOp::kSignal: return CalledOn(code, {"Signal", "SignalAll", "Notify", "Release"});
    case TraceOp::kStart:
    case TraceOp::kJoin: return "";  // the trace names the thread by number
  }
  return "";
}

// Balanced TSan ignore scopes, counted per fiber: a fiber abandoned inside
// one (an actor that finished or deadlocked) is rebalanced when restarted.
// Abseil declares the annotations as lock functions; they are not locks.
// The count itself changes inside the ignored region.
void IgnoreBegin(int& depth) ABSL_NO_THREAD_SAFETY_ANALYSIS {
#if defined(RACESTRESS_TSAN)
  AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
  AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
#endif
  ++depth;
}

void IgnoreEnd(int& depth) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  --depth;
#if defined(RACESTRESS_TSAN)
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
  AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
  AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
#endif
}

class IgnoreScope {
 public:
  explicit IgnoreScope(int& depth) : depth_(depth) { IgnoreBegin(depth_); }
  ~IgnoreScope() { IgnoreEnd(depth_); }
  IgnoreScope(const IgnoreScope&) = delete;
  IgnoreScope& operator=(const IgnoreScope&) = delete;

 private:
  int& depth_;
};

const char* OpName(TraceOp op) {
  switch (op) {
    case TraceOp::kPoint: return "point";
    case TraceOp::kLoad: return "load";
    case TraceOp::kStore: return "store";
    case TraceOp::kLock: return "lock";
    case TraceOp::kUnlock: return "unlock";
    case TraceOp::kTryLockFailed: return "try_lock failed";
    case TraceOp::kWait: return "wait";
    case TraceOp::kWoken: return "woken";
    case TraceOp::kSignal: return "signal";
    case TraceOp::kStart: return "start";
    case TraceOp::kJoin: return "join";
  }
  return "?";
}

class Controlled;
std::atomic<Controlled*> active_engine{nullptr};

class Controlled final : public Scheduler {
 public:
  Controlled(const CaseBase& c, const EngineOptions& options, FindingSink& sink,
             std::unique_ptr<Strategy> strategy)
      : case_(c), options_(options), sink_(sink), strategy_(std::move(strategy)) {
    case_actors_ = c.ActorCount();
    for (int a = 0; a < case_actors_; ++a) AddActor();
  }

  EngineResult Run() {
    EngineResult result;
    active_engine.store(this, std::memory_order_release);
    controlled_run_active.store(true, std::memory_order_release);
    this_thread_scheduler = this;
    SetTsanReportListener(&Controlled::OnTsanReport);
    std::thread watchdog([this] { Watchdog(); });

    std::unique_ptr<Accumulator> accumulator = case_.NewAccumulator();
    const absl::Time start = absl::Now();
    const absl::Time deadline = start + options_.time_budget;
    const int64_t end = EndIteration(options_);
    const uint32_t stop_mask = static_cast<uint32_t>(options_.stop_on);
    for (int64_t schedule = options_.first_iteration;
         schedule < end && (schedule == options_.first_iteration || absl::Now() < deadline) &&
         (found_ & stop_mask) == 0 && !strategy_->Exhausted();
         ++schedule) {
      RunSchedule(schedule, accumulator.get());
      ++result.iterations;
      if (options_.progress != nullptr) {
        options_.progress->store(result.iterations, std::memory_order_relaxed);
      }
    }
    // What every schedule did, step by step, in one number: the same seed
    // and strategy must give the same hash, run after run.
    result.note = absl::StrFormat("trace hash 0x%016x", trace_hash_);
    if (strategy_->Exhausted()) {
      absl::StrAppend(&result.note, "; all ", result.iterations, " schedules explored (",
                      options_.strategy.name, ", preemption bound ",
                      options_.strategy.preemption_bound, ")");
    }

    closing_ = true;
    for (Actor& a : actors_) {
      if (a.ignore_depth == 0) continue;
      a.fiber->Restart();
      Fiber::SwitchTo(controller_, *a.fiber);
    }
    TsanAcquire(&finish_token_);
    {
      std::lock_guard<std::mutex> lock(watchdog_mu_);
      stopping_ = true;
    }
    watchdog_cv_.notify_all();
    watchdog.join();
    SetTsanReportListener(nullptr);
    this_thread_scheduler = nullptr;
    controlled_run_active.store(false, std::memory_order_release);
    active_engine.store(nullptr, std::memory_order_release);
    result.elapsed_ms = absl::ToInt64Milliseconds(absl::Now() - start);
    if (accumulator != nullptr) result.outcomes = accumulator->Entries();
    return result;
  }

  // --- Scheduler, called from the running actor's fiber ----------------------

  void Point(const char* file, int line) override {
    if (running_ < 0) return;  // the controller (the arbiter): no schedule
    Actor& me = actors_[running_];
    IgnoreScope ignore(me.ignore_depth);
    // Not traced: every traced operation starts with a point of its own.
    (void)file;
    (void)line;
    Reschedule(me.index, /*can_continue=*/true);
  }

  void Yield(const char* file, int line) override {
    if (running_ < 0) return;
    Actor& me = actors_[running_];
    IgnoreScope ignore(me.ignore_depth);
    (void)file;
    (void)line;
    strategy_->Yielded(me.index);
    Reschedule(me.index, /*can_continue=*/true);
  }

  void Trace(TraceOp op, const char* file, int line, bool has_value, int64_t value) override {
    if (running_ < 0) return;
    IgnoreScope ignore(actors_[running_].ignore_depth);
    AppendTrace(op, file, line, has_value, value);
  }

  void Lock(const void* mu, const char* file, int line) override {
    if (running_ < 0) return ControllerLock(mu);
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

  bool TryLock(const void* mu, const char* file, int line) override {
    if (running_ < 0) {
      ControllerLock(mu);
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

  void Unlock(const void* mu, const char* file, int line) override {
    if (running_ < 0) return;
    Actor& me = actors_[running_];
    TsanRelease(mu);
    IgnoreScope ignore(me.ignore_depth);
    held_.erase(mu);
    AppendTrace(TraceOp::kUnlock, file, line, false, 0);
    Reschedule(me.index, /*can_continue=*/true);
  }

  void WaitUntil(absl::FunctionRef<bool()> ready, const char* what, const char* file,
                 int line) override {
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

  int StartThread(void (*entry)(void*), void* arg, const char* file, int line) override {
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
    strategy_->ActorStarted(thread.index);
    AppendTrace(TraceOp::kStart, file, line, true, thread.index);
    Reschedule(me.index, /*can_continue=*/true);
    return thread.index;
  }

  void JoinThread(int thread, const char* file, int line) override {
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

  void CondWait(const void* cv, const void* mu, const char* what, const char* file,
                int line) override {
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

  void CondSignal(const void* cv, bool all, const char* file, int line) override {
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

  bool ActorRunning() const override { return running_ >= 0; }

  int64_t ScheduleInProgress() const { return schedule_snapshot_.load(std::memory_order_relaxed); }

 private:
  enum class ActorState { kRunnable, kBlocked, kFinished };
  enum class Ending { kCompleted, kDeadlock, kLivelock };

  struct Actor {
    int index = 0;
    Controlled* engine = nullptr;
    std::unique_ptr<Fiber> fiber;
    ActorState state = ActorState::kRunnable;
    // While blocked: what the actor waits for.
    const absl::FunctionRef<bool()>* ready = nullptr;
    const char* waiting_in = nullptr;
    const void* waiting_for = nullptr;  // a mutex, or null
    const char* file = nullptr;
    int line = 0;
    int ignore_depth = 0;
    // A thread started with StartThread(): its body, and its tokens (the
    // edges from its start and to its join, and no other).
    void (*thread_entry)(void*) = nullptr;
    void* thread_arg = nullptr;
    char start_token = 0;
    char finish_token = 0;
  };

  // A condition variable waited on through CondWait(): tickets below
  // `wake_limit` have been signalled.
  struct CondState {
    uint64_t next_ticket = 0;
    uint64_t wake_limit = 0;
  };

  struct Held {
    int owner = -1;
    const char* file = nullptr;
    int line = 0;
  };

  struct TraceEntry {
    int actor;
    TraceOp op;
    bool has_value;
    const char* file;
    int line;
    int64_t value;
  };

  static constexpr size_t kTraceKept = 48;
  static constexpr int kMaxReportsPerSchedule = 16;

  void AddActor() {
    Actor& a = actors_.emplace_back();
    a.index = static_cast<int>(actors_.size()) - 1;
    a.engine = this;
    a.fiber = std::make_unique<Fiber>(&Controlled::ActorEntry, &a);
  }

  static void ResetActor(Actor& a) {
    a.state = ActorState::kRunnable;
    a.ready = nullptr;
    a.waiting_in = nullptr;
    a.waiting_for = nullptr;
    a.thread_entry = nullptr;
    a.thread_arg = nullptr;
    a.fiber->Restart();
  }

  // --- a schedule -------------------------------------------------------------

  void RunSchedule(int64_t schedule, Accumulator* accumulator) {
    schedule_ = schedule;
    schedule_snapshot_.store(schedule, std::memory_order_relaxed);
    steps_ = 0;
    trace_count_ = 0;
    held_.clear();
    conds_.clear();
    ending_ = Ending::kCompleted;
    ending_detail_.clear();
    tsan_reports_ = 0;
    // Threads the previous schedule started are spares until started again.
    live_ = case_actors_;
    for (int i = 0; i < live_; ++i) ResetActor(actors_[i]);
    strategy_->BeginSchedule(IterationSeed(options_.case_seed, static_cast<uint64_t>(schedule)),
                             schedule, case_actors_);
    state_ = case_.NewState();
    progress_.fetch_add(1, std::memory_order_relaxed);
    // Everything the controller did (the fresh state) happens before the
    // actors start; nothing between actors is ordered by the hand-offs.
    TsanRelease(&start_token_);
    {
      IgnoreScope ignore(controller_ignore_depth_);
      Reschedule(-1, /*can_continue=*/false);
    }
    const std::string strategy_flags = strategy_->Describe();
    strategy_->EndSchedule(steps_);

    for (int r = 0; r < tsan_reports_; ++r) {
      // TSan's report has the stacks; the trace would add little.
      Flag(Symptom::kRace, absl::StrCat(tsan_report_kinds_[r],
                                        ScheduleSuffix(strategy_flags, /*with_trace=*/false)));
    }
    if (ending_ == Ending::kCompleted) {
      TsanAcquire(&finish_token_);
      if (accumulator != nullptr) {
        const int row = accumulator->Add(state_);
        const Symptom kind = ForbiddenSymptom(case_, row);
        if (kind != Symptom::kNone && (found_ & static_cast<uint32_t>(kind)) == 0) {
          Flag(kind, absl::StrCat(ForbiddenDetail(case_, row, accumulator->LastValue()),
                                  ScheduleSuffix(strategy_flags)));
        }
      }
      case_.DeleteState(state_);
    } else {
      // The actors are abandoned mid-way, their stacks still referring to
      // the state: leak it rather than free what a restarted fiber might
      // never touch again but TSan would see freed under it.
      Flag(Symptom::kHang, absl::StrCat(ending_detail_, ScheduleSuffix(strategy_flags)));
    }
    state_ = nullptr;
  }

  std::string ScheduleSuffix(const std::string& strategy_flags, bool with_trace = true) const {
    return absl::StrCat("\n  schedule ", schedule_, ", ", steps_,
                        " steps, replay flags [--engine=controlled ", strategy_flags, "]",
                        with_trace ? FormatTrace() : std::string());
  }

  std::string FormatTrace() const {
    if (trace_count_ == 0) return "";
    const size_t kept = std::min<size_t>(trace_count_, kTraceKept);
    std::string out = absl::StrCat("; step trace",
                                   kept < trace_count_
                                       ? absl::StrCat(" (last ", kept, " of ", trace_count_, ")")
                                       : std::string(),
                                   ":");
    for (size_t i = trace_count_ - kept; i < trace_count_; ++i) {
      const TraceEntry& e = trace_[i % kTraceKept];
      absl::StrAppend(&out, "\n    T", e.actor, " ", OpName(e.op));
      const std::string object = TracedObjectAt(e.op, e.file, e.line);
      if (!object.empty()) absl::StrAppend(&out, " ", object);
      if (e.has_value && (e.op == TraceOp::kStart || e.op == TraceOp::kJoin ||
                          e.op == TraceOp::kWait)) {
        absl::StrAppend(&out, " T", e.value);  // the thread started, joined, waited for
      } else if (e.has_value) {
        absl::StrAppend(&out, e.op == TraceOp::kLoad ? " -> " : " <- ", e.value);
      }
      absl::StrAppend(&out, "  (", Where(e.file, e.line), ")");
    }
    return out;
  }

  void AppendTrace(TraceOp op, const char* file, int line, bool has_value, int64_t value) {
    // The file's address is not stable across runs of a PIE binary: leave
    // it out of the hash.
    trace_hash_ = Mix(trace_hash_, (static_cast<uint64_t>(running_) << 48) ^
                                       (static_cast<uint64_t>(op) << 40) ^
                                       static_cast<uint64_t>(static_cast<uint32_t>(line)));
    if (has_value) trace_hash_ = Mix(trace_hash_, static_cast<uint64_t>(value));
    if (trace_.size() < kTraceKept) trace_.resize(kTraceKept);
    trace_[trace_count_ % kTraceKept] = TraceEntry{running_, op, has_value, file, line, value};
    ++trace_count_;
  }

  // Picks who runs next and switches to it. `me` is the running actor (-1:
  // the controller, starting the schedule); `can_continue` says whether `me`
  // could go on (false when it blocked or finished). Returns when `me` runs
  // again; an actor that finished or deadlocked never does.
  void Reschedule(int me, bool can_continue) {
    runnable_.clear();
    bool all_finished = true;
    for (int i = 0; i < live_; ++i) {
      Actor& a = actors_[i];
      if (a.state != ActorState::kFinished) all_finished = false;
      if (a.state == ActorState::kRunnable ||
          (a.state == ActorState::kBlocked && (*a.ready)())) {
        runnable_.push_back(a.index);
      }
    }
    progress_.fetch_add(1, std::memory_order_relaxed);
    int next = -1;
    if (runnable_.empty()) {
      if (!all_finished) {
        ending_ = Ending::kDeadlock;
        ending_detail_ = DescribeDeadlock();
      }
    } else if (++steps_ > options_.max_steps) {
      ending_ = Ending::kLivelock;
      ending_detail_ = absl::StrCat("livelock: the schedule did not end within ",
                                    options_.max_steps,
                                    " scheduling points (raise with --max_steps)");
    } else {
      next = strategy_->Pick(runnable_, can_continue ? me : -1);
      trace_hash_ = Mix(trace_hash_, static_cast<uint64_t>(next));
      Actor& chosen = actors_[next];
      chosen.state = ActorState::kRunnable;
      chosen.ready = nullptr;
    }
    if (next == me) return;
    running_snapshot_.store(next, std::memory_order_relaxed);
    Fiber& from = me < 0 ? controller_ : *actors_[me].fiber;
    running_ = next;
    Fiber::SwitchTo(from, next < 0 ? controller_ : *actors_[next].fiber);
    running_ = me;
  }

  void Block(Actor& me, absl::FunctionRef<bool()> ready, const char* what, const void* object,
             const char* file, int line) {
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

  std::string DescribeDeadlock() const {
    std::string out = absl::StrCat("deadlock at step ", steps_, ": every live actor is blocked;");
    for (int i = 0; i < live_; ++i) {
      const Actor& a = actors_[i];
      if (a.state != ActorState::kBlocked) continue;
      absl::StrAppend(&out, " actor ", a.index, " waits in ", a.waiting_in);
      // Line 0: an intercepted pthread call, already named by waiting_in.
      if (a.line != 0) absl::StrAppend(&out, " at ", Where(a.file, a.line));
      if (a.waiting_for != nullptr) {
        auto it = held_.find(a.waiting_for);
        if (it != held_.end()) {
          // Named as each side's source names it: often differently.
          const std::string wanted = TracedObjectAt(TraceOp::kWait, a.file, a.line);
          const std::string held =
              TracedObjectAt(TraceOp::kLock, it->second.file, it->second.line);
          absl::StrAppend(&out, " for ", wanted.empty() ? "a mutex" : wanted, ", which actor ",
                          it->second.owner, " holds (locked",
                          held.empty() ? "" : absl::StrCat(" as ", held), " at ",
                          Where(it->second.file, it->second.line), ")");
        }
      }
      absl::StrAppend(&out, ";");
    }
    // The wait-for cycle, if the waits are on mutexes.
    for (int i = 0; i < live_; ++i) {
      const Actor& a = actors_[i];
      std::vector<int> chain = {a.index};
      int at = a.index;
      for (int hops = 0; hops <= live_; ++hops) {
        const Actor& w = actors_[at];
        if (w.state != ActorState::kBlocked || w.waiting_for == nullptr) break;
        auto it = held_.find(w.waiting_for);
        if (it == held_.end()) break;
        at = it->second.owner;
        chain.push_back(at);
        if (at == a.index) {
          absl::StrAppend(&out, " wait-for cycle:");
          for (size_t i = 0; i < chain.size(); ++i) {
            absl::StrAppend(&out, i == 0 ? " actor " : " -> actor ", chain[i]);
          }
          return out;
        }
      }
    }
    out.pop_back();
    return out;
  }

  static void ActorEntry(void* arg) {
    Actor& me = *static_cast<Actor*>(arg);
    Controlled& engine = *me.engine;
    // Left open when this fiber was abandoned in the previous schedule.
    while (me.ignore_depth > 0) IgnoreEnd(me.ignore_depth);
    if (engine.closing_) {
      // Only to rebalance before the fiber is destroyed: TSan refuses to
      // end a fiber with ignores enabled. The release lets the controller
      // destroy the fiber after this fiber's last look at it.
      Fiber& self = *me.fiber;
      TsanRelease(&engine.finish_token_);
      Fiber::SwitchTo(self, engine.controller_);
    }
    TsanAcquire(&engine.start_token_);
    TsanAcquire(&me.start_token);  // a started thread: what its starter did
    try {
      if (me.thread_entry != nullptr) {
        me.thread_entry(me.thread_arg);
      } else {
        engine.case_.RunActor(engine.state_, me.index);
      }
    } catch (const std::exception& e) {
      engine.FlagCrash(absl::StrCat("actor ", me.index, " threw: ", e.what()));
    } catch (...) {
      engine.FlagCrash(absl::StrCat("actor ", me.index, " threw"));
    }
    TsanRelease(&me.finish_token);  // for a join of this actor alone
    TsanRelease(&engine.finish_token_);
    IgnoreBegin(me.ignore_depth);
    me.state = ActorState::kFinished;
    engine.Reschedule(me.index, /*can_continue=*/false);
    fprintf(stderr, "racestress: a finished actor was scheduled again\n");
    abort();
  }

  void FlagCrash(std::string detail) {
    IgnoreScope ignore(actors_[running_].ignore_depth);
    Flag(Symptom::kCrash, detail);
  }

  // The controller itself (the arbiter) locking: nothing runs concurrently.
  void ControllerLock(const void* mu) { TsanAcquire(mu); }

  static void OnTsanReport(const TsanReport& report) {
    Controlled* engine = active_engine.load(std::memory_order_acquire);
    if (engine == nullptr) return;
    // In TSan's report path, on the fiber that raced: record, format later.
    ScopedTsanIgnore ignore;
    if (engine->tsan_reports_ < kMaxReportsPerSchedule) {
      engine->tsan_report_kinds_[engine->tsan_reports_++] = report.kind;
    }
  }

  void Flag(Symptom kind, absl::string_view detail) {
    const auto bit = static_cast<uint32_t>(kind);
    const bool first = (found_ & bit) == 0;
    found_ |= bit;
    if (first || kind == Symptom::kRace) sink_.OnFinding(schedule_, kind, detail);
  }

  // Reports an actor that blocked outside the scheduler (a std::mutex held
  // by a suspended actor, a join): no scheduling point for hang_timeout.
  void Watchdog() {
    uint64_t seen = progress_.load(std::memory_order_relaxed);
    absl::Time last_change = absl::Now();
    std::unique_lock<std::mutex> lock(watchdog_mu_);
    while (!stopping_) {
      watchdog_cv_.wait_for(lock, std::chrono::milliseconds(50));
      const uint64_t now = progress_.load(std::memory_order_relaxed);
      if (now != seen) {
        seen = now;
        last_change = absl::Now();
        continue;
      }
      if (absl::Now() - last_change < options_.hang_timeout) continue;
      const int running = running_snapshot_.load(std::memory_order_relaxed);
      sink_.OnFinding(
          schedule_snapshot_.load(std::memory_order_relaxed), Symptom::kHang,
          absl::StrCat("actor ", running, " did not reach a scheduling point for ",
                       absl::FormatDuration(options_.hang_timeout),
                       ": it blocks outside racestress's primitives (a std::mutex or "
                       "absl::Mutex held by a suspended actor, a thread join, I/O), which the "
                       "controlled engine cannot schedule; use racestress::Mutex, Semaphore, "
                       "... or run it under the stress engine"));
      fflush(stdout);
      fflush(stderr);
      syscall(SYS_exit_group, 0);
    }
  }

  const CaseBase& case_;
  const EngineOptions options_;
  FindingSink& sink_;
  std::unique_ptr<Strategy> strategy_;
  Fiber controller_;
  int controller_ignore_depth_ = 0;
  // A deque: an actor's address is its fiber's argument and must not move
  // when a started thread adds one.
  std::deque<Actor> actors_;
  int case_actors_ = 0;  // the case's own actors, numbered first
  int live_ = 0;         // actors of this schedule: the case's and the threads started
  std::vector<int> runnable_;
  std::map<const void*, Held> held_;
  std::map<const void*, CondState> conds_;
  void* state_ = nullptr;
  int running_ = -1;
  int64_t schedule_ = 0;
  int64_t steps_ = 0;
  Ending ending_ = Ending::kCompleted;
  std::string ending_detail_;
  std::vector<TraceEntry> trace_;
  size_t trace_count_ = 0;
  uint64_t trace_hash_ = 0;  // every choice and traced step of the run
  const char* tsan_report_kinds_[kMaxReportsPerSchedule] = {};
  int tsan_reports_ = 0;
  uint32_t found_ = 0;
  char start_token_ = 0;
  char finish_token_ = 0;

  // The watchdog's view.
  std::atomic<uint64_t> progress_{0};
  std::atomic<int> running_snapshot_{-1};
  std::atomic<int64_t> schedule_snapshot_{0};
  std::mutex watchdog_mu_;
  std::condition_variable watchdog_cv_;
  bool stopping_ = false;
  bool closing_ = false;  // the run is over: fibers only rebalance TSan
};

}  // namespace

Scheduler* ActiveScheduler() {
  Scheduler* s = this_thread_scheduler;
  if (s == nullptr && controlled_run_active.load(std::memory_order_relaxed)) {
    fprintf(stderr,
            "racestress: a harness primitive was used from a thread the case started itself; "
            "the controlled engine schedules only the case's actors (run this case under the "
            "stress engine)\n");
    syscall(SYS_exit_group, 2);
  }
  return s;
}

void TraceAccess(TraceOp op, const char* file, int line, bool has_value, int64_t value) {
  if (Scheduler* s = this_thread_scheduler) s->Trace(op, file, line, has_value, value);
}

int64_t ControlledScheduleInProgress() {
  const Controlled* engine = active_engine.load(std::memory_order_acquire);
  return engine != nullptr ? engine->ScheduleInProgress() : -1;
}

EngineResult RunControlled(const CaseBase& c, const EngineOptions& options,
                           FindingSink& sink) {
  auto strategy = MakeStrategy(options.strategy);
  if (!strategy.ok()) {
    // Flags were validated at parse time; this is a programming error.
    fprintf(stderr, "racestress: %s\n", std::string(strategy.status().message()).c_str());
    abort();
  }
  Controlled engine(c, options, sink, *std::move(strategy));
  return engine.Run();
}

}  // namespace racestress::internal
