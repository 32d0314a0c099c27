// -----------------------------------------------------------------------------
// harness/runner/supervisor.h
// -----------------------------------------------------------------------------
//
// Runs each case in a child process of its own: a re-exec of the runner with
// --racestress_child. Isolation matters for three reasons: TSan deduplicates
// reports by address and stack and would hide one case's race behind
// another's; a hanging case can be killed; a crashing case takes only its own
// process down. The runner goes on with the next case either way.
//
// Thread safety: called from the runner's main thread, which has no other
// threads (so spawning is safe under TSan).

#ifndef RACESTRESS_HARNESS_RUNNER_SUPERVISOR_H_
#define RACESTRESS_HARNESS_RUNNER_SUPERVISOR_H_

#include <string>

#include "harness/core/case_base.h"
#include "harness/core/judging.h"
#include "harness/stress/engine.h"
#include "harness/runner/flags.h"
#include "harness/runner/protocol.h"

namespace racestress::internal {

// The absolute path of this binary: what a child runs, and what a replay
// line names.
std::string RunnerPath();

// The engine options for `c` under the command line's `options`.
EngineOptions EngineOptionsFor(const CaseBase& c, const RunOptions& options);

// The iterations `c` runs at most under `options` (--iterations, else the
// case's own); 0 if only time bounds it.
int64_t IterationBudget(const CaseBase& c, const RunOptions& options);


// RunSupervised()
//
// Runs `c` in a child process (or in this process if !options.isolate) and
// collects what it reported. A child that outlives its deadline is killed and
// reported as a hang; one that dies of a signal, as a crash.
CaseRun RunSupervised(const CaseBase& c, const RunOptions& options);

// ChildMain()
//
// The body of a child process: runs child.case_name and reports on
// child.fd. Returns the process exit code.
int ChildMain(const RunOptions& options, const ChildOptions& child);

// RunInThisChild()
//
// The body of a child process that already holds its case `c` (a scenario,
// reached by running the test around it): runs it and reports on
// `child_fd`. Returns the process exit code; ends the process at once if an
// actor hung.
int RunInThisChild(const CaseBase& c, const RunOptions& options, int child_fd);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_SUPERVISOR_H_
