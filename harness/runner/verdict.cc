#include "harness/runner/verdict.h"

#include <algorithm>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "harness/core/judging.h"
#include "harness/core/seed.h"

namespace racestress::internal {
namespace {

std::string Describe(const Finding& f) {
  std::string where = f.iteration >= 0 ? absl::StrCat("iteration ", f.iteration)
                                       : std::string("the case's process");
  switch (f.kind) {
    case Symptom::kRace:
      // The detail names the kind; for one racestress does not know, it is
      // TSan's own key.
      return absl::StrCat(where, ": ThreadSanitizer reported a ",
                          f.tsan_kind == TsanKind::kUnknown
                              ? absl::StrCat(TsanKindName(TsanKind::kUnknown), ": ")
                              : "",
                          f.detail, " (its report, with its stacks, is printed above)");
    case Symptom::kLostUpdate:
    case Symptom::kForbidden:
      return absl::StrCat(where, " gave ", f.detail);
    case Symptom::kCrash:
      return absl::StrCat(where, ": crash: ", f.detail);
    default:
      return absl::StrCat(where, ": ", SymptomName(f.kind), ": ", f.detail);
  }
}

std::string AcceptableOutcomes(const CaseConfig& config) {
  std::string out;
  for (const auto& row : config.outcomes) {
    if (row.grade == Expect::kForbidden) continue;
    absl::StrAppend(&out, out.empty() ? "" : "; ", row.matcher, " (", row.description, ")");
  }
  return out;
}

// The report's facts before any judging: the case, the run's size, its
// outcomes graded by their rows and sorted most frequent first.
CaseReport ReportOf(const CaseConfig& config, const CaseRun& run, const RunOptions& options) {
  CaseReport report;
  report.name = config.FullName();
  report.file = config.file;
  report.line = config.line;
  report.racy = config.racy;
  report.first_iteration = options.first_iteration;
  report.iterations = run.iterations;
  report.elapsed_ms = run.elapsed_ms;
  report.note = run.note;
  for (const auto& entry : run.outcomes) {
    OutcomeCount outcome{entry.value, entry.count, Expect::kForbidden,
                         "no declared outcome matches"};
    if (entry.row >= 0 && entry.row < static_cast<int>(config.outcomes.size())) {
      outcome.grade = config.outcomes[entry.row].grade;
      outcome.description = config.outcomes[entry.row].description;
    }
    report.outcomes.push_back(std::move(outcome));
  }
  std::stable_sort(report.outcomes.begin(), report.outcomes.end(),
                   [](const auto& a, const auto& b) { return a.count > b.count; });
  return report;
}

// Counts the run's races, hangs and crashes into `report`; every symptom seen.
Symptom CountFindings(const CaseRun& run, CaseReport& report) {
  Symptom observed = Symptom::kNone;
  for (const auto& f : run.findings) {
    observed = observed | f.kind;
    report.races += f.kind == Symptom::kRace;
    report.hangs += f.kind == Symptom::kHang;
    report.crashes += f.kind == Symptom::kCrash;
  }
  return observed;
}

// "N iterations in S s", with the engine's note.
std::string Budget(const CaseRun& run) {
  std::string budget =
      absl::StrFormat("%d iterations in %.1f s", run.iterations, run.elapsed_ms / 1000.0);
  if (!run.note.empty()) absl::StrAppend(&budget, " (", run.note, ")");
  return budget;
}

// The races of `run` of kinds `c` does not declare, in the order they came
// (none if it declares no kinds, or races do not count here).
std::vector<const Finding*> UndeclaredRaces(const CaseBase& c, const CaseRun& run) {
  std::vector<const Finding*> races;
  if (c.config().race_kinds.empty() || !Any(CountedSymptoms(c) & Symptom::kRace)) return races;
  for (const auto& f : run.findings) {
    if (f.kind == Symptom::kRace && !CountsForRacyCase(c, f)) races.push_back(&f);
  }
  return races;
}

// "found data race, which is not among the declared kinds (lock-order
// inversion)", each kind found named once.
std::string FoundUndeclared(const CaseConfig& config, const std::vector<const Finding*>& races) {
  std::vector<TsanKind> found;
  for (const Finding* f : races) {
    if (std::find(found.begin(), found.end(), f->tsan_kind) == found.end()) {
      found.push_back(f->tsan_kind);
    }
  }
  return absl::StrCat("found ", RaceKindsName(found, " and "),
                      found.size() == 1 ? ", which is" : ", which are",
                      " not among the declared kinds (", RaceKindsName(config.race_kinds, ", "),
                      ")");
}

// A racy case passes on its first finding that counts here (a declared
// symptom; for a race, of a declared kind).
void JudgeRacy(const CaseBase& c, const CaseRun& run, Symptom observed,
               const std::string& budget, CaseReport& report) {
  for (const auto& f : run.findings) {
    if (CountsForRacyCase(c, f)) {
      report.first_failure = f;
      break;
    }
  }
  report.passed = report.first_failure.has_value();
  if (report.passed) {
    report.message = absl::StrCat(report.name, ": flagged as expected (",
                                  FindingName(*report.first_failure), ") after ", budget,
                                  ": ", Describe(*report.first_failure));
    return;
  }
  report.message = absl::StrCat(report.name, ": declared racy (",
                                SymptomsName(c.config(), CountedSymptoms(c)), " required), but ",
                                budget);
  if (const auto undeclared = UndeclaredRaces(c, run); !undeclared.empty()) {
    report.first_failure = *undeclared.front();
    absl::StrAppend(&report.message, " ", FoundUndeclared(c.config(), undeclared), ": ",
                    Describe(*report.first_failure));
    return;
  }
  absl::StrAppend(&report.message, " showed ", Any(observed) ? SymptomName(observed) : "neither");
  if (!run.findings.empty()) report.first_failure = run.findings.front();
}

// A clean case passes when it finished with nothing flagged.
void JudgeClean(const CaseConfig& config, const CaseRun& run, const RunOptions& options,
                const std::string& budget, CaseReport& report) {
  // Clean means tried: a run that ended before its first iteration proves
  // nothing, whatever cut it short.
  report.passed = run.findings.empty() && run.finished && run.iterations > 0;
  if (!run.findings.empty()) report.first_failure = run.findings.front();
  if (report.passed) {
    report.message = absl::StrCat(report.name, ": clean after ", budget);
    return;
  }
  report.message = absl::StrCat(
      report.name, ": ",
      report.first_failure ? Describe(*report.first_failure)
      : run.finished       ? "ran no iteration, so nothing was tested"
                           : "the case did not finish");
  if (!config.outcomes.empty()) {
    absl::StrAppend(&report.message, "\n  expected: ", AcceptableOutcomes(config));
  }
  absl::StrAppend(&report.message, "\n  seen in ", budget, ", seed ",
                  FormatSeed(options.run_seed));
  for (size_t i = 1; i < run.findings.size() && i < 6; ++i) {
    absl::StrAppend(&report.message, "\n  also: ", Describe(run.findings[i]));
  }
}

}  // namespace

namespace {

// `flags` ("--engine=controlled --strategy=pct") spelled for this binary:
// racestress's own spelling of each flag where the binary has one of that
// short name itself.
std::string SpelledForThisBinary(absl::string_view flags) {
  std::vector<std::string> spelled;
  for (absl::string_view token : absl::StrSplit(flags, ' ', absl::SkipEmpty())) {
    std::string out(token);
    for (size_t f = 0; f < std::size(kFlagNames); ++f) {
      const std::string plain = absl::StrCat("--", kFlagNames[f].name, "=");
      if (absl::StartsWith(token, plain)) {
        out = absl::StrCat(FlagSpelling(static_cast<Flag>(f)), "=",
                           token.substr(plain.size()));
        break;
      }
    }
    spelled.push_back(std::move(out));
  }
  return absl::StrJoin(spelled, " ");
}

}  // namespace

std::string ReplayCommand(const std::string& self, const std::string& name,
                          uint64_t run_seed, int64_t iteration, absl::string_view flags) {
  // GoogleTest runs a DISABLED_ test only when asked to.
  const bool disabled = absl::StrContains(name, "DISABLED_");
  return absl::StrCat(self, " --gtest_filter=", name,
                      disabled ? " --gtest_also_run_disabled_tests" : "", " ",
                      FlagSpelling(Flag::kReplay), "=", FormatSeed(run_seed), ":",
                      std::max<int64_t>(iteration, 0), flags.empty() ? "" : " ",
                      SpelledForThisBinary(flags));
}

CaseReport Skipped(const CaseBase& c, const std::string& reason) {
  CaseReport report;
  report.name = c.config().FullName();
  report.file = c.config().file;
  report.line = c.config().line;
  report.racy = c.config().racy;
  report.passed = true;
  report.skipped = true;
  report.message = absl::StrCat(report.name, ": skipped: ", reason);
  return report;
}

CaseReport Judge(const CaseBase& c, const CaseRun& run, const RunOptions& options,
                 const std::string& self) {
  const CaseConfig& config = c.config();
  CaseReport report = ReportOf(config, run, options);
  const Symptom observed = CountFindings(run, report);
  const std::string budget = Budget(run);
  if (config.racy) {
    JudgeRacy(c, run, observed, budget, report);
  } else {
    JudgeClean(config, run, options, budget, report);
  }
  if (report.first_failure) {
    report.replay = ReplayCommand(self, config.TestName(), options.run_seed,
                                  report.first_failure->iteration,
                                  report.first_failure->replay_flags);
    absl::StrAppend(&report.message, "\n  replay: ", report.replay);
  }
  return report;
}

}  // namespace racestress::internal
