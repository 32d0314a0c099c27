// -----------------------------------------------------------------------------
// runner_main.cc
// -----------------------------------------------------------------------------
//
// The racestress runner's main, the library racestress_gtest_main (exported
// as racestress::gtest_main): build/<preset>/racestress links it with every
// case compiled in, and so does a project's test binary, in place of
// GoogleTest's main. See harness/runner.h for flags and exit codes.

#include "harness/runner.h"

#ifndef RACESTRESS_PRESET_NAME
#define RACESTRESS_PRESET_NAME "custom"
#endif

// Both hooks live in this file because the object that defines main() is
// the one a static link takes from the library; TSan's runtime has weak
// defaults of its own, which alone would not pull in another object.
#ifdef RACESTRESS_TSAN_DEFAULT_OPTIONS
// The same options CTest passes in TSAN_OPTIONS, so a direct run of the runner
// behaves as `ctest` does. TSAN_OPTIONS still overrides any of them. TSan's
// exit code stays: cases report in their children, so a report in this
// process is a race of the binary's own (an ordinary TEST's), and must fail
// it (--noisolate ends the process with the verdict's code instead).
extern "C" const char* __tsan_default_options() { return RACESTRESS_TSAN_DEFAULT_OPTIONS; }

// sanitizers/tsan.supp, compiled in: a runner installed with the package, or
// run away from the source tree, has the project's suppressions too.
extern "C" const char* __tsan_default_suppressions() {
  return
#include "tsan_suppressions.inc"
      ;
}
#endif

int main(int argc, char** argv) {
  return racestress::RunnerMain(argc, argv, RACESTRESS_PRESET_NAME);
}
