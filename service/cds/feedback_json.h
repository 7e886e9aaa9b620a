// Copyright 2026 The Thrombo Authors.
// Reads a CDS Hooks feedback body: {"feedback": [...]} (CDS Hooks 2.0.1 "Feedback").
#ifndef THROMBO_SERVICE_CDS_FEEDBACK_JSON_H_
#define THROMBO_SERVICE_CDS_FEEDBACK_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/store/feedback_store.h"

namespace thrombo::service {

// The feedback entries of `body` for service `service_id`. InvalidArgument naming the element
// (e.g. "feedback[1].outcomeTimestamp") when the body is not JSON, an entry lacks card, outcome
// or outcomeTimestamp, outcome is not accepted|overridden, an accepted entry has no
// acceptedSuggestions, a reason has no code/system, or the timestamp is not RFC 3339. At most
// `max_entries` entries. Thread-safe.
absl::StatusOr<std::vector<store::FeedbackRecord>> ParseFeedbackJson(std::string_view body,
                                                                     std::string_view service_id,
                                                                     size_t max_entries = 1000);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_FEEDBACK_JSON_H_
