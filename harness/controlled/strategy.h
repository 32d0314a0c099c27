// -----------------------------------------------------------------------------
// harness/controlled/strategy.h
// -----------------------------------------------------------------------------
//
// How the controlled engine picks the next actor at a scheduling point.
//
//  * `random`: uniformly among the runnable actors, from the schedule's seed.
//  * `pct`: Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi,
//    Nagarakatte, ASPLOS 2010). Each schedule gives the actors random distinct
//    priorities and draws d-1 change points among the k steps a schedule is
//    expected to take; the highest-priority runnable actor always runs, and
//    at the i-th change point the running actor drops to priority i, below
//    every initial one. A bug of depth d is found with probability at least
//    1 / (n k^(d-1)) per schedule. Only min(d-1, k) change points are drawn
//    (a schedule of k steps has no more places to change), and each costs
//    O(1) when its step comes.
//  * `dfs`: every schedule, depth first, with at most `preemption_bound`
//    preemptions (switching away from an actor that could go on). Says when
//    the space is exhausted.
//  * `path`: replays a recorded sequence of choices (how a dfs schedule is
//    replayed), then runs without preemption.
//
// A strategy sees each decision as (the runnable actors, the actor that
// reached the point or -1 if it blocked or finished). Given the same seed and
// schedule index it makes the same choices: that is what makes a schedule
// replayable.
//
// Thread safety: not thread-safe; the scheduler calls it from one thread.

#ifndef RACESTRESS_HARNESS_CONTROLLED_STRATEGY_H_
#define RACESTRESS_HARNESS_CONTROLLED_STRATEGY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "harness/core/engine_options.h"

namespace racestress::internal {

class Strategy {
 public:
  virtual ~Strategy() = default;

  // Strategy::BeginSchedule()
  //
  // Starts schedule `index` of `actors` actors; `seed` is the schedule's own.
  virtual void BeginSchedule(uint64_t seed, int64_t index, int actors) = 0;

  // Strategy::Pick()
  //
  // Returns one of `runnable` (ascending, never empty). `current` is the
  // actor that reached the scheduling point, or -1 if it blocked or ended.
  virtual int Pick(absl::Span<const int> runnable, int current) = 0;

  // Strategy::ActorStarted()
  //
  // A running actor started a thread: actor `actor` (the next number) joins
  // the schedule.
  virtual void ActorStarted(int actor) { (void)actor; }

  // Strategy::Yielded()
  //
  // Actor `actor` is spinning, waiting for another: prefer the others.
  virtual void Yielded(int actor) { (void)actor; }

  // Strategy::EndSchedule()
  //
  // The schedule took `steps` decisions.
  virtual void EndSchedule(int64_t steps) { (void)steps; }

  // Strategy::Exhausted()
  //
  // True once every schedule has been run (dfs only).
  virtual bool Exhausted() const { return false; }

  // Strategy::Describe()
  //
  // The flags that select this strategy as it ran the latest schedule, for
  // the replay command, e.g. "--strategy=pct --pct_depth=2 --pct_steps=37".
  virtual std::string Describe() const = 0;
};

// The deepest bug `pct` looks for (--pct_depth). Depth is the number of
// ordering constraints a bug needs, a handful in practice; the bound keeps a
// schedule's change points (min(d - 1, k) of them, drawn per schedule) cheap.
inline constexpr int kMaxPctDepth = 10000;

// StrategyFlags()
//
// The flags that select `options`' strategy, e.g. "--strategy=pct
// --pct_depth=2": what a finding made outside a schedule (a crash, a hang the
// watchdog saw) replays with.
std::string StrategyFlags(const StrategyOptions& options);

// MakeStrategy()
//
// The strategy `options` names, or an error naming the bad value.
absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const StrategyOptions& options);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_STRATEGY_H_
