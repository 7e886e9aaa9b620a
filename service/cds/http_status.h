// Copyright 2026 The Thrombo Authors.
// The HTTP status a pipeline error maps to: what the CDS Hooks route answers, and what a failed
// hook call's audit row records over either transport (hook_audit.h).
#ifndef THROMBO_SERVICE_CDS_HTTP_STATUS_H_
#define THROMBO_SERVICE_CDS_HTTP_STATUS_H_

#include "absl/status/status.h"

namespace thrombo::service {

// InvalidArgument 400, Unauthenticated 401, PermissionDenied 403, NotFound 404,
// FailedPrecondition 412, ResourceExhausted 413, Unavailable 503, anything else 500.
int HttpStatusFor(const absl::Status& status);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_HTTP_STATUS_H_
