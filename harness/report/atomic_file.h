// -----------------------------------------------------------------------------
// harness/report/atomic_file.h
// -----------------------------------------------------------------------------
//
// How the reports reach the disk: written to a temporary file beside the
// path and renamed over it, so a reader sees the whole file or none; and a
// check, before any case runs, that the path can be written at all.
//
// Thread safety: the functions may run concurrently for different paths.

#ifndef RACESTRESS_HARNESS_REPORT_ATOMIC_FILE_H_
#define RACESTRESS_HARNESS_REPORT_ATOMIC_FILE_H_

#include <string>

#include "absl/status/status.h"

namespace racestress::internal {

// WriteFileAtomically()
//
// Writes `contents` to `path` atomically (temporary file + fsync + rename);
// on failure nothing is left behind and the status names `path`.
absl::Status WriteFileAtomically(const std::string& path, const std::string& contents);

// CheckWritable()
//
// Checks that `path` can be written (a regular file or none, in a directory
// that takes new files), without leaving anything behind.
absl::Status CheckWritable(const std::string& path);

}  // namespace racestress::internal

#endif  // RACESTRESS_HARNESS_REPORT_ATOMIC_FILE_H_
