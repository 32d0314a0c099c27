// -----------------------------------------------------------------------------
// cases/instrumented/library_once.cc
// -----------------------------------------------------------------------------
//
// A library's lazily computed value (legacy::LazyValue), read by two actors
// at once: each must see 42, and it must be computed once. The fix uses
// std::call_once, whose pthread_once the harness makes a scheduling point
// (stress engine) or the scheduler's own (controlled engine:
// harness/intercept/once.cc); the bug checks a plain flag.
//
// Not from the tutorials: lazy initialization, a classic of the
// concurrency-bug literature, inside code the harness cannot edit (issue #16).
// Run:  ctest --preset tsan -R '^Instrumented\.DoubleInit'

#include <string>

#include "absl/strings/str_cat.h"
#include "cases/legacy_code/lazy_value.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr char kComputedOnce[] = "1 computation(s), saw 42 and 42";

struct CheckedFlagReaders {
  legacy::LazyValue lazy;
  int seen[2] = {0, 0};  // each written by its own actor only
  void Worker(int thread_index) { seen[thread_index] = lazy.GetChecked(); }
  std::string Result() const {
    return absl::StrCat(lazy.computations(), " computation(s), saw ", seen[0], " and ", seen[1]);
  }
};

struct CallOnceReaders {
  legacy::LazyValue lazy;
  int seen[2] = {0, 0};
  void Worker(int thread_index) { seen[thread_index] = lazy.GetOnce(); }
  std::string Result() const {
    return absl::StrCat(lazy.computations(), " computation(s), saw ", seen[0], " and ", seen[1]);
  }
};

}  // namespace

RACESTRESS_CASE(Instrumented, DoubleInitCheckedFlag, CheckedFlagReaders)
    .Threads(2)
    .Outcome(Equals(std::string(kComputedOnce)), Expect::kAcceptable,
             "computed once, both saw it")
    .Outcome(Otherwise(), Expect::kForbidden,
             "computed twice (both callers found the flag unset), or a caller saw it unset")
    .Racy(Symptom::kRace | Symptom::kForbidden);

RACESTRESS_CASE(Instrumented, DoubleInitCallOnce, CallOnceReaders)
    .Threads(2)
    .Outcome(Equals(std::string(kComputedOnce)), Expect::kAcceptable,
             "computed once, both saw it")
    .Outcome(Otherwise(), Expect::kForbidden, "std::call_once computed twice, or was not seen");

}  // namespace racestress::cases
