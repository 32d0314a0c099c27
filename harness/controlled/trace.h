// -----------------------------------------------------------------------------
// harness/controlled/trace.h
// -----------------------------------------------------------------------------
//
// The step trace of a schedule: the last steps each actor took (an access, a
// lock, a wait ...), named as the case's source names them, for the report
// of a schedule that failed; and the trace hash, every choice and step of
// every schedule of the run in one number, which a replay must reproduce.
//
// Thread safety: used by the scheduler's fibers, one at a time.

#ifndef RACESTRESS_HARNESS_CONTROLLED_TRACE_H_
#define RACESTRESS_HARNESS_CONTROLLED_TRACE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/scheduler.h"

namespace racestress::internal {

class StepTrace {
 public:
  // StepTrace::Append()
  //
  // `actor` did `op` at file:line (with `value` if `has_value`).
  void Append(int actor, TraceOp op, const char* file, int line, bool has_value,
              int64_t value);

  // StepTrace::Chose()
  //
  // The strategy picked `actor` to run next.
  void Chose(int actor);

  // StepTrace::BeginSchedule()
  //
  // Forgets the steps of the previous schedule (not the hash).
  void BeginSchedule() { count_ = 0; }

  // StepTrace::Format()
  //
  // "; step trace (last 48 of 300):\n    T0 load x -> 1  (file.cc:12)...",
  // or "" for a schedule that took no traced step.
  std::string Format() const;

  uint64_t hash() const { return hash_; }

 private:
  struct Entry {
    int actor;
    TraceOp op;
    bool has_value;
    const char* file;
    int line;
    int64_t value;
  };
  static constexpr size_t kKept = 48;

  std::vector<Entry> entries_;  // a ring of the last kKept
  size_t count_ = 0;            // steps of this schedule
  uint64_t hash_ = 0;           // every choice and traced step of the run
};

// TracedObjectAt()
//
// What a step at file:line worked on, as the source there names it
// ("counter", "from.mu"), or "".
std::string TracedObjectAt(TraceOp op, const char* file, int line);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CONTROLLED_TRACE_H_
