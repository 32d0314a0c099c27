// -----------------------------------------------------------------------------
// harness/controlled/source_line_test.cc
// -----------------------------------------------------------------------------
//
// The step trace names variables by reading the call back from the source.
// These are the shapes the catalog writes; anything ambiguous names nothing
// rather than the wrong variable.

#include "harness/controlled/source_line.h"

#include "gtest/gtest.h"

namespace racestress::internal {
namespace {

TEST(CalledOn, NamesTheObjectOfTheCall) {
  EXPECT_EQ(CalledOn("const int seen = counter.Load();", {"Load"}), "counter");
  EXPECT_EQ(CalledOn("state->total.Store(now);", {"Store"}), "state->total");
  EXPECT_EQ(CalledOn("slots[t % kItems].Store(Item(producer, seq));", {"Store"}),
            "slots[t % kItems]");
  EXPECT_EQ(CalledOn("return Pool().queue.Load();", {"Load"}), "Pool().queue");
}

TEST(CalledOn, ReadAndWriteOnOneLineNameTheirOwnObjects) {
  constexpr char kCode[] = "taken.Store(taken.Load() + 1);";
  EXPECT_EQ(CalledOn(kCode, {"Load"}), "taken");
  EXPECT_EQ(CalledOn(kCode, {"Store"}), "taken");
  EXPECT_EQ(CalledOn("if (now > peak.Load()) peak.Store(now);", {"Store"}), "peak");
}

TEST(CalledOn, TwoCandidatesNameNothing) {
  EXPECT_EQ(CalledOn("return a.Load() + b.Load();", {"Load"}), "");
}

TEST(CalledOn, ScopedGuardsNameTheirMutex) {
  EXPECT_EQ(CalledOn("MutexLock lock(mu);", {"Lock", "Unlock"}), "mu");
  EXPECT_EQ(CalledOn("std::lock_guard<std::mutex> guard(&state.mu);", {"Lock"}), "state.mu");
  EXPECT_EQ(CalledOn("first.Lock();", {"Lock", "Unlock"}), "first");
}

TEST(CalledOn, OtherMethodsAreNotCalls) {
  EXPECT_EQ(CalledOn("mu.Unlock();", {"Lock"}), "");
  EXPECT_EQ(CalledOn("counter.LoadAll();", {"Load"}), "");
  EXPECT_EQ(CalledOn("", {"Load"}), "");
}

TEST(SourceLine, ReadsTheLineBackTrimmed) {
  const int line = __LINE__;  // the line read back
  EXPECT_EQ(SourceLine(__FILE__, line), "const int line = __LINE__;  // the line read back");
  EXPECT_EQ(SourceLine(__FILE__, 1 << 20), "");
  EXPECT_EQ(SourceLine("/nonexistent/racestress.cc", 1), "");
  EXPECT_EQ(SourceLine(nullptr, 1), "");
}

}  // namespace
}  // namespace racestress::internal
