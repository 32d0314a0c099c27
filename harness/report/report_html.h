// -----------------------------------------------------------------------------
// harness/report/report_html.h
// -----------------------------------------------------------------------------
//
// The report to look at (--html=PATH): one self-contained HTML file (inline
// style, inline SVG, one inline script; nothing fetched), with per case its
// verdict, the outcome histogram as a bar chart, for a racy case run several
// times (--gtest_repeat) the detection curve (the share of runs that had
// found the bug by each iteration count), and the replay command of the first
// failure. The reports of one case's repetitions are drawn together.
//
// Thread safety: a pure function.

#ifndef RACESTRESS_HARNESS_REPORT_REPORT_HTML_H_
#define RACESTRESS_HARNESS_REPORT_REPORT_HTML_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/case_report.h"

namespace racestress::internal {

std::string ReportHtml(uint64_t run_seed, const std::string& preset,
                       const std::vector<CaseReport>& reports);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_REPORT_REPORT_HTML_H_
