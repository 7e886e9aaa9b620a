// Copyright 2026 The Thrombo Authors.
// FHIR OperationOutcome JSON for error responses the transport produces itself.
#ifndef THROMBO_SERVICE_HTTP_OPERATION_OUTCOME_H_
#define THROMBO_SERVICE_HTTP_OPERATION_OUTCOME_H_

#include <string>
#include <string_view>

namespace thrombo::service::http {

// The FHIR IssueType code for an HTTP status: 400 invalid, 401 login, 403 forbidden,
// 404 not-found, 405/415 not-supported, 408 timeout, 412 processing, 413/431 too-costly,
// 429 throttled, 500 exception, 503 transient; any other 4xx is "processing" and any other
// status "exception".
std::string_view IssueCodeForHttpStatus(int http_status);

// A one-issue OperationOutcome with severity "error", the code above, `diagnostics` (left out
// when empty) and `expression` as a one-element array (left out when empty):
//   {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found",
//    "diagnostics":"...","expression":["..."]}]}
// Every non-2xx response of the service carries such a body (CDS Hooks 3.0 asks for it; 2.0
// clients ignore it). Ill-formed UTF-8 in the inputs is replaced, so the result is always valid
// JSON. This is the one place error bodies are built, so the transport needs no FHIR codec.
// Pure and thread-safe.
// `issue_code` overrides the code derived from the status when the caller knows the FHIR
// IssueType (e.g. "required", "structure", "value").
std::string OperationOutcomeJson(int http_status, std::string_view diagnostics,
                                 std::string_view expression = {},
                                 std::string_view issue_code = {});

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_OPERATION_OUTCOME_H_
