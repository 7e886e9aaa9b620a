// Copyright 2026 The Thrombo Authors.
// `thrombo synth`: a reproducible synthetic population as FHIR Bundle files.
#ifndef THROMBO_SERVICE_CLI_SYNTH_COMMAND_H_
#define THROMBO_SERVICE_CLI_SYNTH_COMMAND_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace thrombo::service {

// Writes `patients` bundles (patient-0001.json, ...) generated from `seed` as of `now` into
// `out_dir`, creating it when missing. Same seed and time, same bytes. By default the records
// carry the messy representations real EHRs write (synth::MessyRates: comparators, SI units,
// unreadable results, allergy records, heparin flushes, duplicate records of one regimen, ...);
// `clean` writes the clean records of earlier versions, patient for patient. InvalidArgument for
// a non-positive count; Unavailable when the directory cannot be created or written.
absl::Status RunSynth(int patients, uint64_t seed, absl::Time now, const std::string& out_dir,
                      bool clean = false);

// The same population as a FHIR Bulk Data export (synth::WriteBulkExport): NDJSON files per
// resource type, `resources_per_file` lines each at most, gzip-compressed when `gzip`, for
// `thrombo scan`. Any count (no four-digit limit). Same errors as RunSynth.
absl::Status RunSynthBulk(int patients, uint64_t seed, absl::Time now, const std::string& out_dir,
                          bool clean, int64_t resources_per_file, bool gzip);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CLI_SYNTH_COMMAND_H_
