// -----------------------------------------------------------------------------
// cases/same_function/shared_static.cc
// -----------------------------------------------------------------------------
//
// Two actors run the same print_numbers, each into its own output. Expected:
// 2 calls x 5 numbers, each output "01234". With the loop counter local that is
// safe; kept at namespace scope (a static), one counter is shared by both calls:
// a data race, and each call skips or repeats numbers the other one set.
//
// Seed: 003_942b4a3290349fc5.txt, the example (thread1 and thread2 both target print_numbers).
// Run:  ctest --preset tsan -R '^SameFunction\.'

#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kThreads = 2;
constexpr int kNumbers = 5;
constexpr char kExpectedOutputs[] = "01234|01234";  // kThreads outputs of 0..kNumbers-1

// The function with the bug: its loop counter lives at namespace scope, one
// for every caller.
Racy<int> shared_i;

void PrintNumbersSharedCounter(std::string& out) {
  for (shared_i.Store(0); shared_i.Load() < kNumbers; shared_i.Store(shared_i.Load() + 1)) {
    absl::StrAppend(&out, shared_i.Load());
  }
}

// The fixed function: its loop counter is local, one per call.
void PrintNumbersLocalCounter(std::string& out) {
  for (int i = 0; i < kNumbers; ++i) {
    point();
    absl::StrAppend(&out, i);
  }
}

// The bug: both actors call the function that keeps a static counter.
struct StaticCounterCalls {
  std::array<std::string, kThreads> outputs;  // output i is actor i's own

  void Worker(int thread_index) { PrintNumbersSharedCounter(outputs[thread_index]); }
  std::string Result() const { return absl::StrJoin(outputs, "|"); }
};

// The fix: both actors call the function whose counter is local.
struct LocalCounterCalls {
  std::array<std::string, kThreads> outputs;  // output i is actor i's own

  void Worker(int thread_index) { PrintNumbersLocalCounter(outputs[thread_index]); }
  std::string Result() const { return absl::StrJoin(outputs, "|"); }
};

}  // namespace

RACESTRESS_CASE(SameFunction, SkippedNumberStaticCounter, StaticCounterCalls)
    .Threads(kThreads)
    .Outcome(Equals(std::string(kExpectedOutputs)), Expect::kAcceptable,
             "the two calls did not overlap in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "a number skipped or repeated: both calls advanced one shared counter")
    .Racy(Symptom::kRace | Symptom::kForbidden);

RACESTRESS_CASE(SameFunction, SkippedNumberLocalCounter, LocalCounterCalls)
    .Threads(kThreads)
    .Outcome(Equals(std::string(kExpectedOutputs)), Expect::kAcceptable,
             "both calls printed 0..4")
    .Outcome(Otherwise(), Expect::kForbidden, "a number skipped or repeated with a local counter");

}  // namespace racestress::cases
