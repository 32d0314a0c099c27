#include "harness/runner/supervisor.h"

#include <execinfo.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/debugging/symbolize.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "harness/controlled/engine.h"
#include "harness/core/abandon.h"
#include "harness/runner/case_ending.h"
#include "harness/runner/crash_handler.h"
#include "harness/runner/run_case.h"
#include "harness/stress/perturbation.h"
#include "harness/runner/progress.h"
#include "harness/tsan/tsan_reports.h"

extern char** environ;

namespace racestress::internal {
namespace {

// Startup, judging and exit of a child take time too, above all under TSan.
constexpr absl::Duration kChildSlack = absl::Seconds(60);

// Tells the runner how many iterations the child has run, every 250 ms, from
// a thread of its own (the engine's threads are the case's), until destroyed.
class ProgressReporter {
 public:
  ProgressReporter(int fd, const std::atomic<int64_t>* progress)
      : thread_([this, fd, progress] {
          std::unique_lock<std::mutex> lock(mu_);
          while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
            WriteProgressLine(fd, progress->load(std::memory_order_relaxed));
          }
        }) {}
  ~ProgressReporter() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// --- the parent's side --------------------------------------------------------

// A finding of the case's process as a whole (-1: no iteration).
Finding ProcessFinding(Symptom kind, std::string detail) {
  Finding finding;
  finding.kind = kind;
  finding.detail = std::move(detail);
  return finding;
}

// Starts the runner again as the child that runs `c`, reporting on the
// write end of `fds` (as fd 3). Returns its pid, or 0 with a finding in `run`.
pid_t SpawnChild(const CaseBase& c, const RunOptions& options, const int fds[2], CaseRun& run) {
  constexpr int kChildFd = 3;
  const std::string self = RunnerPath();
  std::vector<std::string> args = {self};
  for (auto& arg : ChildArguments(options, c.config().FullName(), kChildFd)) {
    args.push_back(std::move(arg));
  }
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], kChildFd);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned == 0) return pid;
  run.findings.push_back(
      ProcessFinding(Symptom::kCrash, absl::StrCat("spawn: ", strerror(spawned))));
  return 0;
}

// The child's protocol pipe and its end, as CollectUntil() saw them.
struct ChildEnd {
  bool killed = false;      // it outlived the deadline
  bool early_eof = false;   // it closed the pipe before it exited
  int status = 0;           // waitpid()'s
};

// Reads whatever `fd` holds now without blocking; false at EOF.
bool Drain(int fd, std::string& buffer, CaseRun& run) {
  char chunk[4096];
  for (;;) {
    const ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;  // open, but empty
    if (n == 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    ParseProtocolLines(buffer, run);
  }
}

// Reads the child's protocol lines from `fd` into `run` until the child
// exits (then what it wrote before) or `deadline` passes (then kills it).
// The child's exit ends the wait, not the pipe's EOF: a process the case
// started may hold the pipe open for as long as it lives.
ChildEnd CollectUntil(pid_t pid, int fd, absl::Time deadline, ProgressLine& progress,
                      CaseRun& run) {
  ChildEnd end;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  const int exited = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));  // -1: poll waitpid
  std::string buffer;
  bool open = true;
  for (;;) {
    progress.Update(run.progress, static_cast<int64_t>(run.findings.size()), absl::Now());
    if (waitpid(pid, &end.status, WNOHANG) == pid) break;
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      kill(pid, SIGKILL);
      while (waitpid(pid, &end.status, 0) < 0 && errno == EINTR) {}
      end.killed = true;
      break;
    }
    pollfd p[2] = {{open ? fd : -1, POLLIN, 0}, {exited, POLLIN, 0}};
    // Short waits where the child's exit cannot be polled; at most a second
    // otherwise, so an infinite budget cannot overflow.
    const int64_t cap = exited >= 0 ? 999 : 50;
    poll(p, 2, static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(left), cap) + 1));
    if (open && !Drain(fd, buffer, run)) {
      open = false;
      // An exiting child closes the pipe a moment before it can be reaped;
      // one still running a while later closed it itself.
      for (int i = 0; i < 20 && waitpid(pid, &end.status, WNOHANG) != pid; ++i) usleep(10000);
      end.early_eof = kill(pid, 0) == 0 && waitpid(pid, &end.status, WNOHANG) != pid;
      if (!end.early_eof) break;
    }
  }
  if (open) Drain(fd, buffer, run);
  if (exited >= 0) close(exited);
  return end;
}

// What the child's end says that its lines did not: killed, a signal, an
// early exit.
void AddEnding(const ChildEnd& end, absl::Duration allowed, CaseRun& run) {
  auto reported = [&](Symptom kind) {
    for (const auto& f : run.findings) if (f.kind == kind) return true;
    return false;
  };
  const int status = end.status;
  if (end.killed && !run.finished) {
    run.findings.push_back(ProcessFinding(
        Symptom::kHang, absl::StrCat("the case's process did not finish within ",
                                     absl::FormatDuration(allowed), " and was killed")));
  } else if (WIFSIGNALED(status) && !reported(Symptom::kCrash)) {
    run.findings.push_back(ProcessFinding(
        Symptom::kCrash,
        absl::StrCat("the case's process died of ", SignalName(WTERMSIG(status)))));
  } else if (!run.finished && !reported(Symptom::kCrash) && !reported(Symptom::kHang)) {
    run.findings.push_back(ProcessFinding(
        Symptom::kCrash,
        absl::StrCat("the case's process exited with code ",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, " before finishing",
                     end.early_eof ? " (it closed racestress's report pipe first: a case must "
                                     "not close descriptors it did not open)"
                                   : "")));
  }
}

CaseRun RunInChild(const CaseBase& c, const RunOptions& options,
                   const EngineOptions& engine) {
  CaseRun run;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    run.findings.push_back(
        ProcessFinding(Symptom::kCrash, absl::StrCat("pipe: ", strerror(errno))));
    return run;
  }
  const pid_t pid = SpawnChild(c, options, fds, run);
  close(fds[1]);
  if (pid == 0) {
    close(fds[0]);
    return run;
  }
  const absl::Time start = absl::Now();
  const absl::Duration allowed = engine.time_budget + engine.hang_timeout + kChildSlack;
  ProgressLine progress(c.config().FullName(), stdout, ProgressLine::IsTerminal(stdout),
                        options.progress_every, start);
  const ChildEnd end = CollectUntil(pid, fds[0], start + allowed, progress, run);
  close(fds[0]);
  progress.Finish();
  AddEnding(end, allowed, run);
  return run;
}

// How a crash in this child replays: the run's engine and strategy flags
// (a crash happens mid-schedule, before the strategy could describe it).
CrashReplay ReplayOfThisChild(const RunOptions& options) {
  CrashReplay replay;
  if (options.controlled) {
    replay.engine = EngineKind::kControlled;
    replay.strategy = options.strategy.name;
    replay.replay_flags = "--engine=controlled " + StrategyFlags(options.strategy);
  }
  return replay;
}

// The same protocol, through an anonymous file instead of a pipe, read back
// when the case is done (or by the ending, if the case ends the process).
CaseRun RunInProcess(const CaseBase& c, const RunOptions& options, const EngineOptions& engine) {
  CaseRun run;
  FILE* file = tmpfile();
  if (file == nullptr) {
    run.findings.push_back(ProcessFinding(Symptom::kCrash, "tmpfile failed"));
    return run;
  }
  const int fd = fileno(file);
  const CrashReplay replay = ReplayOfThisChild(options);
  InstallCrashReporting(fd, replay);
  {
    CaseEndingGuard guard(c, options, replay, fd, /*in_process=*/true);
    ProtocolSink sink(fd);
    EngineResult result = RunCase(c, engine, sink);
    sink.Finish(result);
    // Hung actors cannot be joined: the run ends with this case's verdict.
    if (result.hung) AbandonProcess();
  }
  InstallCrashReporting(-1, CrashReplay());
  run = ReadProtocolFile(fd);
  fclose(file);
  if (!run.finished) {
    run.findings.push_back(ProcessFinding(
        Symptom::kCrash, "the case's report file lost its end: the case closed or overwrote a "
                         "descriptor it did not open (racestress's)"));
  }
  return run;
}

}  // namespace

std::string RunnerPath() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "racestress";
}

int64_t IterationBudget(const CaseBase& c, const RunOptions& options) {
  return options.iterations > 0 ? options.iterations : c.config().iterations;
}

EngineOptions EngineOptionsFor(const CaseBase& c, const RunOptions& options) {
  const CaseConfig& config = c.config();
  EngineOptions engine;
  engine.case_seed = CaseSeed(options.run_seed, config.FullName());
  engine.first_iteration = options.first_iteration;
  engine.max_iterations = IterationBudget(c, options);
  engine.time_budget =
      options.time_budget > absl::ZeroDuration() ? options.time_budget : config.time_budget;
  engine.hang_timeout = config.hang_timeout;
  engine.stride = config.stride;
  engine.engine = options.controlled ? EngineKind::kControlled : EngineKind::kStress;
  engine.strategy = options.strategy;
  engine.max_steps = options.max_steps;
  engine.stop_on = config.racy ? CountedSymptoms(c) : Symptom::kNone;
  if (config.racy) engine.stop_on_kinds = config.race_kinds;
  return engine;
}

CaseRun RunSupervised(const CaseBase& c, const RunOptions& options) {
  const EngineOptions engine = EngineOptionsFor(c, options);
  return options.isolate ? RunInChild(c, options, engine) : RunInProcess(c, options, engine);
}

int ChildMain(const RunOptions& options, const ChildOptions& child) {
  const CaseBase* c = FindCase(child.case_name);
  if (c == nullptr) {
    fprintf(stderr, "racestress: unknown case '%s'\n", child.case_name.c_str());
    return 2;
  }
  return RunInThisChild(*c, options, child.fd);
}

int RunInThisChild(const CaseBase& c, const RunOptions& options, int child_fd) {
  // The pipe is racestress's: a program the case runs must not hold it.
  fcntl(child_fd, F_SETFD, FD_CLOEXEC);
  const CrashReplay replay = ReplayOfThisChild(options);
  InstallCrashReporting(child_fd, replay);
  CaseEndingGuard guard(c, options, replay, child_fd, /*in_process=*/false);
  ProtocolSink sink(child_fd);
  std::atomic<int64_t> progress{0};
  EngineOptions engine = EngineOptionsFor(c, options);
  engine.progress = &progress;
  EngineResult result;
  {
    ProgressReporter reporter(child_fd, &progress);
    result = RunCase(c, engine, sink);
  }
  sink.Finish(result);
  // Blocked actors cannot be joined: the process ends at once, without
  // exit()'s handlers (core/abandon.h says why).
  if (result.hung) AbandonProcess();
  return 0;
}

}  // namespace racestress::internal
