// Copyright 2026 The Thrombo Authors.
// The one place that decides "may this agent be suggested for this patient" (docs/clinical.md,
// policy v1.1 rules 14-23). Every path that suggests or continues a drug (anticoagulants,
// aspirin, the warfarin and aspirin alternatives, an agent the patient is already on) asks
// JudgeAgent, so a hard stop, an allergy, an unreadable gating datum, renal function or an
// interaction is checked the same way everywhere.
#ifndef THROMBO_RISK_AGENT_GATE_H_
#define THROMBO_RISK_AGENT_GATE_H_

#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/engine_rules.h"
#include "risk/evidence_refs.h"

namespace thrombo::risk {

// Label limits that are not site policy (each is the product label's own number). Kept here,
// beside the only code that reads them, until the policy file carries them.
struct LabelLimits {
  // Lovenox (enoxaparin) US prescribing information, 5.x "Low-weight patients": increased
  // exposure in women < 45 kg and men < 57 kg; observe for bleeding.
  double enoxaparin_low_weight_female_kg = 45;
  double enoxaparin_low_weight_male_kg = 57;
  // Arixtra (fondaparinux) US prescribing information, 4 Contraindications: CrCl < 30 mL/min;
  // body weight < 50 kg for prophylaxis.
  double fondaparinux_min_crcl = 30;
  double fondaparinux_min_weight_kg = 50;
  // Eliquis (apixaban) US prescribing information, 2.x and 7.1: with combined P-gp and strong
  // CYP3A4 inhibitors reduce the dose by 50%; in patients already taking 2.5 mg twice daily,
  // avoid. A dose at or below this is "already the reduced dose": avoid.
  double apixaban_inhibitor_avoid_at_or_below_mg = 2.5;
};

// Whether the agent is started (a new order) or already taken (rule 22: continuing is
// prescribing). The existing-anticoagulation gate (rules 18, 19) applies to new agents only:
// the agent being continued is the existing one.
enum class AgentUse { kNew, kContinue };

struct AgentVerdict {
  enum class Kind {
    kAllowed,    // one-click order (suggestion.verify_before_ordering is empty)
    kVerify,     // named on the card, no one-click order: a gating datum is UNKNOWN (rule 14)
    kForbidden,  // never suggested: `excluded` says why, with the record behind it
  };
  Kind kind = Kind::kAllowed;
  // kAllowed and kVerify: the agent at the dose the checks allow (renally adjusted when they
  // changed it), with its cautions and, for kVerify, the verify_before_ordering lines.
  v1::AgentSuggestion suggestion;
  // kForbidden: every reason joined, with the evidence of each.
  v1::ExcludedAgent excluded;

  bool one_click() const { return kind == Kind::kAllowed; }
};

// Judges `spec` for the patient of `facts` under `rules` (and the label limits). Checks, in
// order: hard stops (platelets below the threshold, active bleeding) and HIT for heparins;
// allergies (rule 16) and the aspirin contraindication; renal function (policy v1 rule 10) and
// dialysis; interactions with strong CYP3A4 + P-gp inhibitors or inducers; fondaparinux limits;
// then the UNKNOWN gating data (rule 14) and, for a new anticoagulant, existing or possibly
// current anticoagulation (rules 18, 19). Pure and thread-safe.
AgentVerdict JudgeAgent(const AgentSpec& spec, const v1::ClinicalFacts& facts,
                        const RecommendationRules& rules, AgentUse use = AgentUse::kNew,
                        const LabelLimits& limits = LabelLimits(),
                        EvidenceRefs* refs = nullptr);

// The same verdict with its message written in place: the suggestion into make_suggestion()
// (kAllowed, kVerify) or the exclusion into make_excluded() (kForbidden); only the one needed is
// called, once. A caller that gives a new element of the output's list (or a message made on its
// arena) gets the verdict without a copy.
AgentVerdict::Kind JudgeAgentInto(const AgentSpec& spec, const v1::ClinicalFacts& facts,
                                  const RecommendationRules& rules, AgentUse use,
                                  absl::FunctionRef<v1::AgentSuggestion*()> make_suggestion,
                                  absl::FunctionRef<v1::ExcludedAgent*()> make_excluded,
                                  const LabelLimits& limits = LabelLimits(),
                                  EvidenceRefs* refs = nullptr);

// True for heparins and LMWHs (enoxaparin, dalteparin, tinzaparin, heparin): what a history of
// heparin-induced thrombocytopenia forbids. Fondaparinux is not one (Arixtra USPI; it is used
// in HIT).
bool IsHeparin(std::string_view ingredient);

// One verify_before_ordering line: the datum as recorded, with its date and resource, e.g.
// "Platelets recorded as '<10 10*9/L' on 2026-11-20 (Observation/p1): verify before ordering".
// `refs`: where the facts' evidence text is held, when not in the protos (evidence_refs.h).
std::string VerifyLine(std::string_view label, const v1::Fact& fact,
                       const EvidenceRefs* refs = nullptr);

// The regimen as recorded, for replaces_current and cautions, e.g.
// "enoxaparin 40 mg once daily (MedicationRequest/7)".
std::string DescribeRegimen(const v1::DrugExposure& drug, const EvidenceRefs* refs = nullptr);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_AGENT_GATE_H_
