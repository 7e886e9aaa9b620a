// Copyright 2026 The Thrombo Authors.
// `thrombo assess FILE`: the CDS Hooks response, the Assessment, or a readable explanation for a
// FHIR Bundle or a CDS Hooks request.
#ifndef THROMBO_SERVICE_CLI_ASSESS_COMMAND_H_
#define THROMBO_SERVICE_CLI_ASSESS_COMMAND_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "risk/engine.h"

namespace thrombo::service {

enum class AssessFormat { kCdsHooks, kAssessment, kExplain };

// Parses "cds-hooks" (also "cds"), "assessment" or "explain".
absl::StatusOr<AssessFormat> ParseAssessFormat(std::string_view name);

struct AssessCommandOptions {
  AssessFormat format = AssessFormat::kCdsHooks;
  absl::Time now;            // evaluation time
  std::string patient_id;    // when a Bundle holds several patients
};

// Reads `json` (a FHIR Bundle, or a CDS Hooks request: a top-level object with a string "hook"
// and no "resourceType"; anything else is InvalidArgument),
// assesses it with `engine`, and writes the chosen format to `out`. A CDS Hooks request is
// evaluated without fetch-on-miss (its prefetch must be complete). Errors are the pipeline's
// (InvalidArgument with the FHIR path, FailedPrecondition for missing prefetch).
absl::Status RunAssess(std::string_view json, const risk::Engine& engine,
                       const AssessCommandOptions& options, std::ostream& out);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CLI_ASSESS_COMMAND_H_
