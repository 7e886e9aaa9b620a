// Copyright 2026 The Thrombo Authors.
// Scenario -> Bundle. Shapes follow the Synthea R4 bundles and US Core examples (Synthea sample bundles):
// urn:uuid fullUrls, coded statuses, categories, UCUM quantities, display-only practitioners.
#include "service/synth/bundle_builder.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "proto/fhir/r4/resources.pb.h"
#include "service/synth/codes.h"

namespace thrombo::synth {
namespace {

using fhir::r4::Bundle;
using fhir::r4::CodeableConcept;
using fhir::r4::ContainedResource;
using fhir::r4::Dosage;
using fhir::r4::Reference;
using Repeat = fhir::r4::Timing::Repeat;

constexpr char kTerminology[] = "http://terminology.hl7.org/CodeSystem/";
constexpr char kUsCore[] = "http://hl7.org/fhir/us/core/StructureDefinition/";
constexpr char kMrnSystem[] = "https://thrombo.example.org/fhir/sid/mrn";
constexpr char kContainedMedId[] = "med1";

// --- primitives ---

fhir::r4::DateTime ToDateTime(absl::Time t) {
  fhir::r4::DateTime dt;
  dt.set_value_us(absl::ToUnixSeconds(t) * 1000000);
  dt.set_precision(fhir::r4::SECOND);
  dt.set_timezone("+00:00");
  return dt;
}

fhir::r4::Instant ToInstant(absl::Time t) {
  fhir::r4::Instant in;
  in.set_value_us(absl::ToUnixSeconds(t) * 1000000);
  in.set_precision(fhir::r4::SECOND);
  in.set_timezone("+00:00");
  return in;
}

// A day-precision dateTime (e.g. a boundsPeriod end date, which FHIR reads as inclusive).
fhir::r4::DateTime ToDayDateTime(absl::CivilDay day) {
  fhir::r4::DateTime dt;
  dt.set_value_us(absl::ToUnixMicros(absl::FromCivil(day, absl::UTCTimeZone())));
  dt.set_precision(fhir::r4::DAY);
  return dt;
}

// FHIR decimal grammar without the exponent form, which no EHR sends for these values.
bool IsDecimal(const std::string& s) {
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  const size_t int_start = i;
  while (i < s.size() && absl::ascii_isdigit(s[i])) ++i;
  const size_t int_len = i - int_start;
  if (int_len == 0 || (int_len > 1 && s[int_start] == '0')) return false;
  if (i == s.size()) return true;
  if (s[i] != '.' || i + 1 == s.size()) return false;
  for (++i; i < s.size(); ++i) {
    if (!absl::ascii_isdigit(s[i])) return false;
  }
  return true;
}

absl::StatusOr<fhir::r4::Quantity> UcumQuantity(const std::string& value, const std::string& unit,
                                               const std::string& what) {
  if (!IsDecimal(value)) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": \"", value, "\" is not a decimal"));
  }
  fhir::r4::Quantity q;
  q.mutable_value()->set_value(value);
  q.set_unit(unit);
  q.set_system(kUcum);
  q.set_code(unit);
  return q;
}

void AddCoding(const Code& code, CodeableConcept* cc) {
  auto* coding = cc->add_coding();
  coding->set_system(code.system);
  coding->set_code(code.code);
  coding->set_display(code.display);
}

CodeableConcept Concept(const std::string& system, const std::string& code,
                        const std::string& display = "") {
  CodeableConcept cc;
  AddCoding({system, code, display}, &cc);
  return cc;
}

Reference Ref(const std::string& uuid) {
  Reference r;
  r.set_reference(absl::StrCat("urn:uuid:", uuid));
  return r;
}

// --- ids ---

// splitmix64 step: a tiny, well-mixed, portable generator, so ids never depend on the platform's
// random device or clock.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string DeterministicUuid(uint64_t seed, uint64_t index) {
  const uint64_t hi = Mix(Mix(seed) ^ (2 * index));
  const uint64_t lo = Mix(Mix(seed) ^ (2 * index + 1));
  // RFC 4122 version 4 and variant bits, so validators accept the ids as UUIDs.
  const uint64_t hi4 = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const uint64_t lo4 = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi4 >> 32, (hi4 >> 16) & 0xFFFF,
                         hi4 & 0xFFFF, lo4 >> 48, lo4 & 0xFFFFFFFFFFFFULL);
}

namespace {

// Builds one bundle; holds the id counter and the uuids later resources point to.
class Writer final {
 public:
  explicit Writer(const Scenario& s) : s_(s) {}

  absl::StatusOr<Bundle> Build();

 private:
  std::string NextId() { return DeterministicUuid(s_.seed, next_index_++); }
  ContainedResource* AddEntry(const std::string& id, const std::string& type);
  fhir::r4::Meta MetaWithProfile(const std::string& profile) const;

  absl::Status AddPatient();
  absl::Status AddCondition(const ConditionSpec& c);
  absl::Status AddVitals();
  absl::Status AddObservation(const Code& code, const std::string& category,
                              const std::string& profile, const std::string& value,
                              const std::string& unit, absl::Time when);
  absl::Status AddLab(const Lab& lab);
  absl::Status AddMedication(const MedicationOrder& m);
  absl::Status AddProcedure(const ProcedureSpec& p);
  absl::Status AddAllergy(const AllergySpec& a);

  // medication[x]: a concept, or a reference to a contained or bundled Medication.
  struct MedicationChoice {
    std::optional<CodeableConcept> concept;
    std::optional<Reference> reference;
    std::optional<fhir::r4::Medication> contained;
  };
  absl::StatusOr<MedicationChoice> ChooseMedication(const MedicationOrder& m);
  absl::Status AddDispense(const MedicationOrder& m, const MedicationChoice& choice,
                           std::vector<Dosage> dosages);
  absl::StatusOr<fhir::r4::Medication> MedicationResource(const MedicationOrder& m,
                                                          const std::string& id);
  absl::StatusOr<std::vector<Dosage>> Dosages(const MedicationOrder& m) const;

  const Scenario& s_;
  uint64_t next_index_ = 0;
  Bundle bundle_;
  std::string patient_id_;
  std::string myeloma_condition_id_;
};

ContainedResource* Writer::AddEntry(const std::string& id, const std::string& type) {
  Bundle::Entry* entry = bundle_.add_entry();
  entry->set_full_url(absl::StrCat("urn:uuid:", id));
  if (s_.bundle_kind == BundleKind::kTransaction) {
    entry->mutable_request()->set_method(fhir::r4::HttpVerbCode::POST);
    entry->mutable_request()->set_url(type);
  }
  return entry->mutable_resource();
}

fhir::r4::Meta Writer::MetaWithProfile(const std::string& profile) const {
  fhir::r4::Meta meta;
  *meta.mutable_last_updated() = ToInstant(s_.now);
  if (!profile.empty()) meta.add_profile(profile);
  return meta;
}

// --- Patient ---

absl::StatusOr<absl::CivilDay> BirthDate(const Scenario& s) {
  if (s.birth_date) return *s.birth_date;
  if (!s.age_years) return absl::InvalidArgumentError("scenario has neither age nor birth date");
  const absl::CivilDay today = absl::ToCivilDay(s.now, absl::UTCTimeZone());
  // 45 days past the birthday: exactly age_years old at `now`, away from the boundary.
  return absl::CivilDay(today.year() - *s.age_years, today.month(), today.day()) - 45;
}

fhir::r4::Extension RaceExtension(const std::vector<Code>& races) {
  // US Core race (docs/clinical.md §9d): one ombCategory per reported category (US Core allows up
  // to five) plus the required `text` sub-extension naming them all.
  fhir::r4::Extension ext;
  ext.set_url(kUsCoreRaceUrl);
  std::vector<std::string> names;
  for (const Code& race : races) {
    auto* omb = ext.add_extension();
    omb->set_url("ombCategory");
    omb->mutable_value_coding()->set_system(race.system);
    omb->mutable_value_coding()->set_code(race.code);
    omb->mutable_value_coding()->set_display(race.display);
    names.push_back(race.display);
  }
  auto* text = ext.add_extension();
  text->set_url("text");
  text->set_value_string(absl::StrJoin(names, ", "));
  return ext;
}

absl::Status Writer::AddPatient() {
  patient_id_ = NextId();
  ASSIGN_OR_RETURN(const absl::CivilDay born, BirthDate(s_));
  fhir::r4::Patient* p = AddEntry(patient_id_, "Patient")->mutable_patient();
  p->set_id(patient_id_);
  *p->mutable_meta() = MetaWithProfile(absl::StrCat(kUsCore, "us-core-patient"));
  std::vector<Code> races;
  if (!RaceCode(s_.race).code.empty()) races.push_back(RaceCode(s_.race));
  for (Race r : s_.extra_races) {
    const Code extra = RaceCode(r);
    if (!extra.code.empty() && r != s_.race) races.push_back(extra);
  }
  if (!races.empty()) *p->add_extension() = RaceExtension(races);
  auto* mrn = p->add_identifier();
  mrn->set_use(fhir::r4::Identifier::USUAL);
  *mrn->mutable_type() =
      Concept(absl::StrCat(kTerminology, "v2-0203"), "MR", "Medical Record Number");
  mrn->mutable_type()->set_text("Medical Record Number");
  mrn->set_system(kMrnSystem);
  mrn->set_value(absl::StrFormat("SYN%010d", s_.seed % 10000000000ULL));
  p->set_active(true);
  auto* name = p->add_name();
  name->set_use("official");
  name->set_family("Synthetic");
  name->add_given(absl::StrFormat("Patient%06d", s_.seed % 1000000ULL));
  p->set_gender(s_.sex == Sex::kMale ? fhir::r4::AdministrativeGenderCode::MALE
                                     : fhir::r4::AdministrativeGenderCode::FEMALE);
  p->mutable_birth_date()->set_value_us(
      absl::ToUnixMicros(absl::FromCivil(born, absl::UTCTimeZone())));
  p->mutable_birth_date()->set_precision(fhir::r4::DAY);
  return absl::OkStatus();
}

// --- Condition ---

std::string ClinicalStatusCode(ClinicalStatus s) {
  switch (s) {
    case ClinicalStatus::kActive: return "active";
    case ClinicalStatus::kRecurrence: return "recurrence";
    case ClinicalStatus::kRelapse: return "relapse";
    case ClinicalStatus::kInactive: return "inactive";
    case ClinicalStatus::kRemission: return "remission";
    case ClinicalStatus::kResolved: return "resolved";
  }
  return "active";
}

bool IsActiveStatus(ClinicalStatus s) {
  return s == ClinicalStatus::kActive || s == ClinicalStatus::kRecurrence ||
         s == ClinicalStatus::kRelapse;
}

CodeableConcept ConditionCode(const ConditionSpec& c) {
  const ConditionCodes codes = CodesFor(c.kind, c.status);
  CodeableConcept cc;
  const bool want_snomed = c.coding != ConditionCoding::kIcd10;
  const bool want_icd = c.coding == ConditionCoding::kIcd10 ||
                        c.coding == ConditionCoding::kSnomedAndIcd10;
  const Code& snomed = (c.coding == ConditionCoding::kSyntheaSnomed && !codes.synthea_snomed.code.empty())
                           ? codes.synthea_snomed
                           : codes.snomed;
  if (want_snomed && !snomed.code.empty()) AddCoding(snomed, &cc);
  if (want_icd && !codes.icd10.code.empty()) AddCoding(codes.icd10, &cc);
  // A kind with no code in the requested system falls back to the other one.
  if (cc.coding().empty()) AddCoding(snomed.code.empty() ? codes.icd10 : snomed, &cc);
  cc.set_text(cc.coding(0).display());
  return cc;
}

absl::Status Writer::AddCondition(const ConditionSpec& c) {
  if (c.abatement && IsActiveStatus(c.status)) {
    // FHIR invariant con-4: an abated condition cannot be active.
    return absl::InvalidArgumentError("condition with an abatement date but an active status");
  }
  const std::string id = NextId();
  if (c.kind == ConditionKind::kMultipleMyeloma && myeloma_condition_id_.empty()) {
    myeloma_condition_id_ = id;
  }
  fhir::r4::Condition* r = AddEntry(id, "Condition")->mutable_condition();
  r->set_id(id);
  *r->mutable_meta() = MetaWithProfile(absl::StrCat(kUsCore, "us-core-condition"));
  *r->mutable_clinical_status() = Concept(absl::StrCat(kTerminology, "condition-clinical"),
                                          ClinicalStatusCode(c.status));
  *r->mutable_verification_status() =
      Concept(absl::StrCat(kTerminology, "condition-ver-status"), "confirmed");
  const std::string category = CodesFor(c.kind, c.status).category;
  *r->add_category() = Concept(absl::StrCat(kTerminology, "condition-category"), category,
                               category == "problem-list-item" ? "Problem List Item"
                                                               : "Encounter Diagnosis");
  *r->mutable_code() = ConditionCode(c);
  *r->mutable_subject() = Ref(patient_id_);
  *r->mutable_onset_date_time() = ToDateTime(c.onset);
  if (c.abatement) *r->mutable_abatement_date_time() = ToDateTime(*c.abatement);
  *r->mutable_recorded_date() = ToDateTime(c.onset);
  return absl::OkStatus();
}

// --- Observation ---

absl::Status Writer::AddObservation(const Code& code, const std::string& category,
                                    const std::string& profile, const std::string& value,
                                    const std::string& unit, absl::Time when) {
  ASSIGN_OR_RETURN(fhir::r4::Quantity q, UcumQuantity(value, unit, code.display));
  const std::string id = NextId();
  fhir::r4::Observation* o = AddEntry(id, "Observation")->mutable_observation();
  o->set_id(id);
  *o->mutable_meta() = MetaWithProfile(profile);
  o->set_status(fhir::r4::ObservationStatusCode::FINAL);
  *o->add_category() = Concept(absl::StrCat(kTerminology, "observation-category"), category,
                               category == "vital-signs" ? "Vital Signs" : "Laboratory");
  AddCoding(code, o->mutable_code());
  o->mutable_code()->set_text(code.display);
  *o->mutable_subject() = Ref(patient_id_);
  *o->mutable_effective_date_time() = ToDateTime(when);
  // Results are released an hour after collection, as in lab feeds.
  *o->mutable_issued() = ToInstant(when + absl::Hours(1));
  *o->mutable_value_quantity() = std::move(q);
  return absl::OkStatus();
}

fhir::r4::ObservationStatusCode::Value LabStatusCode(LabStatus status) {
  using S = fhir::r4::ObservationStatusCode;
  switch (status) {
    case LabStatus::kFinal: return S::FINAL;
    case LabStatus::kPreliminary: return S::PRELIMINARY;
    case LabStatus::kAmended: return S::AMENDED;
    case LabStatus::kCancelled: return S::CANCELLED;
    case LabStatus::kEnteredInError: return S::ENTERED_IN_ERROR;
  }
  return S::FINAL;
}

absl::StatusOr<fhir::r4::Quantity::Comparator> ComparatorCode(const std::string& c) {
  using Q = fhir::r4::Quantity;
  if (c.empty()) return Q::COMPARATOR_UNSPECIFIED;
  if (c == "<") return Q::LESS_THAN;
  if (c == "<=") return Q::LESS_OR_EQUAL;
  if (c == ">=") return Q::GREATER_OR_EQUAL;
  if (c == ">") return Q::GREATER_THAN;
  return absl::InvalidArgumentError(
      absl::StrCat("lab comparator \"", c, "\" is not one of <, <=, >=, >"));
}

// A laboratory result as the lab feed writes it: the plain value, a comparator, a string, or a
// dataAbsentReason, with its status.
absl::Status Writer::AddLab(const Lab& lab) {
  const LabCodes& codes = CodesFor(lab.kind);
  Code code = codes.loinc;
  if (!lab.loinc.empty()) {
    const std::optional<Code> alternate = AlternateLoinc(lab.kind, lab.loinc);
    code = alternate ? *alternate : Code{kLoinc, lab.loinc, ""};  // display unknown otherwise
  }
  const std::string unit = lab.unit.empty() ? codes.default_unit : lab.unit;
  if (lab.form == LabValueForm::kQuantity && lab.comparator.empty() &&
      lab.status == LabStatus::kFinal) {
    // The plain form keeps the exact shape (and ids) of the generator before messy records.
    return AddObservation(code, "laboratory", absl::StrCat(kUsCore, "us-core-observation-lab"),
                          lab.value, unit, lab.taken);
  }
  const std::string id = NextId();
  fhir::r4::Observation* o = AddEntry(id, "Observation")->mutable_observation();
  o->set_id(id);
  *o->mutable_meta() = MetaWithProfile(absl::StrCat(kUsCore, "us-core-observation-lab"));
  o->set_status(LabStatusCode(lab.status));
  *o->add_category() =
      Concept(absl::StrCat(kTerminology, "observation-category"), "laboratory", "Laboratory");
  AddCoding(code, o->mutable_code());
  o->mutable_code()->set_text(code.display.empty() ? code.code : code.display);
  *o->mutable_subject() = Ref(patient_id_);
  *o->mutable_effective_date_time() = ToDateTime(lab.taken);
  *o->mutable_issued() = ToInstant(lab.taken + absl::Hours(1));
  switch (lab.form) {
    case LabValueForm::kQuantity: {
      ASSIGN_OR_RETURN(fhir::r4::Quantity q, UcumQuantity(lab.value, unit, code.display));
      ASSIGN_OR_RETURN(const auto comparator, ComparatorCode(lab.comparator));
      q.set_comparator(comparator);
      *o->mutable_value_quantity() = std::move(q);
      break;
    }
    case LabValueForm::kString:
      if (lab.text.empty()) return absl::InvalidArgumentError("string lab result without text");
      o->set_value_string(lab.text);
      break;
    case LabValueForm::kDataAbsent:
      if (lab.absent_reason.empty()) {
        return absl::InvalidArgumentError("lab result with no value and no dataAbsentReason");
      }
      // FHIR R4 data-absent-reason code system.
      *o->mutable_data_absent_reason() =
          Concept(absl::StrCat(kTerminology, "data-absent-reason"), lab.absent_reason);
      break;
  }
  return absl::OkStatus();
}

absl::Status Writer::AddVitals() {
  // docs/clinical.md §9c vital-sign LOINC codes; profiles from the FHIR vital-signs profiles.
  const Vitals& v = s_.vitals;
  const std::string base = "http://hl7.org/fhir/StructureDefinition/";
  if (!v.weight_kg.empty()) {
    RETURN_IF_ERROR(AddObservation({kLoinc, "29463-7", "Body weight"}, "vital-signs",
                                   base + "bodyweight", v.weight_kg, "kg", v.measured));
  }
  if (!v.height_cm.empty()) {
    RETURN_IF_ERROR(AddObservation({kLoinc, "8302-2", "Body height"}, "vital-signs",
                                   base + "bodyheight", v.height_cm, "cm", v.measured));
  }
  if (!v.bmi.empty()) {
    RETURN_IF_ERROR(AddObservation({kLoinc, "39156-5", "Body mass index (BMI) [Ratio]"},
                                   "vital-signs", base + "bmi", v.bmi, "kg/m2", v.measured));
  }
  return absl::OkStatus();
}

// --- Medication ---

bool IsMyelomaTherapy(Drug d) {
  switch (d) {
    case Drug::kLenalidomide: case Drug::kThalidomide: case Drug::kPomalidomide:
    case Drug::kDexamethasone: case Drug::kBortezomib: case Drug::kCarfilzomib:
    case Drug::kDaratumumab: case Drug::kMelphalan: case Drug::kPrednisone:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<ProductCodes> RequireProduct(const MedicationOrder& m) {
  std::optional<ProductCodes> p = ProductFor(m.drug, m.strength);
  if (!p) {
    return absl::InvalidArgumentError(absl::StrCat("no product code for ", InfoFor(m.drug).name,
                                                   " strength \"", m.strength, "\""));
  }
  return *p;
}

// The concept of a codeable medication[x] (or of a Medication.code).
absl::StatusOr<CodeableConcept> MedicationConcept(const MedicationOrder& m, MedCoding coding) {
  const DrugInfo& info = InfoFor(m.drug);
  CodeableConcept cc;
  switch (coding) {
    case MedCoding::kIngredientRxnorm:
      if (info.ingredient.code.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("no RxNorm ingredient for ", info.name));
      }
      AddCoding(info.ingredient, &cc);
      cc.set_text(m.text.empty() ? info.name : m.text);
      return cc;
    case MedCoding::kProductScd:
    case MedCoding::kProductSbd: {
      ASSIGN_OR_RETURN(const ProductCodes p, RequireProduct(m));
      const Code& code = coding == MedCoding::kProductScd ? p.scd : p.sbd;
      if (code.code.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("no ", coding == MedCoding::kProductScd ? "SCD" : "SBD",
                                                       " code for ", info.name, " ", m.strength));
      }
      AddCoding(code, &cc);
      cc.set_text(m.text.empty() ? code.display : m.text);
      return cc;
    }
    default: {  // text only
      std::optional<ProductCodes> p = ProductFor(m.drug, m.strength);
      std::string text = m.text;
      if (text.empty() && p) text = p->scd.code.empty() ? p->sbd.display : p->scd.display;
      if (text.empty()) text = absl::StrCat(info.name, m.strength.empty() ? "" : " ", m.strength,
                                            m.strength.empty() ? "" : " mg");
      cc.set_text(text);
      return cc;
    }
  }
}

// The best code a Medication resource would carry: the product when known, else the ingredient.
MedCoding MedicationResourceCoding(const MedicationOrder& m) {
  std::optional<ProductCodes> p = ProductFor(m.drug, m.strength);
  if (p && !p->scd.code.empty()) return MedCoding::kProductScd;
  if (p && !p->sbd.code.empty()) return MedCoding::kProductSbd;
  if (!InfoFor(m.drug).ingredient.code.empty()) return MedCoding::kIngredientRxnorm;
  return MedCoding::kTextOnly;
}

absl::StatusOr<fhir::r4::Medication> Writer::MedicationResource(const MedicationOrder& m,
                                                                const std::string& id) {
  const DrugInfo& info = InfoFor(m.drug);
  fhir::r4::Medication med;
  med.set_id(id);
  ASSIGN_OR_RETURN(*med.mutable_code(), MedicationConcept(m, MedicationResourceCoding(m)));
  med.set_status(fhir::r4::MedicationStatusCode::ACTIVE);
  const std::string form_system = absl::StrCat(kTerminology, "v3-orderableDrugForm");
  *med.mutable_form() = Concept(form_system, info.form_code);
  auto* ingredient = med.add_ingredient();
  *ingredient->mutable_item_codeable_concept() =
      info.ingredient.code.empty() ? CodeableConcept() : Concept(kRxNorm, info.ingredient.code,
                                                                 info.ingredient.display);
  ingredient->mutable_item_codeable_concept()->set_text(info.name);
  ingredient->set_is_active(true);
  // Strength per capsule/tablet/syringe in mg, so a dose in units could be converted; only for
  // mg-strength products (epoetin is in units, the estradiol patch in mg/h).
  if (!m.strength.empty() && m.drug != Drug::kEpoetin && m.drug != Drug::kEstradiol) {
    ASSIGN_OR_RETURN(*ingredient->mutable_strength()->mutable_numerator(),
                     UcumQuantity(m.strength, "mg", "Medication strength"));
    auto* den = ingredient->mutable_strength()->mutable_denominator();
    den->mutable_value()->set_value("1");
    den->set_system(form_system);
    den->set_code(info.form_code);
  }
  return med;
}

absl::StatusOr<Writer::MedicationChoice> Writer::ChooseMedication(const MedicationOrder& m) {
  MedicationChoice choice;
  if (m.coding == MedCoding::kContainedMedication) {
    ASSIGN_OR_RETURN(choice.contained, MedicationResource(m, kContainedMedId));
    choice.reference.emplace();
    choice.reference->set_reference(absl::StrCat("#", kContainedMedId));
  } else if (m.coding == MedCoding::kBundledMedication) {
    const std::string id = NextId();
    ASSIGN_OR_RETURN(fhir::r4::Medication med, MedicationResource(m, id));
    *AddEntry(id, "Medication")->mutable_medication() = std::move(med);
    choice.reference = Ref(id);
  } else {
    ASSIGN_OR_RETURN(choice.concept, MedicationConcept(m, m.coding));
  }
  if (choice.reference) {
    choice.reference->set_display(m.text.empty() ? InfoFor(m.drug).name : m.text);
  }
  return choice;
}

// --- Dosage ---

Repeat::UnitsOfTime ToUnit(PeriodUnit u) {
  switch (u) {
    case PeriodUnit::kHour: return Repeat::H;
    case PeriodUnit::kDay: return Repeat::D;
    case PeriodUnit::kWeek: return Repeat::WK;
  }
  return Repeat::D;
}

// The structured part of one Dosage: dose, repeat and (for tablets/capsules) the oral route.
absl::Status FillStructured(const MedicationOrder& m, const Dosing& d, Dosage* dosage) {
  Repeat* r = dosage->mutable_timing()->mutable_repeat();
  r->set_frequency(d.frequency);
  if (!IsDecimal(d.period)) return absl::InvalidArgumentError("Timing period is not a decimal");
  r->mutable_period()->set_value(d.period);
  r->set_period_unit(ToUnit(d.period_unit));
  for (int day : d.day_of_week) {
    if (day < 1 || day > 7) return absl::InvalidArgumentError("dayOfWeek outside 1-7");
    r->add_day_of_week(static_cast<Repeat::DayOfWeek>(day));
  }
  if (d.bounds_days > 0) {
    ASSIGN_OR_RETURN(*r->mutable_bounds_duration(),
                     UcumQuantity(absl::StrCat(d.bounds_days), "d", "boundsDuration"));
    r->mutable_bounds_duration()->set_unit("days");
  }
  auto* dr = dosage->add_dose_and_rate();
  *dr->mutable_type() = Concept(absl::StrCat(kTerminology, "dose-rate-type"), "ordered", "Ordered");
  ASSIGN_OR_RETURN(*dr->mutable_dose_quantity(),
                   UcumQuantity(d.dose_value, d.dose_unit, "doseQuantity"));
  const std::string& form = InfoFor(m.drug).form_code;
  if (form == "CAP" || form == "TAB") {
    // SNOMED 26643006 "Oral route", from the FHIR R4 route-codes example value set.
    *dosage->mutable_route() = Concept(kSnomed, "26643006", "Oral route");
  } else if (m.purpose == MedPurpose::kCatheterFlush) {
    // SNOMED 47625008 "Intravenous route", from the FHIR R4 route-codes example value set.
    *dosage->mutable_route() = Concept(kSnomed, "47625008", "Intravenous route");
  }
  return absl::OkStatus();
}

// One Dosage per day range; the ranges are dated within the cycle that starts on authoredOn,
// as a boundsPeriod (day-precision end dates are inclusive in FHIR).
absl::StatusOr<std::vector<Dosage>> SequencedDosages(const MedicationOrder& m, const Dosing& d,
                                                     bool with_text) {
  std::vector<Dosage> out;
  const absl::CivilDay day1 = absl::ToCivilDay(m.authored_on, absl::UTCTimeZone());
  for (size_t i = 0; i < d.sequenced_days.size(); ++i) {
    const DayRange& range = d.sequenced_days[i];
    if (range.first < 1 || range.last < range.first) {
      return absl::InvalidArgumentError("day range must be 1 <= first <= last");
    }
    Dosage dosage;
    dosage.set_sequence(static_cast<int>(i) + 1);
    RETURN_IF_ERROR(FillStructured(m, d, &dosage));
    auto* period = dosage.mutable_timing()->mutable_repeat()->mutable_bounds_period();
    *period->mutable_start() = ToDayDateTime(day1 + (range.first - 1));
    *period->mutable_end() = ToDayDateTime(day1 + (range.last - 1));
    // The whole schedule's words go on the first entry only, so a reader that sums entries'
    // texts cannot count the schedule twice.
    if (with_text && i == 0) dosage.set_text(d.text);
    out.push_back(std::move(dosage));
  }
  return out;
}

absl::StatusOr<std::vector<Dosage>> Writer::Dosages(const MedicationOrder& m) const {
  if (!m.dosing) return std::vector<Dosage>();
  const Dosing& d = *m.dosing;
  const bool with_text = d.style != DosingStyle::kStructured;
  if (with_text && d.text.empty()) return absl::InvalidArgumentError("text dosing without text");
  if (d.style == DosingStyle::kText) {
    Dosage dosage;
    dosage.set_sequence(1);
    dosage.set_text(d.text);
    return std::vector<Dosage>{dosage};
  }
  if (!d.sequenced_days.empty()) return SequencedDosages(m, d, with_text);
  Dosage dosage;
  dosage.set_sequence(1);
  if (with_text) dosage.set_text(d.text);
  RETURN_IF_ERROR(FillStructured(m, d, &dosage));
  return std::vector<Dosage>{dosage};
}

// --- MedicationRequest / MedicationStatement ---

fhir::r4::MedicationRequestStatusCode::Value RequestStatus(MedStatus s) {
  using S = fhir::r4::MedicationRequestStatusCode;
  switch (s) {
    case MedStatus::kActive: return S::ACTIVE;
    case MedStatus::kOnHold: return S::ON_HOLD;
    case MedStatus::kCompleted: return S::COMPLETED;
    case MedStatus::kStopped: return S::STOPPED;
    case MedStatus::kCancelled: return S::CANCELLED;
    case MedStatus::kDraft: return S::DRAFT;
    case MedStatus::kEnteredInError: return S::ENTERED_IN_ERROR;
  }
  return S::UNKNOWN;
}

absl::StatusOr<fhir::r4::MedicationStatementStatusCode::Value> StatementStatus(MedStatus s) {
  using S = fhir::r4::MedicationStatementStatusCode;
  switch (s) {
    case MedStatus::kActive: return S::ACTIVE;
    case MedStatus::kOnHold: return S::ON_HOLD;
    case MedStatus::kCompleted: return S::COMPLETED;
    case MedStatus::kStopped: return S::STOPPED;
    case MedStatus::kCancelled: return S::NOT_TAKEN;
    case MedStatus::kEnteredInError: return S::ENTERED_IN_ERROR;
    case MedStatus::kDraft: break;
  }
  return absl::InvalidArgumentError("a MedicationStatement cannot be a draft");
}

fhir::r4::MedicationRequestIntentCode::Value RequestIntent(MedIntent i) {
  using I = fhir::r4::MedicationRequestIntentCode;
  switch (i) {
    case MedIntent::kOrder: return I::ORDER;
    case MedIntent::kPlan: return I::PLAN;
    case MedIntent::kProposal: return I::PROPOSAL;
    case MedIntent::kOriginalOrder: return I::ORIGINAL_ORDER;
  }
  return I::ORDER;
}

// medication[x] into either resource type (both have the same oneof member names).
template <typename R>
void SetMedication(const std::optional<CodeableConcept>& concept,
                   const std::optional<Reference>& reference, R* r) {
  if (concept) *r->mutable_medication_codeable_concept() = *concept;
  if (reference) *r->mutable_medication_reference() = *reference;
}

// A pharmacy dispense of the regimen: handed over on authored_on, a 28-day supply, with the
// order's dosage instructions.
absl::Status Writer::AddDispense(const MedicationOrder& m, const MedicationChoice& choice,
                                 std::vector<Dosage> dosages) {
  using S = fhir::r4::MedicationDispenseStatusCode;
  const std::string id = NextId();
  fhir::r4::MedicationDispense* r =
      AddEntry(id, "MedicationDispense")->mutable_medication_dispense();
  r->set_id(id);
  *r->mutable_meta() = MetaWithProfile("");
  if (choice.contained) *r->add_contained()->mutable_medication() = *choice.contained;
  switch (m.status) {
    case MedStatus::kActive: case MedStatus::kCompleted: r->set_status(S::COMPLETED); break;
    case MedStatus::kOnHold: r->set_status(S::ON_HOLD); break;
    case MedStatus::kStopped: r->set_status(S::STOPPED); break;
    case MedStatus::kCancelled: r->set_status(S::CANCELLED); break;
    case MedStatus::kEnteredInError: r->set_status(S::ENTERED_IN_ERROR); break;
    case MedStatus::kDraft:
      return absl::InvalidArgumentError("a MedicationDispense cannot be a draft");
  }
  SetMedication(choice.concept, choice.reference, r);
  *r->mutable_subject() = Ref(patient_id_);
  ASSIGN_OR_RETURN(*r->mutable_days_supply(), UcumQuantity("28", "d", "daysSupply"));
  r->mutable_days_supply()->set_unit("days");
  *r->mutable_when_handed_over() = ToDateTime(m.authored_on);
  for (Dosage& d : dosages) *r->add_dosage_instruction() = std::move(d);
  return absl::OkStatus();
}

absl::Status Writer::AddMedication(const MedicationOrder& m) {
  ASSIGN_OR_RETURN(MedicationChoice choice, ChooseMedication(m));
  ASSIGN_OR_RETURN(std::vector<Dosage> dosages, Dosages(m));
  if (m.resource == MedResource::kMedicationDispense) {
    return AddDispense(m, choice, std::move(dosages));
  }
  const std::string id = NextId();
  if (m.resource == MedResource::kMedicationStatement) {
    ASSIGN_OR_RETURN(const auto status, StatementStatus(m.status));
    fhir::r4::MedicationStatement* r =
        AddEntry(id, "MedicationStatement")->mutable_medication_statement();
    r->set_id(id);
    *r->mutable_meta() = MetaWithProfile("");
    if (choice.contained) *r->add_contained()->mutable_medication() = *choice.contained;
    r->set_status(status);
    SetMedication(choice.concept, choice.reference, r);
    *r->mutable_subject() = Ref(patient_id_);
    *r->mutable_effective_period()->mutable_start() = ToDateTime(m.authored_on);
    if (m.ended) *r->mutable_effective_period()->mutable_end() = ToDateTime(*m.ended);
    *r->mutable_date_asserted() = ToDateTime(m.authored_on);
    for (Dosage& d : dosages) *r->add_dosage() = std::move(d);
    return absl::OkStatus();
  }
  fhir::r4::MedicationRequest* r = AddEntry(id, "MedicationRequest")->mutable_medication_request();
  r->set_id(id);
  *r->mutable_meta() = MetaWithProfile(absl::StrCat(kUsCore, "us-core-medicationrequest"));
  if (choice.contained) *r->add_contained()->mutable_medication() = *choice.contained;
  r->set_status(RequestStatus(m.status));
  r->set_intent(RequestIntent(m.intent));
  *r->add_category() = Concept(absl::StrCat(kTerminology, "medicationrequest-category"),
                               "outpatient", "Outpatient");
  SetMedication(choice.concept, choice.reference, r);
  *r->mutable_subject() = Ref(patient_id_);
  *r->mutable_authored_on() = ToDateTime(m.authored_on);
  r->mutable_requester()->set_display("Synthetic Oncologist, MD");
  if (IsMyelomaTherapy(m.drug) && !myeloma_condition_id_.empty()) {
    *r->add_reason_reference() = Ref(myeloma_condition_id_);
  }
  if (!m.note.empty()) r->add_note()->set_text(m.note);
  for (Dosage& d : dosages) *r->add_dosage_instruction() = std::move(d);
  if (m.ended) {
    // How long the order may be filled: an order whose validity ended is over, or nearly.
    auto* validity = r->mutable_dispense_request()->mutable_validity_period();
    *validity->mutable_start() = ToDateTime(m.authored_on);
    *validity->mutable_end() = ToDateTime(*m.ended);
  }
  return absl::OkStatus();
}

// --- Procedure / AllergyIntolerance ---

absl::Status Writer::AddProcedure(const ProcedureSpec& p) {
  const std::string id = NextId();
  fhir::r4::Procedure* r = AddEntry(id, "Procedure")->mutable_procedure();
  r->set_id(id);
  *r->mutable_meta() = MetaWithProfile(absl::StrCat(kUsCore, "us-core-procedure"));
  r->set_status(fhir::r4::EventStatusCode::COMPLETED);
  if (IsSurgery(p.kind)) {
    // SNOMED 387713003 "Surgical procedure", from the FHIR R4 procedure-category value set.
    *r->mutable_category() = Concept(kSnomed, "387713003", "Surgical procedure");
  }
  const Code code = CodeFor(p.kind);
  AddCoding(code, r->mutable_code());
  r->mutable_code()->set_text(code.display);
  *r->mutable_subject() = Ref(patient_id_);
  *r->mutable_performed_date_time() = ToDateTime(p.performed);
  return absl::OkStatus();
}

absl::Status Writer::AddAllergy(const AllergySpec& a) {
  const DrugInfo& info = InfoFor(a.substance);
  if (info.ingredient.code.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("no RxNorm code for allergy to ", info.name));
  }
  const std::string id = NextId();
  fhir::r4::AllergyIntolerance* r =
      AddEntry(id, "AllergyIntolerance")->mutable_allergy_intolerance();
  r->set_id(id);
  *r->mutable_meta() = MetaWithProfile(absl::StrCat(kUsCore, "us-core-allergyintolerance"));
  static const char* const kVerification[] = {"confirmed", "unconfirmed", "refuted",
                                              "entered-in-error"};
  static const char* const kVerificationDisplay[] = {"Confirmed", "Unconfirmed", "Refuted",
                                                     "Entered in Error"};
  static const char* const kClinical[] = {"active", "inactive", "resolved"};
  static const char* const kClinicalDisplay[] = {"Active", "Inactive", "Resolved"};
  const int verification = static_cast<int>(a.verification);
  const int clinical = static_cast<int>(a.clinical);
  // FHIR R4 invariant ait-2: no clinicalStatus on an entered-in-error record (ait-1: present on
  // every other one).
  if (a.verification != AllergyVerification::kEnteredInError) {
    *r->mutable_clinical_status() =
        Concept(absl::StrCat(kTerminology, "allergyintolerance-clinical"), kClinical[clinical],
                kClinicalDisplay[clinical]);
  }
  *r->mutable_verification_status() =
      Concept(absl::StrCat(kTerminology, "allergyintolerance-verification"),
              kVerification[verification], kVerificationDisplay[verification]);
  r->set_type(fhir::r4::AllergyIntoleranceTypeCode::ALLERGY);
  r->add_category(fhir::r4::AllergyIntoleranceCategoryCode::MEDICATION);
  r->set_criticality(fhir::r4::AllergyIntoleranceCriticalityCode::HIGH);
  if (a.text_only) {
    // What a clinician types when the allergy picker fails ("Heparin (HIT)", "NSAIDs").
    r->mutable_code()->set_text(a.reaction == AllergyReaction::kHit
                                    ? absl::StrCat(info.name, " (HIT)")
                                    : a.substance == Drug::kIbuprofen ? std::string("NSAIDs")
                                                                      : info.name);
  } else {
    // Drug allergies are coded with the RxNorm ingredient (docs/clinical.md §9a).
    *r->mutable_code() = Concept(kRxNorm, info.ingredient.code, info.ingredient.display);
    r->mutable_code()->set_text(info.name);
  }
  *r->mutable_patient() = Ref(patient_id_);
  *r->mutable_recorded_date() = ToDateTime(a.recorded);
  auto* reaction = r->add_reaction();
  const Code manifestation = ManifestationCode(a.reaction);
  if (manifestation.code.empty()) {
    reaction->add_manifestation()->set_text(manifestation.display);
  } else {
    CodeableConcept* cc = reaction->add_manifestation();
    AddCoding(manifestation, cc);
    cc->set_text(manifestation.display);
  }
  reaction->set_severity(a.reaction == AllergyReaction::kHives
                             ? fhir::r4::ReactionSeverityCode::MODERATE
                             : fhir::r4::ReactionSeverityCode::SEVERE);
  return absl::OkStatus();
}

// --- Bundle ---

absl::StatusOr<Bundle> Writer::Build() {
  const std::string bundle_id = NextId();
  bundle_.set_id(bundle_id);
  *bundle_.mutable_meta() = MetaWithProfile("");
  bundle_.mutable_identifier()->set_system("urn:ietf:rfc:3986");
  bundle_.mutable_identifier()->set_value(absl::StrCat("urn:uuid:", bundle_id));
  bundle_.set_type(s_.bundle_kind == BundleKind::kTransaction ? fhir::r4::BundleTypeCode::TRANSACTION
                                                              : fhir::r4::BundleTypeCode::COLLECTION);
  *bundle_.mutable_timestamp() = ToInstant(s_.now);
  RETURN_IF_ERROR(AddPatient());
  for (const ConditionSpec& c : s_.conditions) RETURN_IF_ERROR(AddCondition(c));
  RETURN_IF_ERROR(AddVitals());
  for (const Lab& lab : s_.labs) RETURN_IF_ERROR(AddLab(lab));
  for (const MedicationOrder& m : s_.medications) RETURN_IF_ERROR(AddMedication(m));
  for (const ProcedureSpec& p : s_.procedures) RETURN_IF_ERROR(AddProcedure(p));
  for (const AllergySpec& a : s_.allergies) RETURN_IF_ERROR(AddAllergy(a));
  return std::move(bundle_);
}

}  // namespace

absl::StatusOr<fhir::r4::Bundle> BuildBundle(const Scenario& scenario) {
  Writer writer(scenario);
  return writer.Build();
}

}  // namespace thrombo::synth
