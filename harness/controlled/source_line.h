// -----------------------------------------------------------------------------
// harness/controlled/source_line.h
// -----------------------------------------------------------------------------
//
// Names the shared variable of a trace step. Primitives record where they
// were called from (`__builtin_FILE()`, `__builtin_LINE()`), not what they
// are called in the case; the step trace reads that source line back and
// takes the object the call is made on: `counter.Load()` names `counter`,
// `slots[h % kItems].Store(x)` names `slots[h % kItems]`, `MutexLock
// lock(mu)` names `mu`. C++ has no other way to learn a variable's name
// without the case spelling it out twice.
//
// The files are read when a finding is formatted, never on the hot path. A
// runner moved away from its sources names nothing, and the trace falls back
// to file:line alone.
//
// Thread safety: safe to call from any thread (the file cache is locked).

#ifndef RACESTRESS_HARNESS_CONTROLLED_SOURCE_LINE_H_
#define RACESTRESS_HARNESS_CONTROLLED_SOURCE_LINE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace racestress::internal {

// SourceLine()
//
// Line `line` (1-based) of `file`, without surrounding whitespace; empty if
// the file cannot be read or is shorter.
std::string SourceLine(const char* file, int line);

// CalledOn()
//
// The object expression before the first `.<method>(` on `code`, e.g.
// CalledOn("x = counter.Load() + 1;", {"Load"}) == "counter". For a guard
// object, `MutexLock lock(mu)` or `std::lock_guard<M> g(mu)`, the guard's
// argument. Empty if `code` has no such call, or calls it on two different
// objects (the step could be either).
std::string CalledOn(absl::string_view code, std::initializer_list<absl::string_view> methods);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_SOURCE_LINE_H_
