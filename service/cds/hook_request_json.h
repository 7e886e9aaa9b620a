// Copyright 2026 The Thrombo Authors.
// Reads a CDS Hooks 2.0 request body (JSON) into an EvaluateHookRequest in one pass, handing each
// embedded FHIR resource (prefetch values, context.draftOrders) to the FHIR parser.
#ifndef THROMBO_SERVICE_CDS_HOOK_REQUEST_JSON_H_
#define THROMBO_SERVICE_CDS_HOOK_REQUEST_JSON_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "fhir/json_sax_handler.h"
#include "proto/thrombo/v1/service.pb.h"

namespace thrombo::service {

// Parses `body`. Returns InvalidArgument, naming the JSON line/column for malformed JSON or the
// path (e.g. "context.patientId", "prefetch.conditions.entry[2].resource.code") for a value of
// the wrong shape, and for pre-1.0 requests (a top-level "user"). Unknown top-level and context
// members are ignored, as CDS Hooks allows extension. Does not check which fields a hook
// requires; see ValidateHookRequest. Thread-safe.
absl::StatusOr<v1::EvaluateHookRequest> ParseHookRequestJson(
    std::string_view body, const fhir::ParseOptions& options = {});

// The same into `*request` (cleared first), which may live on a google::protobuf::Arena: its
// messages are then allocated there too. On error `*request` holds a partial parse.
absl::Status ParseHookRequestJson(std::string_view body, const fhir::ParseOptions& options,
                                  v1::EvaluateHookRequest* request);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_HOOK_REQUEST_JSON_H_
