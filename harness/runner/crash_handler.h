// -----------------------------------------------------------------------------
// harness/runner/crash_handler.h
// -----------------------------------------------------------------------------
//
// Crash reporting while a case runs: on a fatal signal the handler
// writes the crash as a finding (the iteration it happened in, and how to
// replay it), prints the crashing thread's stack, symbolized, then lets the
// signal's default action (or the sanitizer's report) follow.
//
// Thread safety: install once, from the child's main thread, before the case
// runs. The handler is async-signal-safe.

#ifndef RACESTRESS_HARNESS_RUNNER_CRASH_HANDLER_H_
#define RACESTRESS_HARNESS_RUNNER_CRASH_HANDLER_H_

#include <string>

#include "harness/core/finding.h"

namespace racestress::internal {

// How a crash of this child replays (the run's engine and strategy).
struct CrashReplay {
  EngineKind engine = EngineKind::kStress;
  std::string strategy;
  std::string replay_flags;
};

// InstallCrashReporting()
//
// Reports fatal signals to `fd` as crash findings replayed by `replay`. The
// handlers are installed once; a later call changes `fd` and `replay` (with
// --noisolate, for each case; -1 between cases).
void InstallCrashReporting(int fd, CrashReplay replay);

// "SIGSEGV (invalid memory access)", "SIGKILL (killed: ...)", ...; glibc's
// name and description for the others.
const char* SignalName(int signal);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_CRASH_HANDLER_H_
