#include "harness/report/report_html.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/core/finding.h"
#include "harness/core/seed.h"
#include "harness/outcome.h"

namespace racestress::internal {
namespace {

// Outcome rows drawn per case; the JSON report has them all.
constexpr size_t kMaxBars = 12;

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// One case's reports, in the order its repetitions ran.
struct CaseRuns {
  std::string name;
  std::vector<const CaseReport*> runs;
};

std::vector<CaseRuns> GroupByCase(const std::vector<CaseReport>& reports) {
  std::vector<CaseRuns> cases;
  std::map<std::string, size_t> index;
  for (const CaseReport& r : reports) {
    auto [it, inserted] = index.try_emplace(r.name, cases.size());
    if (inserted) cases.push_back({r.name, {}});
    cases[it->second].runs.push_back(&r);
  }
  return cases;
}

const char* Verdict(const CaseRuns& c) {
  bool all_skipped = true;
  for (const CaseReport* r : c.runs) {
    if (!r->passed) return "failed";
    all_skipped = all_skipped && r->skipped;
  }
  return all_skipped ? "skipped" : "passed";
}

std::string Histogram(const CaseRuns& c) {
  std::map<std::string, OutcomeCount> merged;
  for (const CaseReport* r : c.runs) {
    for (const OutcomeCount& o : r->outcomes) {
      auto [it, inserted] = merged.try_emplace(o.value, o);
      if (!inserted) it->second.count += o.count;
    }
  }
  if (merged.empty()) return "<p class=\"none\">No outcomes recorded.</p>\n";
  std::vector<OutcomeCount> rows;
  int64_t total = 0;
  for (auto& [value, o] : merged) {
    rows.push_back(o);
    total += o.count;
  }
  std::sort(rows.begin(), rows.end(), [](const OutcomeCount& a, const OutcomeCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  const size_t shown = std::min(rows.size(), kMaxBars);
  const int64_t most = rows.front().count;
  constexpr int kRow = 24, kLabel = 260, kBar = 300;
  std::string svg = absl::StrFormat(
      "<svg class=\"histogram\" role=\"img\" width=\"760\" height=\"%d\" "
      "aria-label=\"outcome histogram\">\n",
      static_cast<int>(shown) * kRow + 4);
  for (size_t i = 0; i < shown; ++i) {
    const OutcomeCount& o = rows[i];
    const int y = static_cast<int>(i) * kRow;
    const double width = std::max(1.0, kBar * static_cast<double>(o.count) / most);
    const std::string label =
        o.value.size() > 36 ? o.value.substr(0, 35) + "\xe2\x80\xa6" : o.value;  // "..."
    absl::StrAppendFormat(
        &svg,
        "<g class=\"bar %s\" data-value=\"%s\" data-count=\"%d\"><title>%s: %d (%s)</title>"
        "<text x=\"0\" y=\"%d\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\"/>"
        "<text x=\"%.1f\" y=\"%d\">%d (%.2f%%) %s</text></g>\n",
        ExpectName(o.grade), Escape(o.value), o.count, Escape(o.value), o.count,
        Escape(o.description), y + 15, Escape(label), kLabel, y + 3, width,
        kLabel + width + 6, y + 15, o.count, 100.0 * o.count / total, ExpectName(o.grade));
  }
  svg += "</svg>\n";
  if (shown < rows.size()) {
    absl::StrAppend(&svg, "<p class=\"none\">", rows.size() - shown,
                    " more outcomes in the JSON report.</p>\n");
  }
  return svg;
}

// The share of runs that had found the bug by each number of iterations:
// a step curve over a logarithmic iteration axis.
std::string DetectionCurve(const CaseRuns& c) {
  std::vector<int64_t> found;
  int runs = 0;
  for (const CaseReport* r : c.runs) {
    if (r->skipped) continue;
    ++runs;
    if (r->passed && r->first_failure) {
      found.push_back(std::max<int64_t>(1, r->first_failure->iteration - r->first_iteration + 1));
    }
  }
  if (runs == 0) return "";
  std::sort(found.begin(), found.end());
  std::string text = absl::StrFormat("<p class=\"detection-summary\">Detected in %d of %d run%s",
                                     found.size(), runs, runs == 1 ? "" : "s");
  if (!found.empty()) {
    absl::StrAppendFormat(&text, "; iterations to the first detection: median %d, worst %d",
                          found[found.size() / 2], found.back());
  }
  text += ".</p>\n";
  if (found.empty()) return text;
  constexpr int kWidth = 600, kHeight = 160, kLeft = 50, kTop = 10;
  const double max_log = std::max(1.0, std::log10(static_cast<double>(found.back())) + 0.2);
  auto x = [&](int64_t iterations) {
    return kLeft + kWidth * std::log10(static_cast<double>(iterations)) / max_log;
  };
  auto y = [&](double share) { return kTop + kHeight * (1.0 - share); };
  std::string points = absl::StrFormat("%.1f,%.1f", x(1), y(0));
  for (size_t i = 0; i < found.size(); ++i) {
    const double before = static_cast<double>(i) / runs;
    const double after = static_cast<double>(i + 1) / runs;
    absl::StrAppendFormat(&points, " %.1f,%.1f %.1f,%.1f", x(found[i]), y(before), x(found[i]),
                          y(after));
  }
  absl::StrAppendFormat(&points, " %.1f,%.1f", static_cast<double>(kLeft + kWidth),
                        y(static_cast<double>(found.size()) / runs));
  absl::StrAppendFormat(
      &text,
      "<svg class=\"detection\" role=\"img\" width=\"%d\" height=\"%d\" "
      "aria-label=\"detection curve\">\n"
      "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
      "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\"/>\n"
      "<text x=\"0\" y=\"%.1f\">100%%</text><text x=\"0\" y=\"%.1f\">0%%</text>"
      "<text x=\"%d\" y=\"%d\">1</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d "
      "iterations (log)</text>\n"
      "<polyline points=\"%s\"/>\n</svg>\n",
      kLeft + kWidth + 20, kTop + kHeight + 30, kLeft, y(0), kLeft + kWidth, y(0), kLeft, kTop,
      kLeft, y(0), y(1) + 5, y(0), kLeft, kTop + kHeight + 20, kLeft + kWidth,
      kTop + kHeight + 20, static_cast<int64_t>(std::pow(10.0, max_log)), points);
  return text;
}

// What the shown run found first, in words ("lock-order inversion"), with
// its symptom's key and, for a race, TSan's key as data for a script.
std::string FirstFinding(const CaseReport& shown) {
  if (!shown.first_failure) return "";
  const Finding& f = *shown.first_failure;
  return absl::StrCat("<p class=\"finding\" data-kind=\"", SymptomKey(f.kind), "\"",
                      f.kind == Symptom::kRace
                          ? absl::StrCat(" data-report-kind=\"", TsanKindKey(f.tsan_kind), "\"")
                          : "",
                      ">First finding: ", Escape(FindingName(f)),
                      f.iteration >= 0 ? absl::StrCat(", iteration ", f.iteration) : "", "</p>\n");
}

constexpr char kStyle[] = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.15em; margin-bottom: 0.2em; }
.meta, .none { color: #666; }
section.case { border-left: 6px solid #999; padding: 0.2em 1em 0.8em; margin: 1.2em 0; }
section.passed { border-color: #2a7d2a; } section.failed { border-color: #c0392b; }
section.skipped { border-color: #aaa; color: #666; }
.verdict { font-size: 0.8em; padding: 0.1em 0.5em; border-radius: 3px; color: #fff;
           background: #999; margin-left: 0.5em; }
.passed .verdict { background: #2a7d2a; } .failed .verdict { background: #c0392b; }
svg text { font: 12px monospace; fill: #222; }
.bar rect { fill: #4a78b5; } .bar.forbidden rect { fill: #c0392b; }
.bar.interesting rect { fill: #d49a00; }
.detection polyline { fill: none; stroke: #4a78b5; stroke-width: 2; }
.detection .axis { stroke: #888; }
pre { background: #f4f4f4; padding: 0.5em; white-space: pre-wrap; word-break: break-all; }
)";

// Counts the verdicts the page shows, as the reader sees them: a check that
// the page rendered, for the headless-browser test, and a summary line.
constexpr char kScript[] = R"(
(function () {
  var cases = document.querySelectorAll('section.case');
  var counts = {passed: 0, failed: 0, skipped: 0};
  cases.forEach(function (c) { counts[c.dataset.verdict]++; });
  document.getElementById('summary').textContent =
      cases.length + ' cases: ' + counts.passed + ' passed, ' + counts.failed +
      ' failed, ' + counts.skipped + ' skipped';
  document.body.dataset.rendered = 'yes';
})();
)";

}  // namespace

std::string ReportHtml(uint64_t run_seed, const std::string& preset,
                       const std::vector<CaseReport>& reports) {
  std::string html = absl::StrCat(
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>racestress report</title>\n<style>",
      kStyle, "</style>\n</head>\n<body>\n<h1>racestress report</h1>\n<p class=\"meta\">seed ",
      FormatSeed(run_seed), ", preset ", Escape(preset),
      "; rerun with <code>--seed=", FormatSeed(run_seed), "</code></p>\n<p id=\"summary\"></p>\n");
  for (const CaseRuns& c : GroupByCase(reports)) {
    const CaseReport& first = *c.runs.front();
    const char* verdict = Verdict(c);
    int64_t iterations = 0, elapsed_ms = 0;
    for (const CaseReport* r : c.runs) {
      iterations += r->iterations;
      elapsed_ms += r->elapsed_ms;
    }
    absl::StrAppend(&html, "<section class=\"case ", verdict, "\" data-verdict=\"", verdict,
                    "\" data-name=\"", Escape(c.name), "\">\n<h2>", Escape(c.name),
                    "<span class=\"verdict\">", verdict, "</span></h2>\n");
    absl::StrAppendFormat(&html,
                          "<p class=\"meta\">%s case; %d run%s, %d iterations in %.2f s</p>\n",
                          first.racy ? "racy" : "fixed (clean)", c.runs.size(),
                          c.runs.size() == 1 ? "" : "s", iterations, elapsed_ms / 1000.0);
    const CaseReport* failing = nullptr;
    for (const CaseReport* r : c.runs) {
      if (!r->passed) failing = failing != nullptr ? failing : r;
    }
    const CaseReport& shown = failing != nullptr ? *failing : first;
    absl::StrAppend(&html, FirstFinding(shown), "<pre class=\"message\">", Escape(shown.message),
                    "</pre>\n");
    if (!first.skipped) {
      absl::StrAppend(&html, "<h3>Outcomes</h3>\n", Histogram(c));
      if (first.racy) absl::StrAppend(&html, "<h3>Detection</h3>\n", DetectionCurve(c));
    }
    const CaseReport* replayable = nullptr;
    for (const CaseReport* r : c.runs) {
      if (!r->replay.empty() && (replayable == nullptr || (!r->passed && replayable->passed))) {
        replayable = r;
      }
    }
    if (replayable != nullptr) {
      absl::StrAppend(&html, "<h3>Replay</h3>\n<pre class=\"replay\">", Escape(replayable->replay),
                      "</pre>\n");
    }
    html += "</section>\n";
  }
  absl::StrAppend(&html, "<script>", kScript, "</script>\n</body>\n</html>\n");
  return html;
}

}  // namespace racestress::internal
