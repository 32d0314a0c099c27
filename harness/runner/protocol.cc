#include "harness/runner/protocol.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/str_split.h"

namespace racestress::internal {
namespace {

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the runner is gone; nothing left to tell
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// Escapes into `out` (no allocation): backslash, space, newline and control
// characters become three-digit octal escapes (\ooo, as CUnescape reads them:
// a hex escape would swallow the hex digits that follow it).
size_t EscapeInto(absl::string_view text, char* out, size_t capacity) {
  size_t n = 0;
  for (unsigned char c : text) {
    const bool plain = c > ' ' && c != '\\' && c < 0x7f;
    const size_t need = plain ? 1 : 4;
    if (n + need >= capacity) break;
    if (plain) {
      out[n++] = static_cast<char>(c);
    } else {
      out[n++] = '\\';
      out[n++] = static_cast<char>('0' + (c >> 6));
      out[n++] = static_cast<char>('0' + ((c >> 3) & 7));
      out[n++] = static_cast<char>('0' + (c & 7));
    }
  }
  return n;
}

}  // namespace

void WriteFindingLine(int fd, const FindingView& finding) {
  char line[PIPE_BUF];
  const char* report_kind =
      finding.kind == Symptom::kRace ? TsanKindKey(finding.tsan_kind) : "-";
  int n = snprintf(line, sizeof(line), "finding %lld %u %s %s ",
                   static_cast<long long>(finding.iteration),
                   static_cast<unsigned>(finding.kind), report_kind,
                   EngineName(finding.engine));
  if (n < 0) return;
  size_t size = static_cast<size_t>(n);
  // Empty fields as "-": a field of its own, which no escaped text is.
  for (absl::string_view field : {finding.strategy, finding.replay_flags}) {
    size += field.empty() ? EscapeInto("-", line + size, sizeof(line) - size - 1)
                          : EscapeInto(field, line + size, sizeof(line) - size - 1);
    if (size + 2 < sizeof(line)) line[size++] = ' ';
  }
  size += EscapeInto(finding.detail, line + size, sizeof(line) - size - 1);
  line[size++] = '\n';
  WriteAll(fd, line, size);
}

void WriteProgressLine(int fd, int64_t iterations) {
  const std::string line = absl::StrCat("progress ", iterations, "\n");
  WriteAll(fd, line.data(), line.size());
}

void ProtocolSink::OnFinding(const FindingView& finding) { WriteFindingLine(fd_, finding); }

void ProtocolSink::Finish(const EngineResult& result) {
  for (const auto& entry : result.outcomes) {
    char value[PIPE_BUF / 2];
    const size_t size = EscapeInto(entry.value, value, sizeof(value));
    const std::string line = absl::StrCat("outcome ", entry.count, " ", entry.row, " ",
                                          absl::string_view(value, size), "\n");
    WriteAll(fd_, line.data(), line.size());
  }
  if (!result.note.empty()) {
    char note[PIPE_BUF / 2];
    const size_t size = EscapeInto(result.note, note, sizeof(note));
    const std::string line = absl::StrCat("note ", absl::string_view(note, size), "\n");
    WriteAll(fd_, line.data(), line.size());
  }
  const std::string done = absl::StrCat("done ", result.iterations, " ", result.elapsed_ms,
                                        " ", result.final_stride, "\n");
  WriteAll(fd_, done.data(), done.size());
}

namespace {

std::string Unescape(absl::string_view text) {
  std::string out;
  absl::CUnescape(text, &out);
  return out;
}

bool ParseFinding(absl::string_view line, CaseRun& run) {
  std::vector<absl::string_view> fields = absl::StrSplit(line, absl::MaxSplits(' ', 7));
  if (fields.size() != 8) return false;
  Finding finding;
  uint32_t kind = 0;
  if (!absl::SimpleAtoi(fields[1], &finding.iteration) || !absl::SimpleAtoi(fields[2], &kind)) {
    return false;
  }
  finding.kind = static_cast<Symptom>(kind);
  // A key this racestress does not know is kUnknown: the detail has it.
  finding.tsan_kind = TsanKindFromKey(fields[3]);
  if (fields[4] == EngineName(EngineKind::kControlled)) {
    finding.engine = EngineKind::kControlled;
  } else if (fields[4] != EngineName(EngineKind::kStress)) {
    return false;
  }
  if (fields[5] != "-") finding.strategy = Unescape(fields[5]);
  if (fields[6] != "-") finding.replay_flags = Unescape(fields[6]);
  finding.detail = Unescape(fields[7]);
  run.findings.push_back(std::move(finding));
  return true;
}

}  // namespace

bool ParseProtocolLine(absl::string_view line, CaseRun& run) {
  if (absl::StartsWith(line, "finding ")) return ParseFinding(line, run);
  std::vector<absl::string_view> fields = absl::StrSplit(line, absl::MaxSplits(' ', 3));
  auto unescape = [](absl::string_view text) { return Unescape(text); };
  if (fields.size() >= 3 && fields[0] == "outcome") {
    Accumulator::Entry entry;
    if (!absl::SimpleAtoi(fields[1], &entry.count) || !absl::SimpleAtoi(fields[2], &entry.row)) {
      return false;
    }
    entry.value = fields.size() == 4 ? unescape(fields[3]) : "";
    run.outcomes.push_back(std::move(entry));
    return true;
  }
  if (fields.size() == 2 && fields[0] == "progress") {
    return absl::SimpleAtoi(fields[1], &run.progress);
  }
  if (fields[0] == "note") {
    run.note = unescape(line.substr(std::min(line.size(), size_t{5})));
    return true;
  }
  if (fields.size() == 4 && fields[0] == "done") {
    int64_t iterations = 0, elapsed_ms = 0;
    int stride = 0;
    if (!absl::SimpleAtoi(fields[1], &iterations) || !absl::SimpleAtoi(fields[2], &elapsed_ms) ||
        !absl::SimpleAtoi(fields[3], &stride)) {
      return false;
    }
    run.iterations = iterations;
    run.elapsed_ms = elapsed_ms;
    run.stride = stride;
    run.finished = true;
    return true;
  }
  return false;
}

void ParseProtocolLines(std::string& buffer, CaseRun& run) {
  size_t start = 0;
  for (size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
    ParseProtocolLine(absl::string_view(buffer).substr(start, nl - start), run);
  }
  buffer.erase(0, start);
}

CaseRun ReadProtocolFile(int fd) {
  CaseRun run;
  std::string buffer;
  char chunk[4096];
  for (off_t offset = 0;;) {
    const ssize_t n = pread(fd, chunk, sizeof(chunk), offset);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    offset += n;
  }
  ParseProtocolLines(buffer, run);
  return run;
}

}  // namespace racestress::internal
