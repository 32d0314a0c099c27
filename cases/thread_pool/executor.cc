// -----------------------------------------------------------------------------
// cases/thread_pool/executor.cc
// -----------------------------------------------------------------------------
//
// `with ThreadPoolExecutor(max_workers=2)` in C++: a pool of two workers
// taking tasks from a queue under a mutex, whose destructor (leaving the
// `with` block) waits for every submitted task. One actor submits six tasks.
// Expected: 6 tasks x 1 run each, never more than 2 workers = 2 running at
// once. A shutdown that drops the queued tasks loses them; a running count
// kept outside the lock is a data race.
//
// Seed: 002_6d8f4c7edb4bab55.txt, "Example with ThreadPoolExecutor" (max_workers=2).
// Run:  ctest --preset tsan -R '^ThreadPool\.'

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kWorkers = 2;
constexpr int kTasks = 6;

enum class Flaw { kNone, kDropsQueuedTasks, kUnlockedRunningCount };

// A two-worker pool; `kFlaw` selects the bug, if any. `*peak` receives the
// most tasks the pool ever ran at once, after its workers are joined.
template <Flaw kFlaw>
class Pool {
 public:
  explicit Pool(int* peak) : peak_out_(peak) {
    for (auto& worker : workers_) worker = Thread([this] { WorkLoop(); });
  }
  ~Pool() {
    {
      MutexLock lock(mu_);
      shutting_down_ = true;
      work_.SignalAll();
    }
    for (auto& worker : workers_) worker.Join();
    MutexLock lock(mu_);
    *peak_out_ = kFlaw == Flaw::kUnlockedRunningCount ? unlocked_peak_.Load() : peak_;
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  void Submit(std::function<void()> task) {
    MutexLock lock(mu_);
    queue_.push_back(std::move(task));
    work_.Signal();
  }

 private:
  void WorkLoop() {
    for (;;) {
      std::function<void()> task;
      {
        MutexLock lock(mu_);
        while (queue_.empty() && !shutting_down_) work_.Wait(mu_);
        // The drop bug: stop at shutdown even though tasks are still queued.
        if (kFlaw == Flaw::kDropsQueuedTasks ? shutting_down_ : queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
        if (kFlaw != Flaw::kUnlockedRunningCount) peak_ = std::max(peak_, ++running_);
      }
      if (kFlaw == Flaw::kUnlockedRunningCount) {
        const int now = unlocked_running_.Load() + 1;
        unlocked_running_.Store(now);
        if (now > unlocked_peak_.Load()) unlocked_peak_.Store(now);
      }
      task();
      if (kFlaw == Flaw::kUnlockedRunningCount) {
        unlocked_running_.Store(unlocked_running_.Load() - 1);
      } else {
        MutexLock lock(mu_);
        --running_;
      }
    }
  }

  int* const peak_out_;
  Mutex mu_;
  CondVar work_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  int peak_ ABSL_GUARDED_BY(mu_) = 0;
  Racy<int> unlocked_running_;
  Racy<int> unlocked_peak_;
  std::array<Thread, kWorkers> workers_;
};

// The submitting actor and the tally of what ran.
template <Flaw kFlaw>
struct Executor {
  std::array<std::atomic<int>, kTasks> runs{};
  int peak = 0;  // written by the actor after the pool's workers are joined

  // task(name): "Task n starting", time.sleep(2), "Task n done". A short
  // sleep stands in for the long one, so that tasks are still queued when
  // the submitter leaves the block (with a yield, 5 of 1000 runs under load
  // saw no task dropped); under the controlled engine the point decides.
  void Task(int n) {
    point();
    std::this_thread::sleep_for(std::chrono::microseconds(20));
    runs[n].fetch_add(1, std::memory_order_relaxed);
  }
  void Submitter() {
    Pool<kFlaw> pool(&peak);
    for (int n = 0; n < kTasks; ++n) {
      pool.Submit([this, n] { Task(n); });
      point();
    }
  }  // leaving the `with` block
  std::string Result() const {
    std::string out = "runs ";
    for (const auto& r : runs) absl::StrAppend(&out, r.load(std::memory_order_relaxed));
    return absl::StrCat(out, ", peak ", peak);
  }
};

// The fix: the destructor drains the queue; the running count is under mu_.
using LockedExecutor = Executor<Flaw::kNone>;
// The bug: shutdown stops the workers with tasks still queued.
using DroppingExecutor = Executor<Flaw::kDropsQueuedTasks>;
// The bug: the running count is updated by both workers without the lock.
using UnlockedCountExecutor = Executor<Flaw::kUnlockedRunningCount>;

const auto kEveryTaskOnce = OneOf({std::string("runs 111111, peak 1"),
                                   std::string("runs 111111, peak 2")});
const auto kLostTask = Where("a task that never ran", [](const std::string& r) {
  return r.substr(0, r.find(',')).find('0') != std::string::npos;
});

}  // namespace

RACESTRESS_CASE(ThreadPool, LostTaskDrainingShutdown, LockedExecutor)
    .Actor(&LockedExecutor::Submitter)
    .Outcome(kEveryTaskOnce, Expect::kAcceptable, "every task ran once, at most 2 at once")
    .Outcome(kLostTask, Expect::kForbidden, "lost task: the pool never ran it")
    .Outcome(Otherwise(), Expect::kForbidden, "a task ran twice, or more than 2 at once");

RACESTRESS_CASE(ThreadPool, LostTaskDroppingShutdown, DroppingExecutor)
    .Actor(&DroppingExecutor::Submitter)
    .Outcome(kEveryTaskOnce, Expect::kAcceptable, "the workers drained the queue in time")
    .Outcome(kLostTask, Expect::kForbidden, "lost task: shutdown dropped it from the queue")
    .Outcome(Otherwise(), Expect::kForbidden, "a task ran twice, or more than 2 at once")
    .Racy(Symptom::kForbidden);

RACESTRESS_CASE(ThreadPool, RunningCountUnlocked, UnlockedCountExecutor)
    .Actor(&UnlockedCountExecutor::Submitter)
    .Outcome(kEveryTaskOnce, Expect::kAcceptable, "every task ran once, at most 2 at once")
    .Outcome(kLostTask, Expect::kForbidden, "lost task: the pool never ran it")
    .Outcome(Otherwise(), Expect::kInteresting,
             "the running count lost an update, so its peak is wrong")
    .Racy(Symptom::kRace);

}  // namespace racestress::cases
