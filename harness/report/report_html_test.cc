// ReportHtml: one self-contained page, a section per case (its repetitions
// drawn together), the histogram's bars, a racy case's detection curve, the
// replay line, and every string escaped. (Runner.HtmlReportRendersInChromium
// renders a real run's page in a browser.)

#include "harness/report/report_html.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& what) {
  return std::vector<std::string>(absl::StrSplit(text, what)).size() - 1;
}

CaseReport Racy(int64_t detected_at) {
  CaseReport r;
  r.name = "Counter.LostUpdateRacy";
  r.racy = true;
  r.passed = true;
  r.iterations = detected_at + 1;
  r.outcomes = {{"500000", detected_at, Expect::kAcceptable, "every increment counted"},
                {"41 <lost>", 1, Expect::kForbidden, "an increment was lost"}};
  r.first_failure =
      Finding{.iteration = detected_at, .kind = Symptom::kLostUpdate, .detail = "lost"};
  r.replay = "racestress --gtest_filter=Counter.LostUpdateRacy --replay=0x2a:7";
  r.message = "Counter.LostUpdateRacy: flagged as expected";
  return r;
}

TEST(ReportHtml, IsOneSelfContainedPage) {
  const std::string html = ReportHtml(0x2a, "tsan", {Racy(3)});
  EXPECT_THAT(html, HasSubstr("<!doctype html>"));
  EXPECT_THAT(html, HasSubstr("seed 0x000000000000002a, preset tsan"));
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr(" src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
}

TEST(ReportHtml, RepetitionsOfACaseAreOneSectionWithADetectionCurve) {
  const std::string html = ReportHtml(0x2a, "tsan", {Racy(0), Racy(4), Racy(9)});
  EXPECT_EQ(Count(html, "<section class=\"case"), 1u);
  EXPECT_THAT(html, HasSubstr("data-verdict=\"passed\""));
  EXPECT_THAT(html, HasSubstr("3 runs"));
  EXPECT_THAT(html, HasSubstr("Detected in 3 of 3 runs; iterations to the first detection: "
                              "median 5, worst 10."));
  EXPECT_THAT(html, HasSubstr("<polyline points="));
  // The histogram adds the runs up: 0 + 4 + 9 of one value, 3 of the other.
  EXPECT_THAT(html, HasSubstr("data-value=\"500000\" data-count=\"13\""));
  EXPECT_THAT(html, HasSubstr("<g class=\"bar forbidden\" data-value=\"41 &lt;lost&gt;\" "
                              "data-count=\"3\""));
  EXPECT_THAT(html, HasSubstr("<pre class=\"replay\">racestress --gtest_filter="
                              "Counter.LostUpdateRacy --replay=0x2a:7</pre>"));
}

TEST(ReportHtml, AFailedRunFailsTheCaseAndShowsItsMessage) {
  CaseReport missed = Racy(0);
  missed.passed = false;
  missed.first_failure.reset();
  missed.replay.clear();
  missed.message = "Counter.LostUpdateRacy: declared racy, but <nothing> was flagged";
  const std::string html = ReportHtml(1, "stress", {Racy(2), missed});
  EXPECT_THAT(html, HasSubstr("data-verdict=\"failed\""));
  EXPECT_THAT(html, HasSubstr("but &lt;nothing&gt; was flagged"));
  EXPECT_THAT(html, HasSubstr("Detected in 1 of 2 runs"));
}

TEST(ReportHtml, TheFirstFindingIsNamedInPlainWords) {
  CaseReport race = Racy(5);
  race.first_failure = Finding{.iteration = 5, .kind = Symptom::kRace,
                               .detail = "lock-order inversion",
                               .tsan_kind = TsanKind::kLockOrderInversion};
  EXPECT_THAT(ReportHtml(1, "tsan", {race}),
              HasSubstr("<p class=\"finding\" data-kind=\"race\" "
                        "data-report-kind=\"lock-order-inversion\">First finding: lock-order "
                        "inversion, iteration 5</p>"));
  EXPECT_THAT(ReportHtml(1, "tsan", {Racy(2)}),
              HasSubstr("<p class=\"finding\" data-kind=\"lost_update\">First finding: lost "
                        "update, iteration 2</p>"));
}

TEST(ReportHtml, ACleanCaseHasNoDetectionCurve) {
  CaseReport clean;
  clean.name = "Counter.LostUpdateAtomic";
  clean.passed = true;
  clean.outcomes = {{"500000", 12, Expect::kAcceptable, "every increment counted"}};
  const std::string html = ReportHtml(1, "tsan", {clean});
  EXPECT_THAT(html, HasSubstr("fixed (clean) case"));
  EXPECT_THAT(html, Not(HasSubstr("<polyline")));
  EXPECT_THAT(html, Not(HasSubstr("class=\"replay\"")));
  EXPECT_THAT(html, Not(HasSubstr("class=\"finding\"")));
}

}  // namespace
}  // namespace racestress::internal
