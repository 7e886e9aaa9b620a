// Copyright 2026 The Thrombo Authors.
// The synthetic population written as a FHIR Bulk Data export ($export output): NDJSON files per
// resource type, for trying `thrombo scan` at any size.
#ifndef THROMBO_SERVICE_SYNTH_BULK_EXPORT_H_
#define THROMBO_SERVICE_SYNTH_BULK_EXPORT_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "service/synth/population.h"

namespace thrombo::synth {

struct BulkExportOptions {
  // A type's resources are split over files of at most this many lines (Observation.001.ndjson,
  // Observation.002.ndjson, ...), as bulk servers split large types.
  int64_t resources_per_file = 200'000;
  // Each file gzip-compressed (Type.NNN.ndjson.gz), through the system's `gzip` (no zlib is
  // linked into the project).
  bool gzip = false;
  MessyRates rates;
};

// Writes the patients of ForEachRandomPatient(n, seed, now, options.rates) into `out_dir` (which
// must exist) as one line per resource, grouped in files by resourceType, plus `manifest.json`,
// shaped like the $export completion response (output[]: type, url relative to the folder, count).
// Each patient's Bundle (BuildBundle) is taken apart: its urn:uuid references become
// "Patient/<id>" and "Medication/<id>", as a server's export writes them; a bundled Medication
// goes to Medication.NNN.ndjson. Patients are written in index order, resources in Bundle order,
// so the same arguments give the same bytes. Memory does not grow with n.
// Errors: kInvalidArgument for n <= 0 or a folder name with a single quote (gzip), kUnavailable
// when a file cannot be written (naming it), and any BuildBundle or printer error.
absl::Status WriteBulkExport(int n, uint64_t seed, absl::Time now, const std::string& out_dir,
                             const BulkExportOptions& options = {});

}  // namespace thrombo::synth

#endif  // THROMBO_SERVICE_SYNTH_BULK_EXPORT_H_
