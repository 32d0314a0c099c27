#include "harness/report/outcome_table.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/outcome.h"

namespace racestress::internal {
namespace {

// How many histogram rows to print; the JSON report has them all.
constexpr size_t kMaxPrintedOutcomes = 12;

}  // namespace

std::string OutcomeTable(const CaseReport& report) {
  if (report.skipped || report.outcomes.empty()) return "";
  int64_t total = 0;
  size_t width = 6;
  for (const auto& o : report.outcomes) {
    total += o.count;
    width = std::max(width, std::min<size_t>(o.value.size(), 40));
  }
  // Below 10 ms the millisecond clock is too coarse for a rate worth printing.
  std::string table =
      report.elapsed_ms >= 10
          ? absl::StrFormat("  %d iterations in %.2f s (%.0f/s)\n", report.iterations,
                            report.elapsed_ms / 1000.0,
                            report.iterations * 1000.0 / report.elapsed_ms)
          : absl::StrFormat("  %d iterations in %d ms\n", report.iterations,
                            report.elapsed_ms);
  if (!report.note.empty()) absl::StrAppend(&table, "  ", report.note, "\n");
  absl::StrAppendFormat(&table, "  %-*s %12s %8s  %-11s  %s\n", static_cast<int>(width),
                        "RESULT", "SAMPLES", "FREQ", "EXPECT", "DESCRIPTION");
  for (size_t i = 0; i < report.outcomes.size() && i < kMaxPrintedOutcomes; ++i) {
    const auto& o = report.outcomes[i];
    absl::StrAppendFormat(&table, "  %-*s %12d %7.2f%%  %-11s  %s\n", static_cast<int>(width),
                          o.value.substr(0, 40), o.count, 100.0 * o.count / total,
                          ExpectName(o.grade), o.description);
  }
  if (report.outcomes.size() > kMaxPrintedOutcomes) {
    absl::StrAppendFormat(&table, "  (%d more distinct values; --json lists them all)\n",
                          report.outcomes.size() - kMaxPrintedOutcomes);
  }
  return table;
}

}  // namespace racestress::internal
