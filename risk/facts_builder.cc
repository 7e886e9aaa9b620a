// Copyright 2026 The Thrombo Authors.
#include "risk/facts_builder.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "risk/fact_fields.h"

namespace thrombo::risk {
namespace {

void Measure(v1::Fact* fact, double value, const char* unit) {
  fact->set_state(v1::Fact::PRESENT);
  fact->set_value(value);
  fact->set_unit(unit);
}

}  // namespace

FactsBuilder::FactsBuilder() {
  // Every Fact field starts ABSENT; measurements start UNKNOWN (not recorded).
  ForEachMutableFact(&facts_, [](v1::Fact* fact) { fact->set_state(v1::Fact::ABSENT); });
  for (v1::Fact* measured :
       {facts_.mutable_age_years(), facts_.mutable_bmi(), facts_.mutable_weight_kg(),
        facts_.mutable_height_cm(), facts_.mutable_platelets(),
        facts_.mutable_creatinine_mg_dl(), facts_.mutable_hemoglobin_g_dl(),
        facts_.mutable_egfr(), facts_.mutable_creatinine_clearance()}) {
    measured->set_state(v1::Fact::UNKNOWN);
  }
  facts_.mutable_dexamethasone()->set_state(v1::Fact::ABSENT);
}

FactsBuilder& FactsBuilder::Age(double years) {
  Measure(facts_.mutable_age_years(), years, "a");
  return *this;
}
FactsBuilder& FactsBuilder::Sex(const std::string& sex) {
  facts_.set_sex(sex);
  return *this;
}
FactsBuilder& FactsBuilder::Race(const std::string& omb_code) {
  facts_.set_race_omb_code(omb_code);
  facts_.clear_race_omb_categories();
  facts_.add_race_omb_categories(omb_code);
  return *this;
}
FactsBuilder& FactsBuilder::Bmi(double bmi) {
  Measure(facts_.mutable_bmi(), bmi, "kg/m2");
  return *this;
}
FactsBuilder& FactsBuilder::Imid() { return Set(&v1::ClinicalFacts::mutable_imid); }

FactsBuilder& FactsBuilder::Dex(double mg_per_28_days, double mg_per_cycle, int cycle_days) {
  v1::DexamethasoneDose* dex = facts_.mutable_dexamethasone();
  dex->set_state(v1::Fact::PRESENT);
  dex->set_mg_per_28_days(mg_per_28_days);
  dex->set_mg_per_cycle(mg_per_cycle);
  dex->set_cycle_days(cycle_days);
  return *this;
}
FactsBuilder& FactsBuilder::DexUnknownDose() {
  facts_.mutable_dexamethasone()->set_state(v1::Fact::UNKNOWN);
  return *this;
}
FactsBuilder& FactsBuilder::Platelets(double value) {
  Measure(facts_.mutable_platelets(), value, "10*9/L");
  return *this;
}
FactsBuilder& FactsBuilder::CrCl(double ml_min) {
  Measure(facts_.mutable_creatinine_clearance(), ml_min, "mL/min");
  return *this;
}
FactsBuilder& FactsBuilder::Egfr(double value) {
  Measure(facts_.mutable_egfr(), value, "mL/min/{1.73_m2}");
  return *this;
}
FactsBuilder& FactsBuilder::Hemoglobin(double g_dl) {
  Measure(facts_.mutable_hemoglobin_g_dl(), g_dl, "g/dL");
  return *this;
}
FactsBuilder& FactsBuilder::DiagnosedAgo(absl::Time now, absl::Duration ago) {
  v1::Fact* fact = facts_.mutable_myeloma_diagnosis();
  fact->set_state(v1::Fact::PRESENT);
  fact->set_time_us(absl::ToUnixMicros(now - ago));
  facts_.mutable_multiple_myeloma()->set_state(v1::Fact::PRESENT);
  return *this;
}
FactsBuilder& FactsBuilder::TherapeuticAnticoagulation() {
  return Set(&v1::ClinicalFacts::mutable_therapeutic_anticoagulation);
}
FactsBuilder& FactsBuilder::AnticoagulationOfUnknownIntensity() {
  // As fact extraction records it: the drug is there (evidence), its dose is not.
  v1::Fact* fact = facts_.mutable_therapeutic_anticoagulation();
  fact->set_state(v1::Fact::UNKNOWN);
  fact->set_note("anticoagulant dose or frequency not recorded");
  v1::Evidence* e = fact->add_evidence();
  e->set_resource_type("MedicationStatement");
  e->set_resource_id("apixaban");
  e->set_source(v1::Evidence::TEXT);
  e->set_matched("eliquis");
  return *this;
}
FactsBuilder& FactsBuilder::ProphylacticAnticoagulation() {
  return Set(&v1::ClinicalFacts::mutable_prophylactic_anticoagulation);
}
FactsBuilder& FactsBuilder::Weight(double kg) {
  Measure(facts_.mutable_weight_kg(), kg, "kg");
  return *this;
}
FactsBuilder& FactsBuilder::UnknownPlatelets(const std::string& recorded_as, absl::Time taken,
                                             const std::string& resource_id) {
  return UnknownAsRecorded(&v1::ClinicalFacts::mutable_platelets, recorded_as, "Observation",
                           resource_id, taken);
}
FactsBuilder& FactsBuilder::UnknownAsRecorded(v1::Fact* (v1::ClinicalFacts::*field)(),
                                              const std::string& matched,
                                              const std::string& resource_type,
                                              const std::string& resource_id, absl::Time when,
                                              const std::string& note) {
  v1::Fact* fact = (facts_.*field)();
  fact->Clear();
  fact->set_state(v1::Fact::UNKNOWN);
  fact->set_time_us(absl::ToUnixMicros(when));
  fact->set_note(note);
  v1::Evidence* e = fact->add_evidence();
  e->set_resource_type(resource_type);
  e->set_resource_id(resource_id);
  e->set_source(v1::Evidence::VALUE);
  e->set_matched(matched);
  return *this;
}
FactsBuilder& FactsBuilder::Allergy(const std::string& recorded_as,
                                    std::vector<std::string> ingredients, bool hit) {
  v1::DrugAllergy* allergy = facts_.add_drug_allergies();
  for (std::string& name : ingredients) allergy->add_excluded_ingredients(std::move(name));
  allergy->set_recorded_as(recorded_as);
  allergy->set_heparin_induced_thrombocytopenia(hit);
  v1::Evidence* e = allergy->mutable_evidence();
  e->set_resource_type("AllergyIntolerance");
  e->set_resource_id(absl::StrCat("allergy-", facts_.drug_allergies_size()));
  e->set_source(v1::Evidence::TEXT);
  e->set_matched(recorded_as);
  if (hit) {
    v1::Fact* fact = facts_.mutable_hit_history();
    fact->set_state(v1::Fact::PRESENT);
    *fact->add_evidence() = *e;
  }
  return *this;
}
FactsBuilder& FactsBuilder::Dialysis() { return Set(&v1::ClinicalFacts::mutable_dialysis); }
FactsBuilder& FactsBuilder::PossiblyCurrentAnticoagulant(const std::string& resource_id) {
  v1::Fact* fact = facts_.mutable_possibly_current_anticoagulant();
  fact->set_state(v1::Fact::PRESENT);
  fact->set_note("order on hold");
  v1::Evidence* e = fact->add_evidence();
  e->set_resource_type("MedicationRequest");
  e->set_resource_id(resource_id);
  e->set_source(v1::Evidence::TEXT);
  e->set_matched("apixaban 5 mg twice daily (on-hold)");
  return *this;
}
FactsBuilder& FactsBuilder::StrongInhibitor(const std::string& recorded_as) {
  v1::Fact* fact = facts_.mutable_strong_cyp3a4_pgp_inhibitor();
  fact->set_state(v1::Fact::PRESENT);
  fact->add_evidence()->set_matched(recorded_as);
  return *this;
}
FactsBuilder& FactsBuilder::StrongInducer(const std::string& recorded_as) {
  v1::Fact* fact = facts_.mutable_strong_cyp3a4_pgp_inducer();
  fact->set_state(v1::Fact::PRESENT);
  fact->add_evidence()->set_matched(recorded_as);
  return *this;
}
FactsBuilder& FactsBuilder::ProphylacticAgent(const std::string& ingredient,
                                              const std::string& role, double dose_mg,
                                              double doses_per_day,
                                              const std::string& resource_id) {
  v1::DrugExposure* drug = facts_.add_drugs();
  drug->set_ingredient(ingredient);
  drug->set_role(role);
  drug->set_intensity(role == "ASPIRIN" ? v1::DoseIntensity::DOSE_INTENSITY_UNSPECIFIED
                                        : v1::DoseIntensity::PROPHYLACTIC);
  drug->set_dose_mg(dose_mg);
  drug->set_doses_per_day(doses_per_day);
  drug->mutable_evidence()->set_resource_type("MedicationRequest");
  drug->mutable_evidence()->set_resource_id(resource_id);
  return Set(role == "ASPIRIN" ? &v1::ClinicalFacts::mutable_aspirin
                               : &v1::ClinicalFacts::mutable_prophylactic_anticoagulation);
}
FactsBuilder& FactsBuilder::RaceCategories(std::vector<std::string> omb_codes) {
  facts_.clear_race_omb_categories();
  for (const std::string& code : omb_codes) facts_.add_race_omb_categories(code);
  facts_.set_race_omb_code(omb_codes.empty() ? "" : omb_codes.front());
  return *this;
}
FactsBuilder& FactsBuilder::Set(v1::Fact* (v1::ClinicalFacts::*field)()) {
  (facts_.*field)()->set_state(v1::Fact::PRESENT);
  return *this;
}
FactsBuilder& FactsBuilder::SetUnknown(v1::Fact* (v1::ClinicalFacts::*field)()) {
  (facts_.*field)()->set_state(v1::Fact::UNKNOWN);
  return *this;
}

FactsBuilder& FactsBuilder::SetAbsent(v1::Fact* (v1::ClinicalFacts::*field)()) {
  (facts_.*field)()->Clear();
  (facts_.*field)()->set_state(v1::Fact::ABSENT);
  return *this;
}

}  // namespace thrombo::risk
