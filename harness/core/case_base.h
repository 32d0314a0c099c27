// -----------------------------------------------------------------------------
// harness/core/case_base.h
// -----------------------------------------------------------------------------
//
// The type-erased face of a registered case, as the engine and the runner see
// it. `TypedCase<State>` (case.h) implements it for one State type.

#ifndef RACESTRESS_HARNESS_CORE_CASE_BASE_H_
#define RACESTRESS_HARNESS_CORE_CASE_BASE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "harness/outcome.h"

namespace racestress::internal {

// One declared outcome.
struct OutcomeRow {
  std::string matcher;      // e.g. "500000", "anything else"
  Expect grade = Expect::kAcceptable;
  Symptom symptom = Symptom::kForbidden;  // what a forbidden match flags
  std::string description;  // one sentence for the reader
};

// The row index for a value that no declared outcome matched.
inline constexpr int kUndeclaredRow = -1;

// Collects the arbiter's values of many iterations, typed, and formats them
// only once at the end (the engine's hot loop never builds a string).
class Accumulator {
 public:
  virtual ~Accumulator() = default;
  // Runs the arbiter on a finished state; returns the outcome row it matched.
  virtual int Add(void* state) = 0;
  struct Entry {
    std::string value;
    int64_t count = 0;
    int row = kUndeclaredRow;
  };
  // The value of the latest Add(), formatted.
  virtual std::string LastValue() const = 0;
  // Every distinct value seen, with its count and row.
  virtual std::vector<Entry> Entries() const = 0;
};

struct CaseConfig {
  std::string suite;
  std::string name;
  std::string file;
  int line = 0;

  bool racy = false;                    // expectation: racy (must be flagged)
  Symptom racy_symptoms = Symptom::kNone;
  // The kinds of TSan report a racy case's kRace stands for (RaceKinds());
  // empty: any kind.
  std::vector<TsanKind> race_kinds;
  std::vector<OutcomeRow> outcomes;

  int64_t iterations = 0;               // 0: bounded by time only
  absl::Duration time_budget = absl::Seconds(1);
  absl::Duration hang_timeout = absl::Seconds(10);
  int stride = 0;                       // 0: chosen by the engine
  // Why the controlled engine cannot run the case (it starts threads of its
  // own, or blocks in std:: primitives); empty: it can.
  std::string uncontrolled_reason;
  // The GoogleTest test that runs the case, "Suite.Test": for a registered
  // case its own name; for a scenario, the TEST around it (a replay line's
  // --gtest_filter). Empty: FullName().
  std::string test;

  std::string FullName() const { return suite + "." + name; }
  std::string TestName() const { return test.empty() ? FullName() : test; }
};

class CaseBase {
 public:
  virtual ~CaseBase() = default;

  const CaseConfig& config() const { return config_; }
  CaseConfig& mutable_config() { return config_; }

  virtual int ActorCount() const = 0;
  virtual void* NewState() const = 0;
  virtual void DeleteState(void* state) const = 0;
  virtual void RunActor(void* state, int actor) const = 0;
  // Null when the case declares no arbiter (no Result()).
  virtual std::unique_ptr<Accumulator> NewAccumulator() const = 0;

 protected:
  CaseConfig config_;
};

// Registry()
//
// Every case registered by RACESTRESS_CASE, in registration order.
std::vector<std::unique_ptr<CaseBase>>& Registry();

// FindCase()
//
// The case named "Suite.Name", or nullptr.
const CaseBase* FindCase(const std::string& full_name);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_CASE_BASE_H_
