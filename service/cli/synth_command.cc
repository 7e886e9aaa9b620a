// Copyright 2026 The Thrombo Authors.
#include "service/cli/synth_command.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "service/synth/bulk_export.h"
#include "service/synth/population.h"

namespace thrombo::service {

absl::Status RunSynth(int patients, uint64_t seed, absl::Time now, const std::string& out_dir,
                      bool clean) {
  if (patients <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("--patients=", patients, ": must be > 0"));
  }
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("--out=", out_dir, ": ", error.message()));
  }
  return synth::WritePopulation(patients, seed, now, out_dir,
                                clean ? synth::MessyRates::None() : synth::MessyRates());
}

absl::Status RunSynthBulk(int patients, uint64_t seed, absl::Time now, const std::string& out_dir,
                          bool clean, int64_t resources_per_file, bool gzip) {
  if (patients <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("--patients=", patients, ": must be > 0"));
  }
  if (resources_per_file <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--bulk_file_resources=", resources_per_file, ": must be > 0"));
  }
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("--out=", out_dir, ": ", error.message()));
  }
  synth::BulkExportOptions options;
  options.resources_per_file = resources_per_file;
  options.gzip = gzip;
  if (clean) options.rates = synth::MessyRates::None();
  return synth::WriteBulkExport(patients, seed, now, out_dir, options);
}

}  // namespace thrombo::service
