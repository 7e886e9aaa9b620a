// Copyright 2026 The Thrombo Authors.
// Builds OperationOutcome resources from statuses and parse issues.
#include "fhir/operation_outcome.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fhir/json_printer.h"

namespace thrombo::fhir {
namespace {

using Issue = r4::OperationOutcome::Issue;
using Severity = r4::IssueSeverityCode;
using Code = r4::IssueTypeCode;

Code::Value CodeOf(IssueType type) {
  switch (type) {
    case IssueType::kInvalid: return Code::INVALID;
    case IssueType::kStructure: return Code::STRUCTURE;
    case IssueType::kRequired: return Code::REQUIRED;
    case IssueType::kValue: return Code::VALUE;
    case IssueType::kTooLong: return Code::TOO_LONG;
    case IssueType::kNotSupported: return Code::NOT_SUPPORTED;
    case IssueType::kProcessing: return Code::PROCESSING;
  }
  return Code::PROCESSING;
}

Code::Value CodeOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument: return Code::INVALID;
    case absl::StatusCode::kNotFound: return Code::NOT_FOUND;
    case absl::StatusCode::kResourceExhausted: return Code::TOO_COSTLY;
    case absl::StatusCode::kUnimplemented: return Code::NOT_SUPPORTED;
    case absl::StatusCode::kDeadlineExceeded: return Code::TIMEOUT;
    case absl::StatusCode::kPermissionDenied: return Code::FORBIDDEN;
    case absl::StatusCode::kUnauthenticated: return Code::LOGIN;
    default: return Code::EXCEPTION;
  }
}

bool IsFatal(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnknown ||
         code == absl::StatusCode::kDataLoss;
}

}  // namespace

void AddStatusIssue(const absl::Status& status, r4::OperationOutcome* outcome) {
  if (status.ok()) return;
  Issue* issue = outcome->add_issue();
  issue->set_severity(IsFatal(status.code()) ? Severity::FATAL : Severity::ERROR);
  const std::optional<IssueType> type = ErrorIssueType(status);
  issue->set_code(type.has_value() ? CodeOf(*type) : CodeOf(status.code()));
  issue->set_diagnostics(std::string(status.message()));
  if (std::optional<std::pair<int, int>> position = ErrorPosition(status)) {
    issue->add_location(absl::StrCat("Line[", position->first, "] Col[", position->second, "]"));
  }
  if (std::optional<std::string> path = ErrorPath(status)) issue->add_expression(*path);
}

void AddParseIssue(const ParseIssue& parse_issue, r4::OperationOutcome* outcome) {
  Issue* issue = outcome->add_issue();
  issue->set_severity(parse_issue.severity == ParseIssue::Severity::kError ? Severity::ERROR
                                                                           : Severity::WARNING);
  issue->set_code(CodeOf(parse_issue.type));
  issue->set_diagnostics(parse_issue.message);
  if (!parse_issue.path.empty()) issue->add_expression(parse_issue.path);
}

r4::OperationOutcome ToOperationOutcome(const absl::Status& status,
                                        const std::vector<ParseIssue>& warnings) {
  r4::OperationOutcome outcome;
  AddStatusIssue(status, &outcome);
  for (const ParseIssue& warning : warnings) AddParseIssue(warning, &outcome);
  if (outcome.issue_size() == 0) {
    Issue* issue = outcome.add_issue();
    issue->set_severity(Severity::INFORMATION);
    issue->set_code(Code::INFORMATIONAL);
    issue->set_diagnostics("no issues");
  }
  return outcome;
}

absl::StatusOr<std::string> OperationOutcomeJson(const r4::OperationOutcome& outcome,
                                                 bool pretty) {
  PrintOptions options;
  options.pretty = pretty;
  return PrintMessage(outcome, options);
}

}  // namespace thrombo::fhir
