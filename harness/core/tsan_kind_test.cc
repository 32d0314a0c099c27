// -----------------------------------------------------------------------------
// harness/core/tsan_kind_test.cc
// -----------------------------------------------------------------------------
//
// TSan's report kinds: every key TSan's runtime gives (LLVM 14 to 19, the
// strings of ReportTypeDescription() in compiler-rt's tsan_debugging.cpp)
// maps to its own kind and back, with a name in plain words; any other text
// is a kind racestress does not know.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "harness/outcome.h"

namespace racestress {
namespace {

// TSan's keys, as its runtime spells them, and the words racestress says.
const std::vector<std::pair<std::string, std::string>>& TsanKeysAndNames() {
  static const auto* const kTable = new std::vector<std::pair<std::string, std::string>>{
      {"data-race", "data race"},
      {"data-race-vptr", "data race on a vptr"},
      {"heap-use-after-free", "heap use after free"},
      {"heap-use-after-free-vptr", "heap use after free by a virtual call"},
      {"external-race", "race on an external object"},
      {"thread-leak", "thread leak"},
      {"locked-mutex-destroy", "destroy of a locked mutex"},
      {"mutex-double-lock", "double lock of a mutex"},
      {"mutex-invalid-access", "use of an invalid mutex"},
      {"mutex-bad-unlock", "bad unlock of a mutex"},
      {"mutex-bad-read-lock", "read lock of a write-locked mutex"},
      {"mutex-bad-read-unlock", "read unlock of a write-locked mutex"},
      {"signal-unsafe-call", "signal-unsafe call in a signal handler"},
      {"errno-in-signal-handler", "signal handler that spoils errno"},
      {"lock-order-inversion", "lock-order inversion"},
      {"mutex-held-in-wrong-context", "mutex held in the wrong context"},
  };
  return *kTable;
}

TEST(TsanKind, EveryKeyOfTsanMapsToItsOwnKindAndBack) {
  std::set<TsanKind> kinds;
  for (const auto& [key, name] : TsanKeysAndNames()) {
    const TsanKind kind = TsanKindFromKey(key);
    EXPECT_NE(kind, TsanKind::kUnknown) << key;
    EXPECT_EQ(TsanKindKey(kind), key);
    EXPECT_EQ(TsanKindName(kind), name) << key;
    EXPECT_TRUE(kinds.insert(kind).second) << key << " shares its kind with another key";
  }
}

TEST(TsanKind, EveryEnumeratorHasADistinctKeyAndName) {
  // From kUnknown through the last enumerator, each with names of its own.
  std::set<std::string> keys, names;
  const int last = static_cast<int>(TsanKind::kMutexHeldInWrongContext);
  for (int i = 0; i <= last; ++i) {
    const auto kind = static_cast<TsanKind>(i);
    EXPECT_TRUE(keys.insert(TsanKindKey(kind)).second) << TsanKindKey(kind);
    EXPECT_TRUE(names.insert(TsanKindName(kind)).second) << TsanKindName(kind);
  }
  // Every one but kUnknown is a key TSan gives.
  EXPECT_EQ(keys.size(), TsanKeysAndNames().size() + 1);
}

TEST(TsanKind, AnyOtherTextIsAKindRacestressDoesNotKnow) {
  for (const char* text : {"", "unknown", "data race", "Data-Race", "data-race ", "data-",
                           "lock-order-inversion (potential deadlock)", "race"}) {
    EXPECT_EQ(TsanKindFromKey(text), TsanKind::kUnknown) << '"' << text << '"';
  }
  EXPECT_STREQ(TsanKindKey(TsanKind::kUnknown), "unknown");
  EXPECT_STREQ(TsanKindName(TsanKind::kUnknown), "report of a kind racestress does not know");
  // A value past the last enumerator (a corrupt one) reads as unknown too.
  EXPECT_STREQ(TsanKindKey(static_cast<TsanKind>(200)), "unknown");
}

}  // namespace
}  // namespace racestress
