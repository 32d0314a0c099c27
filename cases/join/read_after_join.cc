// -----------------------------------------------------------------------------
// cases/join/read_after_join.cc
// -----------------------------------------------------------------------------
//
// The actor plays main: it starts a thread that writes 0..4 into a buffer,
// joins it, then reads the buffer. Expected: 1 thread x 5 values, read as 01234.
// (racestress::Thread is a std::thread that both engines can schedule.)
// join() orders the thread's writes before main's reads; polling a plain `done`
// flag orders nothing: flag and buffer are data races (on x86 the values usually
// arrive anyway, so the race is the symptom).
//
// Seed: 001_987c801a944d387b.txt, "Creating Threads" and "Joining Threads".
// Run:  ctest --preset tsan -R '^Join\.'

#include <array>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr int kValues = 5;
constexpr char kExpectedRead[] = "01234";

// The bug: main waits for a plain flag instead of joining, then reads.
struct PlainFlagMain {
  std::array<Racy<int>, kValues> buffer;
  Racy<bool> done;
  std::string read;  // main's own

  void Main() {
    Thread printer([this] {
      for (int i = 0; i < kValues; ++i) buffer[i].Store(i);
      done.Store(true);
    });
    while (!done.Load()) yield();
    for (int i = 0; i < kValues; ++i) absl::StrAppend(&read, buffer[i].Load());
    printer.Join();  // only to clean up: the reads above are already done
  }
  std::string Result() const { return read; }
};

// The fix: join() first; everything the thread wrote happens before it returns.
struct JoinFirstMain {
  std::array<int, kValues> buffer = {};  // the thread's until join(), then main's
  std::string read;                      // main's own

  void Main() {
    Thread printer([this] {
      for (int i = 0; i < kValues; ++i) buffer[i] = i;
    });
    point();
    printer.Join();
    for (int i = 0; i < kValues; ++i) absl::StrAppend(&read, buffer[i]);
  }
  std::string Result() const { return read; }
};

}  // namespace

RACESTRESS_CASE(Join, EarlyReadPlainFlag, PlainFlagMain)
    .Actor(&PlainFlagMain::Main)
    .Outcome(Equals(std::string(kExpectedRead)), Expect::kAcceptable,
             "main read all five values")
    .Outcome(Otherwise(), Expect::kForbidden, "main read the buffer before the thread wrote it")
    .Racy(Symptom::kRace);

RACESTRESS_CASE(Join, EarlyReadJoinFirst, JoinFirstMain)
    .Actor(&JoinFirstMain::Main)
    .Outcome(Equals(std::string(kExpectedRead)), Expect::kAcceptable,
             "main read all five values after join()")
    .Outcome(Otherwise(), Expect::kForbidden, "main read the buffer before the thread wrote it");

}  // namespace racestress::cases
