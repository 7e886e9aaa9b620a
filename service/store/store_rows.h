// Copyright 2026 The Thrombo Authors.
// What both store backends share about rows: validation, the JSON text columns and the JSON-lines
// export format. Internal to service/store.
#ifndef THROMBO_SERVICE_STORE_STORE_ROWS_H_
#define THROMBO_SERVICE_STORE_STORE_ROWS_H_

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "service/store/feedback_store.h"

namespace thrombo::service::store::internal {

// RFC 3339 UTC with milliseconds, e.g. 2026-12-02T06:52:18.123Z (received_at, audit time).
std::string Rfc3339Utc(absl::Time time);

absl::Status ValidateFeedback(const FeedbackRecord& record);
absl::Status ValidateAudit(const AuditRecord& record);

// A JSON array of strings (the accepted_suggestions, card_uuids and suggestion_uuids columns).
std::string JsonArray(const std::vector<std::string>& items);

// One stored row's columns by index; empty for NULL.
using Columns = std::function<std::string_view(int index)>;

// Columns: 0 service_id, 1 card_uuid, 2 outcome, 3 accepted_suggestions, 4-6 reason system,
// code, display, 7 user_comment, 8 outcome_timestamp, 9 received_at. Appends one JSON line (with
// its newline) to `out`; false when a JSON column is damaged.
bool FeedbackLine(const Columns& row, std::string* out);
// The query whose rows FeedbackLine reads, in export order; the same text for both backends.
inline constexpr char kExportFeedbackQuery[] =
    "SELECT service_id, card_uuid, outcome, accepted_suggestions, override_reason_system, "
    "override_reason_code, override_reason_display, user_comment, outcome_timestamp, "
    "received_at FROM feedback ORDER BY id";

// Columns: 0 time, 1 service_id, 2 hook, 3 hook_instance, 4 patient_id, 5 card_uuids,
// 6 suggestion_uuids, 7 policy_version, 8 action.
bool AuditLine(const Columns& row, std::string* out);
// The query whose rows AuditLine reads, in export order.
inline constexpr char kExportAuditQuery[] =
    "SELECT time, service_id, hook, hook_instance, patient_id, card_uuids, suggestion_uuids, "
    "policy_version, action FROM audit ORDER BY id";

// Writes `line` to `out`; Unavailable when the stream fails.
absl::Status WriteLine(std::ostream& out, const std::string& line);

}  // namespace thrombo::service::store::internal

#endif  // THROMBO_SERVICE_STORE_STORE_ROWS_H_
