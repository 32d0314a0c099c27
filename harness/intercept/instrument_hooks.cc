// -----------------------------------------------------------------------------
// harness/intercept/instrument_hooks.cc
// -----------------------------------------------------------------------------
//
// The hooks behind `racestress_instrument(<target>)`. Code compiled with
// `-fsanitize-coverage=inline-8bit-counters,trace-loads,trace-stores` calls
// `__sanitizer_cov_loadN(addr)` before each N-byte load and
// `__sanitizer_cov_storeN(addr)` before each store; here each call becomes a
// scheduling point of the engine running the calling thread:
//
//   * stress engine: the actor's seeded perturbation (spin, yield, rarely a
//     sleep), exactly as racestress::point() does;
//   * controlled engine: a point where the strategy may switch actors;
//   * any other thread, or no case running: nothing but a thread-local read;
//   * the harness's own code (core/harness_code.h), which may be running the
//     user's instrumented copy of a template it shares with the user's code:
//     nothing, never a re-entry of the scheduler.
//
// Its blocking calls (std::mutex, std::condition_variable, std::thread) are
// scheduling points too: see blocking_points.cc.
//
// This file is part of the harness, which is never compiled with those flags:
// the hooks do not instrument themselves. TSan's runtime defines its own weak
// `__sanitizer_cov_8bit_counters_init`; ours replaces it.

#include "harness/intercept/instrument_hooks.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "harness/core/harness_code.h"
#include "harness/intercept/blocking_points.h"
#include "harness/controlled/scheduler.h"
#include "harness/stress/perturbation.h"
#include "harness/tsan/tsan_annotations.h"

#if defined(RACESTRESS_TSAN)
extern "C" void AnnotateBenignRaceSized(const char* file, int line, const volatile void* address,
                                        size_t size, const char* description);
#endif

namespace racestress::internal {
namespace {

constexpr char kInstrumentedAccess[] = "<a load or store of instrumented code>";

std::atomic<int64_t> accesses_in_harness_code{0};

inline void InstrumentedAccess() {
  if (InHarnessCode()) {
    accesses_in_harness_code.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (ActorContext* actor = CurrentActor()) {
    ScopedHarnessCode harness;
    actor->Point(kInstrumentedAccess, 0);
  } else if (ControlledScheduler* scheduler = ControlledSchedulerOfThisThread()) {
    ScopedHarnessCode harness;
    scheduler->Point(kInstrumentedAccess, 0);
  }
}

}  // namespace

int64_t InstrumentedAccessesInHarnessCode() {
  return accesses_in_harness_code.load(std::memory_order_relaxed);
}
}  // namespace racestress::internal

// Referenced by every binary that links the hooks (CMakeLists.txt passes
// --undefined for it): a sanitizer runtime that carries weak default hooks of
// its own (clang 22's TSan does) would otherwise satisfy the instrumented
// code's calls, and this object, whose definitions must win, would never be
// linked.
extern "C" __attribute__((visibility("default"))) void racestress_instrument_hooks_anchor() {}

// Plain C names, as the compiler emits the calls; `addr` is the accessed
// address (unused: every access is a point, whatever it touches).
#define RACESTRESS_HOOK extern "C" __attribute__((visibility("default"))) void

RACESTRESS_HOOK __sanitizer_cov_load1(uint8_t*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_load2(uint16_t*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_load4(uint32_t*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_load8(uint64_t*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_load16(__int128*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_store1(uint8_t*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_store2(uint16_t*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_store4(uint32_t*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_store8(uint64_t*) { racestress::internal::InstrumentedAccess(); }
RACESTRESS_HOOK __sanitizer_cov_store16(__int128*) { racestress::internal::InstrumentedAccess(); }

// The counters the flag set requires (trace-loads needs a coverage kind) are
// the compiler's, one byte per edge, incremented by every thread without
// synchronization by design, and TSan instruments those increments too. They
// are not the program's state: declared benign here, for exactly their bytes,
// so that a fixed case stays clean (without this, Instrumented.*Lock* and
// *AtomicCheck were reported on `__start___sancov_cntrs`).
RACESTRESS_HOOK __sanitizer_cov_8bit_counters_init(char* begin, char* end) {
  // Instrumented code is linked: so are the pthread functions that make its
  // blocking calls scheduling points.
  racestress::internal::InstallBlockingPoints();
#if defined(RACESTRESS_TSAN)
  if (begin < end) {
    AnnotateBenignRaceSized(__FILE__, __LINE__, begin, static_cast<size_t>(end - begin),
                            "sanitizer coverage counters (compiler-owned, racy by design)");
  }
#else
  (void)begin;
  (void)end;
#endif
}
