#include "harness/controlled/trace.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "harness/controlled/source_line.h"
#include "harness/core/rng.h"
#include "harness/core/where.h"

namespace racestress::internal {
namespace {

const char* OpName(TraceOp op) {
  switch (op) {
    case TraceOp::kPoint: return "point";
    case TraceOp::kLoad: return "load";
    case TraceOp::kStore: return "store";
    case TraceOp::kLock: return "lock";
    case TraceOp::kUnlock: return "unlock";
    case TraceOp::kTryLockFailed: return "try_lock failed";
    case TraceOp::kWait: return "wait";
    case TraceOp::kWoken: return "woken";
    case TraceOp::kSignal: return "signal";
    case TraceOp::kStart: return "start";
    case TraceOp::kJoin: return "join";
  }
  return "?";
}

}  // namespace

std::string TracedObjectAt(TraceOp op, const char* file, int line) {
  const std::string code = SourceLine(file, line);
  switch (op) {
    case TraceOp::kPoint: return "";
    case TraceOp::kLoad: return CalledOn(code, {"Load"});
    case TraceOp::kStore:
      return CalledOn(code, {"Store", "FetchAdd", "Exchange", "CompareExchange"});
    case TraceOp::kLock:
    case TraceOp::kUnlock:
    case TraceOp::kTryLockFailed: return CalledOn(code, {"Lock", "TryLock", "Unlock"});
    case TraceOp::kWait:
    case TraceOp::kWoken:  // a wait in Lock() is on its mutex
      return CalledOn(code, {"Wait", "Acquire", "WaitForNotification", "Lock"});
    case TraceOp::kSignal: return CalledOn(code, {"Signal", "SignalAll", "Notify", "Release"});
    case TraceOp::kStart:
    case TraceOp::kJoin: return "";  // the trace names the thread by number
  }
  return "";
}

void StepTrace::Append(int actor, TraceOp op, const char* file, int line, bool has_value,
                       int64_t value) {
  // The file's address is not stable across runs of a PIE binary: leave it
  // out of the hash.
  hash_ = Mix(hash_, (static_cast<uint64_t>(actor) << 48) ^ (static_cast<uint64_t>(op) << 40) ^
                         static_cast<uint64_t>(static_cast<uint32_t>(line)));
  if (has_value) hash_ = Mix(hash_, static_cast<uint64_t>(value));
  if (entries_.size() < kKept) entries_.resize(kKept);
  entries_[count_ % kKept] = Entry{actor, op, has_value, file, line, value};
  ++count_;
}

void StepTrace::Chose(int actor) { hash_ = Mix(hash_, static_cast<uint64_t>(actor)); }

std::string StepTrace::Format() const {
  if (count_ == 0) return "";
  const size_t kept = std::min(count_, kKept);
  std::string out = absl::StrCat(
      "; step trace",
      kept < count_ ? absl::StrCat(" (last ", kept, " of ", count_, ")") : std::string(), ":");
  for (size_t i = count_ - kept; i < count_; ++i) {
    const Entry& e = entries_[i % kKept];
    absl::StrAppend(&out, "\n    T", e.actor, " ", OpName(e.op));
    const std::string object = TracedObjectAt(e.op, e.file, e.line);
    if (!object.empty()) absl::StrAppend(&out, " ", object);
    if (e.has_value &&
        (e.op == TraceOp::kStart || e.op == TraceOp::kJoin || e.op == TraceOp::kWait)) {
      absl::StrAppend(&out, " T", e.value);  // the thread started, joined, waited for
    } else if (e.has_value) {
      absl::StrAppend(&out, e.op == TraceOp::kLoad ? " -> " : " <- ", e.value);
    }
    absl::StrAppend(&out, "  (", Where(e.file, e.line), ")");
  }
  return out;
}

}  // namespace racestress::internal
