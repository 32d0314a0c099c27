// -----------------------------------------------------------------------------
// cases/instrumented/library_threads.cc
// -----------------------------------------------------------------------------
//
// A library that starts its own threads: legacy::CountInThreads() runs 2
// std::threads of 1000 plain increments each and joins them. The case's one
// actor only calls it; the harness reaches the library's threads through
// their pthread_create (stress engine: perturbed like the actor that started
// them; controlled engine: run as actors of the schedule) and their loads and
// stores through `racestress_instrument()`. Expected: 2 x 1000 = 2000.
//
// Not from the tutorials: the counter tutorial's bug inside code the harness
// cannot edit, threads included (issue #6).
// Run:  ctest --preset tsan -R '^Instrumented\.LostUpdateLibraryThreads'

#include <mutex>

#include "cases/legacy_code/workers.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kLibraryThreads = 2;
constexpr int kCalls = 1000;
constexpr int kExpectedCount = kLibraryThreads * kCalls;

// The bug: the library's threads increment one int with nothing around it.
struct LibraryThreadsCounter {
  int counter = 0;  // touched only by the library's threads
  void Worker() { legacy::CountInThreads(&counter, kLibraryThreads, kCalls); }
  int Result() const { return counter; }
};

// The fix: the library's threads increment under one std::mutex.
struct LibraryThreadsLockedCounter {
  std::mutex mu;
  int counter = 0;  // guarded by mu, inside the library
  void Worker() { legacy::CountInThreadsUnderLock(&mu, &counter, kLibraryThreads, kCalls); }
  int Result() {
    std::lock_guard<std::mutex> lock(mu);
    return counter;
  }
};

}  // namespace

RACESTRESS_CASE(Instrumented, LostUpdateLibraryThreads, LibraryThreadsCounter)
    .Threads(1)
    .Outcome(Equals(kExpectedCount), Expect::kAcceptable, "no update lost in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "lost update: one library thread's increment overwrote the other's",
             Symptom::kLostUpdate)
    .Racy(Symptom::kRace | Symptom::kLostUpdate);

RACESTRESS_CASE(Instrumented, LostUpdateLibraryThreadsUnderLock, LibraryThreadsLockedCounter)
    .Threads(1)
    .Outcome(Equals(kExpectedCount), Expect::kAcceptable, "every increment counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update under the library's lock",
             Symptom::kLostUpdate);

}  // namespace racestress::cases
