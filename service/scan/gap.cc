// Copyright 2026 The Thrombo Authors.
#include "service/scan/gap.h"

#include <algorithm>
#include <set>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "risk/agent_gate.h"

namespace thrombo::scan {
namespace {

using v1::DoseIntensity;
using v1::Fact;
using v1::Recommendation;

constexpr std::pair<Gap, std::string_view> kGapNames[] = {
    {Gap::kHardStopUnaddressed, "hard_stop_unaddressed"},
    {Gap::kMissing, "missing"},
    {Gap::kInsufficient, "insufficient"},
    {Gap::kPossiblyCurrentAnticoagulant, "possibly_current_anticoagulant"},
    {Gap::kDataMissing, "data_missing"},
    {Gap::kNone, "none"},
};

// The anticoagulant roles of the policy's DrugRole names (risk/default_policy.textproto); with
// ASPIRIN these are the drugs a prophylaxis decision is about (risk/recommendation.cc).
bool IsAnticoagulantRole(const std::string& role) {
  return role == "LMWH" || role == "DOAC" || role == "HEPARIN" || role == "FONDAPARINUX" ||
         role == "VKA";
}

std::string Number(double value) { return absl::StrFormat("%.4g", value); }

std::string FactValue(const Fact& fact) {
  switch (fact.state()) {
    case Fact::PRESENT:
      return Number(fact.value());
    case Fact::UNKNOWN:
      return "UNKNOWN";
    default:
      return "";
  }
}

std::string Regimen(const v1::DrugExposure& drug) {
  std::string text = drug.ingredient();
  if (drug.dose_mg() > 0) absl::StrAppend(&text, " ", Number(drug.dose_mg()), " mg");
  if (drug.doses_per_day() > 0) absl::StrAppend(&text, " x", Number(drug.doses_per_day()), "/day");
  if (drug.intensity() != DoseIntensity::DOSE_INTENSITY_UNSPECIFIED) {
    absl::StrAppend(&text, " (", DoseIntensity::Value_Name(drug.intensity()), ")");
  }
  return text;
}

// Whether the deciding model's tier could change with the UNKNOWN terms (rule 6).
bool TierCertain(const v1::Assessment& a) {
  if (a.recommendation().deciding_model() == "IMWG_2008") return a.imwg2008().certain();
  return a.impede_vte().tier_certain() && a.saved().tier_certain();
}

// The first line that stops the preferred agent being one click (rule 14), or "".
std::string FirstVerifyLine(const Recommendation& rec) {
  for (const v1::AgentSuggestion& agent : rec.agents()) {
    if (!agent.verify_before_ordering().empty()) return agent.verify_before_ordering(0);
  }
  return "";
}

std::string FirstMissingDatum(const v1::Assessment& a) {
  if (!a.impede_vte().missing_data().empty()) return a.impede_vte().missing_data(0);
  if (!a.saved().missing_data().empty()) return a.saved().missing_data(0);
  if (!a.imwg2008().missing_data().empty()) return a.imwg2008().missing_data(0);
  return "a score term is unknown";
}

// Every field once, for JSON, CSV and parsing alike.
template <typename Row, typename Visitor>
void VisitFields(Row& row, Visitor&& visit) {
  visit("patient_id", row.patient_id);
  visit("imid", row.imid);
  visit("gap", row.gap);
  visit("gap_reason", row.gap_reason);
  visit("action", row.action);
  visit("recommended", row.recommended);
  visit("one_click", row.one_click);
  visit("current_prophylaxis", row.current_prophylaxis);
  visit("current_intensity", row.current_intensity);
  visit("impede_points", row.impede_points);
  visit("impede_decision_points", row.impede_decision_points);
  visit("impede_min", row.impede_min);
  visit("impede_max", row.impede_max);
  visit("impede_tier", row.impede_tier);
  visit("impede_tier_certain", row.impede_tier_certain);
  visit("saved_points", row.saved_points);
  visit("saved_tier", row.saved_tier);
  visit("saved_tier_certain", row.saved_tier_certain);
  visit("imwg_risk_factors", row.imwg_risk_factors);
  visit("imwg_anticoagulant_indicated", row.imwg_anticoagulant_indicated);
  visit("deciding_model", row.deciding_model);
  visit("hard_stops", row.hard_stops);
  visit("possibly_current_anticoagulant", row.possibly_current_anticoagulant);
  visit("esa", row.esa);
  visit("hemoglobin_g_dl", row.hemoglobin_g_dl);
  visit("esa_hb_above_13", row.esa_hb_above_13);
  visit("platelets", row.platelets);
  visit("creatinine_clearance", row.creatinine_clearance);
  visit("unknown_facts", row.unknown_facts);
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::string_view GapName(Gap gap) {
  for (const auto& [value, name] : kGapNames) {
    if (value == gap) return name;
  }
  return "none";
}

std::optional<Gap> GapFromName(std::string_view name) {
  for (const auto& [value, gap_name] : kGapNames) {
    if (gap_name == name) return value;
  }
  return std::nullopt;
}

std::optional<GapRow> RowFromAssessment(const v1::Assessment& a) {
  const v1::ClinicalFacts& f = a.facts();
  if (f.imid().state() != Fact::PRESENT) return std::nullopt;
  const Recommendation& rec = a.recommendation();
  GapRow row;
  row.patient_id = a.patient_id();

  std::set<std::string> imids;
  std::vector<const v1::DrugExposure*> anticoagulants;
  std::vector<const v1::DrugExposure*> aspirin;
  for (const v1::DrugExposure& drug : f.drugs()) {
    if (drug.role() == "IMID") imids.insert(drug.ingredient());
    if (IsAnticoagulantRole(drug.role())) anticoagulants.push_back(&drug);
    if (drug.role() == "ASPIRIN") aspirin.push_back(&drug);
  }
  row.imid = absl::StrJoin(imids, "+");
  std::vector<std::string> current;
  DoseIntensity::Value strongest = DoseIntensity::DOSE_INTENSITY_UNSPECIFIED;
  for (const v1::DrugExposure* drug : anticoagulants) {
    current.push_back(Regimen(*drug));
    // THERAPEUTIC > UNKNOWN_INTENSITY > PROPHYLACTIC for what the patient is covered by.
    auto rank = [](DoseIntensity::Value v) {
      return v == DoseIntensity::THERAPEUTIC         ? 3
             : v == DoseIntensity::UNKNOWN_INTENSITY ? 2
             : v == DoseIntensity::PROPHYLACTIC      ? 1
                                                     : 0;
    };
    if (rank(drug->intensity()) > rank(strongest)) strongest = drug->intensity();
  }
  for (const v1::DrugExposure* drug : aspirin) current.push_back(Regimen(*drug));
  row.current_prophylaxis = absl::StrJoin(current, "; ");
  row.current_intensity = !anticoagulants.empty()
                              ? (strongest == DoseIntensity::DOSE_INTENSITY_UNSPECIFIED
                                     ? "UNKNOWN_INTENSITY"
                                     : DoseIntensity::Value_Name(strongest))
                          : !aspirin.empty() ? "ASPIRIN"
                                             : "NONE";

  const v1::ImpedeVte& impede = a.impede_vte();
  row.impede_points = impede.points();
  row.impede_decision_points = impede.decision_points();
  row.impede_min = impede.min_points();
  row.impede_max = impede.max_points();
  row.impede_tier = v1::Tier::Value_Name(impede.decision_tier());
  row.impede_tier_certain = impede.tier_certain();
  row.saved_points = a.saved().points();
  row.saved_tier = v1::Tier::Value_Name(a.saved().tier());
  row.saved_tier_certain = a.saved().tier_certain();
  row.imwg_risk_factors = a.imwg2008().risk_factor_count();
  row.imwg_anticoagulant_indicated = a.imwg2008().anticoagulant_indicated();
  row.deciding_model = rec.deciding_model();
  row.action = Recommendation::Action_Name(rec.action());
  if (!rec.agents().empty()) {
    row.recommended =
        rec.agents(0).dose_text().empty()
            ? rec.agents(0).ingredient()
            : absl::StrCat(rec.agents(0).ingredient(), " ", rec.agents(0).dose_text());
    row.one_click = rec.agents(0).verify_before_ordering().empty();
  }
  std::vector<std::string> stops;
  for (const v1::HardStop& stop : rec.hard_stops()) stops.push_back(stop.id());
  row.hard_stops = absl::StrJoin(stops, "+");
  row.possibly_current_anticoagulant = f.possibly_current_anticoagulant().state() == Fact::PRESENT;
  row.esa = a.cotherapy().esa();
  if (a.cotherapy().latest_hemoglobin().state() == Fact::PRESENT) {
    row.hemoglobin_g_dl = Number(a.cotherapy().latest_hemoglobin().value());
  }
  row.esa_hb_above_13 = a.cotherapy().esa() && a.cotherapy().hemoglobin_above_esa_stop();
  row.platelets = FactValue(f.platelets());
  row.creatinine_clearance = FactValue(f.creatinine_clearance());
  std::vector<std::string> unknown;
  const std::pair<const char*, const Fact*> gating[] = {
      {"platelets", &f.platelets()},
      {"active_bleeding", &f.active_bleeding()},
      {"hit_history", &f.hit_history()},
      {"creatinine_clearance", &f.creatinine_clearance()},
      {"therapeutic_anticoagulation", &f.therapeutic_anticoagulation()},
      {"prophylactic_anticoagulation", &f.prophylactic_anticoagulation()},
      {"aspirin_contraindication", &f.aspirin_contraindication()},
  };
  for (const auto& [name, fact] : gating) {
    if (fact->state() == Fact::UNKNOWN) unknown.push_back(name);
  }
  if (f.dexamethasone().state() == Fact::UNKNOWN) unknown.push_back("dexamethasone_dose");
  row.unknown_facts = absl::StrJoin(unknown, "+");

  // The gap, from the engine's answer. 1. A hard stop (policy v1 rule 8) that applies to a drug
  // the patient is on: the engine says "hold it and review" (rule 22); the record still has it.
  std::vector<const v1::DrugExposure*> on;
  on.insert(on.end(), anticoagulants.begin(), anticoagulants.end());
  on.insert(on.end(), aspirin.begin(), aspirin.end());
  for (const v1::HardStop& stop : rec.hard_stops()) {
    for (const v1::DrugExposure* drug : on) {
      if (stop.heparins_only() && !risk::IsHeparin(drug->ingredient())) continue;
      row.gap = Gap::kHardStopUnaddressed;
      row.gap_reason = absl::StrCat(stop.reason(), "; the record still has ", Regimen(*drug));
      return row;
    }
  }
  // 2. A current agent the engine excluded (allergy, renal function, interaction: rule 22).
  for (const v1::ExcludedAgent& excluded : rec.excluded_agents()) {
    for (const v1::DrugExposure* drug : on) {
      if (drug->ingredient() != excluded.ingredient()) continue;
      row.gap = Gap::kInsufficient;
      row.gap_reason = absl::StrCat("current ", Regimen(*drug), ": ", excluded.reason());
      return row;
    }
  }
  switch (rec.action()) {
    case Recommendation::ALREADY_ANTICOAGULATED:
      row.gap = Gap::kNone;
      row.gap_reason = strongest == DoseIntensity::UNKNOWN_INTENSITY
                           ? "anticoagulated, dose not recorded: verify it (rule 18)"
                           : "already anticoagulated";
      return row;
    case Recommendation::WITHHOLD_PHARMACOLOGIC:
      row.gap = Gap::kNone;
      row.gap_reason = "a hard stop forbids pharmacological prophylaxis and none is on record";
      return row;
    case Recommendation::ANTICOAGULANT:
    case Recommendation::ASPIRIN:
      break;
    default:
      row.gap = Gap::kNone;
      row.gap_reason = "no recommendation";
      return row;
  }
  // 3. An anticoagulant that may still be taken, and none that certainly is (rule 19).
  if (row.possibly_current_anticoagulant && anticoagulants.empty()) {
    row.gap = Gap::kPossiblyCurrentAnticoagulant;
    row.gap_reason = "an anticoagulant on hold, recently ended or of uncertain status: confirm";
    return row;
  }
  const bool anticoagulant_due = rec.action() == Recommendation::ANTICOAGULANT;
  if (!anticoagulants.empty()) {
    row.gap = Gap::kNone;
    row.gap_reason = "on an anticoagulant";
    return row;
  }
  if (!aspirin.empty()) {
    if (anticoagulant_due) {
      row.gap = Gap::kInsufficient;
      row.gap_reason = "on aspirin where the tier calls for an anticoagulant (switch, rule 9)";
    } else if (!TierCertain(a)) {
      row.gap = Gap::kDataMissing;
      row.gap_reason = absl::StrCat("on aspirin; the tier could call for an anticoagulant: ",
                                    FirstMissingDatum(a));
    } else {
      row.gap = Gap::kNone;
      row.gap_reason = "on aspirin, as the tier calls for";
    }
    return row;
  }
  // 4. Nothing on record. When the engine cannot offer a one-click order because a gating datum
  // is UNKNOWN (rule 14), the next step is that datum, not a prescription.
  const std::string verify = FirstVerifyLine(rec);
  if (!row.one_click && !verify.empty()) {
    row.gap = Gap::kDataMissing;
    row.gap_reason = absl::StrCat("no prophylaxis on record; before ordering: ", verify);
    return row;
  }
  row.gap = Gap::kMissing;
  row.gap_reason = anticoagulant_due
                       ? "no prophylaxis on record; the tier calls for an anticoagulant"
                       : "no prophylaxis on record; the tier calls for aspirin";
  return row;
}

std::string RowToJson(const GapRow& row) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  VisitFields(row, [&writer](const char* name, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    writer.Key(name);
    if constexpr (std::is_same_v<T, std::string>) {
      writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    } else if constexpr (std::is_same_v<T, bool>) {
      writer.Bool(value);
    } else if constexpr (std::is_same_v<T, int>) {
      writer.Int(value);
    } else {
      const std::string_view gap = GapName(value);
      writer.String(gap.data(), static_cast<rapidjson::SizeType>(gap.size()));
    }
  });
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<GapRow> RowFromJson(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) {
    return absl::InvalidArgumentError("gaps row: not a JSON object");
  }
  GapRow row;
  absl::Status status;
  VisitFields(row, [&](const char* name, auto& value) {
    using T = std::decay_t<decltype(value)>;
    const auto member = document.FindMember(name);
    if (member == document.MemberEnd()) {
      status = absl::InvalidArgumentError(absl::StrCat("gaps row: no \"", name, "\""));
      return;
    }
    const rapidjson::Value& v = member->value;
    bool ok = true;
    if constexpr (std::is_same_v<T, std::string>) {
      ok = v.IsString();
      if (ok) value.assign(v.GetString(), v.GetStringLength());
    } else if constexpr (std::is_same_v<T, bool>) {
      ok = v.IsBool();
      if (ok) value = v.GetBool();
    } else if constexpr (std::is_same_v<T, int>) {
      ok = v.IsInt();
      if (ok) value = v.GetInt();
    } else {
      std::optional<Gap> gap;
      if (v.IsString()) gap = GapFromName(std::string_view(v.GetString(), v.GetStringLength()));
      ok = gap.has_value();
      if (ok) value = *gap;
    }
    if (!ok && status.ok()) {
      status =
          absl::InvalidArgumentError(absl::StrCat("gaps row: \"", name, "\" has the wrong type"));
    }
  });
  if (!status.ok()) return status;
  return row;
}

std::string CsvHeader() {
  std::vector<std::string> names;
  GapRow row;
  VisitFields(row, [&names](const char* name, const auto&) { names.push_back(name); });
  return absl::StrJoin(names, ",");
}

std::string RowToCsv(const GapRow& row) {
  std::vector<std::string> fields;
  VisitFields(row, [&fields](const char*, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, std::string>) {
      fields.push_back(CsvField(value));
    } else if constexpr (std::is_same_v<T, bool>) {
      fields.push_back(value ? "true" : "false");
    } else if constexpr (std::is_same_v<T, int>) {
      fields.push_back(absl::StrCat(value));
    } else {
      fields.push_back(std::string(GapName(value)));
    }
  });
  return absl::StrJoin(fields, ",");
}

}  // namespace thrombo::scan
