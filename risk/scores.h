// Copyright 2026 The Thrombo Authors.
// The VTE risk scores (IMPEDE VTE, SAVED, IMWG 2008), the arterial flag and the co-therapy flags,
// computed from ClinicalFacts. Pure functions: same facts and policy, same result.
// Each ...Into function clears `*out` and writes the result into it (on out's arena, if any, with
// no copy from the heap); the functions that return by value are the same, for tests. A score's
// terms are written into `out` as its components, or, when `terms` is given, left there instead
// (replacing what it held), referring to `facts` and `rules`: for callers that read them without
// a proto (the hook path's cards).
#ifndef THROMBO_RISK_SCORES_H_
#define THROMBO_RISK_SCORES_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/engine_rules.h"
#include "risk/evidence_refs.h"
#include "risk/score_tally.h"

namespace thrombo::risk {

// IMPEDE VTE (Sanfilippo et al., Am J Hematol 2019;94:1176): the published score with the
// existing-thromboprophylaxis term, and the decision score without it (docs/clinical.md, "Two
// IMPEDE numbers").
void ScoreImpedeVteInto(const v1::ClinicalFacts& facts, const EngineRules& rules,
                        v1::ImpedeVte* out, std::vector<ScoreTerm>* terms = nullptr);
v1::ImpedeVte ScoreImpedeVte(const v1::ClinicalFacts& facts, const EngineRules& rules);

// SAVED (Li et al., JNCCN 2019;17:840).
void ScoreSavedInto(const v1::ClinicalFacts& facts, const EngineRules& rules, v1::Saved* out,
                    std::vector<ScoreTerm>* terms = nullptr);
v1::Saved ScoreSaved(const v1::ClinicalFacts& facts, const EngineRules& rules);

// IMWG 2008 (Palumbo et al., Leukemia 2008;22:414): count of individual and myeloma-related
// factors, and the therapy-related factors. `now` dates the "diagnosis per se" factor
// (docs/clinical.md, Scores: "myeloma diagnosed <= 6 months ago" [P]).
void ScoreImwg2008Into(const v1::ClinicalFacts& facts, const EngineRules& rules, absl::Time now,
                       v1::Imwg2008* out, std::vector<ScoreTerm>* terms = nullptr);
v1::Imwg2008 ScoreImwg2008(const v1::ClinicalFacts& facts, const EngineRules& rules,
                           absl::Time now);

// Arterial risk flag (docs/clinical.md, decision 9 [P]).
// `refs`: where the facts' evidence text is held, when not in the protos (evidence_refs.h).
void AssessArterialInto(const v1::ClinicalFacts& facts, const EngineRules& rules,
                        v1::Arterial* out, EvidenceRefs* refs = nullptr);
v1::Arterial AssessArterial(const v1::ClinicalFacts& facts, const EngineRules& rules);

// ESA and estrogen co-therapy with an IMiD (docs/clinical.md, decision 10).
// `refs` as for AssessArterialInto.
void AssessCotherapyInto(const v1::ClinicalFacts& facts, const EngineRules& rules,
                         v1::Cotherapy* out, EvidenceRefs* refs = nullptr);
v1::Cotherapy AssessCotherapy(const v1::ClinicalFacts& facts, const EngineRules& rules);

// The IMPEDE tier of a point total: low <= 3, intermediate 4-7, high >= 8 (by default).
v1::Tier::Value ImpedeTier(int points, const EngineRules& rules);

// "low", "intermediate", "high" or "unknown", for text shown to clinicians.
std::string TierWord(v1::Tier::Value tier);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_SCORES_H_
