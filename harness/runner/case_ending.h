// -----------------------------------------------------------------------------
// harness/runner/case_ending.h
// -----------------------------------------------------------------------------
//
// A case may end its process before it is done: an actor calls exit() or
// _exit(), a signal handler of its own calls _exit(0), an actor hangs where
// nothing can unwind it, a fatal signal arrives. None of these may pass
// silently. While a CaseEndingGuard is alive, each is a crash finding of the
// iteration it happened in, written to the case's protocol descriptor:
//
//   - in a case's child process, that finding is all the runner needs (it
//     judges the child's report as for any crash);
//   - with --noisolate the case runs in the runner's own process, so the run
//     cannot go on: exit() and an abandoned hang call the InProcessEnding the
//     runner installed (it judges the case, prints its verdict, writes the
//     reports of every case so far and this one, and ends non-zero); _exit()
//     and a fatal signal, which may arrive in a signal handler, print a
//     one-line verdict with the replay line and end non-zero, leaving the
//     report the runner wrote before the case started (which names this case
//     as the one that ended the run).
//
// Processes the case forks are not the case: their exit() and _exit() pass
// through untouched.
//
// Thread safety: construct and destroy on the thread that runs the case. The
// endings run on whichever thread ends the process; they are one-shot.

#ifndef RACESTRESS_HARNESS_RUNNER_CASE_ENDING_H_
#define RACESTRESS_HARNESS_RUNNER_CASE_ENDING_H_

#include <cstdint>

#include "harness/core/case_base.h"
#include "harness/runner/crash_handler.h"
#include "harness/runner/flags.h"
#include "harness/runner/protocol.h"

namespace racestress::internal {

// Judges `run` (what the case reported, ending with the finding that ended
// it), prints the verdict, writes the reports and ends the process with a
// non-zero code. `why` says what ended it ("the case called exit(0)").
using InProcessEnding = void (*)(const CaseBase& c, const CaseRun& run, const char* why);

// Installed by the GoogleTest layer, which owns verdict printing and reports.
void SetInProcessEnding(InProcessEnding ending);

class CaseEndingGuard {
 public:
  // `fd`: the case's protocol descriptor (the child's pipe, or with
  // `in_process` a file this process can read back).
  CaseEndingGuard(const CaseBase& c, const RunOptions& options, const CrashReplay& replay,
                  int fd, bool in_process);
  ~CaseEndingGuard();
  CaseEndingGuard(const CaseEndingGuard&) = delete;
  CaseEndingGuard& operator=(const CaseEndingGuard&) = delete;
};

// The iteration the calling thread runs: a stress actor's own, else the
// controlled engine's schedule under way (-1: none). Async-signal-safe.
int64_t IterationOfThisThread();

// Called by the crash handler once it wrote its finding: with --noisolate,
// prints the case's one-line verdict (`what` in `iteration`) and its replay
// line on stderr. Async-signal-safe; does nothing in a child process.
void NoteFatalEnding(const char* what, int64_t iteration);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_CASE_ENDING_H_
