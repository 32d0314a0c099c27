#include "harness/report/report_json.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/core/seed.h"
#include "harness/outcome.h"

namespace racestress::internal {
namespace {

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// [{"value", "count", "class"}, ...]
std::string OutcomesJson(const std::vector<OutcomeCount>& outcomes) {
  std::string out = "[";
  for (size_t j = 0; j < outcomes.size(); ++j) {
    absl::StrAppend(&out, j == 0 ? "" : ", ", "{\"value\": ", Quote(outcomes[j].value),
                    ", \"count\": ", outcomes[j].count,
                    ", \"class\": ", Quote(ExpectName(outcomes[j].grade)), "}");
  }
  return out + "]";
}

// {"iteration", "kind", "report_kind", "detail", "replay"} or null.
std::string FirstFailureJson(const CaseReport& c) {
  if (!c.first_failure) return "null";
  const Finding& f = *c.first_failure;
  return absl::StrCat("{\"iteration\": ", f.iteration, ", \"kind\": ", Quote(SymptomKey(f.kind)),
                      ", \"report_kind\": ",
                      f.kind == Symptom::kRace ? Quote(TsanKindKey(f.tsan_kind)) : "null",
                      ", \"detail\": ", Quote(f.detail),
                      ", \"replay\": ", Quote(c.replay), "}");
}

std::string CaseJson(const CaseReport& c) {
  return absl::StrCat("{\"name\": ", Quote(c.name),
                      ", \"expectation\": ", Quote(c.racy ? "racy" : "clean"),
                      ", \"passed\": ", c.passed ? "true" : "false",
                      ", \"skipped\": ", c.skipped ? "true" : "false",
                      ", \"iterations\": ", c.iterations, ", \"elapsed_ms\": ", c.elapsed_ms,
                      ", \"races\": ", c.races, ", \"hangs\": ", c.hangs,
                      ", \"crashes\": ", c.crashes, ", \"outcomes\": ", OutcomesJson(c.outcomes),
                      ", \"first_failure\": ", FirstFailureJson(c), "}");
}

}  // namespace

std::string ReportJson(const ReportRun& run, const std::vector<CaseReport>& cases) {
  std::string out = absl::StrCat(
      "{\"seed\": ", Quote(FormatSeed(run.seed)), ", \"preset\": ", Quote(run.preset),
      ", \"engine\": ", Quote(run.engine), ", \"engine_flags\": ", Quote(run.engine_flags),
      ", \"iteration_budget\": ", run.iteration_budget,
      ", \"time_budget\": ", Quote(absl::FormatDuration(run.time_budget)),
      ", \"replay\": ", run.replay.empty() ? "null" : Quote(run.replay),
      ", \"shard\": {\"index\": ", run.shard.index, ", \"total\": ", run.shard.total, "}");
  absl::StrAppend(&out, ", \"cases\": [");
  for (size_t i = 0; i < cases.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "\n  " : ",\n  ", CaseJson(cases[i]));
  }
  absl::StrAppend(&out, "\n]}\n");
  return out;
}

}  // namespace racestress::internal
