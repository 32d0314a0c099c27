// -----------------------------------------------------------------------------
// outcome.h
// -----------------------------------------------------------------------------
//
// What a case may observe and how each observation is graded. A case declares
// its outcomes in order, jcstress-style: the first outcome whose matcher
// accepts the arbiter's value grades it; a value no outcome accepts is
// forbidden ("not declared").
//
//   .Outcome(Equals(kExpectedTotal), Expect::kAcceptable, "every increment counted")
//   .Outcome(Otherwise(), Expect::kForbidden, "an increment was lost",
//            Symptom::kLostUpdate)
//
// Symptoms are what the harness flags: a race (a ThreadSanitizer report, of
// one of the kinds of TsanKind: a data race, a lock-order inversion, a heap
// use after free, ...), a lost update or a forbidden outcome (a forbidden
// value, tagged with one or the other), a hang (the iteration missed its
// deadline) or a crash (a signal). A clean case fails on any symptom; a racy
// case passes when one of the symptoms it declares is observed (and, for a
// race, one of the kinds it declares, if it names any: case.h, RaceKinds()).

#ifndef RACESTRESS_HARNESS_OUTCOME_H_
#define RACESTRESS_HARNESS_OUTCOME_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace racestress {

// The grades of jcstress: acceptable, acceptable but interesting (allowed,
// highlighted in the histogram), forbidden.
enum class Expect { kAcceptable, kInteresting, kForbidden };

// What may flag a case. Combine with `|`.
enum class Symptom : uint32_t {
  kNone = 0,
  kRace = 1 << 0,        // a ThreadSanitizer report (tsan preset only)
  kLostUpdate = 1 << 1,  // an outcome declared as a lost update
  kForbidden = 1 << 2,   // any other forbidden outcome
  kHang = 1 << 3,        // an iteration that missed its deadline
  kCrash = 1 << 4,       // a fatal signal
};

constexpr Symptom operator|(Symptom a, Symptom b) {
  return static_cast<Symptom>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}
constexpr Symptom operator&(Symptom a, Symptom b) {
  return static_cast<Symptom>(static_cast<uint32_t>(a) & static_cast<uint32_t>(b));
}
constexpr bool Any(Symptom s) { return s != Symptom::kNone; }

// "data race", "lost update", ...; for a combination, "data race or lost
// update"; "nothing" for none.
std::string SymptomName(Symptom symptoms);
// The symptom as a key for machines (the JSON report's "kind"): "race",
// "lost_update", "forbidden", "hang", "crash"; "unknown" for none or a
// combination. The same table as SymptomName().
const char* SymptomKey(Symptom symptom);
// "acceptable", "interesting", "forbidden".
const char* ExpectName(Expect grade);

// What a ThreadSanitizer report (a finding of Symptom::kRace) is about: the
// report types of TSan's runtime, LLVM 14 to 19, each with TSan's own key
// (its __tsan_get_report_data description, quoted here).
enum class TsanKind : uint8_t {
  kUnknown,                  // a key this racestress does not know (a newer TSan)
  kDataRace,                 // "data-race"
  kDataRaceOnVptr,           // "data-race-vptr": a constructor or destructor against a virtual call
  kHeapUseAfterFree,         // "heap-use-after-free"
  kHeapUseAfterFreeOnVptr,   // "heap-use-after-free-vptr": a virtual call after the free
  kExternalRace,             // "external-race": on an object of __tsan_external_* annotations
  kThreadLeak,               // "thread-leak": a thread neither joined nor detached
  kDestroyOfLockedMutex,     // "locked-mutex-destroy"
  kDoubleLock,               // "mutex-double-lock"
  kInvalidMutexAccess,       // "mutex-invalid-access": uninitialized or destroyed
  kBadUnlock,                // "mutex-bad-unlock": not locked, or by another thread
  kBadReadLock,              // "mutex-bad-read-lock": read lock of a write-locked mutex
  kBadReadUnlock,            // "mutex-bad-read-unlock": read unlock of a write-locked mutex
  kSignalUnsafeCall,         // "signal-unsafe-call": e.g. malloc in a signal handler
  kErrnoInSignalHandler,     // "errno-in-signal-handler": a handler that spoils errno
  kLockOrderInversion,       // "lock-order-inversion": a potential deadlock
  kMutexHeldInWrongContext,  // "mutex-held-in-wrong-context" (newer runtimes only)
};

// The kind in plain words, after "a": "data race", "lock-order inversion",
// "heap use after free", "bad unlock of a mutex", ...; for kUnknown,
// "report of a kind racestress does not know".
const char* TsanKindName(TsanKind kind);
// TSan's own key for the kind (the JSON report's "report_kind"):
// "data-race", "lock-order-inversion", ...; "unknown" for kUnknown.
const char* TsanKindKey(TsanKind kind);
// The kind whose TSan key is `key`; kUnknown for any other text.
// Allocation-free and lock-free: it runs inside TSan's report hook.
TsanKind TsanKindFromKey(absl::string_view key);

// Formats an arbiter value for the histogram and the JSON report.
template <typename T>
std::string FormatValue(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else {
    return absl::StrCat(value);
  }
}

// Matchers. Each is a small value with `bool operator()(const R&)` and
// `std::string Describe()`; the case's arbiter type R must compare with the
// matcher's values.

template <typename T>
struct EqualsMatcher {
  T expected;
  template <typename R>
  bool operator()(const R& value) const { return value == expected; }
  std::string Describe() const { return FormatValue(expected); }
};

template <typename T>
struct OneOfMatcher {
  std::vector<T> values;
  template <typename R>
  bool operator()(const R& value) const {
    for (const T& v : values) if (value == v) return true;
    return false;
  }
  std::string Describe() const {
    return absl::StrCat("one of {",
                        absl::StrJoin(values, ", ",
                                      [](std::string* out, const T& v) {
                                        out->append(FormatValue(v));
                                      }),
                        "}");
  }
};

template <typename Predicate>
struct WhereMatcher {
  std::string description;
  Predicate predicate;
  template <typename R>
  bool operator()(const R& value) const { return predicate(value); }
  std::string Describe() const { return description; }
};

struct OtherwiseMatcher {
  template <typename R>
  bool operator()(const R&) const { return true; }
  std::string Describe() const { return "anything else"; }
};

// Equals()
//
// Matches exactly `value`.
template <typename T>
EqualsMatcher<T> Equals(T value) { return {std::move(value)}; }

// OneOf()
//
// Matches any of `values`.
template <typename T>
OneOfMatcher<T> OneOf(std::initializer_list<T> values) { return {values}; }

// Where()
//
// Matches the values `predicate` accepts; `description` says which, for the
// report ("at most 2 at once").
template <typename Predicate>
WhereMatcher<Predicate> Where(std::string description, Predicate predicate) {
  return {std::move(description), std::move(predicate)};
}

// Otherwise()
//
// Matches whatever no earlier outcome matched.
inline OtherwiseMatcher Otherwise() { return {}; }

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_OUTCOME_H_
