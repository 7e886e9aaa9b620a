// Copyright 2026 The Thrombo Authors.
// FHIR R4 JSON -> proto: whole documents, typed resources and NDJSON, over ResourceSaxHandler.
#ifndef THROMBO_FHIR_JSON_PARSER_H_
#define THROMBO_FHIR_JSON_PARSER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fhir/json_sax_handler.h"
#include "fhir/parse_issue.h"
#include "google/protobuf/message.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {

// What a parse found besides the resource: skipped elements, with their paths.
struct ParseReport {
  std::vector<ParseIssue> warnings;  // at most ParseOptions.max_warnings
  int64_t skipped = 0;               // unknown elements + unmodelled resources, all counted
  std::vector<ParseDeviation> deviations;  // what ParseOptions.tolerant accepted
};

// A resource of any modelled type, and the report of its parse.
struct ParsedResource {
  r4::ContainedResource resource;
  std::vector<ParseIssue> warnings;
  int64_t skipped = 0;
  std::vector<ParseDeviation> deviations;  // what ParseOptions.tolerant accepted
};

// All functions below are thread-safe (they share only the immutable field tables). Errors are
// InvalidArgument "<what> at <FHIR path>" with the path (and for invalid JSON the 1-based line
// and column) in payloads; see parse_issue.h. A document larger than
// options.max_document_bytes is rejected before parsing.

// Parses one resource; its "resourceType" picks the ContainedResource member. An unmodelled
// top-level resourceType is an error.
absl::StatusOr<ParsedResource> ParseResource(std::string_view json,
                                             const ParseOptions& options = {});

// Parses one resource into `resource` (any resource message, or any other message of the FHIR
// protos for fragments); "resourceType" must name its type. `report` may be null. A
// ContainedResource target accepts any modelled resource, as ParseResource does. When
// `resource` lives on a google::protobuf::Arena, everything parsed is allocated there too (one
// step to free; parse speed is about the same, see docs/benchmarks.md).
absl::Status ParseInto(std::string_view json, google::protobuf::Message* resource,
                       const ParseOptions& options = {}, ParseReport* report = nullptr);

// ParseInto for a resource type known at compile time, e.g. ParseAs<r4::Patient>(json).
template <typename T>
absl::StatusOr<T> ParseAs(std::string_view json, const ParseOptions& options = {},
                          ParseReport* report = nullptr) {
  T message;
  absl::Status status = ParseInto(json, &message, options, report);
  if (!status.ok()) return status;
  return message;
}

// Parses NDJSON: one resource per line (blank lines ignored; "\r\n" accepted), each line within
// the options' limits. Calls on_resource(line_number, resource) for each; stops at the first
// parse error or the first non-OK status from the callback. A parse error's message starts with
// "line N: " and its position payload gives that line.
absl::Status ParseNdjson(
    std::string_view text, const ParseOptions& options,
    absl::FunctionRef<absl::Status(int line_number, ParsedResource resource)> on_resource);

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_JSON_PARSER_H_
