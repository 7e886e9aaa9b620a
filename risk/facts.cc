// Copyright 2026 The Thrombo Authors.
// The thin entry of fact extraction: the Patient here, each other concept in its own library
// (lab_facts, renal_body_facts, condition_facts, allergy_facts, medication_facts).
#include "risk/facts.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "risk/allergy_facts.h"
#include "risk/condition_facts.h"
#include "risk/fact_context.h"
#include "risk/fact_fields.h"
#include "risk/fhir_values.h"
#include "risk/field_text.h"
#include "risk/lab_facts.h"
#include "risk/medication_facts.h"
#include "risk/renal_body_facts.h"

namespace thrombo::risk {
namespace {

using State = v1::Fact;

void AddPatient(const fhir::r4::Patient& p, FactContext& c) {
  v1::ClinicalFacts& facts = c.facts;
  if (std::optional<absl::Time> birth = ToTime(p.birth_date())) {
    const int age = AgeInYears(*birth, c.now);
    facts.mutable_age_years()->set_state(State::PRESENT);
    facts.mutable_age_years()->set_value(age);
    facts.mutable_age_years()->set_unit("a");
    SetEvidence(c, facts.mutable_age_years()->add_evidence(), "Patient", p.id(),
                "Patient.birthDate", v1::Evidence::VALUE, absl::StrCat(age, " years"));
  } else {
    facts.mutable_age_years()->set_state(State::UNKNOWN);
    SetText(facts.mutable_age_years()->mutable_note(), "birthDate not recorded");
  }
  using G = fhir::r4::AdministrativeGenderCode;
  if (p.gender() == G::MALE) facts.set_sex("male");
  if (p.gender() == G::FEMALE) facts.set_sex("female");

  // US Core race: only ombCategory is read; race is never inferred (§0.4). Every category is
  // kept (rule 21: several, one of them Asian, make the race term UNKNOWN in the scores);
  // race_omb_code keeps the first, as the contract says, for output compatibility.
  const v1::RaceCodes& race = c.terminology.race();
  for (const fhir::r4::Extension& ext : p.extension()) {
    if (ext.url() != race.extension_url()) continue;
    for (const fhir::r4::Extension& sub : ext.extension()) {
      if (sub.url() != race.omb_category_url() || !sub.has_value_coding()) continue;
      const std::string& code = sub.value_coding().code();
      bool seen = false;
      for (const std::string& existing : facts.race_omb_categories()) seen |= existing == code;
      if (!seen && !code.empty()) facts.add_race_omb_categories(code);
    }
  }
  if (!facts.race_omb_categories().empty()) facts.set_race_omb_code(facts.race_omb_categories(0));
}

void MarkUnknown(std::initializer_list<v1::Fact*> list, absl::string_view why) {
  for (v1::Fact* fact : list) {
    fact->set_state(State::UNKNOWN);
    SetText(fact->mutable_note(), why);
  }
}

// The drug facts an order or a home medication can show: any of them may be the only record of
// an anticoagulant or a co-therapy.
void MarkDrugFactsUnknown(absl::string_view why, v1::ClinicalFacts* facts) {
  MarkUnknown({facts->mutable_therapeutic_anticoagulation(),
               facts->mutable_prophylactic_anticoagulation(), facts->mutable_aspirin(),
               facts->mutable_esa(), facts->mutable_estrogen(),
               facts->mutable_possibly_current_anticoagulant(),
               facts->mutable_strong_cyp3a4_pgp_inhibitor(),
               facts->mutable_strong_cyp3a4_pgp_inducer()},
              why);
}

// Facts a category of the record would have shown; UNKNOWN when that category is missing.
void MarkUnavailable(const DataAvailability& available, v1::ClinicalFacts* facts) {
  if (!available.conditions) {
    MarkUnknown(
        {facts->mutable_prior_vte(), facts->mutable_hip_pelvis_femur_fracture(),
         facts->mutable_cardiac_disease(), facts->mutable_chronic_kidney_disease(),
         facts->mutable_diabetes(), facts->mutable_acute_infection(), facts->mutable_immobility(),
         facts->mutable_thrombophilia(), facts->mutable_hyperviscosity(),
         facts->mutable_active_bleeding(), facts->mutable_hit_history(),
         facts->mutable_prior_arterial_event(), facts->mutable_hypertension(),
         facts->mutable_hyperlipidemia(), facts->mutable_multiple_myeloma(),
         facts->mutable_myeloma_diagnosis(), facts->mutable_dialysis()},
        "conditions could not be obtained");
  }
  if (!available.procedures) {
    MarkUnknown({facts->mutable_surgery_within_90_days()}, "procedures could not be obtained");
  }
  if (!available.allergies) {
    // HIT is recorded as an allergy as often as a Condition (rule 16).
    MarkUnknown({facts->mutable_aspirin_contraindication(), facts->mutable_hit_history()},
                "allergies could not be obtained");
  }
  if (!available.conditions && !available.procedures) {
    MarkUnknown({facts->mutable_central_venous_catheter()},
                "conditions and procedures could not be obtained");
  }
  if (!available.observations) {
    MarkUnknown({facts->mutable_tobacco_use()}, "observations could not be obtained");
  }
  for (const auto& [ok, why] : std::initializer_list<std::pair<bool, const char*>>{
           {available.medication_statements,
            "home medications (MedicationStatement) could not be obtained"},
           {available.medication_requests, "orders (MedicationRequest) could not be obtained"}}) {
    if (ok) continue;
    // Orders and home medications each can hold the only record of an anticoagulant.
    MarkDrugFactsUnknown(why, facts);
  }
  if (!available.medication_dispenses || !available.medication_administrations) {
    // A dispense or an administration may be the only record of a current anticoagulant.
    MarkUnknown({facts->mutable_possibly_current_anticoagulant()},
                !available.medication_dispenses
                    ? "dispenses (MedicationDispense) could not be obtained"
                    : "administrations (MedicationAdministration) could not be obtained");
  }
}

// Rule 14: a current record that refers to a Medication not received, and names it nowhere, may
// be any drug, an anticoagulant among them. The drug facts it could have shown are UNKNOWN until
// another record shows them; a draft order's is the order hooks' concern (order_relevance.h).
void MarkUnnamedDrugs(const std::vector<MedicationRecord>& records, v1::ClinicalFacts* facts) {
  for (const MedicationRecord& r : records) {
    if (!r.unnamed_reference || r.kind == RecordKind::kDraftOrder) continue;
    MarkDrugFactsUnknown(absl::StrCat(r.type, "/", r.id,
                                      " refers to a Medication that was not received"),
                         facts);
    return;  // one names the reason
  }
}

// Everything the record did not mention is ABSENT.
void MarkRestAbsent(v1::ClinicalFacts& facts) {
  ForEachMutableFact(&facts, [](v1::Fact* fact) {
    if (fact->state() == State::STATE_UNSPECIFIED) fact->set_state(State::ABSENT);
  });
}

}  // namespace

absl::StatusOr<v1::ClinicalFacts> ExtractFacts(const fhir::PatientRecord& record,
                                               const fhir::PatientRecord* drafts,
                                               const Terminology& terminology,
                                               const EngineRules& rules, absl::Time now,
                                               const DataAvailability& available) {
  v1::ClinicalFacts facts;
  if (absl::Status s =
          ExtractFactsInto(record, drafts, terminology, rules, now, available, &facts);
      !s.ok()) {
    return s;
  }
  return facts;
}

absl::Status ExtractFactsInto(const fhir::PatientRecord& record,
                              const fhir::PatientRecord* drafts, const Terminology& terminology,
                              const EngineRules& rules, absl::Time now,
                              const DataAvailability& available, v1::ClinicalFacts* out,
                              EvidenceRefs* evidence_refs) {
  if (record.patient() == nullptr) {
    return absl::InvalidArgumentError("the record has no Patient resource");
  }
  out->Clear();
  v1::ClinicalFacts& facts = *out;
  MarkUnavailable(available, &facts);
  const std::vector<MedicationRecord> medications =
      ReadMedicationRecords(record, drafts, now, rules.facts.possibly_current_days);
  MarkUnnamedDrugs(medications, &facts);
  FactContext context{terminology, rules, now, facts, evidence_refs};
  AddPatient(*record.patient(), context);

  LabFacts labs(context);
  for (const fhir::LabObservation& o : record.lab_observations()) labs.Add(o);
  ConditionFacts conditions(context);
  for (const auto* c : record.conditions()) conditions.AddCondition(*c);
  for (const auto* p : record.procedures()) conditions.AddProcedure(*p);
  for (const auto* a : record.allergy_intolerances()) AddAllergy(*a, context);
  AddMedicationFacts(medications, context);

  SettleBodySize(labs, context);
  labs.Finish();
  SettleRenal(labs, context);
  conditions.Finish();

  MarkRestAbsent(facts);
  if (!available.observations) {
    for (v1::Fact* measured :
         {facts.mutable_bmi(), facts.mutable_weight_kg(), facts.mutable_height_cm(),
          facts.mutable_platelets(), facts.mutable_creatinine_mg_dl(),
          facts.mutable_hemoglobin_g_dl(), facts.mutable_egfr()}) {
      if (measured->state() == State::UNKNOWN) {
        SetText(measured->mutable_note(), "observations could not be obtained");
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace thrombo::risk
