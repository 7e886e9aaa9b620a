// Copyright 2026 The Thrombo Authors.
// CDS Hooks responses and discovery as JSON text (CDS Hooks 2.0.1 "Discovery", "CDS Service Response").
#ifndef THROMBO_SERVICE_CDS_RESPONSE_JSON_H_
#define THROMBO_SERVICE_CDS_RESPONSE_JSON_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/thrombo/v1/cds_hooks.pb.h"
#include "service/cds/cards.h"

namespace thrombo::service {

// The response as CDS Hooks 2.0 JSON, from its proto (the CLI; the reference the direct writer
// above is tested against). Optional fields without a value are left out (the spec
// forbids null and empty elements); `{"cards": []}` when there is nothing to say. FHIR resources
// in actions are printed as FHIR JSON. Fails only if a resource cannot be printed.
absl::StatusOr<std::string> CdsResponseToJson(const v1::CdsHooksResponse& response);

// The response for `cards` as CDS Hooks 2.0 JSON, appended to `*out`: written straight from the
// cards, without building protos, and byte for byte what CdsResponseToJson prints for
// CardsToResponse(cards) (response_json_test checks it on every golden case, the examples and
// thousands of synthetic patients at each hook). Fails only if a draft order's authoredOn or dose
// cannot be written as FHIR (nothing written to `*out` is then meaningful).
absl::Status AppendCdsResponseJson(const std::vector<Card>& cards, std::string* out);

// Discovery as `{"services": [...]}`.
std::string CdsServicesToJson(const v1::CdsServices& services);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_RESPONSE_JSON_H_
