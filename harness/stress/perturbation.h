// -----------------------------------------------------------------------------
// harness/stress/perturbation.h
// -----------------------------------------------------------------------------
//
// The per-actor state behind `racestress::point()`: the actor's seeded stream,
// the iteration's perturbation profile, and what the actor is doing right now
// (for hang reports and for attributing a TSan report to an iteration).
//
// Each actor thread installs its own `ActorContext` with `ScopedActor`; the
// controller reads `status` fields of other actors only after a deadline, and
// those fields are atomics.

#ifndef RACESTRESS_HARNESS_STRESS_PERTURBATION_H_
#define RACESTRESS_HARNESS_STRESS_PERTURBATION_H_

#include <atomic>
#include <cstdint>

#include "harness/core/harness_code.h"
#include "harness/core/rng.h"
#include "harness/core/signal_stack.h"

namespace racestress::internal {

// How hard one iteration shakes its actors. Drawn per iteration from the
// iteration seed, so that over many iterations every style is tried: calm
// iterations keep the natural interleavings in the sample, the others widen
// race windows with spins, yields and (rarely) sleeps.
//
// The cost stays bounded whatever the case does: the n-th scheduling point of
// an iteration is perturbed with probability min(1, intensity / n), so a
// two-access case is perturbed at every point while a loop of 100000 accesses
// sees about intensity * (1 + ln(100000 / intensity)) perturbations.
struct PerturbationProfile {
  uint32_t intensity = 0;      // 0: calm
  uint32_t max_spin = 0;       // spin length bound, in pause instructions
  uint32_t yield_per_256 = 0;  // share of perturbations that yield
  uint32_t sleep_per_256 = 0;  // share of perturbations that sleep 1..64 us
  uint32_t max_start_delay = 0;  // start offset bound, in pause instructions

  static PerturbationProfile ForIteration(uint64_t iteration_seed);
};

// Where an actor is, published for the controller's hang report.
struct ActorStatus {
  std::atomic<const char*> point_file{nullptr};  // last scheduling point
  std::atomic<int> point_line{0};
  std::atomic<const char*> blocked_on{nullptr};  // e.g. "Mutex::Lock"
  std::atomic<const char*> blocked_file{nullptr};
  std::atomic<int> blocked_line{0};
  std::atomic<int64_t> iteration{-1};            // the state it works on
};

struct ActorContext {
  int actor = 0;
  Rng rng{0};
  PerturbationProfile profile;
  uint32_t points = 0;  // scheduling points so far in this iteration
  ActorStatus* status = nullptr;

  // Switches to iteration `iteration`: reseeds the stream and redraws the
  // profile, so the iteration's choices do not depend on earlier ones.
  void BeginIteration(uint64_t case_seed, int64_t iteration, bool perturb = true);
  // Runs the random start offset of the current iteration.
  void StartDelay();
  // The body of racestress::point().
  void Point(const char* file, int line);
  // The context of a thread this actor starts: perturbed like this actor,
  // from a stream of its own drawn from this one's, so the same seed makes
  // the same choices.
  ActorContext ForStartedThread();
};

// The calling thread's context, or nullptr outside an actor.
// Set by ScopedActor; read inline, since compiler-inserted hooks ask at every
// load and store of instrumented code (constinit: no TLS wrapper call).
extern thread_local constinit ActorContext* current_actor_context;
inline ActorContext* CurrentActor() { return current_actor_context; }

// ScopedActor
//
// Installs `context` as the calling thread's actor context for its lifetime,
// and an alternate signal stack, so that the crash handler can report the
// actor's stack overflow (core/signal_stack.h).
class ScopedActor {
 public:
  explicit ScopedActor(ActorContext* context);
  ~ScopedActor();
  ScopedActor(const ScopedActor&) = delete;
  ScopedActor& operator=(const ScopedActor&) = delete;

 private:
  ActorContext* previous_;
  ScopedSignalStack signal_stack_;
};

// ScopedBlocking
//
// Publishes "blocked on `what` at file:line" for the calling actor while it
// waits in a harness primitive. A no-op outside an actor, and inside another
// ScopedBlocking (the outer one names the wait).
class ScopedBlocking {
 public:
  ScopedBlocking(const char* what, const char* file, int line);
  ~ScopedBlocking();
  ScopedBlocking(const ScopedBlocking&) = delete;
  ScopedBlocking& operator=(const ScopedBlocking&) = delete;

 private:
  ActorStatus* status_;
};

// Busy-waits for about `pauses` pause instructions.
void SpinPause(uint32_t pauses);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_STRESS_PERTURBATION_H_
