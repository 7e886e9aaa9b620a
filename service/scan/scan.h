// Copyright 2026 The Thrombo Authors.
// The population scan: every patient of a FHIR Bulk Data export with an active IMiD, assessed by
// the engine, with the prophylaxis gap of each (service/scan/gap.h).
//
// Memory is bounded by an external partition, not by the number of patients:
//  1. partition: each NDJSON line's patient is read with simdjson (Patient.id, subject or patient
//     reference) without parsing the resource; the line is appended to one of B bucket files in a
//     temporary folder, B chosen so a bucket holds about `bucket_bytes`. Lines of other shards are
//     not written at all.
//  2. assess: each thread takes one bucket at a time, sorts its lines by patient, and for each
//     patient parses the lines (fhir::ParseResource, tolerant), builds a fhir::PatientRecord
//     (FromResources) and calls risk::Engine::Assess exactly as `thrombo assess` does. Each
//     bucket's rows go to a file, sorted by patient id.
//  3. output: the bucket row files are merged by patient id into gaps.ndjson, gaps.csv and
//     report.html; `thrombo scan merge` runs the same step over shards' gaps.ndjson.
// Medication resources (outside the patient compartment) are kept in memory by id: a server's
// export holds one per formulary product, not per patient.
#ifndef THROMBO_SERVICE_SCAN_SCAN_H_
#define THROMBO_SERVICE_SCAN_SCAN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "risk/engine.h"
#include "service/scan/summary.h"

namespace thrombo::scan {

struct ScanOptions {
  std::string bulk_dir;  // the export: *.ndjson and *.ndjson.gz files (gz read via `gzip -dc`)
  absl::Time now;        // evaluation time
  std::string out_dir;   // created when missing
  int shard_index = 0;   // this process scans the patients whose id hashes to shard_index...
  int shard_count = 1;   // ...of shard_count (FNV-1a 64 of the id: the same on every machine)
  int threads = 0;       // 0: one per core
  std::string tmp_dir;   // bucket files; "" = a folder under out_dir, removed at the end
  int64_t bucket_bytes = int64_t{16} << 20;
  bool progress = false;      // a progress line on stderr (the caller sets it for a terminal)
  size_t report_rows = 2000;  // patients listed in report.html (all are in gaps.csv)
  // Called with every Assessment (IMiD or not), from the worker threads: for tests that compare
  // the scan with `thrombo assess`. Must be thread-safe.
  std::function<void(const v1::Assessment&)> on_assessment;
};

// Scans, writes gaps.ndjson, gaps.csv, report.html, bad_lines.ndjson and summary.json into
// out_dir, and returns the summary. Bad lines and unknown patients never stop the scan.
// InvalidArgument for a bad shard or an export folder with no NDJSON file; Unavailable when a
// file cannot be read or written.
absl::StatusOr<ScanSummary> RunScan(const ScanOptions& options, const risk::Engine& engine);

// Combines the out_dirs of the shards of one scan into `out_dir`: the same five files, equal to
// an unsharded scan's. InvalidArgument when the shards were scanned at different times.
absl::Status MergeScans(const std::vector<std::string>& shard_dirs, const std::string& out_dir,
                        size_t report_rows = 2000);

// FNV-1a 64 of `text`: the shard and bucket hash (stable across machines and builds).
uint64_t StableHash(std::string_view text);

}  // namespace thrombo::scan

#endif  // THROMBO_SERVICE_SCAN_SCAN_H_
