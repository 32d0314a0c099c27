// -----------------------------------------------------------------------------
// case.h
// -----------------------------------------------------------------------------
//
// A stress case runs one `State` under several actors, many times, and grades
// every run. Each iteration gets a fresh, default-constructed `State`; the
// actors run concurrently on it, released together; after all have finished,
// the arbiter `Result()` reads the outcome, which is graded against the
// declared outcomes (outcome.h).
//
//   struct RacyCounter {
//     Racy<int64_t> total;
//     void Worker(int /*thread_index*/) { total.Store(total.Load() + 1); }
//     int64_t Result() const { return total.Load(); }
//   };
//
//   RACESTRESS_CASE(Counter, LostUpdateRacy, RacyCounter)
//       .Threads(2)
//       .Outcome(Equals(int64_t{2}), Expect::kAcceptable, "both increments counted")
//       .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost",
//                Symptom::kLostUpdate)
//       .Racy(Symptom::kRace | Symptom::kLostUpdate);
//
// `State` must be default-constructible. Its actors are either `Worker(int)`
// (or `Worker()`) replicated by `.Threads(n)`, or distinct bodies named with
// `.Actor(&State::Producer).Actor(&State::Consumer)`. Its arbiter, if any, is
// `Result()`: any copyable value that compares with `==` (and `<`, for a
// large histogram) and prints with absl::StrCat.
//
// Expectation: a case is clean unless `.Racy(symptoms)` says it has a known
// bug the harness must flag with one of `symptoms` within its budget (a race
// with a ThreadSanitizer report of one of the kinds `.RaceKinds()` names, if
// it names any). A clean case fails on any race, of whatever kind, forbidden
// outcome, hang or crash.
//
// Each RACESTRESS_CASE registers one GoogleTest test named `Suite.Name`, so
// --gtest_filter, --gtest_list_tests and ctest select cases as they select
// tests.
//
// Thread safety: registration happens during static initialization; actors
// run on the engine's worker threads, the arbiter on its controller thread,
// after every actor of the iteration finished (a happens-before edge).

#ifndef RACESTRESS_HARNESS_CASE_H_
#define RACESTRESS_HARNESS_CASE_H_

#include <concepts>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "harness/atomic.h"
#include "harness/cond_var.h"
#include "harness/core/case_base.h"
#include "harness/mutex.h"
#include "harness/notification.h"
#include "harness/outcome.h"
#include "harness/point.h"
#include "harness/racy.h"
#include "harness/thread.h"

namespace racestress {
namespace internal {

template <typename State>
concept HasIndexedWorker = requires(State& s) { s.Worker(0); };
template <typename State>
concept HasWorker = requires(State& s) { s.Worker(); };
template <typename State>
concept HasResult = requires(State& s) { s.Result(); };

template <typename State>
struct ResultOf {
  using type = void;
};
template <HasResult State>
struct ResultOf<State> {
  using type = std::decay_t<decltype(std::declval<State&>().Result())>;
};

template <typename R>
class TypedAccumulator final : public Accumulator {
 public:
  using Arbiter = std::function<R(void*)>;
  using Matcher = std::function<bool(const R&)>;
  TypedAccumulator(Arbiter arbiter, const std::vector<Matcher>* matchers)
      : arbiter_(std::move(arbiter)), matchers_(matchers) {}

  int Add(void* state) override {
    R value = arbiter_(state);
    if constexpr (std::totally_ordered<R>) {
      auto [it, inserted] = counts_.try_emplace(std::move(value), Slot{});
      if (inserted) it->second.row = Classify(it->first);
      ++it->second.count;
      last_ = &it->first;
      return it->second.row;
    } else {
      for (auto& [v, slot] : counts_) {
        if (v == value) {
          last_ = &v;
          return ++slot.count, slot.row;
        }
      }
      const int row = Classify(value);
      counts_.emplace_back(std::move(value), Slot{1, row});
      last_ = &counts_.back().first;  // valid until the next Add()
      return row;
    }
  }

  std::string LastValue() const override {
    return last_ != nullptr ? FormatValue(*last_) : std::string();
  }

  std::vector<Entry> Entries() const override {
    std::vector<Entry> entries;
    for (const auto& [value, slot] : counts_) {
      entries.push_back({FormatValue(value), slot.count, slot.row});
    }
    return entries;
  }

 private:
  struct Slot {
    int64_t count = 0;
    int row = kUndeclaredRow;
  };
  int Classify(const R& value) const {
    for (size_t i = 0; i < matchers_->size(); ++i) {
      if ((*matchers_)[i](value)) return static_cast<int>(i);
    }
    return kUndeclaredRow;
  }

  Arbiter arbiter_;
  const std::vector<Matcher>* matchers_;
  const R* last_ = nullptr;
  std::conditional_t<std::totally_ordered<R>, std::map<R, Slot>,
                     std::vector<std::pair<R, Slot>>>
      counts_;
};

}  // namespace internal

// TypedCase
//
// The builder RACESTRESS_CASE and racestress::Scenario (scenario.h) return.
// Every method returns the case, so a declaration reads as one statement.
// `R` is what the arbiter returns: by default State::Result()'s type (void
// when State has none); a scenario may name another arbiter.
template <typename State, typename R = typename internal::ResultOf<State>::type>
class TypedCase final : public internal::CaseBase {
 public:
  using Result = R;
  // Reads an iteration's outcome from its state once every actor finished.
  using Arbiter = std::function<R(State&)>;

  // `arbiter` defaults to State::Result().
  TypedCase(const char* suite, const char* name, const char* file, int line,
            Arbiter arbiter = DefaultArbiter())
      : arbiter_(std::move(arbiter)) {
    config_.suite = suite;
    config_.name = name;
    config_.file = file;
    config_.line = line;
  }

  // TypedCase::Threads()
  //
  // Runs `Worker` on `threads` actors; actor i receives thread_index i.
  TypedCase& Threads(int threads) {
    worker_threads_ = threads;
    return *this;
  }

  // TypedCase::Actor()
  //
  // Adds `copies` actors running `body`: a member function of State taking
  // nothing or the thread index, or a callable taking (State&) or
  // (State&, int).
  template <typename Body>
  TypedCase& Actor(Body body, int copies = 1) {
    for (int i = 0; i < copies; ++i) {
      const int index = static_cast<int>(actors_.size());
      actors_.push_back([body, index](State& state) {
        if constexpr (std::is_invocable_v<Body, State&, int>) {
          std::invoke(body, state, index);
        } else {
          (void)index;
          std::invoke(body, state);
        }
      });
    }
    return *this;
  }

  // TypedCase::Outcome()
  //
  // Declares that values `matcher` accepts are graded `grade`, described by
  // `description`. A forbidden outcome flags `symptom` (lost update or
  // forbidden outcome) when observed.
  template <typename Matcher>
  TypedCase& Outcome(Matcher matcher, Expect grade, std::string description,
                     Symptom symptom = Symptom::kForbidden) {
    static_assert(!std::is_void_v<Result>,
                  "a case with outcomes needs an arbiter: State::Result(), or "
                  "for a scenario Scenario<State>(arbiter)");
    if constexpr (!std::is_void_v<Result>) {
      config_.outcomes.push_back({matcher.Describe(), grade, symptom,
                                  std::move(description)});
      matchers_.push_back([matcher](const Result& value) { return matcher(value); });
    }
    return *this;
  }

  // TypedCase::Racy()
  //
  // Declares a known bug: the case passes only if the harness flags one of
  // `symptoms` within the budget (races count under the tsan preset only).
  TypedCase& Racy(Symptom symptoms) {
    config_.racy = true;
    config_.racy_symptoms = symptoms;
    return *this;
  }

  // TypedCase::RaceKinds()
  //
  // Narrows the race a racy case declares (`.Racy(Symptom::kRace ...)`, or a
  // scenario's EXPECT_RACE_DETECTED) to ThreadSanitizer reports of `kinds`:
  //
  //   .Racy(Symptom::kRace).RaceKinds({TsanKind::kLockOrderInversion})
  //
  // A report of another kind does not count: the run goes on, and if that is
  // all it found, the case fails with "found data race, which is not among
  // the declared kinds (lock-order inversion)". A case that is not racy with
  // Symptom::kRace fails before it runs if it declares kinds.
  TypedCase& RaceKinds(std::initializer_list<TsanKind> kinds) {
    config_.race_kinds.assign(kinds.begin(), kinds.end());
    return *this;
  }

  // Budget: at most `iterations` iterations (0: no limit) and at most
  // `budget` of wall time, whichever ends first; flags override both.
  TypedCase& Iterations(int64_t iterations) {
    config_.iterations = iterations;
    return *this;
  }
  TypedCase& TimeBudget(absl::Duration budget) {
    config_.time_budget = budget;
    return *this;
  }
  // An iteration still running after `timeout` is a hang.
  TypedCase& HangTimeout(absl::Duration timeout) {
    config_.hang_timeout = timeout;
    return *this;
  }
  // Fixes how many fresh states each actor runs through between two
  // checkpoints (1: a start barrier for every iteration). Default: adaptive.
  TypedCase& Stride(int stride) {
    config_.stride = stride;
    return *this;
  }

  // Declares that the controlled engine cannot run this case, and why: it
  // starts threads of its own or blocks in primitives that are not the
  // harness's. `--engine=controlled` skips it with that reason.
  TypedCase& Uncontrolled(std::string reason) {
    config_.uncontrolled_reason = std::move(reason);
    return *this;
  }

  // 0 when the case names no actor: no .Actor() and no State::Worker.
  int ActorCount() const override {
    if (!actors_.empty()) return static_cast<int>(actors_.size());
    return internal::HasIndexedWorker<State> || internal::HasWorker<State> ? worker_threads_ : 0;
  }

  void* NewState() const override { return new State(); }
  void DeleteState(void* state) const override { delete static_cast<State*>(state); }

  void RunActor(void* state, int actor) const override {
    State& s = *static_cast<State*>(state);
    if (!actors_.empty()) {
      actors_[actor](s);
    } else if constexpr (internal::HasIndexedWorker<State>) {
      s.Worker(actor);
    } else if constexpr (internal::HasWorker<State>) {
      s.Worker();
    }
  }

  std::unique_ptr<internal::Accumulator> NewAccumulator() const override {
    if constexpr (std::is_void_v<Result>) {
      return nullptr;
    } else {
      return std::make_unique<internal::TypedAccumulator<Result>>(
          [this](void* state) { return arbiter_(*static_cast<State*>(state)); }, &matchers_);
    }
  }

 private:
  static Arbiter DefaultArbiter() {
    if constexpr (internal::HasResult<State> &&
                  std::is_same_v<R, typename internal::ResultOf<State>::type>) {
      return [](State& state) { return state.Result(); };
    } else {
      return nullptr;
    }
  }

  Arbiter arbiter_;
  int worker_threads_ = 2;
  std::vector<std::function<void(State&)>> actors_;
  std::vector<std::function<bool(const std::conditional_t<
      std::is_void_v<Result>, int, Result>&)>> matchers_;
};

namespace internal {

template <typename State>
TypedCase<State>& RegisterCase(const char* suite, const char* name,
                               const char* file, int line) {
  static_assert(std::is_default_constructible_v<State>,
                "a case's State must be default-constructible: every "
                "iteration starts from a fresh one");
  auto owned = std::make_unique<TypedCase<State>>(suite, name, file, line);
  TypedCase<State>& spec = *owned;
  Registry().push_back(std::move(owned));
  return spec;
}

}  // namespace internal
}  // namespace racestress

#define RACESTRESS_CONCAT_INNER_(a, b) a##b
#define RACESTRESS_CONCAT_(a, b) RACESTRESS_CONCAT_INNER_(a, b)

// RACESTRESS_CASE()
//
// Registers `State` as the case `suite.name`; the builder calls that follow
// (.Threads, .Outcome, .Racy, ...) complete the declaration.
#define RACESTRESS_CASE(suite, name, State)                                  \
  [[maybe_unused]] static auto& RACESTRESS_CONCAT_(racestress_case_, __LINE__) = \
      ::racestress::internal::RegisterCase<State>(#suite, #name, __FILE__,   \
                                                  __LINE__)

#endif  // RACESTRESS_HARNESS_CASE_H_
