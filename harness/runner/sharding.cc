#include "harness/runner/sharding.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "harness/runner/supervisor.h"

namespace racestress::internal {

absl::StatusOr<Shard> ShardFromEnvironment() {
  Shard shard;
  const char* total = getenv("GTEST_TOTAL_SHARDS");
  const char* index = getenv("GTEST_SHARD_INDEX");
  if (total == nullptr && index == nullptr) return shard;
  if (total == nullptr || index == nullptr) {
    return absl::InvalidArgumentError(
        "GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX must be set together");
  }
  if (!absl::SimpleAtoi(total, &shard.total) || shard.total < 1 ||
      shard.total > kMaxTotalShards) {
    return absl::InvalidArgumentError(absl::StrCat("bad GTEST_TOTAL_SHARDS '", total,
                                                   "': must be a number from 1 to ",
                                                   kMaxTotalShards));
  }
  if (!absl::SimpleAtoi(index, &shard.index) || shard.index < 0 || shard.index >= shard.total) {
    return absl::InvalidArgumentError(absl::StrCat("bad GTEST_SHARD_INDEX '", index,
                                                   "': must be 0 to ", shard.total - 1));
  }
  if (const char* status = getenv("GTEST_SHARD_STATUS_FILE"); status != nullptr && *status) {
    const int fd = open(status, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot write GTEST_SHARD_STATUS_FILE ", status, ": ", strerror(errno)));
    }
    close(fd);
  }
  // GoogleTest would split the cases among the shards; the iterations are
  // split instead (NarrowToShard), so every shard runs every case.
  unsetenv("GTEST_TOTAL_SHARDS");
  unsetenv("GTEST_SHARD_INDEX");
  return shard;
}

bool NarrowToShard(const CaseBase& c, RunOptions& options) {
  if (options.total_shards <= 1 || options.replaying) return true;
  const int64_t budget = IterationBudget(c, options);
  const int64_t k = options.shard_index;
  const int64_t shards = options.total_shards;
  if (budget <= 0) {
    options.first_iteration += k * kShardIterationStride;
    return true;
  }
  // budget * k needs more than 64 bits for a large budget; the quotients
  // are within [0, budget].
  const auto from = static_cast<int64_t>(static_cast<__int128>(budget) * k / shards);
  const auto to = static_cast<int64_t>(static_cast<__int128>(budget) * (k + 1) / shards);
  if (to == from) return false;
  options.first_iteration += from;
  options.iterations = to - from;
  return true;
}

}  // namespace racestress::internal
