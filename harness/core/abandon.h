// -----------------------------------------------------------------------------
// harness/core/abandon.h
// -----------------------------------------------------------------------------
//
// When an engine cannot unwind its case (an actor blocked where nothing can
// wake it, so its thread or fiber can never be joined), it reports the hang
// to its FindingSink and then abandons the process: AbandonProcess() runs
// the handler the runner installed for the case under way. In a case's child
// process the default is right: the runner already has the finding, and the
// process ends at once. With --noisolate the runner's handler judges the
// case, prints its verdict, writes the reports and ends the run non-zero.
//
// Thread safety: SetAbandonHandler() before the case starts; AbandonProcess()
// from any thread (the watchdog's, the engine's controller).

#ifndef RACESTRESS_HARNESS_CORE_ABANDON_H_
#define RACESTRESS_HARNESS_CORE_ABANDON_H_

namespace racestress::internal {

// Must not return. nullptr restores the default.
using AbandonHandler = void (*)();
void SetAbandonHandler(AbandonHandler handler);

// Runs the handler; by default flushes stdio and ends every thread of the
// process with exit code 1, without exit()'s handlers (a blocked actor may
// hold a lock they need; TSan's own exit handler is one of them).
[[noreturn]] void AbandonProcess();

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_ABANDON_H_
