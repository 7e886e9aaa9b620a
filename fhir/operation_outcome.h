// Copyright 2026 The Thrombo Authors.
// absl::Status and parse issues -> FHIR OperationOutcome (proto and JSON), with each issue's
// `expression` set to the FHIR path carried by the status.
#ifndef THROMBO_FHIR_OPERATION_OUTCOME_H_
#define THROMBO_FHIR_OPERATION_OUTCOME_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fhir/parse_issue.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {

// Appends one issue for a non-OK `status`: severity "error" (or "fatal" for Internal, Unknown
// and DataLoss); code from the status's issue-type payload when present (see parse_issue.h),
// else from the status code (InvalidArgument -> invalid, NotFound -> not-found,
// ResourceExhausted -> too-costly, Unimplemented -> not-supported, DeadlineExceeded -> timeout,
// PermissionDenied -> forbidden, Unauthenticated -> login, others -> exception); diagnostics =
// the message; expression = the FHIR path payload; location = "Line[n] Col[m]" for invalid
// JSON. An OK status adds nothing. Thread-safe.
void AddStatusIssue(const absl::Status& status, r4::OperationOutcome* outcome);

// Appends one issue for a ParseIssue (typically a warning about a skipped element).
void AddParseIssue(const ParseIssue& issue, r4::OperationOutcome* outcome);

// An OperationOutcome with the status's issue (if not OK) followed by the warnings. When both
// are empty it holds one "information"/"informational" issue, because FHIR requires at least one.
r4::OperationOutcome ToOperationOutcome(const absl::Status& status,
                                        const std::vector<ParseIssue>& warnings = {});

// The OperationOutcome as FHIR JSON (compact unless `pretty`).
absl::StatusOr<std::string> OperationOutcomeJson(const r4::OperationOutcome& outcome,
                                                 bool pretty = false);

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_OPERATION_OUTCOME_H_
