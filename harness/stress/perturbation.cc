#include "harness/stress/perturbation.h"

#include <chrono>
#include <thread>

namespace racestress::internal {

thread_local constinit ActorContext* current_actor_context = nullptr;

PerturbationProfile PerturbationProfile::ForIteration(uint64_t iteration_seed) {
  Rng rng(Mix(iteration_seed, 0x70726f66696c65ULL));
  // Small on purpose: in a two-access case every point is perturbed, and
  // a spin of 64 pauses (~1.5 us) already costs more than the iteration.
  static constexpr uint32_t kIntensity[] = {1, 2, 4, 16};
  static constexpr uint32_t kMaxSpin[] = {1, 4, 16, 64};
  static constexpr uint32_t kStartDelay[] = {0, 0, 2, 16};
  PerturbationProfile p;
  const uint32_t style = rng.Below(64);
  p.max_start_delay = kStartDelay[rng.Below(4)];
  if (style < 20) return p;  // calm: about a third of the iterations
  p.intensity = kIntensity[rng.Below(4)];
  p.max_spin = kMaxSpin[rng.Below(4)];
  if (style >= 56) p.yield_per_256 = 64;  // one in eight: some points yield
  // One in 512: a few short sleeps, the only way to let a preempted actor's
  // partner run far ahead. Rare, because one sleep costs ~100 iterations.
  if (style == 63 && rng.Below(8) == 0) p.sleep_per_256 = 32;
  return p;
}

void ActorContext::BeginIteration(uint64_t case_seed, int64_t iteration, bool perturb) {
  const uint64_t iteration_seed = IterationSeed(case_seed, iteration);
  profile = perturb ? PerturbationProfile::ForIteration(iteration_seed) : PerturbationProfile{};
  rng = Rng(Mix(iteration_seed, static_cast<uint64_t>(actor)));
  points = 0;
  if (status != nullptr) {
    status->point_file.store(nullptr, std::memory_order_relaxed);
    status->point_line.store(0, std::memory_order_relaxed);
    status->iteration.store(iteration, std::memory_order_relaxed);
  }
}

void ActorContext::StartDelay() {
  if (profile.max_start_delay != 0) SpinPause(rng.Below(profile.max_start_delay));
}

void ActorContext::Point(const char* file, int line) {
  if (status != nullptr) {
    status->point_file.store(file, std::memory_order_relaxed);
    status->point_line.store(line, std::memory_order_relaxed);
  }
  ++points;
  if (profile.intensity == 0) return;
  // One draw decides: the low 32 bits whether to perturb (probability
  // min(1, intensity / points)), the next 8 which action, the top the length.
  const uint64_t draw = rng.Next();
  if (points > profile.intensity &&
      (draw & 0xffffffffULL) * points >= uint64_t{profile.intensity} << 32) {
    return;
  }
  const uint32_t action = (draw >> 32) & 0xff;
  if (action < profile.sleep_per_256) {
    std::this_thread::sleep_for(std::chrono::microseconds(1 + (draw >> 58)));
  } else if (action < profile.sleep_per_256 + profile.yield_per_256) {
    std::this_thread::yield();
  } else {
    SpinPause(static_cast<uint32_t>((draw >> 40) % (profile.max_spin + 1)));
  }
}

ActorContext ActorContext::ForStartedThread() {
  ActorContext started;
  started.actor = actor;
  started.rng = Rng(rng.Next());
  started.profile = profile;
  return started;
}

ScopedActor::ScopedActor(ActorContext* context) : previous_(current_actor_context) {
  current_actor_context = context;
}

ScopedActor::~ScopedActor() { current_actor_context = previous_; }

ScopedBlocking::ScopedBlocking(const char* what, const char* file, int line)
    : status_(current_actor_context != nullptr ? current_actor_context->status : nullptr) {
  if (status_ == nullptr) return;
  // Nested (a harness Mutex's wait reaching the pthread call under it): the
  // outer wait names the case's own line; keep it.
  if (status_->blocked_on.load(std::memory_order_relaxed) != nullptr) {
    status_ = nullptr;
    return;
  }
  status_->blocked_file.store(file, std::memory_order_relaxed);
  status_->blocked_line.store(line, std::memory_order_relaxed);
  status_->blocked_on.store(what, std::memory_order_release);
}

ScopedBlocking::~ScopedBlocking() {
  if (status_ != nullptr) status_->blocked_on.store(nullptr, std::memory_order_release);
}

void SpinPause(uint32_t pauses) {
  for (uint32_t i = 0; i < pauses; ++i) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#else
    std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
  }
}

}  // namespace racestress::internal
