#include "harness/runner/crash_handler.h"

#include <execinfo.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "absl/debugging/symbolize.h"
#include "harness/controlled/engine.h"
#include "harness/controlled/fiber.h"
#include "harness/core/signal_stack.h"
#include "harness/runner/case_ending.h"
#include "harness/runner/protocol.h"
#include "harness/stress/perturbation.h"

namespace racestress::internal {
namespace {

int crash_fd = -1;
CrashReplay crash_replay;  // set before the handlers, read only by them
constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction previous_actions[32];

}  // namespace

const char* SignalName(int signal) {
  switch (signal) {
    case SIGSEGV: return "SIGSEGV (invalid memory access)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic error)";
    case SIGILL: return "SIGILL (illegal instruction)";
    case SIGABRT: return "SIGABRT (abort)";
    case SIGKILL:
      return "SIGKILL (killed: by the kernel's out-of-memory killer, a container's memory "
             "limit, or kill -9)";
    case SIGTERM: return "SIGTERM (terminated)";
    case SIGINT: return "SIGINT (interrupted)";
    case SIGPIPE: return "SIGPIPE (a write to a pipe nobody reads)";
    case SIGXCPU: return "SIGXCPU (CPU time limit exceeded)";
    case SIGXFSZ: return "SIGXFSZ (file size limit exceeded)";
    default: break;
  }
  // The rest by glibc's name: "SIGUSR1 (User defined signal 1)".
  static thread_local char name[96];
  const char* abbrev = sigabbrev_np(signal);
  const char* description = sigdescr_np(signal);
  snprintf(name, sizeof(name), "SIG%s (%s)", abbrev != nullptr ? abbrev : "?",
           description != nullptr ? description : "unknown signal");
  return name;
}

void WriteStderr(const char* text) {
  for (size_t size = strlen(text); size > 0;) {
    const ssize_t n = write(STDERR_FILENO, text, size);
    if (n <= 0) return;
    text += n;
    size -= static_cast<size_t>(n);
  }
}

void DescribeFatalSignal(int signal, const siginfo_t* info, char* out, size_t size) {
  const void* address = info != nullptr ? info->si_addr : nullptr;
  const bool overflow = (signal == SIGSEGV || signal == SIGBUS) &&
                        (Fiber::GuardOfRunning().Contains(address) ||
                         ThisThreadStackGuard().Contains(address));
  if (!overflow) {
    snprintf(out, size, "%s", SignalName(signal));
    return;
  }
  // Numbered as the engines' other findings number actors: a stress actor
  // by its context, a controlled one by the fiber the engine runs.
  const ActorContext* actor = CurrentActor();
  const int index = actor != nullptr ? actor->actor : ControlledActorInProgress();
  char who[48];
  if (index >= 0) {
    snprintf(who, sizeof(who), "actor %d", index);
  } else {
    snprintf(who, sizeof(who), "the case's state or arbiter");
  }
  snprintf(out, size,
           "stack overflow in %s (%s in the guard page below its stack: a recursion too deep, "
           "or a frame too large)",
           who, signal == SIGSEGV ? "SIGSEGV" : "SIGBUS");
}

namespace {

// Prints the crashing thread's stack, symbolized. backtrace() unwinds with
// the DWARF tables, through the signal frame and code without frame
// pointers; absl::Symbolize is async-signal-safe.
void PrintStack() {
  void* pcs[64];
  const int depth = backtrace(pcs, 64);
  char line[1024];
  for (int i = 2; i < depth; ++i) {  // 0 and 1 are this handler
    char symbol[768] = "(unknown)";
    absl::Symbolize(static_cast<char*>(pcs[i]) - 1, symbol, sizeof(symbol));
    snprintf(line, sizeof(line), "    #%d %p %s\n", i - 2, pcs[i], symbol);
    WriteStderr(line);
  }
}

void OnFatalSignal(int signal, siginfo_t* info, void* /*context*/) {
  const int64_t iteration = IterationOfThisThread();
  char cause[192];
  DescribeFatalSignal(signal, info, cause, sizeof(cause));
  // Only this handler prints a stack, so only its finding points to one.
  char detail[256];
  snprintf(detail, sizeof(detail), "%s; its stack is printed above", cause);
  FindingView finding{iteration, Symptom::kCrash, detail, crash_replay.engine,
                      crash_replay.strategy, crash_replay.replay_flags};
  WriteFindingLine(crash_fd, finding);
  NoteFatalEnding(cause, iteration);
  char header[288];
  snprintf(header, sizeof(header), "racestress: %s in iteration %lld; stack:\n", cause,
           static_cast<long long>(iteration));
  WriteStderr(header);
  PrintStack();
  // Let the default action (core, or the sanitizer's report) follow.
  sigaction(signal, &previous_actions[signal], nullptr);
  raise(signal);
}

}  // namespace

void InstallCrashReporting(int fd, CrashReplay replay) {
  crash_replay = std::move(replay);
  crash_fd = fd;
  // Once per process: a second install would save this handler as the
  // "previous" one that a crash re-raises into.
  static bool installed = false;
  if (installed) return;
  installed = true;
  absl::InitializeSymbolizer("/proc/self/exe");
  void* warm_up[1];
  backtrace(warm_up, 1);  // loads the unwinder now, not inside the handler
  for (int signal : kFatalSignals) {
    struct sigaction action = {};
    action.sa_sigaction = &OnFatalSignal;
    sigemptyset(&action.sa_mask);
    // SA_ONSTACK: an actor's stack overflow leaves no stack to run on but the
    // alternate one its thread has (core/signal_stack.h); SA_SIGINFO: the
    // fault address tells an overflow from another bad access.
    action.sa_flags = SA_RESETHAND | SA_NODEFER | SA_SIGINFO | SA_ONSTACK;
    sigaction(signal, &action, &previous_actions[signal]);
  }
}

}  // namespace racestress::internal
