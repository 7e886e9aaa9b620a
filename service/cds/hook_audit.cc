// Copyright 2026 The Thrombo Authors.
#include "service/cds/hook_audit.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "service/cds/http_status.h"

namespace thrombo::service {

absl::StatusOr<std::unique_ptr<HookAudit>> HookAudit::Create(store::FeedbackStore* store,
                                                             http::MetricsRegistry* registry,
                                                             http::Logger* logger) {
  ASSIGN_OR_RETURN(http::Counter * dropped,
                   registry->AddCounter("thrombo_audit_rows_dropped_total",
                                        "Audit rows of answered hook calls that were not recorded "
                                        "(queue_full: the database has been unavailable for "
                                        "longer than the audit queue holds)",
                                        {"reason"}));
  return std::unique_ptr<HookAudit>(new HookAudit(store, dropped, logger));
}

void HookAudit::RecordAnswer(const v1::EvaluateHookRequest& request, HookResult* result) const {
  Record(request, result, std::string(ActionName(*result)));
}

void HookAudit::RecordRefusal(const v1::EvaluateHookRequest& request,
                              const absl::Status& status) const {
  Record(request, nullptr, std::to_string(HttpStatusFor(status)));
}

void HookAudit::Record(const v1::EvaluateHookRequest& request, HookResult* result,
                       const std::string& action) const {
  if (store_ == nullptr) return;
  store::AuditRecord row;
  row.time = absl::Now();
  row.service_id = request.service_id();
  row.hook = request.hook();
  row.hook_instance = request.hook_instance();
  auto patient = request.context().find("patientId");
  if (patient != request.context().end()) row.patient_id = patient->second;
  row.action = action;
  if (result != nullptr) {
    row.policy_version = result->assessment().policy_version();
    row.card_uuids.reserve(result->cards.size());
    for (Card& card : result->cards) {
      row.card_uuids.push_back(std::move(card.uuid));
      for (CardSuggestion& s : card.suggestions) row.suggestion_uuids.push_back(std::move(s.uuid));
    }
  }
  const std::string hook_instance = row.hook_instance;
  if (absl::Status s = store_->EnqueueAudit(std::move(row)); !s.ok()) {
    // The advice was given: a dropped row is counted and logged, not turned into a failed call.
    const char* reason = absl::IsResourceExhausted(s) ? "queue_full" : "invalid";
    dropped_->Increment({reason});
    if (logger_ != nullptr) {
      logger_->Error("audit row dropped", {{"code", absl::StatusCodeToString(s.code())},
                                           {"reason", reason},
                                           {"hookInstance", hook_instance}});
    }
  }
}

}  // namespace thrombo::service
