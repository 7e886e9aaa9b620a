// Copyright 2026 The Thrombo Authors.
// FHIR R4 proto -> JSON, following the conventions in datatypes.proto (the inverse of
// json_parser.h: ParseResource(PrintResource(x)) == x for anything the parser produced).
#ifndef THROMBO_FHIR_JSON_PRINTER_H_
#define THROMBO_FHIR_JSON_PRINTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {

struct PrintOptions {
  bool pretty = false;  // two-space indented; compact otherwise
};

// Prints the resource held by `resource`. "resourceType" comes first; elements follow in field
// number order, each primitive's `_x` sidecar right after it. Decimals print their exact text,
// dates their value_us/precision/timezone, enums their FHIR code. Proto3 scalars at their
// default (false, 0, "") outside a oneof are absent. Errors (InvalidArgument, with the FHIR
// path): an empty ContainedResource, an invalid decimal text, an enum number without a code,
// a date without precision. Thread-safe.
absl::StatusOr<std::string> PrintResource(const r4::ContainedResource& resource,
                                          const PrintOptions& options = {});

// Prints one message of the FHIR protos: a resource (with "resourceType") or a fragment such as
// a Quantity. Same contract as PrintResource.
absl::StatusOr<std::string> PrintMessage(const google::protobuf::Message& message,
                                         const PrintOptions& options = {});

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_JSON_PRINTER_H_
