// -----------------------------------------------------------------------------
// cases/print/numbers_and_letters.cc
// -----------------------------------------------------------------------------
//
// One actor prints 1..5, the other A..E, into one transcript; after both, main
// prints "Both threads have finished execution" ('!'). Expected: 2 streams x 5
// lines + 1 final line = 11 lines, each stream in order, the final line last, in
// any interleaving (the histogram shows those seen). In an unsynchronized log,
// two appends can claim the same slot: one line overwrites the other.
//
// Seed: 000_e45c04ed2e832ebf.txt, the basic example (print_numbers, print_letters, join).
// Run:  ctest --preset tsan -R '^Print\.'

#include <array>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr std::string_view kNumbers = "12345";
constexpr std::string_view kLetters = "ABCDE";
constexpr char kFinalLine = '!';  // "Both threads have finished execution"
constexpr int kLines = static_cast<int>(kNumbers.size() + kLetters.size()) + 1;

// True if `transcript` is both streams complete, each in order, then the final line.
bool CompleteInOrder(const std::string& transcript) {
  if (static_cast<int>(transcript.size()) != kLines || transcript.back() != kFinalLine) {
    return false;
  }
  std::string numbers, letters;
  for (char c : transcript.substr(0, kLines - 1)) {
    (c >= '0' && c <= '9' ? numbers : letters) += c;
  }
  return numbers == kNumbers && letters == kLetters;
}

// The bug: a shared log whose next free slot is a plain counter.
struct UnlockedLog {
  std::array<Racy<char>, kLines> lines;  // kLines slots: the count never exceeds the appends
  Racy<int> count;

  void Append(char line) {
    const int slot = count.Load();
    lines[slot].Store(line);
    count.Store(slot + 1);
  }
  void PrintNumbers() {
    for (char c : kNumbers) Append(c);
  }
  void PrintLetters() {
    for (char c : kLetters) Append(c);
  }
  std::string Result() {
    Append(kFinalLine);  // main, after both joins
    std::string transcript;
    for (int i = 0; i < count.Load(); ++i) transcript += lines[i].Load();
    return transcript;
  }
};

// The fix: the same appends, each under one mutex.
struct MutexLog {
  Mutex mu;
  std::string transcript ABSL_GUARDED_BY(mu);

  void Append(char line) {
    MutexLock lock(mu);
    transcript += line;
  }
  void PrintNumbers() {
    for (char c : kNumbers) Append(c);
  }
  void PrintLetters() {
    for (char c : kLetters) Append(c);
  }
  std::string Result() {
    Append(kFinalLine);
    MutexLock lock(mu);
    return transcript;
  }
};

}  // namespace

RACESTRESS_CASE(Print, LostLineUnlockedAppend, UnlockedLog)
    .Actor(&UnlockedLog::PrintNumbers)
    .Actor(&UnlockedLog::PrintLetters)
    .Outcome(Where("both streams complete, each in order, final line last", CompleteInOrder),
             Expect::kAcceptable, "no line lost in this run")
    .Outcome(Otherwise(), Expect::kForbidden,
             "a line lost or out of order: two appends claimed the same slot")
    .Racy(Symptom::kRace | Symptom::kForbidden);

RACESTRESS_CASE(Print, LostLineMutexAppend, MutexLog)
    .Actor(&MutexLog::PrintNumbers)
    .Actor(&MutexLog::PrintLetters)
    .Outcome(Where("both streams complete, each in order, final line last", CompleteInOrder),
             Expect::kAcceptable, "every line printed once; any interleaving is fine")
    .Outcome(Otherwise(), Expect::kForbidden, "a line lost, duplicated or out of order");

}  // namespace racestress::cases
