// -----------------------------------------------------------------------------
// harness/runner/progress.h
// -----------------------------------------------------------------------------
//
// What a long run shows while a case runs. On a terminal, one live line per
// case that runs longer than 0.3 s, rewritten in place (iterations, rate,
// findings so far) at most every 0.1 s and erased before the case's verdict
// is printed:
//
//   [ running  ] Counter.LostUpdateAtomic: 1234 iterations, 617/s, 0 findings, 2.0 s
//
// Elsewhere (a CI log) a plain line every `every`, so a log shows that a long
// case is alive without a line per update:
//
//   [ progress ] Counter.LostUpdateAtomic: 1234 iterations in 10.0 s (123/s), 0 findings so far
//
// Thread safety: one ProgressLine per running case, used by the runner's main
// thread only.

#ifndef RACESTRESS_HARNESS_RUNNER_PROGRESS_H_
#define RACESTRESS_HARNESS_RUNNER_PROGRESS_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/time/time.h"

namespace racestress::internal {

class ProgressLine {
 public:
  // Shows `name`'s progress on `out`: live if `terminal`, else a plain line
  // every `every` (never if `every` is zero). The case started at `start`.
  ProgressLine(std::string name, FILE* out, bool terminal, absl::Duration every,
               absl::Time start);
  ~ProgressLine();  // Finish()
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // The case has run `iterations` so far and reported `findings`, at `now`.
  void Update(int64_t iterations, int64_t findings, absl::Time now);

  // Erases the live line (a no-op if none is shown).
  void Finish();

  // True if `out` is a terminal that takes a line rewritten in place.
  static bool IsTerminal(FILE* out);

 private:
  std::string name_;
  FILE* out_;
  bool terminal_;
  absl::Duration every_;
  absl::Time start_;
  absl::Time last_shown_;
  bool shown_ = false;  // a live line is on the terminal
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_PROGRESS_H_
