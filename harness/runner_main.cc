// -----------------------------------------------------------------------------
// runner_main.cc
// -----------------------------------------------------------------------------
//
// The racestress runner, build/<preset>/racestress: every case compiled into
// it, as GoogleTest tests. See harness/runner.h for flags and exit codes.

#include "harness/runner.h"

#ifndef RACESTRESS_PRESET_NAME
#define RACESTRESS_PRESET_NAME "custom"
#endif

#ifdef RACESTRESS_TSAN_DEFAULT_OPTIONS
// The same options CTest passes in TSAN_OPTIONS, so a direct run of the runner
// behaves as `ctest` does, plus exitcode=0: the verdict decides the exit code,
// not the fact that a racy case made TSan report. TSAN_OPTIONS still
// overrides any of them.
extern "C" const char* __tsan_default_options() { return RACESTRESS_TSAN_DEFAULT_OPTIONS; }
#endif

int main(int argc, char** argv) {
  return racestress::RunnerMain(argc, argv, RACESTRESS_PRESET_NAME);
}
