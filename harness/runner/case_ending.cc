#include "harness/runner/case_ending.h"

#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "harness/controlled/engine.h"
#include "harness/core/abandon.h"
#include "harness/core/seed.h"
#include "harness/runner/verdict.h"
#include "harness/runner/supervisor.h"
#include "harness/stress/perturbation.h"
#include "harness/tsan/tsan_annotations.h"

// Every sanitizer runtime has it; none is linked without one.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

#if defined(RACESTRESS_TSAN)
// TSan's own _exit, which the definitions at the end replace (its is weak).
extern "C" void __interceptor__exit(int) __attribute__((weak));
#endif

namespace racestress::internal {
namespace {

// The case under way, as the endings need it. Filled by the guard before
// `active` is set; read by the endings only after they cleared it (one-shot).
struct Ending {
  std::atomic<bool> active{false};
  pid_t pid = 0;
  int fd = -1;
  bool in_process = false;
  const CaseBase* c = nullptr;
  CrashReplay replay;
  // Preformatted for the signal-safe path: the case's name, and the replay
  // line split around its iteration.
  char case_name[512] = "";
  char replay_prefix[2048] = "";
  char replay_suffix[1024] = "";
};
Ending ending;
std::atomic<InProcessEnding> in_process_ending{nullptr};

void OnSanitizerDeath();

// Decimal `value` into `out` (at least 24 bytes); async-signal-safe.
const char* FormatInt(int64_t value, char* out) {
  char digits[24];
  int n = 0;
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : value;
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  int o = 0;
  if (value < 0) out[o++] = '-';
  while (n > 0) out[o++] = digits[--n];
  out[o] = '\0';
  return out;
}

// Claims the ending for this process: false if no case runs here, another
// ending already claimed it, or this is a process the case forked.
bool Claim() {
  if (!ending.active.load(std::memory_order_acquire)) return false;
  if (getpid() != ending.pid) return false;
  return ending.active.exchange(false, std::memory_order_acq_rel);
}

void WriteCrash(const char* detail, int64_t iteration) {
  FindingView finding{iteration, Symptom::kCrash, detail, ending.replay.engine,
                      ending.replay.strategy, ending.replay.replay_flags};
  WriteFindingLine(ending.fd, finding);
}

[[noreturn]] void EndNow(int code) {
  fflush(stdout);
  fflush(stderr);
  syscall(SYS_exit_group, code);
  abort();
}

// exit() during the case (normal context: the process is whole).
void OnExit(int status, void* /*unused*/) {
  if (!Claim()) return;
  const std::string why = absl::StrCat(
      "the case called exit(", status, "): a case must return from its actors, not end its process");
  WriteCrash(why.c_str(), IterationOfThisThread());
  InProcessEnding end = in_process_ending.load(std::memory_order_acquire);
  if (ending.in_process && end != nullptr) end(*ending.c, ReadProtocolFile(ending.fd), why.c_str());
  EndNow(1);  // a child: the runner reads the finding
}

// The controlled engine's watchdog, or the stress engine, gave up on a hung
// actor: the hang finding is written already.
void OnAbandon() {
  if (!Claim()) return;
  InProcessEnding end = in_process_ending.load(std::memory_order_acquire);
  if (ending.in_process && end != nullptr) {
    end(*ending.c, ReadProtocolFile(ending.fd),
        "an actor hung, and a hung actor cannot be unwound");
  }
}

}  // namespace

void SetInProcessEnding(InProcessEnding end) {
  in_process_ending.store(end, std::memory_order_release);
}

int64_t IterationOfThisThread() {
  const ActorContext* actor = CurrentActor();
  return actor != nullptr && actor->status != nullptr
             ? actor->status->iteration.load(std::memory_order_relaxed)
             : ControlledScheduleInProgress();
}

CaseEndingGuard::CaseEndingGuard(const CaseBase& c, const RunOptions& options,
                                 const CrashReplay& replay, int fd, bool in_process) {
  ending.pid = getpid();
  ending.fd = fd;
  ending.in_process = in_process;
  ending.c = &c;
  ending.replay = replay;
  const std::string name = c.config().FullName();
  snprintf(ending.case_name, sizeof(ending.case_name), "%s", name.c_str());
  const std::string command = ReplayCommand(RunnerPath(), c.config().TestName(), options.run_seed,
                                            0, replay.replay_flags);
  const std::string token = absl::StrCat("=", FormatSeed(options.run_seed), ":");
  size_t at = command.find(token);
  at = at == std::string::npos ? command.size() - 1 : at + token.size();
  snprintf(ending.replay_prefix, sizeof(ending.replay_prefix), "  replay: %s",
           command.substr(0, at).c_str());
  snprintf(ending.replay_suffix, sizeof(ending.replay_suffix), "%s",
           command.substr(at + 1).c_str());
  // Registered per case, so it runs before the exit handlers of anything the
  // case's code constructed earlier (they run last-registered first).
  on_exit(&OnExit, nullptr);
  if (&__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(&OnSanitizerDeath);
  if (in_process) SetAbandonHandler(&OnAbandon);
  ending.active.store(true, std::memory_order_release);
}

CaseEndingGuard::~CaseEndingGuard() {
  ending.active.store(false, std::memory_order_release);
  if (ending.in_process) SetAbandonHandler(nullptr);
}

namespace {

// The verdict and replay line of an ending in a signal's context, as the
// runner prints a crash's: "Suite.Name: iteration 3: crash: what".
void WriteNote(const char* what, int64_t iteration) {
  char number[24];
  WriteStderr(ending.case_name);
  WriteStderr(": iteration ");
  WriteStderr(FormatInt(iteration, number));
  WriteStderr(": crash: ");
  WriteStderr(what);
  WriteStderr(
      "\n  with --noisolate the run ends here: the --json and --html reports hold every case "
      "before this one, and name it as the one that ended the run\n");
  WriteStderr(ending.replay_prefix);
  WriteStderr(FormatInt(iteration < 0 ? 0 : iteration, number));
  WriteStderr(ending.replay_suffix);
  WriteStderr("\n");
}

}  // namespace

void NoteFatalEnding(const char* what, int64_t iteration) {
  if (Claim() && ending.in_process) WriteNote(what, iteration);
}

namespace {

// A sanitizer's fatal error (TSan's out-of-memory, say) ends the process
// through its own exit, which neither exit() nor the crash handler sees.
void OnSanitizerDeath() {
  if (!Claim()) return;
  const char* detail =
      "the sanitizer ended the process with a fatal error of its own (its message, printed "
      "above, says which: out of memory, a bad allocation size, ...)";
  const int64_t iteration = IterationOfThisThread();
  WriteCrash(detail, iteration);
  if (ending.in_process) WriteNote(detail, iteration);
}

}  // namespace

namespace {

// _exit() and _Exit() during the case: possibly inside a signal handler of
// the case's own, so only async-signal-safe work.
[[noreturn]] void EndOnUnderscoreExit(int status) {
  if (Claim()) {
    char detail[128] = "the case called _exit(";
    char number[24];
    strcat(detail, FormatInt(status, number));
    strcat(detail, "), ending its process");
    const int64_t iteration = IterationOfThisThread();
    WriteCrash(detail, iteration);
    if (ending.in_process) WriteNote(detail, iteration);
    syscall(SYS_exit_group, status != 0 ? status : 1);
  }
#if defined(RACESTRESS_TSAN)
  if (&__interceptor__exit != nullptr) __interceptor__exit(status);
#endif
  syscall(SYS_exit_group, status);
  abort();
}

}  // namespace

}  // namespace racestress::internal

// The case's code calls these, not glibc's: linked into every runner, since
// the guard's object always is (a strong definition wins over TSan's weak
// interceptor alias).
extern "C" void _exit(int status) { racestress::internal::EndOnUnderscoreExit(status); }
extern "C" void _Exit(int status) { racestress::internal::EndOnUnderscoreExit(status); }
