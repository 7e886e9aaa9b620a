// Copyright 2026 The Thrombo Authors.
// `thrombo validate FILE...`: checks that FHIR JSON files (a resource, a Bundle or NDJSON) parse,
// printing one OK/ERROR line per file and an OperationOutcome for each failure.
#ifndef THROMBO_SERVICE_VALIDATE_COMMAND_H_
#define THROMBO_SERVICE_VALIDATE_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "fhir/json_sax_handler.h"

namespace thrombo::service {

// The outcome of validating one file.
struct FileValidation {
  std::string path;
  absl::Status status;    // OK, or why the file did not parse (with its FHIR path)
  int64_t resources = 0;  // resources read: 1 per resource, + the entries of a Bundle,
                          // 1 per NDJSON line
  int64_t skipped = 0;    // unknown elements and unmodelled resources skipped
};

// Reads and parses one file. Files named *.ndjson or *.jsonl are NDJSON (each line within the
// parse limits; the file within 64x max_document_bytes); others are one JSON resource. Never
// throws or crashes on hostile input; I/O errors are NotFound / InvalidArgument. Thread-safe.
FileValidation ValidateFile(const std::string& path, const fhir::ParseOptions& options);

// "OK <path> resources=N skipped=M\n", or "ERROR <path>\n" followed by the OperationOutcome
// JSON of the error and a newline.
std::string FormatValidation(const FileValidation& validation);

// The subcommand: args are the words after "validate" ([--strict] FILE...). Writes reports to
// `out` and usage errors to `err`. Returns the exit code: 0 when every file parsed, 1 when any
// did not, 2 on bad usage.
int RunValidateCommand(const std::vector<std::string>& args, std::ostream& out,
                       std::ostream& err);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_VALIDATE_COMMAND_H_
