// -----------------------------------------------------------------------------
// harness/runner/protocol_test.cc
// -----------------------------------------------------------------------------
//
// The child-to-runner protocol, end to end: what ProtocolSink writes to a
// pipe, ParseProtocolLine reads back unchanged; what is not protocol is
// rejected.

#include "harness/runner/protocol.h"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

using ::testing::HasSubstr;

// A pipe whose write end a test hands to a ProtocolSink.
class Pipe {
 public:
  Pipe() { valid_ = pipe(fds_) == 0; }
  ~Pipe() {
    CloseWriteEnd();
    if (valid_) close(fds_[0]);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  bool valid() const { return valid_; }
  int write_fd() const { return fds_[1]; }
  void CloseWriteEnd() {
    if (valid_ && fds_[1] >= 0) close(fds_[1]);
    fds_[1] = -1;
  }
  // Everything written so far, once the write end is closed. Tests write far
  // less than a pipe buffer, so writing never blocks on the reader.
  std::string ReadAll() {
    CloseWriteEnd();
    std::string out;
    char chunk[4096];
    for (ssize_t n; (n = read(fds_[0], chunk, sizeof(chunk))) > 0;) {
      out.append(chunk, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
  bool valid_ = false;
};

// Parses every line of `text`; each must be protocol.
CaseRun ParseAll(const std::string& text) {
  CaseRun run;
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n') << "the last line is unterminated";
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(ParseProtocolLine(line, run)) << "rejected: " << line;
  }
  return run;
}

// -----------------------------------------------------------------------------
// Findings

TEST(Protocol, FindingDetailsSurviveTheRoundTripUnchanged) {
  const std::vector<std::string> details = {
      "data-race",
      "blocked in Mutex::Lock at a.cc:12; actor 1 (iteration 3) last seen at b.cc:7",
      "back\\slash \\n not-a-newline \\101 \\x41",
      "line one\nline two\r\n\ttabbed",
      "caf\xc3\xa9 \xe2\x9c\x93 \xff\x80 raw high bytes",
      "\\x1f then deadbeef 0xABCDEF \\0 12 7f",
      std::string("embedded\0nul", 12),
      "",
      " leading and trailing spaces ",
  };
  Pipe pipe;
  ASSERT_TRUE(pipe.valid());
  ProtocolSink sink(pipe.write_fd());
  for (size_t i = 0; i < details.size(); ++i) {
    sink.OnFinding(FindingView{static_cast<int64_t>(i) - 1, Symptom::kHang, details[i]});
  }
  const CaseRun run = ParseAll(pipe.ReadAll());
  ASSERT_EQ(run.findings.size(), details.size());
  for (size_t i = 0; i < details.size(); ++i) {
    EXPECT_EQ(run.findings[i].detail, details[i]) << "finding " << i;
    EXPECT_EQ(run.findings[i].iteration, static_cast<int64_t>(i) - 1);
    EXPECT_EQ(run.findings[i].kind, Symptom::kHang);
  }
  EXPECT_FALSE(run.finished);
}

TEST(Protocol, FindingKindsAndIterationsSurvive) {
  Pipe pipe;
  ASSERT_TRUE(pipe.valid());
  WriteFindingLine(pipe.write_fd(), FindingView{0, Symptom::kRace, "data-race"});
  WriteFindingLine(pipe.write_fd(), FindingView{123456789012, Symptom::kLostUpdate, "499731"});
  WriteFindingLine(pipe.write_fd(), FindingView{-1, Symptom::kCrash, "SIGSEGV (invalid memory access)"});
  const CaseRun run = ParseAll(pipe.ReadAll());
  ASSERT_EQ(run.findings.size(), 3u);
  EXPECT_EQ(run.findings[0].kind, Symptom::kRace);
  EXPECT_EQ(run.findings[1].kind, Symptom::kLostUpdate);
  EXPECT_EQ(run.findings[1].iteration, 123456789012);
  EXPECT_EQ(run.findings[2].kind, Symptom::kCrash);
  EXPECT_EQ(run.findings[2].iteration, -1);
  EXPECT_EQ(run.findings[2].detail, "SIGSEGV (invalid memory access)");
}

TEST(Protocol, ARacesReportKindSurvivesAndNoOtherFindingHasOne) {
  Pipe pipe;
  ASSERT_TRUE(pipe.valid());
  const TsanKind kinds[] = {TsanKind::kDataRace, TsanKind::kLockOrderInversion,
                            TsanKind::kHeapUseAfterFree, TsanKind::kMutexHeldInWrongContext,
                            TsanKind::kUnknown};
  for (TsanKind kind : kinds) {
    WriteFindingLine(pipe.write_fd(), FindingView{.iteration = 2, .kind = Symptom::kRace,
                                                  .detail = "seen", .tsan_kind = kind});
  }
  // A kind on a finding that is no race is not the protocol's to carry.
  WriteFindingLine(pipe.write_fd(), FindingView{.iteration = 3, .kind = Symptom::kHang,
                                                .detail = "stuck",
                                                .tsan_kind = TsanKind::kDataRace});
  const std::string text = pipe.ReadAll();
  EXPECT_THAT(text, HasSubstr("finding 2 1 lock-order-inversion stress "));
  EXPECT_THAT(text, HasSubstr("finding 3 8 - stress "));
  const CaseRun run = ParseAll(text);
  ASSERT_EQ(run.findings.size(), std::size(kinds) + 1);
  for (size_t i = 0; i < std::size(kinds); ++i) {
    EXPECT_EQ(run.findings[i].tsan_kind, kinds[i]) << TsanKindKey(kinds[i]);
    EXPECT_EQ(run.findings[i].detail, "seen");
  }
  EXPECT_EQ(run.findings.back().tsan_kind, TsanKind::kUnknown);
  EXPECT_EQ(run.findings.back().detail, "stuck");
}

TEST(Protocol, AReportKindOfANewerTsanParsesAsUnknown) {
  CaseRun run;
  EXPECT_TRUE(ParseProtocolLine("finding 4 1 mutex-held-on-mars stress - - x", run));
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].kind, Symptom::kRace);
  EXPECT_EQ(run.findings[0].tsan_kind, TsanKind::kUnknown);
}

TEST(Protocol, FindingEngineStrategyAndReplayFlagsSurvive) {
  Pipe pipe;
  ASSERT_TRUE(pipe.valid());
  WriteFindingLine(pipe.write_fd(),
                   FindingView{7, Symptom::kHang, "deadlock at step 4", EngineKind::kControlled,
                               "pct", "--engine=controlled --strategy=pct --pct_depth=2"});
  WriteFindingLine(pipe.write_fd(), FindingView{3, Symptom::kRace, "data race"});
  const CaseRun run = ParseAll(pipe.ReadAll());
  ASSERT_EQ(run.findings.size(), 2u);
  EXPECT_EQ(run.findings[0].engine, EngineKind::kControlled);
  EXPECT_EQ(run.findings[0].strategy, "pct");
  EXPECT_EQ(run.findings[0].replay_flags, "--engine=controlled --strategy=pct --pct_depth=2");
  EXPECT_EQ(run.findings[0].detail, "deadlock at step 4");
  EXPECT_EQ(run.findings[1].engine, EngineKind::kStress);
  EXPECT_EQ(run.findings[1].strategy, "");
  EXPECT_EQ(run.findings[1].replay_flags, "");
}

TEST(Protocol, OverlongFindingIsOneLineWithinPipeBufAndParses) {
  // Escaped, 2000 spaces need 8000 bytes: more than one atomic write holds.
  const std::string detail(2000, ' ');
  Pipe pipe;
  ASSERT_TRUE(pipe.valid());
  WriteFindingLine(pipe.write_fd(), FindingView{1, Symptom::kHang, detail});
  const std::string text = pipe.ReadAll();
  EXPECT_LE(text.size(), static_cast<size_t>(PIPE_BUF));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  const CaseRun run = ParseAll(text);
  ASSERT_EQ(run.findings.size(), 1u);
  // Truncated, but never in the middle of an escape.
  EXPECT_FALSE(run.findings[0].detail.empty());
  EXPECT_EQ(run.findings[0].detail, detail.substr(0, run.findings[0].detail.size()));
}

// -----------------------------------------------------------------------------
// Outcomes and the done line

TEST(Protocol, OutcomesAndDoneSurviveTheRoundTrip) {
  EngineResult result;
  result.iterations = 1234;
  result.elapsed_ms = 567;
  result.final_stride = 64;
  result.outcomes = {
      {"500000", 1000, 0},
      {"", 7, 1},
      {"two words", 3, 2},
      {"tab\there\nnewline \\ backslash", 2, 3},
      {"caf\xc3\xa9", 1, kUndeclaredRow},
  };
  Pipe pipe;
  ASSERT_TRUE(pipe.valid());
  ProtocolSink sink(pipe.write_fd());
  sink.Finish(result);
  const CaseRun run = ParseAll(pipe.ReadAll());

  ASSERT_EQ(run.outcomes.size(), result.outcomes.size());
  for (size_t i = 0; i < result.outcomes.size(); ++i) {
    EXPECT_EQ(run.outcomes[i].value, result.outcomes[i].value) << "outcome " << i;
    EXPECT_EQ(run.outcomes[i].count, result.outcomes[i].count) << "outcome " << i;
    EXPECT_EQ(run.outcomes[i].row, result.outcomes[i].row) << "outcome " << i;
  }
  EXPECT_TRUE(run.finished);
  EXPECT_EQ(run.iterations, 1234);
  EXPECT_EQ(run.elapsed_ms, 567);
  EXPECT_EQ(run.stride, 64);
  EXPECT_TRUE(run.findings.empty());
}

TEST(Protocol, FindingsBeforeDoneKeepTheirOrder) {
  Pipe pipe;
  ASSERT_TRUE(pipe.valid());
  ProtocolSink sink(pipe.write_fd());
  sink.OnFinding(FindingView{4, Symptom::kForbidden, "first"});
  sink.OnFinding(FindingView{2, Symptom::kRace, "second"});
  sink.Finish(EngineResult{.iterations = 5, .elapsed_ms = 1, .final_stride = 1});
  const CaseRun run = ParseAll(pipe.ReadAll());
  ASSERT_EQ(run.findings.size(), 2u);
  EXPECT_EQ(run.findings[0].detail, "first");
  EXPECT_EQ(run.findings[1].detail, "second");
  EXPECT_TRUE(run.finished);
  EXPECT_EQ(run.iterations, 5);
}

TEST(Protocol, ProgressLinesCarryTheIterationsSoFar) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  WriteProgressLine(fds[1], 12345);
  close(fds[1]);
  char buffer[64] = {};
  const ssize_t n = read(fds[0], buffer, sizeof(buffer) - 1);
  close(fds[0]);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)), "progress 12345\n");
  CaseRun run;
  EXPECT_TRUE(ParseProtocolLine("progress 12345", run));
  EXPECT_EQ(run.progress, 12345);
  EXPECT_FALSE(run.finished);
  EXPECT_FALSE(ParseProtocolLine("progress twelve", run));
}

TEST(Protocol, HandWrittenLinesParse) {
  CaseRun run;
  EXPECT_TRUE(ParseProtocolLine("outcome 5 0 ", run));
  EXPECT_TRUE(ParseProtocolLine("outcome 6 -1 a\\040b", run));
  EXPECT_TRUE(ParseProtocolLine("finding 3 8 - stress - - blocked\\040here", run));
  EXPECT_TRUE(ParseProtocolLine("done 10 20 4", run));
  ASSERT_EQ(run.outcomes.size(), 2u);
  EXPECT_EQ(run.outcomes[0].value, "");
  EXPECT_EQ(run.outcomes[0].count, 5);
  EXPECT_EQ(run.outcomes[1].value, "a b");
  EXPECT_EQ(run.outcomes[1].row, kUndeclaredRow);
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].detail, "blocked here");
  EXPECT_EQ(run.findings[0].kind, Symptom::kHang);
  EXPECT_TRUE(run.finished);
  EXPECT_EQ(run.iterations, 10);
  EXPECT_EQ(run.elapsed_ms, 20);
  EXPECT_EQ(run.stride, 4);
}

// -----------------------------------------------------------------------------
// What is not protocol

TEST(Protocol, GarbageLinesAreRejectedAndChangeNothing) {
  for (absl::string_view line : {
           "",
           " ",
           "hello world",
           "ThreadSanitizer: data race (pid=123)",
           "finding",
           "finding 1 2",
           "finding 3 8 stress - - the report kind is missing",
           "finding x 1 detail",
           "finding 1 x detail",
           "finding 1 99999999999 detail",
           "outcome",
           "outcome 5",
           "outcome x 0 value",
           "outcome 5 y value",
           "done",
           "done 1 2",
           "done 1 2 x",
           "done a b c",
           "Finding 1 2 detail",
           "DONE 1 2 3",
       }) {
    CaseRun run;
    EXPECT_FALSE(ParseProtocolLine(line, run)) << "accepted: '" << line << "'";
    EXPECT_TRUE(run.findings.empty()) << line;
    EXPECT_TRUE(run.outcomes.empty()) << line;
    EXPECT_FALSE(run.finished) << line;
    EXPECT_EQ(run.iterations, 0) << line;
  }
}

}  // namespace
}  // namespace racestress::internal
