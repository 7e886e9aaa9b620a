// Copyright 2026 The Thrombo Authors.
// A human-readable breakdown of an Assessment for a person at a terminal
// (`thrombo assess --format=explain`).
#ifndef THROMBO_SERVICE_CLI_EXPLAIN_H_
#define THROMBO_SERVICE_CLI_EXPLAIN_H_

#include <string>

#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::service {

// Plain text, at most ~100 columns: the recommendation first, then each score with its terms,
// the facts that are unknown, cautions and the policy version. Pure.
std::string ExplainAssessment(const v1::Assessment& assessment);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CLI_EXPLAIN_H_
