// Copyright 2026 The Thrombo Authors.
// Drives RapidJSON's Reader over a ResourceSaxHandler and turns reader errors into FHIR errors.
#include "fhir/json_parser.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/utf8_json_reader.h"
#include "rapidjson/error/en.h"

namespace thrombo::fhir {
namespace {

// Numbers as text keep decimals exact; the iterative parser never recurses, so deep nesting
// cannot exhaust the stack. UTF-8 is checked by ParseUtf8Json.
constexpr unsigned kReaderFlags =
    rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag;

absl::Status TooLarge(std::string_view json, const ParseOptions& options,
                      const ResourceSaxHandler& handler) {
  return MakeParseError(IssueType::kTooLong,
                        absl::StrCat("document is ", json.size(), " bytes, limit is ",
                                     options.max_document_bytes),
                        handler.CurrentPath());
}

absl::Status Run(std::string_view json, const ParseOptions& options,
                 ResourceSaxHandler* handler) {
  if (json.size() > options.max_document_bytes) return TooLarge(json, options, *handler);
  const rapidjson::ParseResult result = base::ParseUtf8Json<kReaderFlags>(json, *handler);
  if (!handler->status().ok()) return handler->status();
  if (result.IsError()) {
    const auto [line, column] = JsonLineColumn(json, result.Offset());
    absl::Status status = MakeParseError(
        IssueType::kStructure,
        absl::StrCat("invalid JSON: ", rapidjson::GetParseError_En(result.Code()), " (line ",
                     line, ", column ", column, ")"),
        handler->CurrentPath());
    SetErrorPosition(&status, line, column);
    return status;
  }
  if (!handler->IsComplete()) {
    return MakeParseError(IssueType::kStructure, "incomplete resource", handler->CurrentPath());
  }
  return absl::OkStatus();
}

// Copies `status` with "line N: " in front of its message, keeping its payloads.
absl::Status WithLinePrefix(const absl::Status& status, int line_number) {
  absl::Status prefixed(status.code(), absl::StrCat("line ", line_number, ": ", status.message()));
  status.ForEachPayload([&prefixed](absl::string_view url, const absl::Cord& payload) {
    prefixed.SetPayload(url, payload);
  });
  const std::optional<std::pair<int, int>> position = ErrorPosition(status);
  SetErrorPosition(&prefixed, line_number, position.has_value() ? position->second : 1);
  return prefixed;
}

}  // namespace

absl::StatusOr<ParsedResource> ParseResource(std::string_view json, const ParseOptions& options) {
  ParsedResource parsed;
  ResourceSaxHandler handler(options, &parsed.resource);
  absl::Status status = Run(json, options, &handler);
  if (!status.ok()) return status;
  parsed.warnings = handler.TakeWarnings();
  parsed.skipped = handler.skipped();
  parsed.deviations = handler.TakeDeviations();
  return parsed;
}

absl::Status ParseInto(std::string_view json, google::protobuf::Message* resource,
                       const ParseOptions& options, ParseReport* report) {
  ResourceSaxHandler handler(options, resource);
  absl::Status status = Run(json, options, &handler);
  if (!status.ok()) return status;
  if (report != nullptr) {
    report->warnings = handler.TakeWarnings();
    report->skipped = handler.skipped();
    report->deviations = handler.TakeDeviations();
  }
  return absl::OkStatus();
}

absl::Status ParseNdjson(
    std::string_view text, const ParseOptions& options,
    absl::FunctionRef<absl::Status(int line_number, ParsedResource resource)> on_resource) {
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    absl::StatusOr<ParsedResource> parsed = ParseResource(line, options);
    if (!parsed.ok()) return WithLinePrefix(parsed.status(), line_number);
    absl::Status status = on_resource(line_number, *std::move(parsed));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace thrombo::fhir
