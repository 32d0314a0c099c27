#include "harness/stress/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "harness/core/judging.h"
#include "harness/core/where.h"
#include "harness/stress/futex.h"
#include "harness/stress/perturbation.h"
#include "harness/tsan/tsan_reports.h"

namespace racestress::internal {
namespace {

// A batch should last about this long: long enough that the controller's
// bookkeeping is noise, short enough that a hang is noticed early.
constexpr absl::Duration kBatchTargetLow = absl::Microseconds(500);
constexpr absl::Duration kBatchTargetHigh = absl::Milliseconds(4);
constexpr int kMaxStride = 1024;

// Waits until `word` differs from `value`: spins briefly (the other side
// usually answers within microseconds), then sleeps on the futex. Returns
// false if `deadline` passed first.
bool WaitForChange(std::atomic<uint32_t>& word, uint32_t value, absl::Time deadline) {
  for (int i = 0; i < 128; ++i) {
    if (word.load(std::memory_order_acquire) != value) return true;
    SpinPause(16);
  }
  while (word.load(std::memory_order_acquire) == value) {
    const absl::Time now = absl::Now();
    if (now >= deadline) return false;
    FutexWait(word, value, std::min(deadline - now, absl::Milliseconds(100)));
  }
  return true;
}

thread_local bool on_controller_thread = false;

class Engine final : public TsanReportHandler {
 public:
  Engine(const CaseBase& c, const EngineOptions& options, FindingSink& sink)
      : case_(c),
        options_(options),
        filter_(sink),
        actors_(c.ActorCount()),
        // Spinning for an actor that is not running only delays it: with
        // more actors than processors, yield at once.
        spin_limit_(static_cast<unsigned>(actors_) <= std::thread::hardware_concurrency() ? 256
                                                                                          : 0),
        slots_(std::make_unique<Slot[]>(actors_)) {}

  EngineResult Run() {
    ScopedTsanReportHandler tsan(this);
    for (int a = 0; a < actors_; ++a) {
      slots_[a].context.actor = a;
      slots_[a].context.status = &slots_[a].status;
      workers_.emplace_back([this, a] { WorkerLoop(a); });
    }
    EngineResult result = ControllerLoop();
    if (result.hung) {
      // Blocked actors cannot be joined; the caller ends the process.
      for (auto& worker : workers_) worker.detach();
      return result;
    }
    stopping_.store(true, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    FutexWakeAll(generation_);
    for (auto& worker : workers_) worker.join();
    return result;
  }

 private:
  struct alignas(64) Slot {
    ActorContext context;
    ActorStatus status;
    std::atomic<uint32_t> finished_generation{0};
    alignas(64) std::atomic<int64_t> arrived{0};  // iterations reached, + 1
  };

  void OnTsanReport(const TsanReport& report) override {
    ActorContext* actor = CurrentActor();
    int64_t iteration = -1;
    if (actor != nullptr && actor->status != nullptr) {
      iteration = actor->status->iteration.load(std::memory_order_relaxed);
    } else if (on_controller_thread) {
      iteration = controller_iteration_.load(std::memory_order_relaxed);
    } else {
      // A thread the case started itself (a pool worker): it belongs to the
      // iteration its actors are running.
      for (int a = 0; a < actors_; ++a) {
        iteration =
            std::max(iteration, slots_[a].status.iteration.load(std::memory_order_relaxed));
      }
    }
    const RaceReport race = ClassifyTsanReport(report.kind);
    Flag(iteration, Symptom::kRace, race.detail, race.kind);
  }

  void Flag(int64_t iteration, Symptom kind, absl::string_view detail,
            TsanKind tsan_kind = TsanKind::kUnknown) {
    filter_.Flag(FindingView{iteration, kind, detail, EngineKind::kStress, {}, {}, tsan_kind});
  }

  void WorkerLoop(int a) {
    Slot& slot = slots_[a];
    ScopedActor scope(&slot.context);
    uint32_t seen = 0;
    for (;;) {
      WaitForChange(generation_, seen, absl::InfiniteFuture());
      seen = generation_.load(std::memory_order_acquire);
      if (stopping_.load(std::memory_order_relaxed)) return;
      void* const* states = batch_states_;
      const int64_t first = batch_first_;
      for (int j = 0; j < batch_size_; ++j) {
        slot.context.BeginIteration(options_.case_seed, first + j, options_.perturb);
        Lockstep(slot, first + j);
        slot.context.StartDelay();
        try {
          case_.RunActor(states[j], a);
        } catch (const std::exception& e) {
          Flag(first + j, Symptom::kCrash, absl::StrCat("actor ", a, " threw: ", e.what()));
        } catch (...) {
          Flag(first + j, Symptom::kCrash, absl::StrCat("actor ", a, " threw"));
        }
      }
      slot.finished_generation.store(seen, std::memory_order_release);
      if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == static_cast<uint32_t>(actors_)) {
        FutexWakeAll(done_);
      }
    }
  }

  // Holds the actor until every actor has arrived at `iteration`, so that all
  // actors start each iteration together and their accesses overlap. Relaxed
  // on purpose: the lockstep shapes timing only and must not create a
  // happens-before edge that would hide a race from TSan.
  void Lockstep(Slot& slot, int64_t iteration) {
    slot.arrived.store(iteration + 1, std::memory_order_relaxed);
    if (actors_ == 1) return;
    ScopedBlocking blocked("the start of the iteration, waiting for the other actors",
                           __FILE__, __LINE__);
    for (int other = 0; other < actors_; ++other) {
      uint32_t tries = 0;
      while (slots_[other].arrived.load(std::memory_order_relaxed) <= iteration) {
        if (++tries < spin_limit_) {
          SpinPause(4);
        } else if (tries < 100000) {
          std::this_thread::yield();
        } else {
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
      }
    }
  }

  EngineResult ControllerLoop() {
    on_controller_thread = true;
    EngineResult result;
    std::unique_ptr<Accumulator> accumulator = case_.NewAccumulator();
    const absl::Time start = absl::Now();
    const absl::Time deadline = start + options_.time_budget;
    const int64_t end = EndIteration(options_);
    int stride = options_.stride > 0 ? options_.stride : 1;
    int64_t next = options_.first_iteration;
    std::vector<void*>& states = states_;

    // The first batch runs whatever the budget: a run of no iteration tests nothing.
    while (next < end && (next == options_.first_iteration || absl::Now() < deadline) &&
           !filter_.Found(options_.stop_on, options_.stop_on_kinds)) {
      const int batch = static_cast<int>(std::min<int64_t>(stride, end - next));
      states.resize(batch);
      for (auto& state : states) state = case_.NewState();
      batch_states_ = states.data();
      batch_first_ = next;
      batch_size_ = batch;
      done_.store(0, std::memory_order_relaxed);
      const absl::Time batch_start = absl::Now();
      const uint32_t generation = generation_.fetch_add(1, std::memory_order_release) + 1;
      FutexWakeAll(generation_);

      if (!WaitForAllDone(batch_start + options_.hang_timeout)) {
        ReportHang(generation, next, batch);
        result.hung = true;
        break;
      }
      for (int j = 0; j < batch; ++j) {
        if (accumulator != nullptr) {
          controller_iteration_.store(next + j, std::memory_order_relaxed);
          std::string detail;
          const Symptom kind = JudgeOutcome(case_, *accumulator, states[j], filter_, &detail);
          if (kind != Symptom::kNone) Flag(next + j, kind, detail);
        }
        case_.DeleteState(states[j]);
      }
      next += batch;
      result.iterations += batch;
      if (options_.progress != nullptr) {
        options_.progress->store(result.iterations, std::memory_order_relaxed);
      }

      if (options_.stride == 0) {
        const absl::Duration took = absl::Now() - batch_start;
        if (took < kBatchTargetLow && stride < kMaxStride) stride *= 2;
        if (took > kBatchTargetHigh && stride > 1) stride /= 2;
      }
    }
    result.elapsed_ms = absl::ToInt64Milliseconds(absl::Now() - start);
    result.final_stride = stride;
    if (accumulator != nullptr) result.outcomes = accumulator->Entries();
    return result;
  }

  bool WaitForAllDone(absl::Time deadline) {
    for (;;) {
      const uint32_t done = done_.load(std::memory_order_acquire);
      if (done == static_cast<uint32_t>(actors_)) return true;
      if (!WaitForChange(done_, done, deadline)) return false;
    }
  }

  void ReportHang(uint32_t generation, int64_t first, int batch) {
    std::string detail = absl::StrCat("iterations ", first, "..", first + batch - 1,
                                      " still running after ",
                                      absl::FormatDuration(options_.hang_timeout), ":");
    int64_t iteration = first;
    for (int a = 0; a < actors_; ++a) {
      const Slot& slot = slots_[a];
      if (slot.finished_generation.load(std::memory_order_acquire) == generation) continue;
      const int64_t at = slot.status.iteration.load(std::memory_order_relaxed);
      iteration = std::max(iteration, at);
      const char* blocked = slot.status.blocked_on.load(std::memory_order_acquire);
      absl::StrAppend(&detail, " actor ", a, " (iteration ", at, ") ");
      if (blocked != nullptr) {
        const int line = slot.status.blocked_line.load(std::memory_order_relaxed);
        absl::StrAppend(&detail, "blocked in ", blocked);
        // Line 0: an intercepted pthread call, already named by `blocked`.
        if (line != 0) {
          absl::StrAppend(&detail, " at ",
                          Where(slot.status.blocked_file.load(std::memory_order_relaxed), line));
        }
        absl::StrAppend(&detail, ";");
      } else {
        absl::StrAppend(&detail, "last seen at ",
                        Where(slot.status.point_file.load(std::memory_order_relaxed),
                              slot.status.point_line.load(std::memory_order_relaxed)),
                        ";");
      }
    }
    detail.pop_back();
    Flag(iteration, Symptom::kHang, detail);
  }

  const CaseBase& case_;
  const EngineOptions options_;
  FindingFilter filter_;
  const int actors_;
  const uint32_t spin_limit_;
  std::unique_ptr<Slot[]> slots_;
  std::vector<std::thread> workers_;
  std::vector<void*> states_;  // the batch under way

  // The batch, written by the controller before it bumps `generation_`
  // (release) and read by the workers after they see the bump (acquire).
  void* const* batch_states_ = nullptr;
  int64_t batch_first_ = 0;
  int batch_size_ = 0;

  alignas(64) std::atomic<uint32_t> generation_{0};
  alignas(64) std::atomic<uint32_t> done_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> controller_iteration_{-1};
};

}  // namespace

EngineResult RunStress(const CaseBase& c, const EngineOptions& options, FindingSink& sink) {
  auto engine = std::make_unique<Engine>(c, options, sink);
  EngineResult result = engine->Run();
  // After a hang the detached workers still use the engine and the batch's
  // states (and TSan may still report through it): they must outlive them.
  if (result.hung) engine.release();
  return result;
}

}  // namespace racestress::internal
