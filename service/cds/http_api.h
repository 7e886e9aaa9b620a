// Copyright 2026 The Thrombo Authors.
// The CDS Hooks HTTP API: discovery, service calls, feedback, health, readiness and metrics.
#ifndef THROMBO_SERVICE_CDS_HTTP_API_H_
#define THROMBO_SERVICE_CDS_HTTP_API_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/auth/jwt_verifier.h"
#include "service/cds/hook_audit.h"
#include "service/cds/hook_service.h"
#include "service/cds/http_status.h"  // HttpStatusFor, which callers of this API use too
#include "service/http/log.h"
#include "service/http/message.h"
#include "service/http/metrics.h"
#include "service/http/router.h"
#include "service/store/feedback_store.h"

namespace thrombo::service {

struct HttpApiOptions {
  // This service's public base URL (no trailing slash), e.g. "https://cds.example.org". The JWT
  // audience of a call is base_url + the path called.
  std::string base_url = "http://localhost:8080";
};

// What the routes use; everything must outlive the router. `verifier` null means unauthenticated
// access (only with the operator's explicit flag). `store` may be null (feedback answers 503).
struct HttpApiDeps {
  const HookService* hooks = nullptr;
  store::FeedbackStore* store = nullptr;
  // Where hook calls' audit rows go, shared with the gRPC service (hook_audit.h). Null: one over
  // `store` is made here, registering its metric in `registry`.
  const HookAudit* audit = nullptr;
  const auth::JwtVerifier* verifier = nullptr;
  http::MetricsRegistry* registry = nullptr;
  http::Logger* logger = nullptr;
  std::function<bool()> ready;  // readiness beyond "the process answers"
};

// A non-2xx response with an OperationOutcome whose expression is the FHIR path the error
// names (from the codec's payload, or the message's " at <path>" suffix).
http::Response ErrorResponseFor(const absl::Status& status);

// Registers every route. Fails if the registry already has the metric names.
absl::StatusOr<http::Router> BuildHttpApi(const HttpApiDeps& deps, const HttpApiOptions& options);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_HTTP_API_H_
