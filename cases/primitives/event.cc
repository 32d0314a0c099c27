// -----------------------------------------------------------------------------
// cases/primitives/event.cc
// -----------------------------------------------------------------------------
//
// The third primitive: an event. A writer fills in a payload and sets the
// event; a reader waits for the event, then reads the payload. Expected: the
// reader sees the payload, 6 x 7 = 42. Published through a plain bool that
// the reader polls, flag and payload are data races: nothing orders the
// writer's stores before the reader's loads (on x86 the value usually arrives
// anyway, so the race is the symptom).
//
// Seed: 000_e45c04ed2e832ebf.txt, "Locks, Semaphores, Events, and Conditions" (Events).
// Run:  ctest --preset tsan -R '^Primitives\.Publish'


#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kPayload = 6 * 7;

// The bug: the event is a plain flag, polled.
struct PlainFlagEvent {
  Racy<int> payload;
  Racy<bool> ready;
  int seen = 0;  // the reader's own

  void Writer() {
    payload.Store(kPayload);
    ready.Store(true);
  }
  void Reader() {
    while (!ready.Load()) yield();
    seen = payload.Load();
  }
  int Result() const { return seen; }
};

// The fix: a Notification, whose Notify() happens before the waiter wakes.
struct NotificationEvent {
  int payload = 0;  // written before Notify(), read after WaitForNotification()
  Notification ready;
  int seen = 0;  // the reader's own

  void Writer() {
    point();
    payload = kPayload;
    ready.Notify();
  }
  void Reader() {
    point();
    ready.WaitForNotification();
    seen = payload;
  }
  int Result() const { return seen; }
};

}  // namespace

RACESTRESS_CASE(Primitives, PublishPlainFlag, PlainFlagEvent)
    .Actor(&PlainFlagEvent::Writer)
    .Actor(&PlainFlagEvent::Reader)
    .Outcome(Equals(kPayload), Expect::kAcceptable, "the reader saw the payload")
    .Outcome(Otherwise(), Expect::kForbidden, "the reader saw the flag before the payload")
    .Racy(Symptom::kRace);

RACESTRESS_CASE(Primitives, PublishNotification, NotificationEvent)
    .Actor(&NotificationEvent::Writer)
    .Actor(&NotificationEvent::Reader)
    .Outcome(Equals(kPayload), Expect::kAcceptable, "the reader saw the payload")
    .Outcome(Otherwise(), Expect::kForbidden, "the reader saw the event but not the payload");

}  // namespace racestress::cases
