#include "harness/core/where.h"

#include "absl/strings/str_cat.h"

namespace racestress::internal {

absl::string_view Basename(const char* path) {
  if (path == nullptr) return "?";
  absl::string_view text(path);
  const size_t slash = text.rfind('/');
  return slash == absl::string_view::npos ? text : text.substr(slash + 1);
}

std::string Where(const char* file, int line) {
  if (file == nullptr) return "<no scheduling point yet>";
  if (line == 0) return std::string(Basename(file));
  return absl::StrCat(Basename(file), ":", line);
}

}  // namespace racestress::internal
