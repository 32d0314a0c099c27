// -----------------------------------------------------------------------------
// harness/case_test.cc
// -----------------------------------------------------------------------------
//
// The case builder and its accumulator, used directly (a TypedCase need not
// be registered to be built, counted and graded), plus one registered case to
// show that RACESTRESS_CASE records the name and location it was written at.

#include "harness/case.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "harness/core/case_base.h"

namespace racestress {
namespace {

using internal::Accumulator;
using internal::kUndeclaredRow;

// A state whose arbiter returns whatever the test put in it.
struct ValueState {
  int value = 0;
  void Worker(int /*thread_index*/) {}
  int Result() const { return value; }
};

// A state with two distinct actors that record how they were called.
struct PairState {
  std::vector<std::string> calls;
  void Producer() { calls.push_back("producer"); }
  void Consumer(int index) { calls.push_back("consumer " + std::to_string(index)); }
};

// A state with replicated workers and no arbiter.
struct WorkerState {
  std::vector<int> indices;
  void Worker(int thread_index) { indices.push_back(thread_index); }
};

struct PlainWorkerState {
  int calls = 0;
  void Worker() { ++calls; }
};

// Feeds `values` to a fresh accumulator of `c`; returns the rows matched.
std::vector<int> Classify(const TypedCase<ValueState>& c, std::unique_ptr<Accumulator>& acc,
                          const std::vector<int>& values) {
  std::vector<int> rows;
  for (int v : values) {
    auto* state = static_cast<ValueState*>(c.NewState());
    state->value = v;
    rows.push_back(acc->Add(state));
    c.DeleteState(state);
  }
  return rows;
}

TypedCase<ValueState> GradedCase() {
  TypedCase<ValueState> c("Grading", "FirstRowWins", "grading.cc", 10);
  c.Outcome(Equals(1), Expect::kAcceptable, "exactly one")
      .Outcome(OneOf({1, 2}), Expect::kInteresting, "one or two")
      .Outcome(Where("negative", [](int v) { return v < 0; }), Expect::kForbidden,
               "went below zero", Symptom::kLostUpdate);
  return c;
}

// -----------------------------------------------------------------------------
// Outcomes and the accumulator

TEST(Case, OutcomeRowsRecordMatcherGradeSymptomAndDescription) {
  const TypedCase<ValueState> c = GradedCase();
  const auto& rows = c.config().outcomes;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].matcher, "1");
  EXPECT_EQ(rows[0].grade, Expect::kAcceptable);
  EXPECT_EQ(rows[0].description, "exactly one");
  EXPECT_EQ(rows[0].symptom, Symptom::kForbidden);  // the default
  EXPECT_EQ(rows[1].matcher, "one of {1, 2}");
  EXPECT_EQ(rows[1].grade, Expect::kInteresting);
  EXPECT_EQ(rows[2].matcher, "negative");
  EXPECT_EQ(rows[2].grade, Expect::kForbidden);
  EXPECT_EQ(rows[2].symptom, Symptom::kLostUpdate);
}

TEST(Case, AccumulatorClassifiesByTheFirstMatchingRow) {
  const TypedCase<ValueState> c = GradedCase();
  std::unique_ptr<Accumulator> acc = c.NewAccumulator();
  ASSERT_NE(acc, nullptr);
  // 1 matches rows 0 and 1: row 0 wins. 2 matches row 1 only.
  EXPECT_EQ(Classify(c, acc, {1, 2, -5}), (std::vector<int>{0, 1, 2}));
}

TEST(Case, AccumulatorReportsUndeclaredRowForValuesNoRowMatches) {
  const TypedCase<ValueState> c = GradedCase();
  std::unique_ptr<Accumulator> acc = c.NewAccumulator();
  ASSERT_NE(acc, nullptr);
  EXPECT_EQ(Classify(c, acc, {7, 0}), (std::vector<int>{kUndeclaredRow, kUndeclaredRow}));
  EXPECT_EQ(acc->LastValue(), "0");
}

TEST(Case, AccumulatorCountsDuplicatesOncePerDistinctValue) {
  const TypedCase<ValueState> c = GradedCase();
  std::unique_ptr<Accumulator> acc = c.NewAccumulator();
  ASSERT_NE(acc, nullptr);
  const std::vector<int> rows = Classify(c, acc, {2, 1, 2, 7, 2, -5, 1, 7});
  EXPECT_EQ(rows, (std::vector<int>{1, 0, 1, kUndeclaredRow, 1, 2, 0, kUndeclaredRow}));
  EXPECT_EQ(acc->LastValue(), "7");

  struct Want {
    std::string value;
    int64_t count;
    int row;
  };
  const std::vector<Want> want = {{"-5", 1, 2}, {"1", 2, 0}, {"2", 3, 1}, {"7", 2, kUndeclaredRow}};
  const std::vector<Accumulator::Entry> entries = acc->Entries();
  ASSERT_EQ(entries.size(), want.size());
  int64_t total = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(entries[i].value, want[i].value) << "entry " << i;
    EXPECT_EQ(entries[i].count, want[i].count) << "entry " << i;
    EXPECT_EQ(entries[i].row, want[i].row) << "entry " << i;
    total += entries[i].count;
  }
  EXPECT_EQ(total, static_cast<int64_t>(rows.size()));
}

TEST(Case, AccumulatorsOfOneCaseAreIndependent) {
  const TypedCase<ValueState> c = GradedCase();
  std::unique_ptr<Accumulator> first = c.NewAccumulator();
  std::unique_ptr<Accumulator> second = c.NewAccumulator();
  Classify(c, first, {1, 1, 1});
  EXPECT_EQ(first->Entries().size(), 1u);
  EXPECT_TRUE(second->Entries().empty());
  EXPECT_EQ(second->LastValue(), "");
}

TEST(Case, CaseWithoutArbiterHasNoAccumulator) {
  TypedCase<WorkerState> c("NoArbiter", "Workers", "w.cc", 1);
  EXPECT_EQ(c.NewAccumulator(), nullptr);
}

// -----------------------------------------------------------------------------
// Actors

TEST(Case, ActorCountDefaultsToTwoWorkers) {
  TypedCase<WorkerState> c("Actors", "Default", "a.cc", 1);
  EXPECT_EQ(c.ActorCount(), 2);
}

TEST(Case, ActorCountIsTheThreadCountForReplicatedWorkers) {
  TypedCase<WorkerState> c("Actors", "Threads", "a.cc", 1);
  c.Threads(5);
  EXPECT_EQ(c.ActorCount(), 5);
}

TEST(Case, ActorCountIsTheNumberOfDeclaredActors) {
  TypedCase<PairState> c("Actors", "Pair", "a.cc", 1);
  c.Actor(&PairState::Producer).Actor(&PairState::Consumer);
  EXPECT_EQ(c.ActorCount(), 2);
  TypedCase<PairState> copies("Actors", "Copies", "a.cc", 1);
  copies.Actor(&PairState::Producer).Actor(&PairState::Consumer, 3);
  EXPECT_EQ(copies.ActorCount(), 4);
}

TEST(Case, NoWorkerAndNoActorIsNoActor) {
  TypedCase<PairState> c("Actors", "None", "a.cc", 1);
  EXPECT_EQ(c.Threads(3).ActorCount(), 0);
}

TEST(Case, DeclaredActorsTakePrecedenceOverThreads) {
  TypedCase<PairState> c("Actors", "Mixed", "a.cc", 1);
  c.Threads(8).Actor(&PairState::Producer);
  EXPECT_EQ(c.ActorCount(), 1);
}

TEST(Case, RunActorCallsTheActorAtThatIndexWithItsIndex) {
  TypedCase<PairState> c("Actors", "Dispatch", "a.cc", 1);
  c.Actor(&PairState::Producer)
      .Actor(&PairState::Consumer, 2)
      .Actor([](PairState& s, int index) { s.calls.push_back("lambda " + std::to_string(index)); })
      .Actor([](PairState& s) { s.calls.push_back("plain lambda"); });
  ASSERT_EQ(c.ActorCount(), 5);
  auto* state = static_cast<PairState*>(c.NewState());
  for (int a = 0; a < c.ActorCount(); ++a) c.RunActor(state, a);
  EXPECT_EQ(state->calls, (std::vector<std::string>{"producer", "consumer 1", "consumer 2",
                                                    "lambda 3", "plain lambda"}));
  c.DeleteState(state);
}

TEST(Case, RunActorPassesTheThreadIndexToReplicatedWorkers) {
  TypedCase<WorkerState> c("Actors", "Indexed", "a.cc", 1);
  c.Threads(3);
  auto* state = static_cast<WorkerState*>(c.NewState());
  for (int a = 2; a >= 0; --a) c.RunActor(state, a);
  EXPECT_EQ(state->indices, (std::vector<int>{2, 1, 0}));
  c.DeleteState(state);

  TypedCase<PlainWorkerState> plain("Actors", "Plain", "a.cc", 1);
  auto* plain_state = static_cast<PlainWorkerState*>(plain.NewState());
  plain.RunActor(plain_state, 0);
  plain.RunActor(plain_state, 1);
  EXPECT_EQ(plain_state->calls, 2);
  plain.DeleteState(plain_state);
}

TEST(Case, NewStateIsFreshAndDefaultConstructed) {
  TypedCase<ValueState> c("State", "Fresh", "s.cc", 1);
  auto* a = static_cast<ValueState*>(c.NewState());
  a->value = 99;
  auto* b = static_cast<ValueState*>(c.NewState());
  EXPECT_NE(a, b);
  EXPECT_EQ(b->value, 0);
  c.DeleteState(a);
  c.DeleteState(b);
}

// -----------------------------------------------------------------------------
// Configuration

TEST(Case, DefaultsAreCleanWithACaseTimeBudget) {
  TypedCase<ValueState> c("Config", "Defaults", "config.cc", 42);
  const internal::CaseConfig& config = c.config();
  EXPECT_EQ(config.FullName(), "Config.Defaults");
  EXPECT_EQ(config.file, "config.cc");
  EXPECT_EQ(config.line, 42);
  EXPECT_FALSE(config.racy);
  EXPECT_EQ(config.racy_symptoms, Symptom::kNone);
  EXPECT_EQ(config.iterations, 0);
  EXPECT_EQ(config.time_budget, absl::Seconds(1));
  EXPECT_EQ(config.hang_timeout, absl::Seconds(10));
  EXPECT_EQ(config.stride, 0);
  EXPECT_TRUE(config.outcomes.empty());
}

TEST(Case, BuilderCallsSetTheConfiguration) {
  TypedCase<ValueState> c("Config", "Set", "config.cc", 1);
  c.Racy(Symptom::kRace | Symptom::kHang)
      .Iterations(500)
      .TimeBudget(absl::Milliseconds(250))
      .HangTimeout(absl::Milliseconds(750))
      .Stride(8);
  const internal::CaseConfig& config = c.config();
  EXPECT_TRUE(config.racy);
  EXPECT_EQ(config.racy_symptoms, Symptom::kRace | Symptom::kHang);
  EXPECT_EQ(config.iterations, 500);
  EXPECT_EQ(config.time_budget, absl::Milliseconds(250));
  EXPECT_EQ(config.hang_timeout, absl::Milliseconds(750));
  EXPECT_EQ(config.stride, 8);
}

// -----------------------------------------------------------------------------
// Registration

struct RegisteredState {
  void Worker(int /*thread_index*/) {}
  int Result() const { return 1; }
};

constexpr int kRegisteredLine = __LINE__ + 2;
// A clean, trivial case: as a GoogleTest test it passes in a few iterations.
RACESTRESS_CASE(CaseFixture, Registered, RegisteredState)
    .Iterations(10)
    .Outcome(Equals(1), Expect::kAcceptable, "the arbiter's constant");

TEST(Case, RegisteredCaseIsFoundByFullNameWithItsLocation) {
  const internal::CaseBase* c = internal::FindCase("CaseFixture.Registered");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->config().file, __FILE__);
  EXPECT_EQ(c->config().line, kRegisteredLine);
  EXPECT_EQ(c->config().iterations, 10);
  EXPECT_EQ(c->ActorCount(), 2);
  ASSERT_EQ(c->config().outcomes.size(), 1u);
  EXPECT_EQ(c->config().outcomes[0].description, "the arbiter's constant");
}

TEST(Case, FindCaseOfAnUnknownNameIsNull) {
  EXPECT_EQ(internal::FindCase("CaseFixture.NoSuchCase"), nullptr);
  EXPECT_EQ(internal::FindCase("CaseFixture"), nullptr);
  EXPECT_EQ(internal::FindCase(""), nullptr);
}

}  // namespace
}  // namespace racestress
