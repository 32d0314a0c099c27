// The names of TSan's report kinds (harness/outcome.h, TsanKind).

#include <cstddef>
#include <iterator>

#include "harness/outcome.h"

namespace racestress {
namespace {

struct KindNames {
  TsanKind kind;
  const char* key;   // TSan's: ReportTypeDescription() in tsan_debugging.cpp
  const char* name;  // ours, for a reader
};

// In enum order: kind i is at index i (the test checks it).
constexpr KindNames kKinds[] = {
    {TsanKind::kUnknown, "unknown", "report of a kind racestress does not know"},
    {TsanKind::kDataRace, "data-race", "data race"},
    {TsanKind::kDataRaceOnVptr, "data-race-vptr", "data race on a vptr"},
    {TsanKind::kHeapUseAfterFree, "heap-use-after-free", "heap use after free"},
    {TsanKind::kHeapUseAfterFreeOnVptr, "heap-use-after-free-vptr",
     "heap use after free by a virtual call"},
    {TsanKind::kExternalRace, "external-race", "race on an external object"},
    {TsanKind::kThreadLeak, "thread-leak", "thread leak"},
    {TsanKind::kDestroyOfLockedMutex, "locked-mutex-destroy", "destroy of a locked mutex"},
    {TsanKind::kDoubleLock, "mutex-double-lock", "double lock of a mutex"},
    {TsanKind::kInvalidMutexAccess, "mutex-invalid-access", "use of an invalid mutex"},
    {TsanKind::kBadUnlock, "mutex-bad-unlock", "bad unlock of a mutex"},
    {TsanKind::kBadReadLock, "mutex-bad-read-lock", "read lock of a write-locked mutex"},
    {TsanKind::kBadReadUnlock, "mutex-bad-read-unlock", "read unlock of a write-locked mutex"},
    {TsanKind::kSignalUnsafeCall, "signal-unsafe-call", "signal-unsafe call in a signal handler"},
    {TsanKind::kErrnoInSignalHandler, "errno-in-signal-handler",
     "signal handler that spoils errno"},
    {TsanKind::kLockOrderInversion, "lock-order-inversion", "lock-order inversion"},
    {TsanKind::kMutexHeldInWrongContext, "mutex-held-in-wrong-context",
     "mutex held in the wrong context"},
};

const KindNames& NamesOf(TsanKind kind) {
  const auto index = static_cast<size_t>(kind);
  return index < std::size(kKinds) ? kKinds[index] : kKinds[0];
}

}  // namespace

const char* TsanKindName(TsanKind kind) { return NamesOf(kind).name; }

const char* TsanKindKey(TsanKind kind) { return NamesOf(kind).key; }

TsanKind TsanKindFromKey(absl::string_view key) {
  // From 1: "unknown" is racestress's word, not a key TSan gives.
  for (size_t i = 1; i < std::size(kKinds); ++i) {
    if (key == kKinds[i].key) return kKinds[i].kind;
  }
  return TsanKind::kUnknown;
}

}  // namespace racestress
