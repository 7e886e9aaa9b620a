// Copyright 2026 The Thrombo Authors.
// CDS Hooks responses and discovery as JSON text (CDS Hooks 2.0.1 "Discovery", "CDS Service Response").
#ifndef THROMBO_SERVICE_CDS_RESPONSE_JSON_H_
#define THROMBO_SERVICE_CDS_RESPONSE_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "proto/thrombo/v1/cds_hooks.pb.h"

namespace thrombo::service {

// The response as CDS Hooks 2.0 JSON. Optional fields without a value are left out (the spec
// forbids null and empty elements); `{"cards": []}` when there is nothing to say. FHIR resources
// in actions are printed as FHIR JSON. Fails only if a resource cannot be printed.
absl::StatusOr<std::string> CdsResponseToJson(const v1::CdsHooksResponse& response);

// Discovery as `{"services": [...]}`.
std::string CdsServicesToJson(const v1::CdsServices& services);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_RESPONSE_JSON_H_
