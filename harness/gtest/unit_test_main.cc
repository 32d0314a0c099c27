// The harness's unit tests run under the runner's main: fixture cases they
// register run in child processes exactly as catalog cases do.

#include "harness/runner.h"

int main(int argc, char** argv) {
  return racestress::RunnerMain(argc, argv, RACESTRESS_PRESET_NAME);
}
