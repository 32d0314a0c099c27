#include "harness/controlled/strategy.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "harness/core/rng.h"

namespace racestress::internal {
namespace {

class RandomStrategy final : public Strategy {
 public:
  void BeginSchedule(uint64_t seed, int64_t /*index*/, int /*actors*/) override {
    rng_ = Rng(seed);
  }
  int Pick(absl::Span<const int> runnable, int /*current*/) override {
    return runnable[rng_.Below(static_cast<uint32_t>(runnable.size()))];
  }
  std::string Describe() const override { return "--strategy=random"; }

 private:
  Rng rng_{0};
};

class PctStrategy final : public Strategy {
 public:
  PctStrategy(int depth, int64_t steps) : depth_(depth), fixed_steps_(steps) {}

  void BeginSchedule(uint64_t seed, int64_t /*index*/, int actors) override {
    rng_ = Rng(seed);
    Rng& rng = rng_;
    // k: given, or the longest schedule so far (a first guess before any).
    steps_ = fixed_steps_ > 0 ? fixed_steps_ : std::max<int64_t>(most_steps_seen_, 1);
    if (fixed_steps_ == 0 && most_steps_seen_ == 0) steps_ = kFirstGuess;
    // Distinct initial priorities d, d+1, ..., d+n-1 in random order.
    priority_.resize(actors);
    for (int a = 0; a < actors; ++a) priority_[a] = int64_t{depth_} + a;
    for (int a = actors - 1; a > 0; --a) {
      std::swap(priority_[a], priority_[rng.Below(static_cast<uint32_t>(a + 1))]);
    }
    // d-1 change points in [1, k]; the i-th drawn lowers to priority i. A
    // schedule of k steps has k places to change, so at most k are drawn:
    // time and memory per schedule are min(d, k), whatever the depth.
    change_points_.clear();
    const int64_t count = std::min<int64_t>(depth_ - 1, steps_);
    for (int64_t i = 1; i <= count; ++i) {
      change_points_.emplace_back(1 + static_cast<int64_t>(rng.Next() % steps_), i);
    }
    // By step, then in the order drawn: Pick() meets them in that order, in
    // O(1) per scheduling point.
    std::sort(change_points_.begin(), change_points_.end());
    next_change_ = 0;
    step_ = 0;
  }

  int Pick(absl::Span<const int> runnable, int /*current*/) override {
    ++step_;
    int chosen = Highest(runnable);
    while (next_change_ < change_points_.size() && change_points_[next_change_].first == step_) {
      priority_[chosen] = kLowered + change_points_[next_change_++].second;
      chosen = Highest(runnable);
    }
    return chosen;
  }

  // A started thread gets a random place among the initial priorities (as
  // in the paper's thread creation); lowered priorities stay below all.
  void ActorStarted(int actor) override {
    const int64_t place = depth_ + rng_.Below(static_cast<uint32_t>(actor + 1));
    for (int64_t& p : priority_) {
      if (p >= place) ++p;
    }
    priority_.resize(actor + 1);
    priority_[actor] = place;
  }

  // A spinning actor steps back (CHESS's fairness for PCT): otherwise the
  // highest-priority spinner would run forever. It drops below the other
  // actors no change point has lowered, yet stays above the lowered ones, so
  // that a change point still lets it run: a bug of depth d stays one of
  // depth d when the actor waits by spinning. Only if no other actor keeps
  // its initial priority does it drop below all of them.
  void Yielded(int actor) override {
    int64_t lowest_unlowered = kLoweredCeiling;
    int64_t lowest = priority_[actor];
    for (size_t a = 0; a < priority_.size(); ++a) {
      if (static_cast<int>(a) == actor) continue;
      lowest = std::min(lowest, priority_[a]);
      if (priority_[a] > kLoweredCeiling) lowest_unlowered = std::min(lowest_unlowered, priority_[a]);
    }
    if (lowest_unlowered > kLoweredCeiling) {
      priority_[actor] = std::min(priority_[actor], lowest_unlowered - 1);
    } else if (priority_[actor] >= lowest) {
      priority_[actor] = lowest - 1;
    }
  }

  void EndSchedule(int64_t steps) override {
    most_steps_seen_ = std::max(most_steps_seen_, steps);
  }

  std::string Describe() const override {
    return absl::StrCat("--strategy=pct --pct_depth=", depth_, " --pct_steps=", steps_);
  }

 private:
  static constexpr int64_t kFirstGuess = 64;
  // A change point lowers to kLowered + i: below every priority a yield
  // gives (those count down from d, one per yield at most).
  static constexpr int64_t kLowered = std::numeric_limits<int64_t>::min() / 2;
  static constexpr int64_t kLoweredCeiling = kLowered / 2;

  int Highest(absl::Span<const int> runnable) const {
    int best = runnable[0];
    for (int a : runnable) {
      if (priority_[a] > priority_[best]) best = a;
    }
    return best;
  }

  const int depth_;
  const int64_t fixed_steps_;
  int64_t most_steps_seen_ = 0;
  int64_t steps_ = kFirstGuess;
  int64_t step_ = 0;
  Rng rng_{0};
  // Initial priorities d..d+n-1 are above every yielded one (below d) and
  // those above every lowered one (kLowered + 1..d-1); 64 bits, so that
  // neither meets the other.
  std::vector<int64_t> priority_;
  std::vector<std::pair<int64_t, int64_t>> change_points_;  // (step, lowered to), sorted
  size_t next_change_ = 0;  // the first not yet reached
};

// Depth-first over the tree of decisions. Each decision's alternatives are
// tried in a fixed order: first the non-preemptive choice (the actor that
// reached the point, or the lowest runnable one), then the others ascending.
class DfsStrategy final : public Strategy {
 public:
  explicit DfsStrategy(int preemption_bound) : bound_(preemption_bound) {}

  void BeginSchedule(uint64_t /*seed*/, int64_t /*index*/, int /*actors*/) override {
    position_ = 0;
    preemptions_ = 0;
    yielded_ = -1;
  }

  // A spinning actor steps back (CHESS's fairness): the next actor in turn
  // runs without a preemption, and running the spinner again costs one, so
  // a spin-wait cannot repeat unboundedly within the preemption bound.
  void Yielded(int actor) override { yielded_ = actor; }

  int Pick(absl::Span<const int> runnable, int current) override {
    const int yielder = yielded_;
    yielded_ = -1;
    if (position_ < decisions_.size()) {
      Decision& d = decisions_[position_++];
      // Replaying the prefix: the case is deterministic, so the same
      // actors are runnable as when the decision was first met.
      preemptions_ = d.preemptions_before + (d.IsPreemption(d.chosen) ? 1 : 0);
      return d.Actor(d.chosen);
    }
    Decision d;
    d.runnable.assign(runnable.begin(), runnable.end());
    d.current = current == yielder ? -1 : current;
    d.yielder = current == yielder ? yielder : -1;
    d.preemptions_before = preemptions_;
    d.chosen = 0;
    decisions_.push_back(std::move(d));
    ++position_;
    return decisions_.back().Actor(0);
  }

  void EndSchedule(int64_t /*steps*/) override {
    path_.clear();
    for (const Decision& d : decisions_) path_.push_back(d.Actor(d.chosen));
    decisions_.resize(std::min(decisions_.size(), position_));
    while (!decisions_.empty()) {
      Decision& d = decisions_.back();
      for (int next = d.chosen + 1; next < static_cast<int>(d.runnable.size()); ++next) {
        if (d.preemptions_before + (d.IsPreemption(next) ? 1 : 0) <= bound_) {
          d.chosen = next;
          return;
        }
      }
      decisions_.pop_back();
    }
    exhausted_ = true;
  }

  bool Exhausted() const override { return exhausted_; }

  std::string Describe() const override {
    return absl::StrCat("--strategy=path --path=", path_.empty() ? "-" : absl::StrJoin(path_, "."));
  }

 private:
  struct Decision {
    std::vector<int> runnable;
    int current = -1;
    int yielder = -1;  // the actor that yielded at this point, if one did
    int preemptions_before = 0;
    int chosen = 0;  // in alternative order

    // The actor of alternative `order`: 0 is the non-preemptive choice.
    int Actor(int order) const {
      const int first = DefaultPosition();
      if (order == 0) return runnable[first];
      const int position = order <= first ? order - 1 : order;
      return runnable[position];
    }
    // The non-preemptive choice: the current actor, or after a yield the
    // next runnable actor after the yielder, cyclically.
    int DefaultPosition() const {
      const int n = static_cast<int>(runnable.size());
      for (int i = 0; i < n; ++i) {
        if (runnable[i] == current) return i;
      }
      if (yielder < 0) return 0;
      for (int i = 0; i < n; ++i) {
        if (runnable[i] > yielder) return i;
      }
      return 0;
    }
    bool IsPreemption(int order) const {
      if (order == 0) return false;
      return current >= 0 ? Actor(order) != current : Actor(order) == yielder;
    }
  };

  const int bound_;
  std::vector<Decision> decisions_;
  size_t position_ = 0;
  int preemptions_ = 0;
  int yielded_ = -1;  // the actor that yielded before the coming Pick
  bool exhausted_ = false;
  std::vector<int> path_;  // the latest schedule's choices
};

// Replays a recorded path of actor choices; past its end, runs
// non-preemptively.
class PathStrategy final : public Strategy {
 public:
  explicit PathStrategy(std::vector<int> path) : path_(std::move(path)) {}

  void BeginSchedule(uint64_t /*seed*/, int64_t /*index*/, int /*actors*/) override {
    position_ = 0;
  }
  int Pick(absl::Span<const int> runnable, int current) override {
    if (position_ < path_.size()) {
      const int wanted = path_[position_++];
      if (std::find(runnable.begin(), runnable.end(), wanted) != runnable.end()) return wanted;
    }
    if (current >= 0) return current;
    return runnable[0];
  }
  std::string Describe() const override {
    return absl::StrCat("--strategy=path --path=", path_.empty() ? "-" : absl::StrJoin(path_, "."));
  }

 private:
  std::vector<int> path_;
  size_t position_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const StrategyOptions& options) {
  if (options.name == "random") return std::make_unique<RandomStrategy>();
  if (options.name == "pct") {
    if (options.pct_depth < 1 || options.pct_depth > kMaxPctDepth) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad value for --pct_depth: must be 1 to ", kMaxPctDepth));
    }
    if (options.pct_steps < 0) {
      return absl::InvalidArgumentError("bad value for --pct_steps: must be >= 0");
    }
    return std::make_unique<PctStrategy>(options.pct_depth, options.pct_steps);
  }
  if (options.name == "dfs") {
    if (options.preemption_bound < 0) {
      return absl::InvalidArgumentError("bad value for --preemption_bound: must be >= 0");
    }
    return std::make_unique<DfsStrategy>(options.preemption_bound);
  }
  if (options.name == "path") {
    std::vector<int> path;
    if (options.path != "-") {
      for (absl::string_view part : absl::StrSplit(options.path, '.')) {
        int actor = 0;
        if (!absl::SimpleAtoi(part, &actor) || actor < 0) {
          return absl::InvalidArgumentError(
              absl::StrCat("bad value for --path: '", options.path,
                           "' (expected actor numbers separated by dots, e.g. 0.1.1.0)"));
        }
        path.push_back(actor);
      }
    }
    return std::make_unique<PathStrategy>(std::move(path));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "bad value for --strategy: '", options.name, "' (expected random, pct, dfs or path)"));
}

std::string StrategyFlags(const StrategyOptions& strategy) {
  std::string flags = absl::StrCat("--strategy=", strategy.name);
  if (strategy.name == "pct") {
    absl::StrAppend(&flags, " --pct_depth=", strategy.pct_depth);
    if (strategy.pct_steps != 0) absl::StrAppend(&flags, " --pct_steps=", strategy.pct_steps);
  } else if (strategy.name == "dfs") {
    absl::StrAppend(&flags, " --preemption_bound=", strategy.preemption_bound);
  } else if (strategy.name == "path") {
    absl::StrAppend(&flags, " --path=", strategy.path);
  }
  return flags;
}

}  // namespace racestress::internal
