// -----------------------------------------------------------------------------
// harness/report/report_json_test.cc
// -----------------------------------------------------------------------------
//
// The JSON report: its documented keys, its escaping, its symptom keys.
// (The file writes are atomic_file_test.cc's.)

#include "harness/report/report_json.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

CaseReport FailedReport() {
  CaseReport report;
  report.name = "Counter.LostUpdateMutex";
  report.racy = false;
  report.passed = false;
  report.iterations = 20;
  report.elapsed_ms = 2000;
  report.races = 1;
  report.hangs = 2;
  report.crashes = 3;
  report.outcomes = {{"500000", 19, Expect::kAcceptable, "every increment counted"},
                     {"499731", 1, Expect::kForbidden, "lost update under a mutex"}};
  report.first_failure = Finding{.iteration = 7,
                                 .kind = Symptom::kLostUpdate,
                                 .detail = "499731, graded \"forbidden\"\nsee above"};
  report.replay = "./racestress --gtest_filter=Counter.LostUpdateMutex --replay=0x2a:7";
  return report;
}

// -----------------------------------------------------------------------------
// ReportJson

TEST(ReportJson, ContainsEveryDocumentedKey) {
  CaseReport racy;
  racy.name = "Counter.LostUpdateRacy";
  racy.racy = true;
  racy.passed = true;
  const std::string json = ReportJson({.seed = 0x2a, .preset = "tsan"}, {FailedReport(), racy});
  for (const char* key :
       {"\"seed\": \"0x000000000000002a\"", "\"preset\": \"tsan\"", "\"cases\": [",
        "\"name\": \"Counter.LostUpdateMutex\"", "\"expectation\": \"clean\"",
        "\"expectation\": \"racy\"", "\"passed\": false", "\"passed\": true",
        "\"skipped\": false", "\"iterations\": 20", "\"elapsed_ms\": 2000", "\"races\": 1",
        "\"hangs\": 2", "\"crashes\": 3", "\"outcomes\": [", "\"value\": \"500000\"",
        "\"count\": 19", "\"class\": \"forbidden\"", "\"first_failure\": {",
        "\"iteration\": 7", "\"kind\": \"lost_update\"", "\"report_kind\": null",
        "\"detail\": ",
        "\"replay\": \"./racestress --gtest_filter=Counter.LostUpdateMutex --replay=0x2a:7\"",
        "\"first_failure\": null", "\"engine\": \"stress\"", "\"engine_flags\": ",
        "\"iteration_budget\": 0", "\"time_budget\": ", "\"replay\": null",
        "\"shard\": {\"index\": 0, \"total\": 1}"}) {
    EXPECT_THAT(json, HasSubstr(key));
  }
}

TEST(ReportJson, KindIsTheSymptomsKeyAndClassTheGradesName) {
  struct Expected {
    Symptom kind;
    const char* json;
  };
  for (const Expected& e : {Expected{Symptom::kRace, "\"kind\": \"race\""},
                            Expected{Symptom::kLostUpdate, "\"kind\": \"lost_update\""},
                            Expected{Symptom::kForbidden, "\"kind\": \"forbidden\""},
                            Expected{Symptom::kHang, "\"kind\": \"hang\""},
                            Expected{Symptom::kCrash, "\"kind\": \"crash\""},
                            Expected{Symptom::kNone, "\"kind\": \"unknown\""},
                            Expected{Symptom::kRace | Symptom::kHang, "\"kind\": \"unknown\""}}) {
    CaseReport report = FailedReport();
    report.first_failure->kind = e.kind;
    EXPECT_THAT(ReportJson({.seed = 1, .preset = "tsan"}, {report}), HasSubstr(e.json))
        << SymptomName(e.kind);
  }
  CaseReport report = FailedReport();
  report.outcomes = {{"1", 3, Expect::kInteresting, "reordered"}};
  EXPECT_THAT(ReportJson({.seed = 1, .preset = "tsan"}, {report}),
              HasSubstr("\"outcomes\": [{\"value\": \"1\", \"count\": 3, "
                        "\"class\": \"interesting\"}]"));
}

TEST(ReportJson, OneCaseInFull) {
  CaseReport report = FailedReport();
  report.outcomes.resize(1);
  report.first_failure->detail = "lost";
  const ReportRun run = {.seed = 0x2a,
                         .preset = "stress",
                         .engine = "controlled",
                         .engine_flags = "--strategy=random --max_steps=99",
                         .iteration_budget = 90,
                         .time_budget = absl::Seconds(2),
                         .shard = {1, 2}};
  EXPECT_EQ(ReportJson(run, {report}),
            "{\"seed\": \"0x000000000000002a\", \"preset\": \"stress\", "
            "\"engine\": \"controlled\", \"engine_flags\": \"--strategy=random "
            "--max_steps=99\", \"iteration_budget\": 90, \"time_budget\": \"2s\", "
            "\"replay\": null, \"shard\": {\"index\": 1, \"total\": 2}, \"cases\": [\n"
            "  {\"name\": \"Counter.LostUpdateMutex\", \"expectation\": \"clean\", "
            "\"passed\": false, \"skipped\": false, \"iterations\": 20, \"elapsed_ms\": 2000, "
            "\"races\": 1, \"hangs\": 2, \"crashes\": 3, \"outcomes\": [{\"value\": "
            "\"500000\", \"count\": 19, \"class\": \"acceptable\"}], \"first_failure\": "
            "{\"iteration\": 7, \"kind\": \"lost_update\", \"report_kind\": null, "
            "\"detail\": \"lost\", \"replay\": "
            "\"./racestress --gtest_filter=Counter.LostUpdateMutex --replay=0x2a:7\"}}\n"
            "]}\n");
}

TEST(ReportJson, ARaceKeepsItsFamilyInKindAndSaysWhichReportInReportKind) {
  for (TsanKind kind : {TsanKind::kDataRace, TsanKind::kLockOrderInversion,
                        TsanKind::kHeapUseAfterFree, TsanKind::kUnknown}) {
    CaseReport report = FailedReport();
    report.first_failure = Finding{.iteration = 3, .kind = Symptom::kRace,
                                   .detail = TsanKindName(kind), .tsan_kind = kind};
    EXPECT_THAT(ReportJson({.seed = 1, .preset = "tsan"}, {report}),
                HasSubstr(absl::StrCat("\"kind\": \"race\", \"report_kind\": \"",
                                       TsanKindKey(kind), "\", \"detail\": \"",
                                       TsanKindName(kind), "\"")));
  }
  // Only a race has a report kind, whatever a finding's field holds.
  CaseReport hang = FailedReport();
  hang.first_failure->kind = Symptom::kHang;
  hang.first_failure->tsan_kind = TsanKind::kDataRace;
  EXPECT_THAT(ReportJson({.seed = 1, .preset = "tsan"}, {hang}),
              HasSubstr("\"kind\": \"hang\", \"report_kind\": null"));
}

TEST(ReportJson, AnUnshardedRunSaysSoAndAReplayGivesItsToken) {
  // Every report says which run it is, so one merges as itself
  // (scripts/merge_shards.py) and a replay is not merged with its shards.
  EXPECT_THAT(ReportJson({.seed = 1, .preset = "tsan"}, {}),
              HasSubstr("\"engine\": \"stress\", \"engine_flags\": \"\", "
                        "\"iteration_budget\": 0, \"time_budget\": \"0\", \"replay\": null, "
                        "\"shard\": {\"index\": 0, \"total\": 1}, \"cases\": ["));
  EXPECT_THAT(ReportJson({.seed = 1, .preset = "tsan", .replay = "0x2a:17"}, {}),
              HasSubstr("\"replay\": \"0x2a:17\", "));
}

TEST(ReportJson, EscapesQuotesBackslashesNewlinesAndControlCharacters) {
  CaseReport report = FailedReport();
  report.name = "Weird.\"Name\"\\";
  report.first_failure->detail = "say \"hi\"\nthen\ttab\x01 end";
  const std::string json = ReportJson({.seed = 1, .preset = "stress"}, {report});
  EXPECT_THAT(json, HasSubstr("\"name\": \"Weird.\\\"Name\\\"\\\\\""));
  EXPECT_THAT(json, HasSubstr("\"detail\": \"say \\\"hi\\\"\\nthen\\ttab\\u0001 end\""));
  // No raw newline inside any string: every line of the output is structural.
  EXPECT_THAT(json, Not(HasSubstr("\nthen")));
  EXPECT_THAT(json, Not(HasSubstr("\x01")));
}

TEST(ReportJson, EmptyRunIsAnObjectWithNoCases) {
  const std::string json = ReportJson({.preset = "stress"}, {});
  EXPECT_THAT(json, HasSubstr("\"cases\": ["));
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.substr(json.size() - 3), "]}\n");
  EXPECT_THAT(json, Not(HasSubstr("\"name\"")));
}

TEST(ReportJson, BracketsAndBracesBalanceOutsideStrings) {
  const std::string json =
      ReportJson({.seed = 3, .preset = "tsan"}, {FailedReport(), FailedReport()});
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    ASSERT_GE(depth, 0) << "at offset " << i;
  }
  EXPECT_FALSE(in_string);
  EXPECT_EQ(depth, 0);
}

}  // namespace
}  // namespace racestress::internal
