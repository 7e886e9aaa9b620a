// Copyright 2026 The Thrombo Authors.
#include "service/store/test_records.h"

#include <sstream>

#include "absl/strings/str_split.h"

namespace thrombo::service::store::test_records {

FeedbackRecord Accepted(const std::string& card) {
  FeedbackRecord record;
  record.service_id = "vte-prophylaxis";
  record.card_uuid = card;
  record.outcome = FeedbackOutcome::kAccepted;
  record.accepted_suggestion_ids = {"sugg-aspirin"};
  record.outcome_timestamp = "2026-01-02T03:00:00Z";
  return record;
}

FeedbackRecord Overridden() {
  FeedbackRecord record;
  record.service_id = "vte-prophylaxis";
  record.card_uuid = "card-2";
  record.outcome = FeedbackOutcome::kOverridden;
  record.override_reason_system = "http://example.org/override";
  record.override_reason_code = "already-anticoagulated";
  record.override_reason_display = "Already anticoagulated";
  record.user_comment = "on \"apixaban\"";
  record.outcome_timestamp = "2026-01-02T03:01:00+01:00";
  return record;
}

absl::StatusOr<std::vector<std::string>> CommittedAuditLines(FeedbackStore& store) {
  if (absl::Status flushed = store.FlushAudit(); !flushed.ok()) return flushed;
  std::ostringstream out;
  if (absl::Status exported = store.ExportAuditJsonLines(out); !exported.ok()) return exported;
  return std::vector<std::string>(absl::StrSplit(out.str(), '\n', absl::SkipEmpty()));
}

}  // namespace thrombo::service::store::test_records
