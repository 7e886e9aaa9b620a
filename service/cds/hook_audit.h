// Copyright 2026 The Thrombo Authors.
// The audit row of a hook call, whichever transport carried it (CDS Hooks over HTTP, or
// EvaluateHook over gRPC): what was advised to whom, never free text from the record.
#ifndef THROMBO_SERVICE_CDS_HOOK_AUDIT_H_
#define THROMBO_SERVICE_CDS_HOOK_AUDIT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "proto/thrombo/v1/service.pb.h"
#include "service/cds/hook_service.h"
#include "service/http/log.h"
#include "service/http/metrics.h"
#include "service/store/feedback_store.h"

namespace thrombo::service {

// Records one row per hook call in the store's audit table. Rows are queued, not waited for:
// the store's writer thread group-commits them, so an answer never waits for an fsync
// (FeedbackStore::EnqueueAudit). A row the store refuses (its queue full while the database is
// unavailable, or an invalid row) is counted in thrombo_audit_rows_dropped_total and logged with
// the call's hookInstance, so that it can be traced in the EHR's own log; the call itself is
// answered as usual. Thread-safe; `store`, `registry` and `logger` must outlive it.
class HookAudit final {
 public:
  // Registers thrombo_audit_rows_dropped_total in `registry` (fails if it is there already).
  // `store` null: nothing is recorded. `logger` may be null.
  static absl::StatusOr<std::unique_ptr<HookAudit>> Create(store::FeedbackStore* store,
                                                           http::MetricsRegistry* registry,
                                                           http::Logger* logger);

  // Queues the row of an answered call: its cards, their suggestions and the recommendation's
  // action ("ANTICOAGULANT", ...). The uuids are moved out of `result`, so record after the
  // response is built.
  void RecordAnswer(const v1::EvaluateHookRequest& request, HookResult* result) const;
  // Queues the row of a call refused with `status`: its action is the HTTP status the error maps
  // to ("412", http_status.h), on gRPC too, so both transports' rows read alike.
  void RecordRefusal(const v1::EvaluateHookRequest& request, const absl::Status& status) const;

 private:
  HookAudit(store::FeedbackStore* store, http::Counter* dropped, http::Logger* logger)
      : store_(store), dropped_(dropped), logger_(logger) {}
  // `result` null for a refused call.
  void Record(const v1::EvaluateHookRequest& request, HookResult* result,
              const std::string& action) const;

  store::FeedbackStore* const store_;
  http::Counter* const dropped_;
  http::Logger* const logger_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_HOOK_AUDIT_H_
