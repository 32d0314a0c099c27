// -----------------------------------------------------------------------------
// harness/controlled/actor.h
// -----------------------------------------------------------------------------
//
// The controlled scheduler's books: its actors (each a fiber), who holds
// which mutex, and the condition variables waited on.
//
// Thread safety: the scheduler's fibers, one at a time.

#ifndef RACESTRESS_HARNESS_CONTROLLED_ACTOR_H_
#define RACESTRESS_HARNESS_CONTROLLED_ACTOR_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>

#include "absl/functional/function_ref.h"
#include "harness/controlled/fiber.h"

namespace racestress::internal {

class ControlledScheduler;

enum class ActorState { kRunnable, kBlocked, kFinished };

struct Actor {
  int index = 0;
  ControlledScheduler* scheduler = nullptr;
  std::unique_ptr<Fiber> fiber;
  ActorState state = ActorState::kRunnable;
  // While blocked: what the actor waits for.
  const absl::FunctionRef<bool()>* ready = nullptr;
  const char* waiting_in = nullptr;
  const void* waiting_for = nullptr;  // a mutex, or null
  const char* file = nullptr;
  int line = 0;
  int ignore_depth = 0;
  // Whether this fiber's plain accesses are ignored by TSan
  // (ControlledScheduler::StopCheckingAccesses()).
  bool accesses_unchecked = false;
  // A thread started with StartThread(): its body, and its tokens (the edges
  // from its start and to its join, and no other).
  void (*thread_entry)(void*) = nullptr;
  void* thread_arg = nullptr;
  char start_token = 0;
  char finish_token = 0;
};

// A mutex held, keyed by its address.
struct Held {
  int owner = -1;
  const char* file = nullptr;
  int line = 0;
};
using HeldMutexes = std::map<const void*, Held>;

// A condition variable waited on: tickets below `wake_limit` are signalled.
struct CondState {
  uint64_t next_ticket = 0;
  uint64_t wake_limit = 0;
};

// An actor blocked in a futex wait: woken by a wake of its address whose
// bitset shares a bit with its own.
struct FutexWaiter {
  uint32_t bitset = 0;
  bool woken = false;
};

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_ACTOR_H_
