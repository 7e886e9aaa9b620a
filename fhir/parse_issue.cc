// Copyright 2026 The Thrombo Authors.
// Parse issues and the status payloads that carry their FHIR path.
#include "fhir/parse_issue.h"

#include <algorithm>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/string_compat.h"

namespace thrombo::fhir {
namespace {

// Payload type URLs. They are private to this file: callers use the accessors below.
constexpr char kPathUrl[] = "type.thrombo.dev/fhir.path";
constexpr char kIssueTypeUrl[] = "type.thrombo.dev/fhir.issue-type";
constexpr char kPositionUrl[] = "type.thrombo.dev/json.position";

}  // namespace

std::string_view IssueTypeCode(IssueType type) {
  switch (type) {
    case IssueType::kInvalid: return "invalid";
    case IssueType::kStructure: return "structure";
    case IssueType::kRequired: return "required";
    case IssueType::kValue: return "value";
    case IssueType::kTooLong: return "too-long";
    case IssueType::kNotSupported: return "not-supported";
    case IssueType::kProcessing: return "processing";
  }
  return "processing";
}

absl::Status MakeParseError(IssueType type, std::string_view what, std::string_view path) {
  return MakeFhirError(absl::StatusCode::kInvalidArgument, type, what, path);
}

absl::Status MakeFhirError(absl::StatusCode code, IssueType type, std::string_view what,
                           std::string_view path) {
  absl::Status status(
      code,
      path.empty() ? std::string(what) : absl::StrCat(base::Absl(what), " at ", base::Absl(path)));
  if (!path.empty()) status.SetPayload(kPathUrl, absl::Cord(base::Absl(path)));
  status.SetPayload(kIssueTypeUrl, absl::Cord(absl::StrCat(static_cast<int>(type))));
  return status;
}

std::pair<int, int> JsonLineColumn(std::string_view json, size_t offset) {
  offset = std::min(offset, json.size());
  const std::string_view before = json.substr(0, offset);
  const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  const size_t column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return {line, static_cast<int>(column)};
}

void SetErrorPosition(absl::Status* status, int line, int column) {
  status->SetPayload(kPositionUrl, absl::Cord(absl::StrCat(line, ":", column)));
}

std::optional<std::string> ErrorPath(const absl::Status& status) {
  absl::optional<absl::Cord> path = status.GetPayload(kPathUrl);
  if (!path.has_value()) return std::nullopt;
  return std::string(*path);
}

std::optional<IssueType> ErrorIssueType(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kIssueTypeUrl);
  int value = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &value) || value < 0 ||
      value > static_cast<int>(IssueType::kProcessing)) {
    return std::nullopt;
  }
  return static_cast<IssueType>(value);
}

std::optional<std::pair<int, int>> ErrorPosition(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kPositionUrl);
  if (!payload.has_value()) return std::nullopt;
  std::pair<std::string, std::string> parts = absl::StrSplit(std::string(*payload), ':');
  int line = 0;
  int column = 0;
  if (!absl::SimpleAtoi(parts.first, &line) || !absl::SimpleAtoi(parts.second, &column)) {
    return std::nullopt;
  }
  return std::make_pair(line, column);
}

std::string_view DeviationKindName(ParseDeviation::Kind kind) {
  switch (kind) {
    case ParseDeviation::Kind::kObjectForArray: return "object_for_array";
    case ParseDeviation::Kind::kScalarForArray: return "scalar_for_array";
    case ParseDeviation::Kind::kMissingRequired: return "missing_required";
    case ParseDeviation::Kind::kDroppedElement: return "dropped_element";
    case ParseDeviation::Kind::kUnsupportedResource: return "unsupported_resource";
    case ParseDeviation::Kind::kUnreadMalformed: return "unread_malformed";
  }
  return "unknown";
}

}  // namespace thrombo::fhir
