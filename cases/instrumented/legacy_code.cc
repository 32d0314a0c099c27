// -----------------------------------------------------------------------------
// cases/instrumented/legacy_code.cc
// -----------------------------------------------------------------------------
//
// Race-testing code that was never written for racestress. The functions
// under test live in cases/legacy_code/, which includes nothing of the
// harness: a plain `*counter = *counter + 1`, and a map whose mutex guards
// each look but not the check and the insert together. The catalog builds
// that library with `racestress_instrument()`, so the compiler puts a
// scheduling point before each of its loads and stores; these cases only
// call it. Expected: 2 threads x 1000 calls = 2000; one key added by 2
// threads = 1 insert.
//
// Not from the tutorials: the tutorials' bugs, in code the harness cannot
// edit (issue #6; bench/instrument_compare.py measures what the compiler's
// scheduling points add).
// Run:  ctest --preset tsan -R '^Instrumented\.'

#include <mutex>

#include "cases/legacy_code/plain_counter.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kThreads = 2;
constexpr int kCalls = 1000;
constexpr int kExpectedCount = kThreads * kCalls;
constexpr int kKey = 7;

// The bug: a read-then-write increment, called from two threads.
struct PlainFunctionCounter {
  int counter = 0;  // touched only inside legacy::Increment

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kCalls; ++i) legacy::Increment(&counter);
  }
  int Result() const { return counter; }
};

// The fix: the library's locked increment.
struct LockedFunctionCounter {
  std::mutex mu;
  int counter = 0;  // guarded by mu, inside legacy::IncrementUnderLock

  void Worker(int /*thread_index*/) {
    for (int i = 0; i < kCalls; ++i) legacy::IncrementUnderLock(&mu, &counter);
  }
  int Result() {
    std::lock_guard<std::mutex> lock(mu);
    return counter;
  }
};

// The bug: both threads add the same key; check and insert are two critical
// sections, so both can find it absent.
struct CheckThenActMap {
  legacy::FirstValues values;
  void Worker(int thread_index) { values.AddIfAbsent(kKey, thread_index); }
  int Result() const { return values.inserts(); }
};

// The fix: one critical section for the check and the insert.
struct AtomicCheckMap {
  legacy::FirstValues values;
  void Worker(int thread_index) { values.AddIfAbsentAtomically(kKey, thread_index); }
  int Result() const { return values.inserts(); }
};

}  // namespace

RACESTRESS_CASE(Instrumented, LostUpdatePlainFunction, PlainFunctionCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedCount), Expect::kAcceptable, "no update lost in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "lost update: one thread's increment overwrote the other's", Symptom::kLostUpdate)
    .Racy(Symptom::kRace | Symptom::kLostUpdate);

RACESTRESS_CASE(Instrumented, LostUpdateFunctionUnderLock, LockedFunctionCounter)
    .Threads(kThreads)
    .Outcome(Equals(kExpectedCount), Expect::kAcceptable, "every call counted")
    .Outcome(Otherwise(), Expect::kForbidden, "lost update under the library's lock",
             Symptom::kLostUpdate);

RACESTRESS_CASE(Instrumented, DuplicateInsertCheckThenAct, CheckThenActMap)
    .Threads(kThreads)
    .Outcome(Equals(1), Expect::kAcceptable, "one thread found the key absent and added it")
    .Outcome(Otherwise(), Expect::kForbidden,
             "duplicate insert: both threads found the key absent")
    .Racy(Symptom::kForbidden);

RACESTRESS_CASE(Instrumented, DuplicateInsertAtomicCheck, AtomicCheckMap)
    .Threads(kThreads)
    .Outcome(Equals(1), Expect::kAcceptable, "exactly one insert")
    .Outcome(Otherwise(), Expect::kForbidden, "duplicate insert under one lock");

}  // namespace racestress::cases
