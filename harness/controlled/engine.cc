#include "harness/controlled/engine.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "harness/controlled/scheduler.h"
#include "harness/controlled/strategy.h"
#include "harness/controlled/watchdog.h"
#include "harness/core/judging.h"
#include "harness/core/rng.h"
#include "harness/core/signal_stack.h"
#include "harness/tsan/tsan_annotations.h"
#include "harness/tsan/tsan_reports.h"

namespace racestress::internal {
namespace {

std::atomic<int64_t> schedule_in_progress{-1};
// The running engine's progress (who runs), for the crash handler.
std::atomic<const ScheduleProgress*> progress_in_run{nullptr};

constexpr int kMaxReportsPerSchedule = 16;

class ControlledRun final : public ScheduleBody, public TsanReportHandler {
 public:
  ControlledRun(const CaseBase& c, const EngineOptions& options, FindingSink& sink,
                std::unique_ptr<Strategy> strategy)
      : case_(c),
        options_(options),
        filter_(sink),
        sink_(sink),
        strategy_(std::move(strategy)),
        run_flags_(absl::StrCat("--engine=controlled ", StrategyFlags(options.strategy))) {}

  EngineResult Run();

  void RunActor(int actor) override { case_.RunActor(state_, actor); }
  void ActorThrew(int, const std::string& what) override {
    Flag(Symptom::kCrash, what, run_flags_);
  }

  // In TSan's report path, on the fiber that raced: record, format later.
  void OnTsanReport(const TsanReport& report) override {
    ScopedTsanIgnore ignore;
    if (tsan_reports_ < kMaxReportsPerSchedule) tsan_report_kinds_[tsan_reports_++] = report.kind;
    if (scheduler_ != nullptr) scheduler_->StopCheckingAccesses();
  }

 private:
  void RunSchedule(ControlledScheduler& scheduler, int64_t schedule, Accumulator* accumulator);
  void Judge(const ControlledScheduler& scheduler, Accumulator* accumulator,
             const std::string& replay_flags);
  std::string ScheduleSuffix(const ControlledScheduler& scheduler, bool with_trace) const;
  std::string Note(const ControlledScheduler& scheduler, int64_t iterations) const;
  void Flag(Symptom kind, absl::string_view detail, absl::string_view replay_flags,
            TsanKind tsan_kind = TsanKind::kUnknown) {
    FindingView finding{schedule_, kind, detail, EngineKind::kControlled,
                        options_.strategy.name, replay_flags, tsan_kind};
    filter_.Flag(finding);
  }

  const CaseBase& case_;
  const EngineOptions options_;
  FindingFilter filter_;
  FindingSink& sink_;
  std::unique_ptr<Strategy> strategy_;
  const std::string run_flags_;  // the strategy's flags, before a schedule refines them
  void* state_ = nullptr;
  int64_t schedule_ = 0;
  const char* tsan_report_kinds_[kMaxReportsPerSchedule] = {};
  int tsan_reports_ = 0;
  ControlledScheduler* scheduler_ = nullptr;  // while Run() runs
};

EngineResult ControlledRun::Run() {
  EngineResult result;
  // The fibers' stack overflows are reported from this thread's signal stack.
  ScopedSignalStack signal_stack;
  ControlledScheduler scheduler(case_.ActorCount(), *strategy_, options_.max_steps, *this);
  scheduler_ = &scheduler;
  progress_in_run.store(&scheduler.progress(), std::memory_order_relaxed);
  SetControlledRunActive(true);
  scheduler.Install();
  ScopedTsanReportHandler tsan(this);
  {
    Watchdog watchdog(scheduler.progress(), options_.hang_timeout, sink_, options_.strategy.name,
                      run_flags_);
    std::unique_ptr<Accumulator> accumulator = case_.NewAccumulator();
    const absl::Time start = absl::Now();
    const absl::Time deadline = start + options_.time_budget;
    const int64_t end = EndIteration(options_);
    for (int64_t schedule = options_.first_iteration;
         schedule < end && (schedule == options_.first_iteration || absl::Now() < deadline) &&
         !filter_.Found(options_.stop_on, options_.stop_on_kinds) && !strategy_->Exhausted();
         ++schedule) {
      RunSchedule(scheduler, schedule, accumulator.get());
      ++result.iterations;
      if (options_.progress != nullptr) {
        options_.progress->store(result.iterations, std::memory_order_relaxed);
      }
    }
    result.note = Note(scheduler, result.iterations);
    result.elapsed_ms = absl::ToInt64Milliseconds(absl::Now() - start);
    if (accumulator != nullptr) result.outcomes = accumulator->Entries();
  }
  scheduler.Uninstall();
  scheduler_ = nullptr;
  SetControlledRunActive(false);
  schedule_in_progress.store(-1, std::memory_order_relaxed);
  progress_in_run.store(nullptr, std::memory_order_relaxed);
  return result;
}

// What every schedule did, step by step, in one number: the same seed and
// strategy must give the same hash, run after run.
std::string ControlledRun::Note(const ControlledScheduler& scheduler, int64_t iterations) const {
  std::string note = absl::StrFormat("trace hash 0x%016x", scheduler.trace().hash());
  if (strategy_->Exhausted()) {
    absl::StrAppend(&note, "; all ", iterations, " schedules explored (", options_.strategy.name,
                    ", preemption bound ", options_.strategy.preemption_bound, ")");
  }
  return note;
}

void ControlledRun::RunSchedule(ControlledScheduler& scheduler, int64_t schedule,
                                Accumulator* accumulator) {
  schedule_ = schedule;
  schedule_in_progress.store(schedule, std::memory_order_relaxed);
  tsan_reports_ = 0;
  scheduler.BeginSchedule(IterationSeed(options_.case_seed, static_cast<uint64_t>(schedule)),
                          schedule);
  state_ = case_.NewState();
  scheduler.RunSchedule();
  const std::string replay_flags = absl::StrCat("--engine=controlled ", strategy_->Describe());
  strategy_->EndSchedule(scheduler.steps());
  for (int r = 0; r < tsan_reports_; ++r) {
    // TSan's report has the stacks; the trace would add little.
    const RaceReport race = ClassifyTsanReport(tsan_report_kinds_[r]);
    Flag(Symptom::kRace, absl::StrCat(race.detail, ScheduleSuffix(scheduler, false)),
         replay_flags, race.kind);
  }
  Judge(scheduler, accumulator, replay_flags);
  state_ = nullptr;
}

void ControlledRun::Judge(const ControlledScheduler& scheduler, Accumulator* accumulator,
                          const std::string& replay_flags) {
  if (scheduler.ending() != ScheduleEnding::kCompleted) {
    // The actors are abandoned mid-way, their stacks still referring to the
    // state: leak it rather than free what a restarted fiber might never
    // touch again but TSan would see freed under it.
    Flag(Symptom::kHang, absl::StrCat(scheduler.ending_detail(), ScheduleSuffix(scheduler, true)),
         replay_flags);
    return;
  }
  std::string detail;
  if (accumulator != nullptr) {
    const Symptom kind = JudgeOutcome(case_, *accumulator, state_, filter_, &detail);
    if (kind != Symptom::kNone) {
      Flag(kind, absl::StrCat(detail, ScheduleSuffix(scheduler, true)), replay_flags);
    }
  }
  case_.DeleteState(state_);
}

std::string ControlledRun::ScheduleSuffix(const ControlledScheduler& scheduler,
                                          bool with_trace) const {
  return absl::StrCat("\n  schedule ", schedule_, ", ", scheduler.steps(), " steps",
                      with_trace ? scheduler.trace().Format() : std::string());
}

}  // namespace

int64_t ControlledScheduleInProgress() {
  return schedule_in_progress.load(std::memory_order_relaxed);
}

int ControlledActorInProgress() {
  const ScheduleProgress* progress = progress_in_run.load(std::memory_order_relaxed);
  return progress != nullptr ? progress->running.load(std::memory_order_relaxed) : -1;
}

EngineResult RunControlled(const CaseBase& c, const EngineOptions& options, FindingSink& sink) {
  auto strategy = MakeStrategy(options.strategy);
  if (!strategy.ok()) {
    // Flags were validated at parse time; this is a programming error.
    fprintf(stderr, "racestress: %s\n", std::string(strategy.status().message()).c_str());
    abort();
  }
  ControlledRun run(c, options, sink, *std::move(strategy));
  return run.Run();
}

}  // namespace racestress::internal
