// -----------------------------------------------------------------------------
// harness/runner/protocol.h
// -----------------------------------------------------------------------------
//
// How a case's child process tells the runner what happened: one line per
// event on a file descriptor, written as it happens, so that a child that
// crashes or hangs has already told everything it knew.
//
//   finding <iteration> <symptom bits> <report kind> <engine>
//           <escaped strategy> <escaped replay flags> <escaped detail>
//   outcome <count> <row> <escaped value>
//   progress <iterations so far>
//   done <iterations> <elapsed ms> <stride>
//
// <report kind> is a race's TsanKindKey() ("lock-order-inversion"), "-" for
// any other finding. Each line is written with one write(2) of at most
// PIPE_BUF bytes, so lines from different threads never interleave.

#ifndef RACESTRESS_HARNESS_RUNNER_PROTOCOL_H_
#define RACESTRESS_HARNESS_RUNNER_PROTOCOL_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "harness/core/case_base.h"
#include "harness/stress/engine.h"

namespace racestress::internal {

// Writes findings to `fd` as protocol lines. Allocation-free on the finding
// path (it runs inside TSan's report hook and in signal handlers).
class ProtocolSink final : public FindingSink {
 public:
  explicit ProtocolSink(int fd) : fd_(fd) {}
  void OnFinding(const FindingView& finding) override;
  // Writes the outcome lines and the closing `done` line.
  void Finish(const EngineResult& result);

 private:
  int fd_;
};

// Writes one finding line to `fd`; async-signal-safe.
void WriteFindingLine(int fd, const FindingView& finding);

// Writes one progress line to `fd`.
void WriteProgressLine(int fd, int64_t iterations);

// What a child reported, as the runner reassembles it.
struct CaseRun {
  std::vector<Finding> findings;   // in the order they were written
  std::vector<Accumulator::Entry> outcomes;
  int64_t iterations = 0;
  int64_t elapsed_ms = 0;
  int stride = 0;
  std::string note;                // the engine's closing remark, if any
  int64_t progress = 0;            // iterations so far, from `progress` lines
  bool finished = false;           // the `done` line arrived
};

// Appends what `line` (without its newline) says to `run`. Returns false for
// a line that is not protocol (ignored by the caller).
bool ParseProtocolLine(absl::string_view line, CaseRun& run);

// Parses every whole line of `buffer` into `run` and erases them, leaving a
// trailing partial line for the next chunk.
void ParseProtocolLines(std::string& buffer, CaseRun& run);

// Everything the file `fd` holds from its start, as protocol lines.
CaseRun ReadProtocolFile(int fd);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_RUNNER_PROTOCOL_H_
