// Copyright 2026 The Thrombo Authors.
// FHIR parse issues and the absl::Status payloads that carry an error's FHIR path and JSON
// position, so OperationOutcome conversion can fill `expression` without parsing messages.
#ifndef THROMBO_FHIR_PARSE_ISSUE_H_
#define THROMBO_FHIR_PARSE_ISSUE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"

namespace thrombo::fhir {

// The FHIR IssueType codes the codec reports (a subset of http://hl7.org/fhir/issue-type).
enum class IssueType {
  kInvalid,       // generic: the content is not valid FHIR
  kStructure,     // not well-formed JSON, or the wrong JSON type for an element
  kRequired,      // a required element is missing
  kValue,         // a primitive value is not valid for its FHIR type
  kTooLong,       // a size limit was exceeded
  kNotSupported,  // an element or resource type this service does not model
  kProcessing,    // anything else
};

// The FHIR code of `type`, e.g. "too-long". Thread-safe.
std::string_view IssueTypeCode(IssueType type);

// One problem found while parsing. Warnings are returned beside a successful parse; errors
// become a non-OK absl::Status (see MakeParseError).
struct ParseIssue {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kWarning;
  IssueType type = IssueType::kNotSupported;
  std::string path;     // FHIR path, e.g. "Bundle.entry[3].resource.text"
  std::string message;  // what was wrong, without the path
};

// A departure from strict FHIR R4 that the tolerant parser (ParseOptions.tolerant) accepted
// instead of failing. Never carries element values, only where and what kind.
struct ParseDeviation {
  enum class Kind {
    kObjectForArray,       // one object where FHIR wants an array: read as one element
    kScalarForArray,       // one primitive where FHIR wants an array: read as one element
    kMissingRequired,      // a required element is absent (Bundle.type, intent, status...)
    kDroppedElement,       // an element of the wrong shape or value: left out
    kUnsupportedResource,  // a resource type this service does not model: left out
    // An element the decision does not read whose JSON type does not fit FHIR R4 (an object
    // where a string is due, ...). The projection reader skips it unjudged otherwise; it costs
    // nothing and is reported so that operators see what their EHR sends (issue 11).
    kUnreadMalformed,
  };
  Kind kind = Kind::kDroppedElement;
  std::string path;           // FHIR path, e.g. "context.draftOrders.entry[0].resource.intent"
  std::string resource_type;  // the innermost resource holding it, e.g. "MedicationRequest"
  // That resource's own element holding it, as written in JSON (e.g. "valueQuantity",
  // "dosageInstruction"); the missing element for kMissingRequired; empty for a whole resource.
  std::string element;
  std::string message;        // what was wrong, without the path and without values
};

// The metrics label of `kind`, e.g. "object_for_array". Thread-safe.
std::string_view DeviationKindName(ParseDeviation::Kind kind);

// A status of `code` whose message is "<what> at <path>" (just `what` when the path is empty)
// and whose payloads carry the path and the issue type. Every error that names a FHIR path is
// made this way, so a transport fills OperationOutcome `expression` and `code` from the
// payloads (ErrorPath, ErrorIssueType) and never parses a message. Thread-safe.
absl::Status MakeFhirError(absl::StatusCode code, IssueType type, std::string_view what,
                           std::string_view path);

// MakeFhirError with InvalidArgument: the request or document is not acceptable as sent.
absl::Status MakeParseError(IssueType type, std::string_view what, std::string_view path);

// The 1-based line and column (in bytes) of byte `offset` in `json`, for invalid-JSON errors.
std::pair<int, int> JsonLineColumn(std::string_view json, size_t offset);

// Adds the JSON line and column (1-based) of an invalid-JSON error as payloads.
void SetErrorPosition(absl::Status* status, int line, int column);

// The FHIR path carried by a status made by MakeParseError, if any.
std::optional<std::string> ErrorPath(const absl::Status& status);
// The issue type carried by a status made by MakeParseError, if any.
std::optional<IssueType> ErrorIssueType(const absl::Status& status);
// The 1-based JSON line and column set by SetErrorPosition, if any.
std::optional<std::pair<int, int>> ErrorPosition(const absl::Status& status);

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_PARSE_ISSUE_H_
