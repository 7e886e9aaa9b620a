// Copyright 2026 The Thrombo Authors.
// `thrombo feedback export`: stored card feedback, or audit rows, as JSON lines.
#ifndef THROMBO_SERVICE_CLI_FEEDBACK_COMMAND_H_
#define THROMBO_SERVICE_CLI_FEEDBACK_COMMAND_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"

namespace thrombo::service {

// Writes every feedback row (or, with `audit`, every audit row) of the database at `db_path`
// to `out`, one JSON object per line. NotFound when the file does not exist (export never
// creates a database); Unavailable when it cannot be read.
absl::Status ExportFeedback(const std::string& db_path, bool audit, std::ostream& out);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CLI_FEEDBACK_COMMAND_H_
