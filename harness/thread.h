// -----------------------------------------------------------------------------
// thread.h
// -----------------------------------------------------------------------------
//
// `Thread` is a thread an actor starts itself, shaped like std::jthread
// without stop tokens: the constructor starts `body`, `Join()` waits for it,
// and the destructor joins a thread nobody joined. Cases that model code
// which starts its own threads (Python's `threading.Thread(...).start()`, a
// pool's workers) use it instead of std::thread so that both engines reach
// into them:
//
//   * stress engine: a std::thread whose scheduling points are perturbed
//     like its starter's (its random stream is drawn from the starter's, so
//     a seed still fixes every choice);
//   * controlled engine: a new actor of the schedule, a fiber like the
//     others; the strategy may run it before the starter's next step, and a
//     join of a thread that never ends is a deadlock the moment no actor can
//     run. The step trace shows "T0 start T2" and "T0 join T2".
//
// Outside a case (no engine running) it is a plain std::thread.
//
// Thread safety: `Join()` and the destructor must be called by one thread,
// the owner, as with std::thread. A `Thread` may be moved, not copied.
//
// Memory ordering: what the starter did before the constructor happens
// before the body; what the body did happens before `Join()` returns.

#ifndef RACESTRESS_HARNESS_THREAD_H_
#define RACESTRESS_HARNESS_THREAD_H_

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "harness/core/scheduler.h"

namespace racestress {

class Thread {
 public:
  // An empty Thread: no thread, nothing to join.
  Thread();

  // Starts `body()` on a new thread (a new actor under the controlled engine).
  template <typename F,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Thread>>>
  explicit Thread(F&& body, const char* file = __builtin_FILE(), int line = __builtin_LINE())
      : Thread(std::function<void()>(std::forward<F>(body)), file, line) {}
  Thread(std::function<void()> body, const char* file, int line);

  // Joins the thread if it is still joinable.
  ~Thread();

  Thread(Thread&& other) noexcept;
  // Aborts if this Thread is still joinable, as std::thread would terminate.
  Thread& operator=(Thread&& other) noexcept;
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  // Thread::Join()
  //
  // A scheduling point, then blocks until the body has returned. At most once.
  void Join(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // Thread::Joinable()
  //
  // True from the start until `Join()`.
  bool Joinable() const { return state_ != nullptr; }

 private:
  std::unique_ptr<internal::ThreadState> state_;  // the body, and the engine's handle
};

}  // namespace racestress

#endif  // RACESTRESS_HARNESS_THREAD_H_
