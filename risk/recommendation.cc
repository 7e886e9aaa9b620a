// Copyright 2026 The Thrombo Authors.
#include "risk/recommendation.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "risk/arena_owned.h"
#include "risk/field_text.h"
#include "risk/scores.h"

namespace thrombo::risk {
namespace {

using Action = v1::Recommendation;
using State = v1::Fact;

bool Present(const v1::Fact& fact) { return fact.state() == State::PRESENT; }

// Hard stops for pharmacological prophylaxis (docs/clinical.md, policy v1 rule 8 and v1.1
// rule 15 [P]).
void CollectHardStops(const v1::ClinicalFacts& facts, const RecommendationRules& r,
                      EvidenceRefs* refs, v1::Recommendation* out) {
  const v1::Fact& platelets = facts.platelets();
  if (Present(platelets) && platelets.value() < r.platelets_hard_stop_below) {
    v1::HardStop& stop = *out->add_hard_stops();
    SetText(stop.mutable_id(), "platelets_below_threshold");
    stop.set_reason(absl::StrFormat("Platelets %g x10^9/L (below %g)", platelets.value(),
                                    r.platelets_hard_stop_below));
    AppendEvidenceCopies(platelets.evidence(), stop.mutable_evidence(), refs);
  }
  if (r.active_bleeding_stops && Present(facts.active_bleeding())) {
    v1::HardStop& stop = *out->add_hard_stops();
    stop.set_id("active_bleeding");
    stop.set_reason("Active bleeding");
    AppendEvidenceCopies(facts.active_bleeding().evidence(), stop.mutable_evidence(), refs);
  }
  if (r.hit_excludes_heparins && Present(facts.hit_history())) {
    v1::HardStop& stop = *out->add_hard_stops();
    stop.set_id("hit_history");
    SetText(stop.mutable_reason(),
            "History of heparin-induced thrombocytopenia: no heparins or LMWH");
    stop.set_heparins_only(true);
    AppendEvidenceCopies(facts.hit_history().evidence(), stop.mutable_evidence(), refs);
  }
}

bool ForbidsEverything(const v1::Recommendation& rec) {
  for (const v1::HardStop& stop : rec.hard_stops()) {
    if (!stop.heparins_only()) return true;
  }
  return false;
}

// Puts a caution first, where a clinician reads first (a current agent that must stop).
void AddCautionFirst(const std::string& text, v1::Recommendation* out) {
  out->add_cautions(text);
  for (int i = out->cautions_size() - 1; i > 0; --i)
    out->mutable_cautions()->SwapElements(i, i - 1);
}

// Roles of the drugs a prophylaxis decision is about (policy DrugRole names).
bool IsProphylaxisRole(absl::string_view role) {
  return role == "LMWH" || role == "DOAC" || role == "HEPARIN" || role == "FONDAPARINUX" ||
         role == "VKA" || role == "ASPIRIN";
}

// Adds a suggestion when the gate allows the agent (one-click or verify), an exclusion when it
// forbids it (written by the gate into its place in `out`).
void Offer(const AgentSpec& spec, const v1::ClinicalFacts& facts, const RecommendationRules& r,
           EvidenceRefs* refs, google::protobuf::RepeatedPtrField<v1::AgentSuggestion>* list,
           v1::Recommendation* out) {
  JudgeAgentInto(
      spec, facts, r, AgentUse::kNew, [list] { return list->Add(); },
      [out] { return out->add_excluded_agents(); }, LabelLimits(), refs);
}

// A gate's verdict whose message is made on `arena` (the output's) and goes into the output only
// if the caller decides so, by handing it over.
struct HeldVerdict {
  AgentVerdict::Kind kind = AgentVerdict::Kind::kAllowed;
  ArenaOwned<v1::AgentSuggestion> suggestion;
  ArenaOwned<v1::ExcludedAgent> excluded;
};

HeldVerdict Judge(const AgentSpec& spec, const v1::ClinicalFacts& facts,
                  const RecommendationRules& r, AgentUse use, EvidenceRefs* refs,
                  google::protobuf::Arena* arena) {
  HeldVerdict held;
  held.kind = JudgeAgentInto(
      spec, facts, r, use,
      [&] {
        held.suggestion = MakeArenaOwned<v1::AgentSuggestion>(arena);
        return held.suggestion.get();
      },
      [&] {
        held.excluded = MakeArenaOwned<v1::ExcludedAgent>(arena);
        return held.excluded.get();
      },
      LabelLimits(), refs);
  return held;
}

// The policy's own product for `drug` when it lists one (so a dose change orders the policy's
// product), else the drug as recorded.
AgentSpec SpecFor(const v1::DrugExposure& drug, const RecommendationRules& r,
                  const EvidenceRefs* refs) {
  for (const AgentSpec& spec : r.anticoagulants) {
    if (spec.ingredient == drug.ingredient()) return spec;
  }
  if (drug.ingredient() == r.aspirin.ingredient) return r.aspirin;
  AgentSpec spec;
  spec.ingredient = drug.ingredient();
  spec.dose_mg = drug.dose_mg();
  spec.doses_per_day = static_cast<int>(drug.doses_per_day());
  spec.dose_text = DescribeRegimen(drug, refs);
  return spec;
}

// Rule 22: continuing is prescribing. Judges each prophylactic-dose anticoagulant the patient is
// on with the same gate as a new one (current aspirin is judged where the aspirin tier is). Returns
// false when a current agent is forbidden (the caller then offers the alternatives in its place,
// each with replaces_current), true when every current agent may continue.
bool JudgeCurrent(const v1::ClinicalFacts& facts, const RecommendationRules& r,
                  EvidenceRefs* refs, std::string* replaced, v1::Recommendation* out) {
  bool all_fine = true;
  for (const v1::DrugExposure& drug : facts.drugs()) {
    if (drug.role() == "ASPIRIN" || !IsProphylaxisRole(drug.role())) continue;
    if (drug.intensity() != v1::DoseIntensity::PROPHYLACTIC) continue;
    HeldVerdict verdict =
        Judge(SpecFor(drug, r, refs), facts, r, AgentUse::kContinue, refs, out->GetArena());
    const std::string regimen = DescribeRegimen(drug, refs);
    if (verdict.kind == AgentVerdict::Kind::kForbidden) {
      v1::ExcludedAgent& excluded = *verdict.excluded;
      AddCautionFirst(absl::StrCat("Current ", regimen, " must not be continued: ",
                                   excluded.reason(), ". Stop it and review."),
                      out);
      excluded.set_reason(
          absl::StrCat("currently taken, must not be continued: ", excluded.reason()));
      out->mutable_excluded_agents()->AddAllocated(verdict.excluded.release());
      *replaced = regimen;
      all_fine = false;
      continue;
    }
    const v1::AgentSuggestion& s = *verdict.suggestion;
    const bool dose_changed =
        s.renally_adjusted() && drug.dose_mg() > 0 &&
        (s.dose_mg() != drug.dose_mg() ||
         (drug.doses_per_day() > 0 && s.doses_per_day() != drug.doses_per_day()));
    if (dose_changed) {
      // `s` stays valid: the output now owns it.
      verdict.suggestion->set_replaces_current(regimen);
      out->mutable_agents()->AddAllocated(verdict.suggestion.release());
      out->add_cautions(absl::StrCat("Current ", regimen, ": change to ", s.dose_text(), "."));
    } else {
      out->add_cautions(absl::StrCat("Already on prophylactic ", regimen,
                                     ": continue it; no new order is needed."));
      for (const std::string& caution : s.cautions()) {
        out->add_cautions(absl::StrCat("Current ", drug.ingredient(), ": ", caution));
      }
    }
    for (const std::string& line : s.verify_before_ordering()) {
      out->add_cautions(absl::StrCat("Continuing ", drug.ingredient(), ": ", line));
    }
  }
  return all_fine;
}

struct Verdicts {
  bool impede = false;
  bool saved = false;
  bool imwg_therapy = false;
  bool imwg = false;
};

Verdicts Judge(const v1::Assessment& a, const EngineRules& rules) {
  Verdicts v;
  v.impede = a.impede_vte().decision_points() >= rules.recommend.impede_min;
  v.saved = a.saved().points() >= rules.recommend.saved_min;
  v.imwg_therapy =
      rules.recommend.imwg_therapy_factor && a.imwg2008().therapy_factors_size() > 0;
  v.imwg = a.imwg2008().anticoagulant_indicated();
  return v;
}

std::string ScoreSummary(const v1::Assessment& a) {
  // StrCat, not StrFormat: every call's recommendation has one (0.7 k instructions less).
  std::string summary = absl::StrCat(
      "IMPEDE VTE decision score ", a.impede_vte().decision_points(), " (",
      TierWord(a.impede_vte().decision_tier()), "), SAVED ", a.saved().points(), " (",
      TierWord(a.saved().tier()), "), IMWG 2008 ", a.imwg2008().risk_factor_count(),
      " factor(s)");
  if (a.imwg2008().therapy_factors().empty()) {
    summary.append(", no therapy-related factor");
  } else {
    absl::StrAppend(&summary, ", therapy-related: ",
                    absl::StrJoin(a.imwg2008().therapy_factors(), ", "));
  }
  return summary;
}

// Says which missing data could still change the decision (docs/clinical.md, "Unknown terms").
void AddUncertainty(const v1::Assessment& a, v1::Recommendation* out) {
  for (const auto* lines : {&a.impede_vte().missing_data(), &a.saved().missing_data(),
                            &a.imwg2008().missing_data()}) {
    for (const std::string& line : *lines) {
      if (line.find("would not change") == std::string::npos) out->add_confidence_notes(line);
    }
  }
}

void RecommendAnticoagulant(const v1::Assessment& a, const EngineRules& rules,
                            const Verdicts& v, EvidenceRefs* refs, v1::Recommendation* out) {
  const v1::ClinicalFacts& facts = a.facts();
  const RecommendationRules& r = rules.recommend;
  out->set_action(Action::ANTICOAGULANT);
  std::string replaced;
  if (Present(facts.prophylactic_anticoagulation())) {
    const int cautions_before = out->cautions_size();
    if (JudgeCurrent(facts, r, refs, &replaced, out)) {
      if (out->cautions_size() == cautions_before) {  // the agent itself was not identified
        out->add_cautions(
            "Already on prophylactic-dose anticoagulation: continue it; no new order is needed.");
      }
      return;
    }
  }
  // New agents, each through the gate; what it forbids is listed with the reason (rule 16, 23).
  // An agent already excluded as the current one is not listed twice.
  auto already_excluded = [out](const std::string& ingredient) {
    for (const v1::ExcludedAgent& e : out->excluded_agents()) {
      if (e.ingredient() == ingredient) return true;
    }
    return false;
  };
  const int first_new = out->agents_size();
  for (const AgentSpec& spec : r.anticoagulants) {
    if (!already_excluded(spec.ingredient)) {
      Offer(spec, facts, r, refs, out->mutable_agents(), out);
    }
  }
  Offer(r.warfarin, facts, r, refs, out->mutable_alternatives(), out);
  // Lower-risk by every model but IMPEDE's intermediate tier: ASCO and IMWG accept aspirin for
  // lower-risk patients, so it stays a documented alternative (docs/clinical.md, decision 5).
  const bool only_impede_intermediate =
      v.impede && !v.saved && !v.imwg && a.impede_vte().decision_tier() == v1::Tier::INTERMEDIATE;
  if (only_impede_intermediate) {
    Offer(r.aspirin, facts, r, refs, out->mutable_alternatives(), out);
  }
  if (!replaced.empty()) {
    for (int i = first_new; i < out->agents_size(); ++i) {
      out->mutable_agents(i)->set_replaces_current(replaced);
    }
  }
  if (Present(facts.aspirin())) {
    out->set_switch_from_aspirin(true);
    out->add_cautions("Currently on aspirin: switch to the anticoagulant rather than add it.");
  }
}

// Says in the rationale when no recommended agent can be ordered in one click (rule 14): each is
// excluded (with its reason in excluded_agents) or needs a recorded datum verified first.
void ExplainGating(const v1::Recommendation& out, std::string* rationale) {
  auto one_click = [](const google::protobuf::RepeatedPtrField<v1::AgentSuggestion>& list) {
    int n = 0;
    for (const v1::AgentSuggestion& agent : list) n += agent.verify_before_ordering().empty();
    return n;
  };
  if (out.excluded_agents().empty() && out.agents().empty()) return;  // continuing, nothing new
  if (one_click(out.agents()) > 0) return;
  if (out.agents().empty()) {
    absl::StrAppend(rationale, " Every recommended agent is excluded for this patient (reasons "
                               "listed)");
  } else {
    absl::StrAppend(rationale, " No recommended agent can be ordered in one click: each is "
                               "excluded (reasons listed) or needs a recorded datum verified "
                               "first");
  }
  absl::StrAppend(rationale, out.alternatives().empty()
                                 ? "; consider mechanical measures and specialist advice."
                                 : one_click(out.alternatives()) > 0
                                       ? "; see the alternatives."
                                       : "; the alternatives need verification too.");
}

}  // namespace

void RecommendInto(const v1::Assessment& a, const EngineRules& rules, absl::Time now,
                   v1::Recommendation* recommendation, EvidenceRefs* refs) {
  const v1::ClinicalFacts& facts = a.facts();
  const RecommendationRules& r = rules.recommend;
  v1::Recommendation& out = *recommendation;
  out.Clear();
  out.set_policy_version(rules.policy_version);
  out.set_deciding_model(r.deciding_model == DecidingModel::kImwg2008 ? "IMWG_2008"
                                                                      : "NCCN_COMBINED");
  if (!Present(facts.imid())) {
    out.set_action(Action::NO_RECOMMENDATION);
    SetText(out.mutable_rationale(),
            "No immunomodulatory drug (thalidomide, lenalidomide, pomalidomide) is "
                      "active or being ordered.");
    return;
  }

  CollectHardStops(facts, r, refs, &out);
  if (ForbidsEverything(out)) {
    out.set_action(Action::WITHHOLD_PHARMACOLOGIC);
    out.set_rationale(absl::StrCat(
        ScoreSummary(a), ". A hard stop forbids pharmacological prophylaxis: use mechanical "
        "measures and early ambulation, recheck, and reassess when it no longer applies."));
    if (Present(facts.platelets()) && facts.platelets().value() < r.platelets_hard_stop_below) {
      out.add_cautions("ISTH guidance allows prophylactic-dose LMWH at platelets 25-50 x10^9/L "
                       "at the clinician's discretion.");
    }
    // Rule 22: the stop applies to what the patient already takes, too.
    for (const v1::DrugExposure& drug : facts.drugs()) {
      if (!IsProphylaxisRole(drug.role())) continue;
      AddCautionFirst(absl::StrCat("Currently on ", DescribeRegimen(drug, refs),
                                   ": the hard stop applies to it too; hold it and review."),
                      &out);
    }
    return;
  }

  const v1::Fact& therapeutic = facts.therapeutic_anticoagulation();
  // UNKNOWN with evidence: an anticoagulant is there, its dose is not (rule 18): no second
  // anticoagulant, and the dose must be verified. UNKNOWN without evidence: the medications could
  // not be obtained; prophylaxis is still decided, but every new agent needs the medication list
  // verified first (rule 14, through the gate).
  const bool anticoagulant_seen =
      therapeutic.state() == State::UNKNOWN && !therapeutic.evidence().empty();
  if (Present(therapeutic) || anticoagulant_seen) {
    out.set_action(Action::ALREADY_ANTICOAGULATED);
    out.set_rationale(absl::StrCat(
        ScoreSummary(a), ". The patient is already anticoagulated: no new prophylaxis is "
        "needed, and aspirin should not be added for VTE prophylaxis."));
    if (!Present(therapeutic)) {
      out.add_cautions(absl::StrCat(
          "Anticoagulant dose or frequency not recorded: confirm it is a therapeutic or "
          "prophylactic regimen. ",
          VerifyLine("Anticoagulant", therapeutic, refs)));
    }
    return;
  }
  const v1::Fact& possibly = facts.possibly_current_anticoagulant();
  if (Present(possibly)) {
    // Rule 19: named, and every new agent needs it verified (the gate removes one-click orders).
    out.add_cautions(absl::StrCat(
        "An anticoagulant may still be taken: confirm whether it is current before ordering "
        "a new one. ",
        VerifyLine("Possibly current anticoagulant", possibly, refs)));
  }

  const Verdicts v = Judge(a, rules);
  const bool anticoagulant = r.deciding_model == DecidingModel::kImwg2008
                                 ? v.imwg
                                 : (v.impede || v.saved || v.imwg_therapy);
  out.set_scores_disagree(!(v.impede == v.saved && v.saved == v.imwg));
  // Aspirin through the same gate: forbidden (allergy, NSAID intolerance, active ulcer) means an
  // anticoagulant instead (section 8 [P]). Judged only when the scores leave aspirin possible
  // (JudgeAgent is pure).
  HeldVerdict aspirin =
      anticoagulant ? HeldVerdict()
                    : Judge(r.aspirin, facts, r, AgentUse::kNew, refs, out.GetArena());
  if (anticoagulant) {
    RecommendAnticoagulant(a, rules, v, refs, &out);
  } else if (aspirin.kind == AgentVerdict::Kind::kForbidden) {
    RecommendAnticoagulant(a, rules, v, refs, &out);
    const v1::ExcludedAgent& excluded = *aspirin.excluded;  // the output owns it from here
    out.mutable_excluded_agents()->AddAllocated(aspirin.excluded.release());
    out.add_cautions(absl::StrCat("Aspirin is excluded (", excluded.reason(),
                                  "): anticoagulant instead of aspirin."));
    if (Present(facts.aspirin())) {
      AddCautionFirst(
          absl::StrCat("Current aspirin must not be continued: ", excluded.reason(), "."), &out);
    }
  } else {
    out.set_action(Action::ASPIRIN);
    std::string replaced;
    if (Present(facts.prophylactic_anticoagulation())) {
      out.add_cautions("Already on prophylactic-dose anticoagulation: aspirin is not needed.");
      JudgeCurrent(facts, r, refs, &replaced, &out);
    } else if (Present(facts.aspirin())) {
      out.add_cautions("Already on aspirin: continue it.");
      // Rule 22: continuing is judged as continuing (not gated by itself as an added drug).
      const AgentVerdict current =
          JudgeAgent(r.aspirin, facts, r, AgentUse::kContinue, LabelLimits(), refs);
      for (const std::string& line : current.suggestion.verify_before_ordering()) {
        out.add_cautions(absl::StrCat("Continuing aspirin: ", line));
      }
    } else {
      out.mutable_agents()->AddAllocated(aspirin.suggestion.release());
    }
    if (!replaced.empty()) {
      // The current anticoagulant must stop and the tier calls for aspirin: aspirin replaces it.
      // (Only after the first branch above, which leaves the suggestion here.)
      aspirin.suggestion->set_replaces_current(replaced);
      out.mutable_agents()->AddAllocated(aspirin.suggestion.release());
    }
  }
  for (const v1::HardStop& stop : out.hard_stops()) {
    out.add_cautions(stop.reason());
  }

  std::string rationale = ScoreSummary(a);
  absl::StrAppend(&rationale, out.action() == Action::ANTICOAGULANT
                                  ? ": anticoagulant prophylaxis."
                                  : ": aspirin prophylaxis.");
  if (out.scores_disagree()) {
    absl::StrAppend(&rationale, " The scores disagree; the higher tier wins.");
  }
  ExplainGating(out, &rationale);
  out.set_rationale(std::move(rationale));
  AddUncertainty(a, &out);

  if (therapeutic.state() == State::UNKNOWN && therapeutic.evidence().empty()) {
    out.add_cautions(absl::StrCat("Not known whether the patient already takes an anticoagulant (",
                                  therapeutic.note(), "): check before ordering."));
  }
  if (!Present(facts.platelets())) {
    out.add_cautions("No usable platelet count in the look-back window: check before starting.");
  }
  // IMPEDE and SAVED were derived at the start of first-line therapy (policy v1 rule 13).
  const v1::Fact& diagnosis = facts.myeloma_diagnosis();
  if (facts.dexamethasone().state() == State::ABSENT && Present(diagnosis) &&
      now - absl::FromUnixMicros(diagnosis.time_us()) >
          absl::Hours(24) * r.maintenance_after_days) {
    out.add_confidence_notes(
        "IMiD maintenance without dexamethasone, more than 6 months from diagnosis: IMPEDE VTE "
        "and SAVED were derived at the start of first-line therapy, so confidence is low.");
  }
  if (a.arterial().flagged()) {
    out.add_cautions("Arterial risk: optimise blood pressure, lipids and smoking (label); do not "
                     "add aspirin to an anticoagulant solely for arterial risk.");
  }
}

}  // namespace thrombo::risk
