// -----------------------------------------------------------------------------
// cases/instrumented/library_mailbox.cc
// -----------------------------------------------------------------------------
//
// A library's std::condition_variable hand-off: one actor posts 42 to a
// legacy::Mailbox, the other takes it. The racy taker waits for the
// notification without first checking for a value, so if the post came
// first it waits forever: a lost wake-up. The stress engine sees it as a
// hang (after the case's hang timeout); the controlled engine, which runs
// the library's pthread_cond_wait as a wait of its own, reports the
// deadlock in the schedule where it happens. Expected: the taker gets 42.
//
// The bug of Primitives.LostWakeupNoPredicate (seed 000_e45c04ed2e832ebf.txt,
// "Conditions") in code the harness cannot edit (issue #6).
// Run:  ctest --preset tsan -R '^Instrumented\.LostWakeup'

#include "absl/time/time.h"
#include "cases/legacy_code/workers.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kPosted = 42;

// The bug: the taker may start waiting after the only notification.
struct UncheckedMailbox {
  legacy::Mailbox mailbox;
  int taken = -1;  // written by the taker, read after the join
  void Poster() { mailbox.Post(kPosted); }
  void Taker() { taken = mailbox.TakeWithoutCheck(); }
  int Result() const { return taken; }
};

// The fix: the taker waits in a predicate loop.
struct CheckedMailbox {
  legacy::Mailbox mailbox;
  int taken = -1;
  void Poster() { mailbox.Post(kPosted); }
  void Taker() { taken = mailbox.Take(); }
  int Result() const { return taken; }
};

}  // namespace

RACESTRESS_CASE(Instrumented, LostWakeupUncheckedWait, UncheckedMailbox)
    .Actor(&UncheckedMailbox::Poster)
    .Actor(&UncheckedMailbox::Taker)
    .Outcome(Equals(kPosted), Expect::kAcceptable, "the taker was waiting before the post")
    .Outcome(Otherwise(), Expect::kForbidden, "the taker woke without a value")
    .HangTimeout(absl::Seconds(1))
    .Racy(Symptom::kHang | Symptom::kForbidden);

RACESTRESS_CASE(Instrumented, LostWakeupPredicateLoop, CheckedMailbox)
    .Actor(&CheckedMailbox::Poster)
    .Actor(&CheckedMailbox::Taker)
    .Outcome(Equals(kPosted), Expect::kAcceptable, "the taker got the posted value")
    .Outcome(Otherwise(), Expect::kForbidden, "the taker got no value");

}  // namespace racestress::cases
