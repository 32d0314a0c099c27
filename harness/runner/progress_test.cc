// ProgressLine: a live line on a terminal, plain lines at an interval
// elsewhere, nothing for a case too short to need either.

#include "harness/runner/progress.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// An in-memory FILE, read back as a string.
class Captured {
 public:
  Captured() : file_(open_memstream(&data_, &size_)) {}
  ~Captured() {
    fclose(file_);
    free(data_);
  }
  FILE* file() { return file_; }
  std::string text() {
    fflush(file_);
    return std::string(data_, size_);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  FILE* file_;
};

const absl::Time kStart = absl::FromUnixSeconds(1000);

TEST(ProgressLine, OnATerminalRewritesOneLineAndErasesIt) {
  Captured out;
  {
    ProgressLine line("Suite.Name", out.file(), /*terminal=*/true, absl::Seconds(10), kStart);
    line.Update(1000, 0, kStart + absl::Seconds(1));
    line.Update(3000, 1, kStart + absl::Seconds(2));
    const std::string shown = out.text();
    EXPECT_THAT(shown, HasSubstr("\r\033[K[ running  ] Suite.Name: 1000 iterations, 1000/s, "
                                 "0 findings, 1.0 s"));
    EXPECT_THAT(shown, HasSubstr("\r\033[K[ running  ] Suite.Name: 3000 iterations, 1500/s, "
                                 "1 finding, 2.0 s"));
    EXPECT_THAT(shown, Not(HasSubstr("\n")));  // one line, rewritten in place
  }
  EXPECT_THAT(out.text(), EndsWith("\r\033[K"));  // erased when the case ends
}

TEST(ProgressLine, OnATerminalAShortCaseShowsNothing) {
  Captured out;
  {
    ProgressLine line("Suite.Name", out.file(), /*terminal=*/true, absl::Seconds(10), kStart);
    line.Update(10, 0, kStart + absl::Milliseconds(100));
  }
  EXPECT_THAT(out.text(), IsEmpty());
}

TEST(ProgressLine, OnATerminalRedrawsAtMostEveryTenthOfASecond) {
  Captured out;
  ProgressLine line("Suite.Name", out.file(), /*terminal=*/true, absl::Seconds(10), kStart);
  line.Update(1, 0, kStart + absl::Seconds(1));
  line.Update(2, 0, kStart + absl::Seconds(1) + absl::Milliseconds(50));
  EXPECT_THAT(out.text(), Not(HasSubstr(" 2 iterations")));
  line.Update(3, 0, kStart + absl::Seconds(1) + absl::Milliseconds(150));
  EXPECT_THAT(out.text(), HasSubstr(" 3 iterations"));
}

TEST(ProgressLine, ElsewhereAPlainLineEveryInterval) {
  Captured out;
  ProgressLine line("Suite.Name", out.file(), /*terminal=*/false, absl::Seconds(10), kStart);
  line.Update(500, 0, kStart + absl::Seconds(5));
  EXPECT_THAT(out.text(), IsEmpty());
  line.Update(2000, 2, kStart + absl::Seconds(10));
  line.Update(2100, 2, kStart + absl::Seconds(11));
  line.Finish();
  EXPECT_EQ(out.text(),
            "[ progress ] Suite.Name: 2000 iterations in 10.0 s (200/s), 2 findings so far\n");
}

TEST(ProgressLine, ElsewhereNoLinesWhenTheIntervalIsZero) {
  Captured out;
  ProgressLine line("Suite.Name", out.file(), /*terminal=*/false, absl::ZeroDuration(), kStart);
  line.Update(2000, 0, kStart + absl::Seconds(100));
  EXPECT_THAT(out.text(), IsEmpty());
}

}  // namespace
}  // namespace racestress::internal
