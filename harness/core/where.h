// -----------------------------------------------------------------------------
// harness/core/where.h
// -----------------------------------------------------------------------------
//
// Source locations as every report names them.
//
// Thread safety: pure functions.

#ifndef RACESTRESS_HARNESS_CORE_WHERE_H_
#define RACESTRESS_HARNESS_CORE_WHERE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace racestress::internal {

// Where()
//
// "file.cc:12" (the file's base name); for line 0, a call the harness
// intercepted, the function's name alone ("pthread_mutex_lock"); for a null
// file, "<no scheduling point yet>".
std::string Where(const char* file, int line);

// The part of `path` after its last '/' ("?" for null).
absl::string_view Basename(const char* path);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_CORE_WHERE_H_
