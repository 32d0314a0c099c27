#include "harness/runner/progress.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_format.h"

namespace racestress::internal {
namespace {

// A terminal is redrawn at most this often: a line per protocol message
// would flood a slow terminal and tell the eye nothing more.
constexpr absl::Duration kRedraw = absl::Milliseconds(100);
// ... and first drawn once a case has run this long: a short case shows none.
constexpr absl::Duration kShowAfter = absl::Milliseconds(300);

int64_t PerSecond(int64_t count, absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<int64_t>(static_cast<double>(count) / seconds) : 0;
}

}  // namespace

ProgressLine::ProgressLine(std::string name, FILE* out, bool terminal, absl::Duration every,
                           absl::Time start)
    : name_(std::move(name)),
      out_(out),
      terminal_(terminal),
      every_(every),
      start_(start),
      last_shown_(start) {}

ProgressLine::~ProgressLine() { Finish(); }

void ProgressLine::Update(int64_t iterations, int64_t findings, absl::Time now) {
  const absl::Duration elapsed = now - start_;
  if (terminal_) {
    if (!shown_ && elapsed < kShowAfter) return;
    if (shown_ && now - last_shown_ < kRedraw) return;
    // \r and erase-line: the line is rewritten in place.
    absl::FPrintF(out_, "\r\033[K[ running  ] %s: %d iterations, %d/s, %d finding%s, %.1f s",
                  name_, iterations, PerSecond(iterations, elapsed), findings,
                  findings == 1 ? "" : "s", absl::ToDoubleSeconds(elapsed));
    fflush(out_);
    shown_ = true;
    last_shown_ = now;
    return;
  }
  if (every_ <= absl::ZeroDuration() || now - last_shown_ < every_) return;
  absl::FPrintF(out_, "[ progress ] %s: %d iterations in %.1f s (%d/s), %d finding%s so far\n",
                name_, iterations, absl::ToDoubleSeconds(elapsed),
                PerSecond(iterations, elapsed), findings, findings == 1 ? "" : "s");
  fflush(out_);
  last_shown_ = now;
}

void ProgressLine::Finish() {
  if (!shown_) return;
  fputs("\r\033[K", out_);
  fflush(out_);
  shown_ = false;
}

bool ProgressLine::IsTerminal(FILE* out) {
  const char* term = getenv("TERM");
  return isatty(fileno(out)) == 1 && term != nullptr && strcmp(term, "dumb") != 0;
}

}  // namespace racestress::internal
