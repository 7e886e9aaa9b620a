// Copyright 2026 The Thrombo Authors.
// Turns facts and scores into the prophylaxis recommendation of policy v1 (clinical-spec §0).
#ifndef THROMBO_RISK_RECOMMENDATION_H_
#define THROMBO_RISK_RECOMMENDATION_H_

#include <string_view>

#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/engine_rules.h"

namespace thrombo::risk {

// Decides the action for `assessment` (whose facts, impede_vte, saved, imwg2008 and arterial are
// already filled) in this order: no IMiD -> NO_RECOMMENDATION; a hard stop (platelets below the
// threshold, active bleeding) -> WITHHOLD_PHARMACOLOGIC with no drug; an existing therapeutic
// (or unknown-intensity) anticoagulant -> ALREADY_ANTICOAGULATED; otherwise ANTICOAGULANT or
// ASPIRIN by the deciding model, with agents renally adjusted and filtered by HIT history.
// Never returns an agent that a hard stop forbids. Pure and thread-safe.
v1::Recommendation Recommend(const v1::Assessment& assessment, const EngineRules& rules,
                             absl::Time now);

// True for heparins and LMWHs (enoxaparin, dalteparin, tinzaparin, heparin): what a history of
// heparin-induced thrombocytopenia forbids.
bool IsHeparin(std::string_view ingredient);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_RECOMMENDATION_H_
