// Copyright 2026 The Thrombo Authors.
// What a scan read besides the patients: counts of input, skipped and unreadable lines, and the
// bad lines themselves. Every input line is counted by exactly one shard, so the shards' sums are
// the unsharded counts (`thrombo scan merge` adds them).
#ifndef THROMBO_SERVICE_SCAN_SUMMARY_H_
#define THROMBO_SERVICE_SCAN_SUMMARY_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace thrombo::scan {

struct ScanSummary {
  std::string now;            // the evaluation time, RFC 3339
  int64_t files = 0;          // NDJSON files in the export (each shard reads all)
  int64_t lines = 0;          // non-blank lines
  int64_t bytes = 0;          // their bytes, uncompressed
  int64_t resources = 0;      // lines read as a resource
  int64_t patients = 0;       // patients assessed (a Patient resource and its data)
  int64_t imid_patients = 0;  // of them, with an active IMiD (one gaps row each)
  int64_t bad_lines = 0;      // invalid JSON or FHIR: reported in bad_lines.ndjson, skipped
  int64_t unknown_patient_resources = 0;  // a subject/patient that names no Patient in the export
  int64_t assess_errors = 0;              // patients the engine refused (also in bad_lines.ndjson)
  std::map<std::string, int64_t> skipped_types;  // resource types the engine does not read
  std::map<std::string, int64_t> bad_by_reason;  // "invalid JSON", "invalid FHIR", ...

  void Add(const ScanSummary& other);  // sums every count; keeps `now` and the larger `files`
};

std::string SummaryToJson(const ScanSummary& summary);
absl::StatusOr<ScanSummary> SummaryFromJson(std::string_view json);

// One skipped line: where it is and what was wrong with it.
struct BadLine {
  std::string file;  // the file name inside the export folder
  int64_t line = 0;  // 1-based
  std::string path;  // FHIR path of the problem when known, e.g. "Observation.valueQuantity"
  std::string error;

  bool operator<(const BadLine& other) const {
    return file != other.file ? file < other.file : line < other.line;
  }
};

std::string BadLineToJson(const BadLine& bad);
absl::StatusOr<BadLine> BadLineFromJson(std::string_view json);

}  // namespace thrombo::scan

#endif  // THROMBO_SERVICE_SCAN_SUMMARY_H_
