// -----------------------------------------------------------------------------
// harness/core/finding_test.cc
// -----------------------------------------------------------------------------
//
// FindingFilter: what it passes on to the sink, and what it has found, a race
// by its kind (what stops a racy case that declares kinds).

#include "harness/core/finding.h"

#include <vector>

#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

class Collect final : public FindingSink {
 public:
  void OnFinding(const FindingView& finding) override { seen.push_back(finding.ToFinding()); }
  std::vector<Finding> seen;
};

FindingView Race(TsanKind kind) {
  return FindingView{.iteration = 1, .kind = Symptom::kRace, .detail = TsanKindName(kind),
                     .tsan_kind = kind};
}

TEST(FindingFilter, EveryRaceIsPassedOnWithItsKind) {
  Collect sink;
  FindingFilter filter(sink);
  filter.Flag(Race(TsanKind::kDataRace));
  filter.Flag(Race(TsanKind::kLockOrderInversion));
  ASSERT_EQ(sink.seen.size(), 2u);
  EXPECT_EQ(sink.seen[0].tsan_kind, TsanKind::kDataRace);
  EXPECT_EQ(sink.seen[1].tsan_kind, TsanKind::kLockOrderInversion);
  EXPECT_EQ(FindingName(sink.seen[1]), "lock-order inversion");
}

TEST(FindingFilter, ARaceIsFoundForDeclaredKindsOnlyWhenOfOneOfThem) {
  Collect sink;
  FindingFilter filter(sink);
  const std::vector<TsanKind> declared = {TsanKind::kLockOrderInversion};
  filter.Flag(Race(TsanKind::kDataRace));
  EXPECT_TRUE(filter.Found(Symptom::kRace));
  EXPECT_FALSE(filter.Found(Symptom::kRace, declared));
  EXPECT_FALSE(filter.Found(Symptom::kRace | Symptom::kHang, declared));
  filter.Flag(Race(TsanKind::kLockOrderInversion));
  EXPECT_TRUE(filter.Found(Symptom::kRace, declared));
}

TEST(FindingFilter, DeclaredKindsDoNotHideOtherSymptoms) {
  Collect sink;
  FindingFilter filter(sink);
  const std::vector<TsanKind> declared = {TsanKind::kHeapUseAfterFree};
  filter.Flag(FindingView{.iteration = 2, .kind = Symptom::kHang, .detail = "stuck"});
  EXPECT_TRUE(filter.Found(Symptom::kRace | Symptom::kHang, declared));
  EXPECT_FALSE(filter.Found(Symptom::kRace, declared));
}

TEST(FindingFilter, ClassifiesTsansKeys) {
  const RaceReport known = ClassifyTsanReport("heap-use-after-free");
  EXPECT_EQ(known.kind, TsanKind::kHeapUseAfterFree);
  EXPECT_EQ(known.detail, "heap use after free");
  // A key of a newer TSan is kept as the detail: nothing else says it.
  const RaceReport newer = ClassifyTsanReport("mutex-held-on-mars");
  EXPECT_EQ(newer.kind, TsanKind::kUnknown);
  EXPECT_EQ(newer.detail, "mutex-held-on-mars");
  EXPECT_EQ(ClassifyTsanReport(nullptr).kind, TsanKind::kUnknown);
}

}  // namespace
}  // namespace racestress::internal
