// -----------------------------------------------------------------------------
// harness/runner/verdict_kinds_test.cc
// -----------------------------------------------------------------------------
//
// The kinds of TSan report in a verdict: every race is named by its kind; a
// racy case that declares kinds (RaceKinds()) passes only on a report of one
// of them, and fails naming what it found instead. Hand-built runs, as in
// verdict_test.cc.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/case.h"
#include "harness/core/judging.h"
#include "harness/runner/test_support.h"
#include "harness/runner/verdict.h"
#include "harness/tsan/tsan_reports.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSelf[] = "/path/to/racestress";

struct TwoLocks {
  void Worker(int /*thread_index*/) {}
};

TypedCase<TwoLocks> Case() { return TypedCase<TwoLocks>("Kinds", "Case", "kinds.cc", 3); }

RunOptions Options() {
  RunOptions options;
  options.run_seed = 0x2a;
  return options;
}

// The verdict on a case declared `.Racy(symptoms).RaceKinds(kinds)` (no
// RaceKinds() call for no kinds) after a run that found `findings`.
CaseReport JudgeRacy(Symptom symptoms, std::initializer_list<TsanKind> kinds,
                     std::vector<Finding> findings) {
  TypedCase<TwoLocks> c = Case();
  c.Racy(symptoms);
  if (kinds.size() > 0) c.RaceKinds(kinds);
  CaseRun run = FinishedRun(10);
  run.findings = std::move(findings);
  return Judge(c, run, Options(), kSelf);
}

// Races count for a racy case only where TSan runs: the racy verdicts on
// races below are a tsan build's.
constexpr char kTsanOnly[] = "races count for a racy case under ThreadSanitizer only";

TEST(VerdictKinds, ACleanCaseNamesTheKindOfItsRace) {
  CaseRun run = FinishedRun(10);
  run.findings.push_back(RaceFinding(3, TsanKind::kLockOrderInversion));
  run.findings.push_back(RaceFinding(4, TsanKind::kHeapUseAfterFree));
  const CaseReport report = Judge(Case(), run, Options(), kSelf);
  EXPECT_FALSE(report.passed);
  EXPECT_EQ(report.races, 2);
  EXPECT_THAT(report.message,
              HasSubstr("iteration 3: ThreadSanitizer reported a lock-order inversion (its "));
  EXPECT_THAT(report.message,
              HasSubstr("also: iteration 4: ThreadSanitizer reported a heap use after free"));
  EXPECT_THAT(report.message, Not(HasSubstr("data race")));
}

TEST(VerdictKinds, AKindRacestressDoesNotKnowIsNamedByTsansKey) {
  CaseRun run = FinishedRun(10);
  Finding race = RaceFinding(1, TsanKind::kUnknown);
  race.detail = "mutex-held-on-mars";  // the detail of such a race: TSan's key
  run.findings.push_back(race);
  const CaseReport report = Judge(Case(), run, Options(), kSelf);
  EXPECT_THAT(report.message,
              HasSubstr("ThreadSanitizer reported a report of a kind racestress does not know: "
                        "mutex-held-on-mars (its report"));
}

TEST(VerdictKinds, ARacyCaseThatDeclaresNoKindPassesOnAnyKind) {
  if (!kTsanEnabled) GTEST_SKIP() << kTsanOnly;
  const CaseReport report =
      JudgeRacy(Symptom::kRace, {}, {RaceFinding(2, TsanKind::kThreadLeak)});
  EXPECT_TRUE(report.passed) << report.message;
  EXPECT_THAT(report.message, HasSubstr("flagged as expected (thread leak)"));
  EXPECT_THAT(report.message, HasSubstr("ThreadSanitizer reported a thread leak"));
}

TEST(VerdictKinds, ARacyCasePassesOnlyOnADeclaredKind) {
  if (!kTsanEnabled) GTEST_SKIP() << kTsanOnly;
  const CaseReport report =
      JudgeRacy(Symptom::kRace, {TsanKind::kLockOrderInversion},
                {RaceFinding(2, TsanKind::kDataRace),
                 RaceFinding(5, TsanKind::kLockOrderInversion)});
  EXPECT_TRUE(report.passed) << report.message;
  ASSERT_TRUE(report.first_failure.has_value());
  EXPECT_EQ(report.first_failure->iteration, 5);
  EXPECT_THAT(report.message, HasSubstr("flagged as expected (lock-order inversion)"));
}

TEST(VerdictKinds, ARacyCaseFailsOnAnotherKindSayingWhichItFound) {
  if (!kTsanEnabled) GTEST_SKIP() << kTsanOnly;
  const CaseReport report = JudgeRacy(Symptom::kRace, {TsanKind::kLockOrderInversion},
                                      {RaceFinding(2, TsanKind::kDataRace)});
  EXPECT_FALSE(report.passed);
  EXPECT_THAT(report.message, HasSubstr("declared racy (lock-order inversion required)"));
  EXPECT_THAT(report.message, HasSubstr("found data race, which is not among the declared "
                                        "kinds (lock-order inversion): iteration 2: "
                                        "ThreadSanitizer reported a data race"));
  // What it found is what to replay.
  ASSERT_TRUE(report.first_failure.has_value());
  EXPECT_EQ(report.first_failure->iteration, 2);
  EXPECT_THAT(report.replay, HasSubstr(":2"));
}

TEST(VerdictKinds, EveryUndeclaredKindFoundIsNamedOnce) {
  if (!kTsanEnabled) GTEST_SKIP() << kTsanOnly;
  const CaseReport report =
      JudgeRacy(Symptom::kRace, {TsanKind::kLockOrderInversion, TsanKind::kThreadLeak},
                {RaceFinding(1, TsanKind::kDataRace), RaceFinding(2, TsanKind::kHeapUseAfterFree),
                 RaceFinding(3, TsanKind::kDataRace)});
  EXPECT_FALSE(report.passed);
  EXPECT_THAT(report.message,
              HasSubstr("declared racy (lock-order inversion or thread leak required)"));
  EXPECT_THAT(report.message,
              HasSubstr("found data race and heap use after free, which are not among the "
                        "declared kinds (lock-order inversion, thread leak)"));
}

TEST(VerdictKinds, DeclaredKindsLeaveTheOtherSymptomsAsTheyAre) {
  // A hang counts in every build.
  Finding hang;
  hang.iteration = 4;
  hang.kind = Symptom::kHang;
  hang.detail = "deadlock";
  const CaseReport report =
      JudgeRacy(Symptom::kRace | Symptom::kHang, {TsanKind::kLockOrderInversion}, {hang});
  EXPECT_TRUE(report.passed) << report.message;
  EXPECT_THAT(report.message, HasSubstr("flagged as expected (hang)"));
}

TEST(VerdictKinds, TheExpectationNamesTheDeclaredKinds) {
  TypedCase<TwoLocks> c = Case();
  c.Racy(Symptom::kRace | Symptom::kHang);
  EXPECT_EQ(SymptomsName(c.config(), Symptom::kRace | Symptom::kHang), "data race or hang");
  c.RaceKinds({TsanKind::kLockOrderInversion, TsanKind::kDoubleLock});
  EXPECT_EQ(SymptomsName(c.config(), Symptom::kRace | Symptom::kHang),
            "lock-order inversion or double lock of a mutex or hang");
  EXPECT_EQ(SymptomsName(c.config(), Symptom::kHang), "hang");
}

TEST(VerdictKinds, KindsOnACaseThatIsNotRacyWithARaceAreADeclarationError) {
  TypedCase<TwoLocks> c = Case();
  EXPECT_EQ(DeclarationError(c.config()), "");
  c.RaceKinds({TsanKind::kHeapUseAfterFree});
  EXPECT_THAT(DeclarationError(c.config()),
              HasSubstr("Kinds.Case: .RaceKinds() names heap use after free, but the case is "
                        "not declared racy with Symptom::kRace"));
  c.Racy(Symptom::kHang);
  EXPECT_THAT(DeclarationError(c.config()), HasSubstr("one of them is wrong"));
  c.Racy(Symptom::kHang | Symptom::kRace);
  EXPECT_EQ(DeclarationError(c.config()), "");
}

}  // namespace
}  // namespace racestress::internal
