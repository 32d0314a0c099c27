#include "harness/report/report_json.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/runner/flags.h"

namespace racestress::internal {
namespace {

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string KindName(Symptom kind) {
  switch (kind) {
    case Symptom::kRace: return "race";
    case Symptom::kLostUpdate: return "lost_update";
    case Symptom::kForbidden: return "forbidden";
    case Symptom::kHang: return "hang";
    case Symptom::kCrash: return "crash";
    default: return "unknown";
  }
}

std::string TempPathFor(const std::string& path) {
  return absl::StrCat(path, ".tmp.", getpid());
}

}  // namespace

std::string ReportJson(uint64_t run_seed, const std::string& preset,
                       const std::vector<CaseReport>& cases, Shard shard) {
  std::string out = absl::StrCat("{\"seed\": ", Quote(FormatSeed(run_seed)),
                                 ", \"preset\": ", Quote(preset));
  if (shard.total > 1) {
    absl::StrAppend(&out, ", \"shard\": {\"index\": ", shard.index, ", \"total\": ", shard.total,
                    "}");
  }
  absl::StrAppend(&out, ", \"cases\": [");
  for (size_t i = 0; i < cases.size(); ++i) {
    const CaseReport& c = cases[i];
    absl::StrAppend(&out, i == 0 ? "\n  " : ",\n  ", "{\"name\": ", Quote(c.name),
                    ", \"expectation\": ", Quote(c.racy ? "racy" : "clean"),
                    ", \"passed\": ", c.passed ? "true" : "false",
                    ", \"skipped\": ", c.skipped ? "true" : "false",
                    ", \"iterations\": ", c.iterations, ", \"elapsed_ms\": ", c.elapsed_ms,
                    ", \"races\": ", c.races, ", \"hangs\": ", c.hangs,
                    ", \"crashes\": ", c.crashes, ", \"outcomes\": [");
    for (size_t j = 0; j < c.outcomes.size(); ++j) {
      absl::StrAppend(&out, j == 0 ? "" : ", ", "{\"value\": ", Quote(c.outcomes[j].value),
                      ", \"count\": ", c.outcomes[j].count,
                      ", \"class\": ", Quote(c.outcomes[j].grade), "}");
    }
    absl::StrAppend(&out, "], \"first_failure\": ");
    if (c.first_failure) {
      absl::StrAppend(&out, "{\"iteration\": ", c.first_failure->iteration,
                      ", \"kind\": ", Quote(KindName(c.first_failure->kind)),
                      ", \"detail\": ", Quote(c.first_failure->detail),
                      ", \"replay\": ", Quote(c.replay), "}");
    } else {
      absl::StrAppend(&out, "null");
    }
    absl::StrAppend(&out, "}");
  }
  absl::StrAppend(&out, "\n]}\n");
  return out;
}

absl::Status WriteFileAtomically(const std::string& path, const std::string& contents) {
  const std::string temp = TempPathFor(path);
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", strerror(errno)));
  }
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      close(fd);
      unlink(temp.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0 || rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    unlink(temp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", strerror(error)));
  }
  return absl::OkStatus();
}

absl::Status CheckWritable(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": not a regular file"));
  }
  const std::string temp = TempPathFor(path);
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", strerror(errno)));
  }
  close(fd);
  unlink(temp.c_str());
  return absl::OkStatus();
}

}  // namespace racestress::internal
