// -----------------------------------------------------------------------------
// runner.h
// -----------------------------------------------------------------------------
//
// The main function of a racestress runner: every registered case becomes a
// GoogleTest test, run in a child process of its own, and graded.
//
//   racestress [--gtest_filter=Counter.*|@racy|@clean] [--seed=S]
//              [--iterations=N] [--time_budget=D] [--replay=S:I] [--json=PATH]
//
// Exit codes: 0 when every selected case met its expectation, 1 when any did
// not, 2 on bad input (an unknown flag or case, a bad seed or replay token, an
// unwritable report path), with one line on stderr that says what; under
// ThreadSanitizer, 66 when it reported in this process itself (a race in an
// ordinary TEST of the binary, which also fails that test by name).
//
// Thread safety: call from main() only, before any other thread exists (the
// runner spawns its children from this thread).

#ifndef RACESTRESS_HARNESS_RUNNER_H_
#define RACESTRESS_HARNESS_RUNNER_H_

namespace racestress {

// RunnerMain()
//
// Runs the cases selected by argv and returns the process exit code.
// `preset` names the build configuration in reports ("tsan", "stress", ...).
int RunnerMain(int argc, char** argv, const char* preset);

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_RUNNER_H_
