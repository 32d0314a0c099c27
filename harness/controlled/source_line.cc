#include "harness/controlled/source_line.h"

#include <fstream>
#include <map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"

namespace racestress::internal {
namespace {

bool IsIdentifierChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// The object expression that ends just before `end` in `code`: identifiers
// joined by `.`, `->` or `::`, with balanced [...] and (...) suffixes, e.g.
// `state.slots[h % kItems]`.
absl::string_view ObjectBefore(absl::string_view code, size_t end) {
  size_t begin = end;
  while (begin > 0) {
    const char c = code[begin - 1];
    if (IsIdentifierChar(c) || c == '.' || c == ':') {
      --begin;
    } else if (c == '>' && begin >= 2 && code[begin - 2] == '-') {
      begin -= 2;
    } else if (c == ']' || c == ')') {
      const char open = c == ']' ? '[' : '(';
      int depth = 0;
      size_t i = begin;
      while (i > 0) {
        --i;
        if (code[i] == c) ++depth;
        if (code[i] == open && --depth == 0) break;
      }
      if (depth != 0) break;
      begin = i;
    } else {
      break;
    }
  }
  return absl::StripAsciiWhitespace(code.substr(begin, end - begin));
}

// The argument of a scoped guard's constructor on `code`, if any.
std::string GuardArgument(absl::string_view code) {
  for (absl::string_view guard : {"MutexLock ", "lock_guard<", "unique_lock<", "scoped_lock"}) {
    const size_t at = code.find(guard);
    if (at == absl::string_view::npos) continue;
    const size_t open = code.find('(', at);
    const size_t close = code.find(')', open);
    if (open == absl::string_view::npos || close == absl::string_view::npos) continue;
    absl::string_view arg = absl::StripAsciiWhitespace(code.substr(open + 1, close - open - 1));
    if (absl::ConsumePrefix(&arg, "&")) arg = absl::StripLeadingAsciiWhitespace(arg);
    return std::string(arg);
  }
  return "";
}

class FileCache {
 public:
  std::string Line(const char* file, int line) {
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = files_.try_emplace(file);
    if (inserted) {
      std::ifstream in(file);
      for (std::string text; std::getline(in, text);) it->second.push_back(std::move(text));
    }
    const std::vector<std::string>& lines = it->second;
    if (line < 1 || static_cast<size_t>(line) > lines.size()) return "";
    return std::string(absl::StripAsciiWhitespace(lines[static_cast<size_t>(line) - 1]));
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::vector<std::string>> files_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::string SourceLine(const char* file, int line) {
  if (file == nullptr) return "";
  static FileCache* const cache = new FileCache;
  return cache->Line(file, line);
}

std::string CalledOn(absl::string_view code, std::initializer_list<absl::string_view> methods) {
  std::string found;
  for (absl::string_view method : methods) {
    for (absl::string_view sep : {".", "->"}) {
      const std::string call = absl::StrCat(sep, method, "(");
      for (size_t at = code.find(call); at != absl::string_view::npos;
           at = code.find(call, at + 1)) {
        const absl::string_view object = ObjectBefore(code, at);
        if (object.empty()) continue;
        if (found.empty()) {
          found = std::string(object);
        } else if (found != object) {
          return "";  // two candidates: the line does not say which
        }
      }
    }
  }
  if (!found.empty()) return found;
  for (absl::string_view method : methods) {
    if (method == "Lock" || method == "Unlock") return GuardArgument(code);
  }
  return "";
}

}  // namespace racestress::internal
