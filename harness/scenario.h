// -----------------------------------------------------------------------------
// scenario.h
// -----------------------------------------------------------------------------
//
// A scenario is a case written inline, inside an ordinary GoogleTest TEST, in
// one call around lambdas: a state, the actors that share it, an arbiter that
// reads the outcome. The assertion runs it exactly as the runner runs a
// registered case (many iterations under the engine, in a child process of
// its own, under ThreadSanitizer in a tsan build) and prints the same
// verdict, outcome histogram and replay line.
//
//   TEST(HitCounter, ConcurrentHitsAreCounted) {
//     EXPECT_RACE_FREE(
//         racestress::Scenario<HitCounter>([](HitCounter& c) { return c.Hits(); })
//             .Actor([](HitCounter& c) { c.Hit(); }, /*copies=*/2)
//             .Outcome(racestress::Equals(2), racestress::Expect::kAcceptable,
//                      "both hits counted")
//             .Outcome(racestress::Otherwise(), racestress::Expect::kForbidden,
//                      "a hit was lost", racestress::Symptom::kLostUpdate));
//   }
//
// EXPECT_RACE_FREE(scenario) fails the test on any race, forbidden outcome,
// hang or crash. EXPECT_RACE_DETECTED(scenario) fails it unless the harness
// flags the bug within the budget: a race (a ThreadSanitizer report of one of
// the kinds `.RaceKinds({TsanKind::k...})` names, if it names any), or one of
// the symptoms its forbidden outcomes declare (`.Racy(symptoms)` names
// others, e.g. a hang).
// Under a build without ThreadSanitizer a scenario whose only symptom is a
// race is skipped, saying so. ASSERT_RACE_FREE / ASSERT_RACE_DETECTED also
// end the test on failure. All four take `<<` messages like EXPECT_TRUE.
//
// The scenario builder is the one RACESTRESS_CASE returns (case.h): `.Actor`,
// `.Threads`, `.Outcome`, `.RaceKinds`, `.Iterations`, `.TimeBudget`,
// `.HangTimeout`. Each
// iteration default-constructs a fresh `State`. The arbiter is State::Result()
// when no lambda is given.
//
// The binary's main must be racestress's (link racestress::gtest_main instead
// of GTest::gtest_main): it parses --seed, --replay, --iterations, --engine,
// --json ... and runs each scenario's child. The child is this binary again,
// running only the enclosing test up to the scenario, as a GoogleTest
// "threadsafe" death test does; code before the scenario runs again there.
// The replay line names the enclosing test (`--gtest_filter=Suite.Test
// --replay=S:I`); a test's second scenario is reported as "Suite.Test#2".
//
// Thread safety: call from the test's own thread. The actors run on the
// engine's threads; the arbiter after every actor of the iteration finished.

#ifndef RACESTRESS_HARNESS_SCENARIO_H_
#define RACESTRESS_HARNESS_SCENARIO_H_

#include <string>
#include <type_traits>
#include <utility>

#include "gtest/gtest.h"
#include "harness/case.h"

namespace racestress {

// Scenario<State>()
//
// A scenario over `State`, judged by State::Result() (or by nothing, when it
// declares no outcomes).
template <typename State>
TypedCase<State> Scenario() {
  static_assert(std::is_default_constructible_v<State>,
                "a scenario's State must be default-constructible: every "
                "iteration starts from a fresh one");
  return TypedCase<State>("", "", "", 0);
}

// Scenario<State>(arbiter)
//
// A scenario over `State`, judged by `arbiter(State&)`: its value is what the
// outcomes match and the histogram counts.
template <typename State, typename Arbiter>
TypedCase<State, std::decay_t<std::invoke_result_t<Arbiter, State&>>> Scenario(
    Arbiter arbiter) {
  static_assert(std::is_default_constructible_v<State>,
                "a scenario's State must be default-constructible: every "
                "iteration starts from a fresh one");
  return TypedCase<State, std::decay_t<std::invoke_result_t<Arbiter, State&>>>(
      "", "", "", 0, std::move(arbiter));
}

namespace internal {

// What a scenario assertion reports back to its macro.
struct ScenarioVerdict {
  bool passed = true;
  std::string message;  // the verdict, histogram included; empty if passed
};

// Runs `scenario` as a clean (`racy` false) or racy case of the current test
// and judges it; `macro` names the assertion in its own error messages.
// Defined in harness/gtest/scenario.cc.
ScenarioVerdict RunScenario(CaseBase& scenario, bool racy, const char* macro, const char* file,
                            int line);

// Binds a scenario built in the assertion's argument (a temporary).
template <typename Built>
ScenarioVerdict RunScenarioArgument(Built&& scenario, bool racy, const char* macro,
                                    const char* file, int line) {
  CaseBase& base = scenario;
  return RunScenario(base, racy, macro, file, line);
}

}  // namespace internal
}  // namespace racestress

#define RACESTRESS_SCENARIO_ASSERT_(scenario, racy, macro, on_failure)          \
  GTEST_AMBIGUOUS_ELSE_BLOCKER_                                                 \
  if (const ::racestress::internal::ScenarioVerdict racestress_verdict_ =       \
          ::racestress::internal::RunScenarioArgument((scenario), (racy), macro, \
                                                      __FILE__, __LINE__);      \
      racestress_verdict_.passed)                                               \
    ;                                                                           \
  else                                                                          \
    on_failure(racestress_verdict_.message.c_str())

// EXPECT_RACE_FREE(scenario) / ASSERT_RACE_FREE(scenario)
//
// Fails unless every iteration of `scenario` was clean: no race, no forbidden
// outcome, no hang, no crash.
#define EXPECT_RACE_FREE(scenario) \
  RACESTRESS_SCENARIO_ASSERT_(scenario, false, "EXPECT_RACE_FREE", GTEST_NONFATAL_FAILURE_)
#define ASSERT_RACE_FREE(scenario) \
  RACESTRESS_SCENARIO_ASSERT_(scenario, false, "ASSERT_RACE_FREE", GTEST_FATAL_FAILURE_)

// EXPECT_RACE_DETECTED(scenario) / ASSERT_RACE_DETECTED(scenario)
//
// Fails unless the harness flagged `scenario`'s bug within its budget.
#define EXPECT_RACE_DETECTED(scenario) \
  RACESTRESS_SCENARIO_ASSERT_(scenario, true, "EXPECT_RACE_DETECTED", GTEST_NONFATAL_FAILURE_)
#define ASSERT_RACE_DETECTED(scenario) \
  RACESTRESS_SCENARIO_ASSERT_(scenario, true, "ASSERT_RACE_DETECTED", GTEST_FATAL_FAILURE_)

#endif  // RACESTRESS_HARNESS_SCENARIO_H_
