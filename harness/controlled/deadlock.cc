#include "harness/controlled/deadlock.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/controlled/trace.h"
#include "harness/core/where.h"

namespace racestress::internal {
namespace {

// " actor 0 waits in Mutex::Lock at x.cc:12 for to.mu, which actor 1 holds
// (locked as from.mu at x.cc:50);"
std::string BlockedActor(const Actor& a, const HeldMutexes& held) {
  std::string out = absl::StrCat(" actor ", a.index, " waits in ", a.waiting_in);
  // Line 0: an intercepted pthread call, already named by waiting_in.
  if (a.line != 0) absl::StrAppend(&out, " at ", Where(a.file, a.line));
  if (a.waiting_for != nullptr) {
    auto it = held.find(a.waiting_for);
    if (it != held.end()) {
      // Named as each side's source names it: often differently.
      const std::string wanted = TracedObjectAt(TraceOp::kWait, a.file, a.line);
      const std::string holder = TracedObjectAt(TraceOp::kLock, it->second.file, it->second.line);
      absl::StrAppend(&out, " for ", wanted.empty() ? "a mutex" : wanted, ", which actor ",
                      it->second.owner, " holds (locked",
                      holder.empty() ? "" : absl::StrCat(" as ", holder), " at ",
                      Where(it->second.file, it->second.line), ")");
    }
  }
  absl::StrAppend(&out, ";");
  return out;
}

// " wait-for cycle: actor 0 -> actor 1 -> actor 0", or "" if the waits
// starting at `start` form none.
std::string CycleFrom(int start, const std::deque<Actor>& actors, int live,
                      const HeldMutexes& held) {
  std::vector<int> chain = {start};
  int at = start;
  for (int hops = 0; hops <= live; ++hops) {
    const Actor& w = actors[at];
    if (w.state != ActorState::kBlocked || w.waiting_for == nullptr) return "";
    auto it = held.find(w.waiting_for);
    if (it == held.end()) return "";
    at = it->second.owner;
    chain.push_back(at);
    if (at != start) continue;
    std::string out = " wait-for cycle:";
    for (size_t i = 0; i < chain.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? " actor " : " -> actor ", chain[i]);
    }
    return out;
  }
  return "";
}

}  // namespace

std::string DescribeDeadlock(int64_t step, const std::deque<Actor>& actors, int live,
                             const HeldMutexes& held) {
  std::string out = absl::StrCat("deadlock at step ", step, ": every live actor is blocked;");
  for (int i = 0; i < live; ++i) {
    if (actors[i].state == ActorState::kBlocked) out += BlockedActor(actors[i], held);
  }
  for (int i = 0; i < live; ++i) {
    const std::string cycle = CycleFrom(actors[i].index, actors, live, held);
    if (!cycle.empty()) return out + cycle;
  }
  out.pop_back();
  return out;
}

}  // namespace racestress::internal
