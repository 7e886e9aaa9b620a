// Copyright 2026 The Thrombo Authors.
#include "service/cds/cards.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "risk/recommendation.h"
#include "risk/scores.h"
#include "service/cds/uuid.h"

namespace thrombo::service {
namespace {

using Action = v1::Recommendation;
using fhir::r4::MedicationRequest;

constexpr char kRxNorm[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr char kSnomed[] = "http://snomed.info/sct";
constexpr char kUcum[] = "http://unitsofmeasure.org";
constexpr char kOverrideSystem[] = "urn:thrombo:cds:override-reason";
constexpr size_t kMaxSummary = 139;  // CDS Hooks: summary SHALL be < 140 characters

struct LinkSpec {
  const char* label;
  const char* url;
};

// Sources behind the recommendation (clinical-spec §1, §2, §5).
constexpr LinkSpec kReferences[] = {
    {"IMPEDE VTE: Sanfilippo et al., Am J Hematol 2019", "https://doi.org/10.1002/ajh.25603"},
    {"IMWG 2008: Palumbo et al., Leukemia 2008", "https://doi.org/10.1038/sj.leu.2405062"},
    {"ASCO VTE prophylaxis and treatment in cancer, 2023 update",
     "https://doi.org/10.1200/JCO.23.00294"},
};

// Escapes Markdown control characters in text that came from the record, so a drug name or a
// display string cannot turn into a link, an image or a table cell in the card.
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    // The characters that can open GFM markup mid-line: emphasis, code, links and images (via
    // '['), raw HTML, table cells. Parentheses only matter after "]", which is escaped.
    if (std::string_view("\\`*_[]<>|~").find(c) != std::string_view::npos) {
      out.push_back('\\');
    }
    out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return out;
}

std::string Truncate(std::string text) {
  if (text.size() <= kMaxSummary) return text;
  text.resize(kMaxSummary - 3);
  return text + "...";
}

std::string Points(int points) { return points > 0 ? absl::StrCat("+", points) : absl::StrCat(points); }

// "MedicationRequest/abc (rxnorm 643720)", "Condition/x (text 'myeloma')".
std::string DescribeEvidence(const v1::Evidence& e) {
  std::string where = e.resource_id().empty()
                          ? e.resource_type()
                          : absl::StrCat(e.resource_type(), "/", e.resource_id());
  std::string what;
  switch (e.source()) {
    case v1::Evidence::CODE:
      what = absl::StrCat("code ", e.matched());
      break;
    case v1::Evidence::TEXT:
      what = absl::StrCat("text '", e.matched(), "'");
      break;
    default:
      what = e.matched();
  }
  std::string out = Escape(where);
  if (!what.empty()) absl::StrAppend(&out, " (", Escape(what), ")");
  if (e.draft_order()) absl::StrAppend(&out, ", draft order");
  return out;
}

std::string DescribeEvidence(const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence) {
  std::vector<std::string> parts;
  for (const v1::Evidence& e : evidence) parts.push_back(DescribeEvidence(e));
  return absl::StrJoin(parts, "; ");
}

std::string ImidName(const v1::Assessment& a) {
  for (const v1::DrugExposure& drug : a.facts().drugs()) {
    if (drug.role() == "IMID") return drug.ingredient();
  }
  return "an IMiD";
}

std::string AnticoagulantName(const v1::Assessment& a) {
  for (const v1::DrugExposure& drug : a.facts().drugs()) {
    if (drug.role() == "VKA" || drug.role() == "DOAC" || drug.role() == "LMWH" ||
        drug.role() == "HEPARIN" || drug.role() == "FONDAPARINUX") {
      return drug.ingredient();
    }
  }
  return "an anticoagulant";
}

// The highest tier any model assigns, for the summary line.
std::string HeadlineTier(const v1::Assessment& a) {
  v1::Tier::Value tier = a.impede_vte().decision_tier();
  if (a.saved().tier() == v1::Tier::HIGH || !a.imwg2008().therapy_factors().empty()) {
    tier = v1::Tier::HIGH;
  }
  return risk::TierWord(tier);
}

std::string Summary(const v1::Assessment& a) {
  const v1::Recommendation& rec = a.recommendation();
  const std::string scores = absl::StrFormat("IMPEDE %d, SAVED %d",
                                             a.impede_vte().decision_points(), a.saved().points());
  switch (rec.action()) {
    case Action::ANTICOAGULANT:
      return Truncate(absl::StrFormat("VTE risk %s on %s: anticoagulant prophylaxis advised (%s)",
                                      HeadlineTier(a), ImidName(a), scores));
    case Action::ASPIRIN:
      return Truncate(absl::StrFormat("VTE risk %s on %s: aspirin 81-325 mg daily advised (%s)",
                                      HeadlineTier(a), ImidName(a), scores));
    case Action::WITHHOLD_PHARMACOLOGIC:
      return Truncate(absl::StrFormat(
          "No drug VTE prophylaxis on %s: %s; use mechanical measures (%s)", ImidName(a),
          rec.hard_stops().empty() ? "hard stop" : rec.hard_stops(0).reason(), scores));
    case Action::ALREADY_ANTICOAGULATED:
      return Truncate(absl::StrFormat(
          "On %s: already anticoagulated, no added VTE prophylaxis; do not add aspirin",
          AnticoagulantName(a)));
    default:
      return "";
  }
}

std::string AgentLine(const v1::AgentSuggestion& agent) {
  std::string line = absl::StrCat(agent.ingredient(), " ", agent.dose_text());
  if (!agent.cautions().empty()) {
    absl::StrAppend(&line, " (", absl::StrJoin(agent.cautions(), "; "), ")");
  }
  return line;
}

void AppendScoreTable(const v1::Assessment& a, std::string* md) {
  const v1::ImpedeVte& impede = a.impede_vte();
  const v1::Saved& saved = a.saved();
  const v1::Imwg2008& imwg = a.imwg2008();
  absl::StrAppend(md, "| Score | Points | Tier | Range with missing data |\n|---|---|---|---|\n");
  absl::StrAppendFormat(md, "| IMPEDE VTE (decision) | %d | %s | %d to %d |\n",
                        impede.decision_points(), risk::TierWord(impede.decision_tier()),
                        impede.min_points(), impede.max_points());
  absl::StrAppendFormat(md, "| IMPEDE VTE (published, with existing prophylaxis) | %d | %s | |\n",
                        impede.points(), risk::TierWord(impede.tier()));
  absl::StrAppendFormat(md, "| SAVED | %d | %s | %d to %d |\n", saved.points(),
                        risk::TierWord(saved.tier()), saved.min_points(), saved.max_points());
  absl::StrAppendFormat(
      md, "| IMWG 2008 | %d factor(s)%s | %s | %d to %d |\n\n", imwg.risk_factor_count(),
      imwg.therapy_factors().empty()
          ? ""
          : absl::StrCat(" + therapy: ", Escape(absl::StrJoin(imwg.therapy_factors(), ", "))),
      imwg.anticoagulant_indicated() ? "LMWH/warfarin" : "aspirin", imwg.min_count(),
      imwg.max_count());
}

void AppendFactors(const char* score,
                   const google::protobuf::RepeatedPtrField<v1::ScoreComponent>& components,
                   std::string* md) {
  for (const v1::ScoreComponent& c : components) {
    if (c.awarded() == 0) continue;
    absl::StrAppend(md, "- ", score, ": ", Escape(c.label()), " ", Points(c.awarded()));
    if (!c.evidence().empty()) absl::StrAppend(md, " from ", DescribeEvidence(c.evidence()));
    if (!c.note().empty()) absl::StrAppend(md, " (", Escape(c.note()), ")");
    absl::StrAppend(md, "\n");
  }
}

void AppendList(const char* heading, const google::protobuf::RepeatedPtrField<std::string>& lines,
                std::string* md) {
  if (lines.empty()) return;
  absl::StrAppend(md, "**", heading, "**\n\n");
  for (const std::string& line : lines) absl::StrAppend(md, "- ", Escape(line), "\n");
  absl::StrAppend(md, "\n");
}

// The distinct reasons facts are UNKNOWN ("observations could not be obtained", "no platelet
// count recorded", ...), so the card says what was missing instead of staying silent.
google::protobuf::RepeatedPtrField<std::string> UnavailableData(const v1::ClinicalFacts& facts) {
  google::protobuf::RepeatedPtrField<std::string> notes;
  std::set<std::string> seen;
  auto add = [&](const std::string& note) {
    if (!note.empty() && seen.insert(note).second) *notes.Add() = note;
  };
  const google::protobuf::Descriptor* descriptor = facts.GetDescriptor();
  const google::protobuf::Reflection* reflection = facts.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() || field->message_type() != v1::Fact::descriptor()) continue;
    const auto& fact = static_cast<const v1::Fact&>(reflection->GetMessage(facts, field));
    if (fact.state() == v1::Fact::UNKNOWN) add(fact.note());
  }
  if (facts.dexamethasone().state() == v1::Fact::UNKNOWN) {
    add(absl::StrCat("dexamethasone dose: ", facts.dexamethasone().rule()));
  }
  for (const std::string& issue : facts.data_issues()) add(issue);
  return notes;
}

std::string Detail(const v1::Assessment& a) {
  const v1::Recommendation& rec = a.recommendation();
  std::string md;
  if (!rec.agents().empty()) {
    std::vector<std::string> lines;
    for (const v1::AgentSuggestion& agent : rec.agents()) lines.push_back(AgentLine(agent));
    absl::StrAppend(&md, "**Recommended:** ", Escape(absl::StrJoin(lines, "; or ")), "\n\n");
  }
  if (!rec.alternatives().empty()) {
    std::vector<std::string> lines;
    for (const v1::AgentSuggestion& agent : rec.alternatives()) lines.push_back(AgentLine(agent));
    absl::StrAppend(&md, "**Alternatives:** ", Escape(absl::StrJoin(lines, "; ")), "\n\n");
  }
  absl::StrAppend(&md, Escape(rec.rationale()), "\n\n");
  for (const v1::HardStop& stop : rec.hard_stops()) {
    absl::StrAppend(&md, "**Hard stop:** ", Escape(stop.reason()));
    if (!stop.evidence().empty()) absl::StrAppend(&md, " from ", DescribeEvidence(stop.evidence()));
    absl::StrAppend(&md, "\n\n");
  }
  AppendScoreTable(a, &md);
  absl::StrAppend(&md, "**Contributing factors**\n\n");
  AppendFactors("IMPEDE VTE", a.impede_vte().components(), &md);
  AppendFactors("SAVED", a.saved().components(), &md);
  AppendFactors("IMWG 2008", a.imwg2008().components(), &md);
  absl::StrAppend(&md, "\n");
  AppendList("Cautions", rec.cautions(), &md);
  AppendList("Missing data that could change the decision", rec.confidence_notes(), &md);
  AppendList("Data not available", UnavailableData(a.facts()), &md);
  const v1::Fact& crcl = a.facts().creatinine_clearance();
  if (crcl.state() == v1::Fact::PRESENT) {
    absl::StrAppendFormat(&md, "Creatinine clearance (Cockcroft-Gault, actual weight): %.0f mL/min.\n\n",
                          crcl.value());
  } else {
    absl::StrAppend(&md, "Creatinine clearance unknown: ", Escape(crcl.note()), "\n\n");
  }
  absl::StrAppendFormat(&md,
                        "Policy %s, deciding model %s. Rules marked \\[P\\] are this service's "
                        "pragmatic choices and configurable by the site.\n",
                        Escape(rec.policy_version()), Escape(rec.deciding_model()));
  return md;
}

v1::CdsSource Source(const CardContext& context) {
  v1::CdsSource source;
  source.set_label("Thrombo: thromboprophylaxis for myeloma on IMiDs");
  if (!context.source_url.empty()) source.set_url(context.source_url);
  return source;
}

void AddOverrideReasons(v1::CdsCard* card) {
  struct Reason {
    const char* code;
    const char* display;
  };
  static constexpr Reason kReasons[] = {
      {"already-anticoagulated", "Patient is already on anticoagulation or prophylaxis"},
      {"bleeding-risk", "Bleeding risk outweighs the benefit"},
      {"patient-declined", "Patient declined"},
      {"different-agent", "A different agent or dose was chosen"},
      {"risk-assessed-differently", "Clinician assessed the thrombosis risk differently"},
  };
  for (const Reason& reason : kReasons) {
    v1::CdsCoding& coding = *card->add_override_reasons();
    coding.set_system(kOverrideSystem);
    coding.set_code(reason.code);
    coding.set_display(reason.display);
  }
}

bool ForbiddenByHardStop(const v1::AgentSuggestion& agent, const v1::Recommendation& rec) {
  for (const v1::HardStop& stop : rec.hard_stops()) {
    if (!stop.heparins_only() || risk::IsHeparin(agent.ingredient())) return true;
  }
  return false;
}

void AddSuggestion(const v1::AgentSuggestion& agent, bool recommended, const CardContext& context,
                   v1::CdsCard* card) {
  v1::CdsSuggestion& suggestion = *card->add_suggestions();
  suggestion.set_label(Truncate(absl::StrCat("Order ", agent.ingredient(), " ", agent.dose_text())));
  suggestion.set_uuid(
      NameBasedUuid(absl::StrCat(context.hook_instance, "/prophylaxis/", agent.ingredient())));
  suggestion.set_is_recommended(recommended);
  v1::CdsAction& action = *suggestion.add_actions();
  action.set_type("create");
  action.set_description(absl::StrCat("Create a draft order for ", agent.ingredient(), " ",
                                      agent.dose_text()));
  *action.mutable_resource()->mutable_medication_request() =
      BuildMedicationRequest(agent, context);
}

v1::CdsCard ProphylaxisCard(const v1::Assessment& a, const CardContext& context) {
  const v1::Recommendation& rec = a.recommendation();
  v1::CdsCard card;
  card.set_uuid(NameBasedUuid(absl::StrCat(context.hook_instance, "/prophylaxis")));
  card.set_summary(Summary(a));
  card.set_detail(Detail(a));
  const bool urgent = rec.action() == Action::ANTICOAGULANT ||
                      rec.action() == Action::WITHHOLD_PHARMACOLOGIC;
  card.set_indicator(urgent ? "warning" : "info");
  *card.mutable_source() = Source(context);
  // Suggestions exist only for actions that order a drug. Recommend() already leaves out what a
  // hard stop forbids; the card checks again so no input can put a forbidden order in one click.
  const bool may_order = rec.action() == Action::ANTICOAGULANT || rec.action() == Action::ASPIRIN;
  if (may_order) {
    bool first = true;
    for (const v1::AgentSuggestion& agent : rec.agents()) {
      if (ForbiddenByHardStop(agent, rec)) continue;
      AddSuggestion(agent, first, context, &card);
      first = false;
    }
    for (const v1::AgentSuggestion& agent : rec.alternatives()) {
      if (!ForbiddenByHardStop(agent, rec)) AddSuggestion(agent, false, context, &card);
    }
  }
  if (!card.suggestions().empty()) {
    card.set_selection_behavior("at-most-one");
    AddOverrideReasons(&card);
  }
  for (const LinkSpec& ref : kReferences) {
    v1::CdsLink& link = *card.add_links();
    link.set_label(ref.label);
    link.set_url(ref.url);
    link.set_type("absolute");
  }
  return card;
}

v1::CdsCard SimpleCard(const std::string& key, const std::string& summary,
                       const std::string& detail, const std::string& indicator,
                       const CardContext& context) {
  v1::CdsCard card;
  card.set_uuid(NameBasedUuid(absl::StrCat(context.hook_instance, "/", key)));
  card.set_summary(Truncate(summary));
  card.set_detail(detail);
  card.set_indicator(indicator);
  *card.mutable_source() = Source(context);
  return card;
}

}  // namespace

MedicationRequest BuildMedicationRequest(const v1::AgentSuggestion& agent,
                                         const CardContext& context) {
  MedicationRequest order;
  order.set_status(fhir::r4::MedicationRequestStatusCode::DRAFT);
  order.set_intent(fhir::r4::MedicationRequestIntentCode::ORDER);
  fhir::r4::CodeableConcept& medication = *order.mutable_medication_codeable_concept();
  if (!agent.rxnorm_code().empty()) {
    fhir::r4::Coding& coding = *medication.add_coding();
    coding.set_system(kRxNorm);
    coding.set_code(agent.rxnorm_code());
    coding.set_display(agent.rxnorm_display());
  }
  medication.set_text(absl::StrCat(agent.ingredient(), " ", agent.dose_text()));
  order.mutable_subject()->set_reference(absl::StrCat("Patient/", context.patient_id));
  if (!context.encounter_id.empty()) {
    order.mutable_encounter()->set_reference(absl::StrCat("Encounter/", context.encounter_id));
  }
  fhir::r4::DateTime& authored = *order.mutable_authored_on();
  authored.set_value_us(absl::ToUnixSeconds(context.now) * 1000000);
  authored.set_precision(fhir::r4::SECOND);
  authored.set_timezone("Z");
  order.add_reason_code()->set_text(
      "Venous thromboembolism prophylaxis during immunomodulatory drug therapy");

  fhir::r4::Dosage& dosage = *order.add_dosage_instruction();
  dosage.set_text(agent.dose_text());
  if (agent.doses_per_day() > 0) {
    fhir::r4::Timing::Repeat& repeat = *dosage.mutable_timing()->mutable_repeat();
    repeat.set_frequency(agent.doses_per_day());
    repeat.mutable_period()->set_value("1");
    repeat.set_period_unit(fhir::r4::Timing::Repeat::D);
  }
  fhir::r4::Coding& route = *dosage.mutable_route()->add_coding();
  route.set_system(kSnomed);
  // SNOMED CT route codes: 34206005 Subcutaneous route, 26643006 Oral route.
  const bool subcutaneous = agent.route() == "subcutaneous";
  route.set_code(subcutaneous ? "34206005" : "26643006");
  route.set_display(subcutaneous ? "Subcutaneous route" : "Oral route");
  if (agent.dose_mg() > 0) {
    fhir::r4::Quantity& dose =
        *dosage.add_dose_and_rate()->mutable_dose_quantity();
    dose.mutable_value()->set_value(absl::StrFormat("%g", agent.dose_mg()));
    dose.set_unit("mg");
    dose.set_system(kUcum);
    dose.set_code("mg");
  }
  return order;
}

std::vector<v1::CdsCard> BuildCards(const v1::Assessment& a, const CardContext& context) {
  std::vector<v1::CdsCard> cards;
  if (a.recommendation().action() == Action::NO_RECOMMENDATION ||
      a.recommendation().action() == Action::ACTION_UNSPECIFIED) {
    return cards;
  }
  cards.push_back(ProphylaxisCard(a, context));
  const v1::Cotherapy& co = a.cotherapy();
  if (co.esa()) {
    const v1::Fact& hb = co.latest_hemoglobin();
    const std::string hb_text = hb.state() == v1::Fact::PRESENT
                                    ? absl::StrFormat("latest Hb %.1f g/dL", hb.value())
                                    : std::string("no recent Hb");
    cards.push_back(SimpleCard(
        "esa",
        absl::StrFormat("ESA with %s raises thrombosis risk; %s (stop ESA if Hb > 13)",
                        ImidName(a), hb_text),
        absl::StrCat(
            "Erythropoiesis-stimulating agents may further increase the risk of thrombosis with "
            "immunomodulatory drugs; use should be a benefit-risk decision (REVLIMID label). "
            "The EU SmPC says a haemoglobin above 13 g/dL should lead to discontinuation of "
            "the ESA. ESA use adds 1 point to IMPEDE VTE and counts as an IMWG factor.\n\n",
            co.hemoglobin_above_esa_stop() ? "**Hb is above 13 g/dL: stop the ESA.**\n" : ""),
        "warning", context));
  }
  if (co.estrogen()) {
    cards.push_back(SimpleCard(
        "estrogen",
        absl::StrFormat("Estrogen with %s raises thrombosis risk: reassess the need", ImidName(a)),
        "Estrogens may further increase the risk of thrombosis with immunomodulatory drugs; "
        "their use should be based on a benefit-risk decision (REVLIMID label). Counted as an "
        "IMWG medication factor (NCCN-adapted list) [P].\n",
        "warning", context));
  }
  if (a.arterial().flagged()) {
    std::string detail =
        "Arterial thromboembolism (myocardial infarction, stroke) is increased with "
        "immunomodulatory drugs; minimise modifiable factors such as hyperlipidaemia, "
        "hypertension and smoking (REVLIMID label). Aspirin is not added to an anticoagulant "
        "solely for arterial risk; that is a clinician decision because of bleeding risk. "
        "This flag is a pragmatic rule [P]; no validated myeloma arterial score exists.\n\n"
        "**Why flagged**\n\n";
    for (const std::string& reason : a.arterial().reasons()) {
      absl::StrAppend(&detail, "- ", Escape(reason), "\n");
    }
    cards.push_back(SimpleCard(
        "arterial",
        absl::StrFormat("Arterial thrombosis risk on %s: optimise BP, lipids, smoking",
                        ImidName(a)),
        detail, "info", context));
  }
  return cards;
}

}  // namespace thrombo::service
