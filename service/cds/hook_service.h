// Copyright 2026 The Thrombo Authors.
// CDS Hooks semantics, shared by HTTP and gRPC: validate the call, assemble the record from
// prefetch (fetching what is missing), assess, and build the cards.
#ifndef THROMBO_SERVICE_CDS_HOOK_SERVICE_H_
#define THROMBO_SERVICE_CDS_HOOK_SERVICE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "proto/thrombo/v1/cds_hooks.pb.h"
#include "proto/thrombo/v1/service.pb.h"
#include "risk/engine.h"
#include "service/cds/prefetch_gather.h"
#include "service/fhir_client/fhir_fetcher.h"

namespace thrombo::service {

struct HookResult {
  v1::CdsHooksResponse response;
  v1::Assessment assessment;
  std::vector<PrefetchOutcome> prefetch;
  // Record categories that were missing or came back incomplete, as the card names them.
  std::vector<std::string> incomplete_data;
};

struct HookServiceOptions {
  // Total time for fetch-on-miss; the hook answers within its 500 ms budget with what it has.
  absl::Duration fetch_budget = absl::Milliseconds(350);
  std::string source_url;  // CdsSource.url on cards
};

// Thread-safe after construction; `engine` and `fetcher` must outlive it. `fetcher` may be null
// (no fetch-on-miss: missing required data gives FailedPrecondition).
class HookService final {
 public:
  HookService(const risk::Engine& engine, const FhirFetcher* fetcher,
              std::function<absl::Time()> clock, HookServiceOptions options = {});

  const v1::CdsServices& discovery() const { return discovery_; }

  // Evaluates one hook call. Errors: NotFound (unknown service id), InvalidArgument (malformed
  // or inconsistent request: wrong hook for the service, missing hookInstance or context field,
  // fhirAuthorization without fhirServer, a prefetch Patient that is not context.patientId),
  // FailedPrecondition (the patient or the medication requests could be neither prefetched nor
  // fetched: HTTP 412).
  absl::StatusOr<HookResult> Evaluate(const v1::EvaluateHookRequest& request) const;

 private:
  const risk::Engine& engine_;
  const FhirFetcher* fetcher_;
  std::function<absl::Time()> clock_;
  HookServiceOptions options_;
  v1::CdsServices discovery_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_HOOK_SERVICE_H_
