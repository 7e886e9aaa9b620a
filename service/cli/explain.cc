// Copyright 2026 The Thrombo Authors.
#include "service/cli/explain.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace thrombo::service {
namespace {

std::string StateWord(v1::Fact::State state) {
  switch (state) {
    case v1::Fact::PRESENT:
      return "yes";
    case v1::Fact::ABSENT:
      return "no";
    default:
      return "unknown";
  }
}

std::string EvidenceText(const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence) {
  std::vector<std::string> parts;
  for (const v1::Evidence& e : evidence) {
    std::string where = e.resource_id().empty()
                            ? e.resource_type()
                            : absl::StrCat(e.resource_type(), "/", e.resource_id());
    if (!e.matched().empty()) absl::StrAppend(&where, where.empty() ? "" : " ", e.matched());
    if (e.draft_order()) absl::StrAppend(&where, " [draft order]");
    if (!where.empty()) parts.push_back(where);
  }
  return absl::StrJoin(parts, "; ");
}

void AppendComponents(const google::protobuf::RepeatedPtrField<v1::ScoreComponent>& components,
                      std::string* out) {
  for (const v1::ScoreComponent& c : components) {
    absl::StrAppendFormat(out, "    %-48s %-7s %+3d", c.label(), StateWord(c.state()),
                          c.awarded());
    const std::string evidence = EvidenceText(c.evidence());
    if (!evidence.empty()) absl::StrAppend(out, "  <- ", evidence);
    if (!c.note().empty()) absl::StrAppend(out, "  (", c.note(), ")");
    absl::StrAppend(out, "\n");
  }
}

void AppendLines(const char* heading, const google::protobuf::RepeatedPtrField<std::string>& lines,
                 std::string* out) {
  if (lines.empty()) return;
  absl::StrAppend(out, heading, "\n");
  for (const std::string& line : lines) absl::StrAppend(out, "  - ", line, "\n");
}

std::string TierName(v1::Tier::Value tier) {
  std::string name = v1::Tier::Value_Name(tier);
  return name == "TIER_UNSPECIFIED" ? "-" : name;
}

}  // namespace

std::string ExplainAssessment(const v1::Assessment& a) {
  const v1::Recommendation& rec = a.recommendation();
  std::string out;
  absl::StrAppendFormat(&out, "Patient %s at %s (policy %s)\n\n", a.patient_id(),
                        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                         absl::FromUnixMicros(a.evaluation_time_us()),
                                         absl::UTCTimeZone()),
                        a.policy_version());
  absl::StrAppend(&out, "RECOMMENDATION: ", v1::Recommendation::Action_Name(rec.action()), "\n");
  for (const v1::AgentSuggestion& agent : rec.agents()) {
    absl::StrAppend(&out, "  * ", agent.ingredient(), " ", agent.dose_text());
    if (!agent.cautions().empty()) {
      absl::StrAppend(&out, " (", absl::StrJoin(agent.cautions(), "; "), ")");
    }
    absl::StrAppend(&out, "\n");
  }
  for (const v1::AgentSuggestion& agent : rec.alternatives()) {
    absl::StrAppend(&out, "  alternative: ", agent.ingredient(), " ", agent.dose_text(), "\n");
  }
  for (const v1::HardStop& stop : rec.hard_stops()) {
    absl::StrAppend(&out, "  HARD STOP: ", stop.reason(), "\n");
  }
  absl::StrAppend(&out, "  ", rec.rationale(), "\n\n");

  const v1::ImpedeVte& impede = a.impede_vte();
  absl::StrAppendFormat(&out,
                        "IMPEDE VTE: %d (%s); decision score %d (%s), range %d..%d%s\n",
                        impede.points(), TierName(impede.tier()), impede.decision_points(),
                        TierName(impede.decision_tier()), impede.min_points(),
                        impede.max_points(), impede.tier_certain() ? "" : ", tier uncertain");
  AppendComponents(impede.components(), &out);
  const v1::Saved& saved = a.saved();
  absl::StrAppendFormat(&out, "SAVED: %d (%s), range %d..%d%s\n", saved.points(),
                        TierName(saved.tier()), saved.min_points(), saved.max_points(),
                        saved.tier_certain() ? "" : ", tier uncertain");
  AppendComponents(saved.components(), &out);
  const v1::Imwg2008& imwg = a.imwg2008();
  absl::StrAppendFormat(&out, "IMWG 2008: %d factor(s), range %d..%d; therapy-related: %s -> %s\n",
                        imwg.risk_factor_count(), imwg.min_count(), imwg.max_count(),
                        imwg.therapy_factors().empty() ? "none"
                                                       : absl::StrJoin(imwg.therapy_factors(), ", "),
                        imwg.anticoagulant_indicated() ? "LMWH or warfarin" : "aspirin");
  AppendComponents(imwg.components(), &out);
  absl::StrAppend(&out, "Arterial risk flag: ", a.arterial().flagged() ? "yes" : "no");
  if (a.arterial().flagged()) {
    absl::StrAppend(&out, " (", absl::StrJoin(a.arterial().reasons(), ", "), ")");
  }
  absl::StrAppend(&out, "\nCo-therapy: ESA ", a.cotherapy().esa() ? "yes" : "no", ", estrogen ",
                  a.cotherapy().estrogen() ? "yes" : "no", "\n");
  const v1::Fact& crcl = a.facts().creatinine_clearance();
  if (crcl.state() == v1::Fact::PRESENT) {
    absl::StrAppendFormat(&out, "Creatinine clearance: %.0f mL/min (Cockcroft-Gault)\n",
                          crcl.value());
  } else {
    absl::StrAppend(&out, "Creatinine clearance: unknown (", crcl.note(), ")\n");
  }
  absl::StrAppend(&out, "\n");
  AppendLines("Cautions:", rec.cautions(), &out);
  AppendLines("Missing data that could change the decision:", rec.confidence_notes(), &out);
  AppendLines("Data not used:", a.facts().data_issues(), &out);
  return out;
}

}  // namespace thrombo::service
