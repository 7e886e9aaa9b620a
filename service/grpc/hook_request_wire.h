// Copyright 2026 The Thrombo Authors.
// An EvaluateHookRequest read from its protobuf encoding as the gRPC hook path reads it: the
// prefetch Bundles' Observation entries as views into the bytes, the rest parsed. The gRPC
// counterpart of the JSON route's reader (hook_request_json.h), whose Observations are views
// into the request text: parsing each into a proto was 38% of a gRPC hook call's instructions
// in the server (docs/benchmarks.md, "eighteenth round").
#ifndef THROMBO_SERVICE_GRPC_HOOK_REQUEST_WIRE_H_
#define THROMBO_SERVICE_GRPC_HOOK_REQUEST_WIRE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "fhir/lab_observation.h"
#include "proto/thrombo/v1/service.pb.h"

namespace thrombo::service {

// Reads the encoded EvaluateHookRequest `bytes` into `*request` (cleared first; on its arena if
// it has one). Each Observation entry of a prefetch value's Bundle that fhir::
// ReadLabObservationWire reads becomes a view in `*labs` (cleared first) and a stub in the
// request (lab_observation.h), as the JSON route leaves it; `bytes` must outlive both. Not those
// of a Bundle with a next page (the hook service copies it to append the later pages), nor an
// entry that gives its resource twice (the parser merges them), and none when an entry holds an
// Observation whose status looks like a stub's. Everything else is parsed as the whole parse
// would. `*scratch` holds the rewritten bytes. InvalidArgument when
// the bytes do not parse as an EvaluateHookRequest.
absl::Status ParseHookRequestWire(std::string_view bytes, v1::EvaluateHookRequest* request,
                                  fhir::LabObservationTable* labs, std::string* scratch);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_GRPC_HOOK_REQUEST_WIRE_H_
