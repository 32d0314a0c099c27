// -----------------------------------------------------------------------------
// cases/interleaved/numbers_and_letters.cc
// -----------------------------------------------------------------------------
//
// Numbers N0..N4 and letters La..Le, one actor each, every line followed by the
// tutorial's sleep(1) (a scheduling point). Expected: 2 streams x 5 lines = 10
// whole lines, each stream in order; the tutorial's strict alternation is one
// interleaving among many (the histogram shows which occur). Written char by
// char into an unsynchronized buffer, lines tear ("NL0a") and chars are lost.
//
// Seed: 002_6d8f4c7edb4bab55.txt, "Using the threading Module" (Output (interleaved)).
// Run:  ctest --preset tsan -R '^Interleaved\.'

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "harness/case.h"

namespace racestress::cases {
namespace {

constexpr std::string_view kNumbers = "01234";
constexpr std::string_view kLetters = "abcde";
constexpr int kLineLength = 3;  // tag, item, separator: "N0 "
constexpr int kCapacity = static_cast<int>(kNumbers.size() + kLetters.size()) * kLineLength;
constexpr char kNumbersFirst[] = "N0 La N1 Lb N2 Lc N3 Ld N4 Le";  // the tutorial's output
constexpr char kLettersFirst[] = "La N0 Lb N1 Lc N2 Ld N3 Le N4";

// True if `output` is 10 whole lines, numbers 0..4 and letters a..e each in order.
bool CompleteInOrder(const std::string& output) {
  std::string numbers, letters;
  for (absl::string_view line : absl::StrSplit(output, ' ')) {
    if (line.size() != 2) return false;
    if (line[0] == 'N') {
      numbers += line[1];
    } else if (line[0] == 'L') {
      letters += line[1];
    } else {
      return false;
    }
  }
  return numbers == kNumbers && letters == kLetters;
}

// The bug: one shared buffer, a plain length, a line written char by char.
struct UnlockedBuffer {
  std::array<Racy<char>, kCapacity> chars;  // the length never exceeds the chars written
  Racy<int> length;

  void Print(char tag, char item) {
    for (char c : {tag, item, ' '}) {
      const int at = length.Load();
      chars[at].Store(c);
      length.Store(at + 1);
    }
    point();  // time.sleep(1)
  }
  void PrintNumbers() {
    for (char c : kNumbers) Print('N', c);
  }
  void PrintLetters() {
    for (char c : kLetters) Print('L', c);
  }
  std::string Result() {
    std::string output;
    for (int i = 0; i < length.Load(); ++i) output += chars[i].Load();
    if (!output.empty() && output.back() == ' ') output.pop_back();
    return output;
  }
};

// The fix: each whole line written under one mutex, so lines never tear.
struct MutexBuffer {
  Mutex mu;
  std::string output ABSL_GUARDED_BY(mu);

  void Print(char tag, char item) {
    {
      MutexLock lock(mu);
      output += {tag, item, ' '};
    }
    point();  // time.sleep(1)
  }
  void PrintNumbers() {
    for (char c : kNumbers) Print('N', c);
  }
  void PrintLetters() {
    for (char c : kLetters) Print('L', c);
  }
  std::string Result() {
    MutexLock lock(mu);
    return output.substr(0, output.size() - 1);  // without the last separator
  }
};

}  // namespace

RACESTRESS_CASE(Interleaved, TornLineUnlockedBuffer, UnlockedBuffer)
    .Actor(&UnlockedBuffer::PrintNumbers)
    .Actor(&UnlockedBuffer::PrintLetters)
    .Outcome(OneOf({std::string(kNumbersFirst), std::string(kLettersFirst)}),
             Expect::kInteresting,
             "strict alternation, the tutorial's output: one outcome among many")
    .Outcome(Where("10 whole lines, each stream in order", CompleteInOrder),
             Expect::kAcceptable, "another interleaving, just as correct")
    .Outcome(Otherwise(), Expect::kForbidden,
             "a line torn or lost: two writers claimed the same character slot")
    .Racy(Symptom::kRace | Symptom::kForbidden);

RACESTRESS_CASE(Interleaved, TornLineMutexBuffer, MutexBuffer)
    .Actor(&MutexBuffer::PrintNumbers)
    .Actor(&MutexBuffer::PrintLetters)
    .Outcome(OneOf({std::string(kNumbersFirst), std::string(kLettersFirst)}),
             Expect::kInteresting,
             "strict alternation, the tutorial's output: one outcome among many")
    .Outcome(Where("10 whole lines, each stream in order", CompleteInOrder),
             Expect::kAcceptable, "another interleaving, just as correct")
    .Outcome(Otherwise(), Expect::kForbidden, "a line torn, lost or out of order under a mutex");

}  // namespace racestress::cases
