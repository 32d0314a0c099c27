// -----------------------------------------------------------------------------
// harness/tests/fault_fixture.cc
// -----------------------------------------------------------------------------
//
// Cases that fault the way user code does: they throw, exit, crash, overflow
// their stack, run out of memory, block where no engine can see, spin, install
// signal handlers, fork, start daemons, close descriptors, print megabytes and
// sleep past the budget. Every case here is declared clean: a fault must fail
// it, whatever the engine and with or without --noisolate, and a harmless
// oddity must not. harness/tests/fault_suite_test.py runs each one alone and
// names the verdict, exit code and report it must give. Not a catalog case:
// this binary exists for that test only.

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "harness/case.h"

namespace racestress::fault_fixture {
namespace {

struct Nothing {};

// `depth` frames of about 1 KiB each, which the optimizer cannot fold.
int Recurse(int depth) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  if (depth == 0) return frame[0];
  return Recurse(depth - 1) + frame[0];
}

// Unbounded, as a bug makes it (`bottom` is never reached); the volatile
// keeps every frame.
volatile int bottom = -1;
int RecurseForever(int depth) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  if (depth == bottom) return frame[0];
  return RecurseForever(depth + 1) + frame[0];
}

// The data segment this process may still grow by, plus `extra`.
void LimitDataTo(size_t extra) {
  rlimit limit;
  getrlimit(RLIMIT_DATA, &limit);
  FILE* status = fopen("/proc/self/status", "r");
  size_t data_kib = 0;
  char line[256];
  while (status != nullptr && fgets(line, sizeof(line), status) != nullptr) {
    if (sscanf(line, "VmData: %zu kB", &data_kib) == 1) break;
  }
  if (status != nullptr) fclose(status);
  limit.rlim_cur = data_kib * 1024 + extra;
  setrlimit(RLIMIT_DATA, &limit);
}

void IgnoreSignal(int) {}
void ExitZeroOnSignal(int) { _exit(0); }

// Forks a child that forks a daemon, which holds every inherited descriptor
// (the report pipe too) for `seconds` after the case is done; writes its pid
// to $RACESTRESS_FAULT_DAEMON_PID so the test can see it outlived the run.
void StartDaemon(int seconds) {
  const pid_t child = fork();
  if (child == 0) {
    setsid();
    if (fork() == 0) {
      if (const char* path = getenv("RACESTRESS_FAULT_DAEMON_PID")) {
        if (FILE* f = fopen(path, "w")) {
          fprintf(f, "%d\n", static_cast<int>(getpid()));
          fclose(f);
        }
      }
      sleep(static_cast<unsigned>(seconds));
    }
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
}

}  // namespace

// First, so that a --noisolate run of it and a fault shows the report of a
// case before the one that ended the run.
RACESTRESS_CASE(Faults, Passes, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {});

// --- faults: each must fail the case -----------------------------------------

RACESTRESS_CASE(Faults, Throws, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) { throw std::runtime_error("thrown out of an actor"); });

RACESTRESS_CASE(Faults, ExitsZero, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) { exit(0); });

RACESTRESS_CASE(Faults, UnderscoreExitsThree, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) { _exit(3); });

RACESTRESS_CASE(Faults, Aborts, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) { abort(); });

RACESTRESS_CASE(Faults, DereferencesNull, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  volatile int* null = nullptr;
  *null = 1;
});

// 8 MiB of frames under TSan can take a loaded machine over a second: the
// hang timeout must not race the overflow.
RACESTRESS_CASE(Faults, RecursesForever, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(30))
    .Actor([](Nothing&) { RecurseForever(0); });

RACESTRESS_CASE(Faults, AllocatesPastTheMemoryLimit, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  LimitDataTo(size_t{256} << 20);
  constexpr size_t kTwoGiB = size_t{2} << 30;
  char* block = new char[kTwoGiB];
  // Escapes, so the allocation cannot be elided.
  asm volatile("" : : "r"(block) : "memory");
  memset(block, 1, kTwoGiB);
  asm volatile("" : : "r"(block) : "memory");
  delete[] block;
});

RACESTRESS_CASE(Faults, BlocksInRead, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  int fds[2];
  if (pipe(fds) != 0) abort();
  char byte;
  // Nobody writes: the actor blocks where no engine schedules.
  (void)!read(fds[0], &byte, 1);
});

RACESTRESS_CASE(Faults, SpinsWithoutPoints, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  static std::atomic<bool> never{false};
  while (!never.load()) asm volatile("pause" ::: "memory");
});

RACESTRESS_CASE(Faults, OwnSegvHandlerExitsZero, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  signal(SIGSEGV, &ExitZeroOnSignal);
  volatile int* null = nullptr;
  *null = 1;
});

RACESTRESS_CASE(Faults, ClosesEveryInheritedFd, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  for (int fd = 3; fd < 1024; ++fd) close(fd);
});

// --- oddities: each must pass ------------------------------------------------

RACESTRESS_CASE(Faults, RecursesDeeply, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  Recurse(400);  // 400 KiB of stack: fine on a thread's 8 MiB
});

RACESTRESS_CASE(Faults, PrintsFiftyMegabytes, Nothing)
    .Iterations(1)
    .Actor([](Nothing&) {
      const std::string line(1023, 'x');
      for (int i = 0; i < 50 * 1024; ++i) printf("%s\n", line.c_str());
      fflush(stdout);
    });

RACESTRESS_CASE(Faults, RaisesItsOwnSignal, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  signal(SIGUSR1, &IgnoreSignal);
  raise(SIGUSR1);
});

RACESTRESS_CASE(Faults, Forks, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) abort();
});

RACESTRESS_CASE(Faults, StartsADaemon, Nothing)
    .Iterations(1)
    .Actor([](Nothing&) { StartDaemon(20); });

RACESTRESS_CASE(Faults, ClosesStdin, Nothing)
    .Iterations(3)
    .HangTimeout(absl::Seconds(1))
    .Actor([](Nothing&) { close(STDIN_FILENO); });

RACESTRESS_CASE(Faults, SleepsPastTheBudget, Nothing)
    .TimeBudget(absl::Milliseconds(100))
    .HangTimeout(absl::Seconds(10))
    .Actor([](Nothing&) { usleep(1500 * 1000); });


}  // namespace racestress::fault_fixture
