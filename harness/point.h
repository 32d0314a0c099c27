// -----------------------------------------------------------------------------
// point.h
// -----------------------------------------------------------------------------
//
// A scheduling point is a place in a case where the stress engine may perturb
// the timing of the calling actor: do nothing, spin for a short random while,
// yield the processor, or (rarely) sleep a few microseconds. The choice is
// drawn from the actor's seeded stream, so a given (run seed, iteration)
// perturbs the same points the same way.
//
// Scheduling points are what turn a one-in-a-million interleaving into a
// common one: a point between the load and the store of `counter += 1`
// widens the window in which another actor's store is lost.
//
// The harness's own shared-state types (`Racy<T>`, `Mutex`) place points
// around every access; call `point()` directly to add one anywhere else.
//
// Thread safety: `point()` may be called from any thread. Outside an actor of a
// running case (the arbiter, the main thread, a thread the case spawned
// itself) it returns at once.
//
// Memory ordering: `point()` performs no synchronization. It never creates a
// happens-before edge between actors, so it cannot hide a data race from TSan.

#ifndef RACESTRESS_HARNESS_POINT_H_
#define RACESTRESS_HARNESS_POINT_H_

namespace racestress {

// point()
//
// Marks a scheduling point at the caller's source location (recorded so that
// a hang report can say where each actor last was).
void point(const char* file = __builtin_FILE(), int line = __builtin_LINE());

// yield()
//
// For the body of a spin-wait loop (`while (!ready.Load()) yield();`): under
// the stress engine, and outside a case, std::this_thread::yield(). Under the
// controlled engine, a scheduling point at which the actor steps back: the
// strategy runs another runnable actor first if there is one (pct lowers the
// actor's priority below all others, as CHESS does for fairness), so a spin
// cannot starve the actor it waits for. std::this_thread::yield() in such a
// loop would spin the schedule into a livelock report instead.
void yield(const char* file = __builtin_FILE(), int line = __builtin_LINE());

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_POINT_H_
