// Copyright 2026 The Thrombo Authors.
// A whole file read into a string, sized once from the file.
#ifndef THROMBO_BASE_READ_FILE_H_
#define THROMBO_BASE_READ_FILE_H_

#include <cstddef>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace thrombo::base {

// The file at `path` into `*text`, replacing what it held. The string is sized once from the
// file's size, and reading many files into one string reuses its memory (a stream buffer grown
// by doubling allocated afresh at each step: page faults for a file of megabytes). A file over
// `limit` bytes is refused before it is read: InvalidArgument "document is N bytes, limit is L".
// A pipe or a file that reports no size (`<(...)`, /dev/stdin, /proc) is read to its end, and
// refused once it passes the limit ("document is over L bytes, limit is L"). NotFound
// "cannot open PATH" or "cannot read PATH" when the file cannot be opened or read.
absl::Status ReadFileInto(const std::string& path, std::string* text,
                          size_t limit = std::numeric_limits<size_t>::max());
// The same into a new string, for a caller that reads one file.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     size_t limit = std::numeric_limits<size_t>::max());

}  // namespace thrombo::base

#endif  // THROMBO_BASE_READ_FILE_H_
