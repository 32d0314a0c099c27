// -----------------------------------------------------------------------------
// harness/tests/report_kinds_fixture.cc
// -----------------------------------------------------------------------------
//
// One bug of each of three kinds of ThreadSanitizer report, for
// Runner.ReportKinds (report_kinds_test.py, tsan preset only): a data race, a
// lock-order inversion and a heap use after free. Each is declared once with
// its own kind, which must flag it, and once with another kind, which must
// fail naming what was found; a clean declaration and a contradictory one
// round it off. Not a catalog case: this binary exists for that test only.
//
// Every case runs a fixed count of iterations: a case declaring another kind
// runs all of them (no report it does not declare stops it).

#include <atomic>
#include <cstdint>

#include "harness/case.h"

namespace racestress::report_kinds_fixture {
namespace {

constexpr int64_t kIterations = 20;

// Two actors increment a plain counter: TSan's "data-race".
struct UnlockedCounter {
  Racy<int64_t> count;
  void Worker(int /*thread_index*/) { count.Store(count.Load() + 1); }
};

// Two locks taken in both orders, one actor after the other, so the actors
// never deadlock; TSan's deadlock detector (detect_deadlocks, on by default)
// still sees the cycle in the lock order: "lock-order-inversion".
struct OppositeOrdersInTurn {
  Mutex a, b;
  Notification first_done;

  void AThenB() {
    {
      MutexLock lock_a(a);
      MutexLock lock_b(b);
    }
    first_done.Notify();
  }
  void BThenA() {
    first_done.WaitForNotification();
    MutexLock lock_b(b);
    MutexLock lock_a(a);
  }
};

// One actor frees what the other then reads. The flag is relaxed, so the
// read is ordered after the free in time but not by happens-before: TSan's
// "heap-use-after-free". (In a build without TSan this reads freed memory;
// the test runs it under the tsan preset only.)
struct ReadAfterAnotherActorFrees {
  int64_t* value = new int64_t{7};
  std::atomic<bool> freed{false};
  int64_t read = 0;

  void Free() {
    delete value;
    freed.store(true, std::memory_order_relaxed);
  }
  void Read() {
    while (!freed.load(std::memory_order_relaxed)) yield();
    read = *value;
  }
};

}  // namespace

RACESTRESS_CASE(Kinds, DataRace, UnlockedCounter)
    .Threads(2)
    .Iterations(kIterations)
    .Racy(Symptom::kRace)
    .RaceKinds({TsanKind::kDataRace});

RACESTRESS_CASE(Kinds, DataRaceDeclaredAsLockOrderInversion, UnlockedCounter)
    .Threads(2)
    .Iterations(kIterations)
    .Racy(Symptom::kRace)
    .RaceKinds({TsanKind::kLockOrderInversion});

RACESTRESS_CASE(Kinds, LockOrderInversion, OppositeOrdersInTurn)
    .Actor(&OppositeOrdersInTurn::AThenB)
    .Actor(&OppositeOrdersInTurn::BThenA)
    .Iterations(kIterations)
    .Racy(Symptom::kRace)
    .RaceKinds({TsanKind::kLockOrderInversion});

RACESTRESS_CASE(Kinds, LockOrderInversionDeclaredAsDataRace, OppositeOrdersInTurn)
    .Actor(&OppositeOrdersInTurn::AThenB)
    .Actor(&OppositeOrdersInTurn::BThenA)
    .Iterations(kIterations)
    .Racy(Symptom::kRace)
    .RaceKinds({TsanKind::kDataRace});

// Clean, as if the lock order were right: the verdict names the inversion.
RACESTRESS_CASE(Kinds, LockOrderInversionClaimedClean, OppositeOrdersInTurn)
    .Actor(&OppositeOrdersInTurn::AThenB)
    .Actor(&OppositeOrdersInTurn::BThenA)
    .Iterations(kIterations);

RACESTRESS_CASE(Kinds, HeapUseAfterFree, ReadAfterAnotherActorFrees)
    .Actor(&ReadAfterAnotherActorFrees::Free)
    .Actor(&ReadAfterAnotherActorFrees::Read)
    .Iterations(kIterations)
    .Racy(Symptom::kRace)
    .RaceKinds({TsanKind::kHeapUseAfterFree});

RACESTRESS_CASE(Kinds, HeapUseAfterFreeDeclaredAsLockOrderInversion, ReadAfterAnotherActorFrees)
    .Actor(&ReadAfterAnotherActorFrees::Free)
    .Actor(&ReadAfterAnotherActorFrees::Read)
    .Iterations(kIterations)
    .Racy(Symptom::kRace)
    .RaceKinds({TsanKind::kLockOrderInversion});

// Kinds on a case that is not racy: a contradiction, refused before it runs.
RACESTRESS_CASE(Kinds, KindsOnACleanCase, UnlockedCounter)
    .Threads(2)
    .Iterations(kIterations)
    .RaceKinds({TsanKind::kDataRace});

}  // namespace racestress::report_kinds_fixture
