// -----------------------------------------------------------------------------
// harness/outcome_test.cc
// -----------------------------------------------------------------------------
//
// Matchers, their descriptions (printed in reports), and the names of
// symptoms and grades.

#include "harness/outcome.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace racestress {
namespace {

// -----------------------------------------------------------------------------
// Matchers

TEST(Outcome, EqualsMatchesExactlyItsValue) {
  const auto m = Equals(int64_t{500000});
  EXPECT_TRUE(m(int64_t{500000}));
  EXPECT_FALSE(m(int64_t{499999}));
  EXPECT_FALSE(m(int64_t{-500000}));
  EXPECT_EQ(m.Describe(), "500000");
}

TEST(Outcome, EqualsComparesAcrossArbiterTypes) {
  // The arbiter's type need only compare with the matcher's value.
  EXPECT_TRUE(Equals(2)(int64_t{2}));
  EXPECT_TRUE(Equals(std::string("a b"))("a b"));
  EXPECT_FALSE(Equals(std::string("a b"))("a  b"));
}

TEST(Outcome, EqualsDescribesBooleansAsWords) {
  EXPECT_EQ(Equals(true).Describe(), "true");
  EXPECT_EQ(Equals(false).Describe(), "false");
  EXPECT_TRUE(Equals(false)(false));
  EXPECT_FALSE(Equals(false)(true));
}

TEST(Outcome, OneOfMatchesAnyListedValueAndNothingElse) {
  const auto m = OneOf({1, 2, 3});
  EXPECT_TRUE(m(1));
  EXPECT_TRUE(m(3));
  EXPECT_FALSE(m(0));
  EXPECT_FALSE(m(4));
  EXPECT_EQ(m.Describe(), "one of {1, 2, 3}");
}

TEST(Outcome, OneOfSingleAndStringValuesDescribeThemselves) {
  EXPECT_EQ(OneOf({7}).Describe(), "one of {7}");
  const auto m = OneOf({std::string("ab"), std::string("ba")});
  EXPECT_TRUE(m(std::string("ba")));
  EXPECT_FALSE(m(std::string("aa")));
  EXPECT_EQ(m.Describe(), "one of {ab, ba}");
}

TEST(Outcome, WhereMatchesWhatItsPredicateAcceptsAndSaysSo) {
  const auto m = Where("at most 2 at once", [](int v) { return v <= 2; });
  EXPECT_TRUE(m(0));
  EXPECT_TRUE(m(2));
  EXPECT_FALSE(m(3));
  EXPECT_EQ(m.Describe(), "at most 2 at once");
}

TEST(Outcome, OtherwiseMatchesAnything) {
  const auto m = Otherwise();
  EXPECT_TRUE(m(0));
  EXPECT_TRUE(m(std::string("anything")));
  EXPECT_TRUE(m(false));
  EXPECT_EQ(m.Describe(), "anything else");
}

TEST(Outcome, FormatValuePrintsNumbersStringsAndBooleans) {
  EXPECT_EQ(FormatValue(int64_t{-42}), "-42");
  EXPECT_EQ(FormatValue(std::string("x y")), "x y");
  EXPECT_EQ(FormatValue(true), "true");
  EXPECT_EQ(FormatValue(1.5), "1.5");
}

// -----------------------------------------------------------------------------
// Symptoms and grades

TEST(Symptom, OperatorsCombineAndTestBits) {
  constexpr Symptom both = Symptom::kRace | Symptom::kLostUpdate;
  static_assert(Any(both & Symptom::kRace));
  static_assert(Any(both & Symptom::kLostUpdate));
  static_assert(!Any(both & Symptom::kHang));
  static_assert(!Any(Symptom::kNone));
  EXPECT_EQ(static_cast<uint32_t>(both), 3u);
}

TEST(Symptom, NameOfOneSymptom) {
  EXPECT_EQ(SymptomName(Symptom::kRace), "data race");
  EXPECT_EQ(SymptomName(Symptom::kLostUpdate), "lost update");
  EXPECT_EQ(SymptomName(Symptom::kForbidden), "forbidden outcome");
  EXPECT_EQ(SymptomName(Symptom::kHang), "hang");
  EXPECT_EQ(SymptomName(Symptom::kCrash), "crash");
}

TEST(Symptom, NameOfACombinationJoinsWithOr) {
  EXPECT_EQ(SymptomName(Symptom::kRace | Symptom::kLostUpdate), "data race or lost update");
  // The order is fixed, whatever the order of the operands.
  EXPECT_EQ(SymptomName(Symptom::kLostUpdate | Symptom::kRace), "data race or lost update");
  EXPECT_EQ(SymptomName(Symptom::kHang | Symptom::kRace), "data race or hang");
  EXPECT_EQ(SymptomName(Symptom::kRace | Symptom::kLostUpdate | Symptom::kForbidden |
                        Symptom::kHang | Symptom::kCrash),
            "data race or lost update or forbidden outcome or hang or crash");
}

TEST(Symptom, NameOfNoSymptomIsNothing) {
  EXPECT_EQ(SymptomName(Symptom::kNone), "nothing");
  // Bits no symptom uses name nothing either.
  EXPECT_EQ(SymptomName(static_cast<Symptom>(1u << 20)), "nothing");
}

TEST(Expect, NamesTheThreeGrades) {
  EXPECT_STREQ(ExpectName(Expect::kAcceptable), "acceptable");
  EXPECT_STREQ(ExpectName(Expect::kInteresting), "interesting");
  EXPECT_STREQ(ExpectName(Expect::kForbidden), "forbidden");
}

}  // namespace
}  // namespace racestress
