// Copyright 2026 The Thrombo Authors.
// Feedback rows the store tests of both backends (SQLite and PostgreSQL) write, so each backend
// is checked against the same rows and the same expected export lines.
#ifndef THROMBO_SERVICE_STORE_TEST_RECORDS_H_
#define THROMBO_SERVICE_STORE_TEST_RECORDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/store/feedback_store.h"

namespace thrombo::service::store::test_records {

// A card accepted with one suggestion (sugg-aspirin) at 2026-01-02T03:00:00Z.
FeedbackRecord Accepted(const std::string& card = "card-1");

// card-2 overridden with a coded reason and a comment that needs JSON escaping, at
// 2026-01-02T03:01:00+01:00.
FeedbackRecord Overridden();

// Commits the audit rows queued so far, then gives every row as `thrombo feedback export
// --audit` prints it, a line each.
absl::StatusOr<std::vector<std::string>> CommittedAuditLines(FeedbackStore& store);

}  // namespace thrombo::service::store::test_records

#endif  // THROMBO_SERVICE_STORE_TEST_RECORDS_H_
