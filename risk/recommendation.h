// Copyright 2026 The Thrombo Authors.
// Turns facts and scores into the prophylaxis recommendation (docs/clinical.md, "Decision" and
// "Policy v1.1").
#ifndef THROMBO_RISK_RECOMMENDATION_H_
#define THROMBO_RISK_RECOMMENDATION_H_

#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/agent_gate.h"  // IsHeparin, for callers that filter by HIT
#include "risk/engine_rules.h"
#include "risk/evidence_refs.h"

namespace thrombo::risk {

// Decides the action for `assessment` (whose facts, impede_vte, saved, imwg2008 and arterial are
// already filled) in this order: no IMiD -> NO_RECOMMENDATION; a hard stop (platelets below the
// threshold, active bleeding) -> WITHHOLD_PHARMACOLOGIC with no drug; an existing therapeutic
// (or unknown-intensity) anticoagulant -> ALREADY_ANTICOAGULATED; otherwise ANTICOAGULANT or
// ASPIRIN by the deciding model. Every agent suggested, offered as an alternative or continued
// passes JudgeAgent (risk/agent_gate.h): what it forbids goes to excluded_agents, what needs a
// datum verified carries verify_before_ordering (no one-click order). Never returns an agent
// that a hard stop, an allergy, renal function or an interaction forbids. Pure and thread-safe.
// Clears `*out` and writes the recommendation into it; `out` may be assessment's own field.
// `refs`: where the facts' evidence text is held, when not in the protos (evidence_refs.h).
void RecommendInto(const v1::Assessment& assessment, const EngineRules& rules, absl::Time now,
                   v1::Recommendation* out, EvidenceRefs* refs = nullptr);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_RECOMMENDATION_H_
