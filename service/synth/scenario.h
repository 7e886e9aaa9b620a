// Copyright 2026 The Thrombo Authors.
// Scenario: a compact description of one synthetic myeloma patient, turned into FHIR by
// BuildBundle (service/synth/bundle_builder.h).
#ifndef THROMBO_SERVICE_SYNTH_SCENARIO_H_
#define THROMBO_SERVICE_SYNTH_SCENARIO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace thrombo::synth {

// Patient.gender.
enum class Sex { kMale, kFemale };

// US Core race ombCategory (docs/clinical.md §9d). kNone emits no race extension at all, which
// the engine must score as "missing race" (§0.4), never infer.
enum class Race { kNone, kWhite, kBlack, kAsian, kNativeHawaiianPacificIslander, kAmericanIndian };

// The conditions the harness can emit; codes are in service/synth/codes.h.
enum class ConditionKind {
  kMultipleMyeloma,
  kDvt,
  kPe,
  kAtrialFibrillation,
  kHeartFailure,
  kCkd,        // stage unspecified (N18.9)
  kCkdStage4,  // N18.4, for severe renal impairment
  kHypertension,
  kHyperlipidaemia,
  kDiabetes,
  kSmoker,
  kHipFracture,
  kHit,
  kActiveBleeding,             // gastrointestinal haemorrhage, unspecified (K92.2)
  // Messy-record additions (docs/clinical.md policy v1.1 rules 17 and 23):
  kGastricUlcerHaemorrhage,    // chronic or unspecified gastric (peptic) ulcer with haemorrhage
  kHaematuria,                 // haematuria, unspecified
  kPepticUlcer,                // peptic ulcer without haemorrhage: an aspirin caution only
  kDialysis,                   // dependence on renal dialysis
  kEsrd,                       // end-stage renal disease
};

// Which code systems Condition.code carries. Real feeds vary: problem lists are often SNOMED
// only, billing-derived conditions ICD-10-CM only, and some EHRs send both.
enum class ConditionCoding { kSnomed, kIcd10, kSnomedAndIcd10, kSyntheaSnomed };

// Condition.clinicalStatus (http://terminology.hl7.org/CodeSystem/condition-clinical).
enum class ClinicalStatus { kActive, kRecurrence, kRelapse, kInactive, kRemission, kResolved };

struct ConditionSpec {
  ConditionKind kind = ConditionKind::kMultipleMyeloma;
  ConditionCoding coding = ConditionCoding::kSnomedAndIcd10;
  absl::Time onset;
  ClinicalStatus status = ClinicalStatus::kActive;
  std::optional<absl::Time> abatement;  // Condition.abatementDateTime when set
};

// Drugs the harness knows; RxNorm codes are in service/synth/codes.h (docs/clinical.md §9a/§9e).
enum class Drug {
  kLenalidomide,
  kThalidomide,
  kPomalidomide,
  kDexamethasone,
  kBortezomib,
  kCarfilzomib,
  kDaratumumab,
  kMelphalan,
  kPrednisone,
  kApixaban,
  kRivaroxaban,
  kEnoxaparin,
  kWarfarin,
  kAspirin,
  kDarbepoetin,
  kEpoetin,
  kEstradiol,
  // Messy-record additions (docs/clinical.md policy v1.1 rules 16, 18, 23):
  kHeparin,       // unfractionated heparin; as a catheter lock flush in the population
  kKetoconazole,  // strong combined CYP3A4 and P-gp inhibitor
  kRifampin,      // strong combined CYP3A4 and P-gp inducer
  kIbuprofen,     // an NSAID, for NSAID hypersensitivity records
};

// How the medication is identified in the resource.
enum class MedCoding {
  kIngredientRxnorm,     // medicationCodeableConcept with the RxNorm ingredient (IN) code
  kProductScd,           // medicationCodeableConcept with the clinical drug (SCD) code
  kProductSbd,           // medicationCodeableConcept with the branded drug (SBD) code
  kTextOnly,             // medicationCodeableConcept.text only, no coding
  kContainedMedication,  // medicationReference "#med1" to a contained Medication
  kBundledMedication,    // medicationReference "urn:uuid:..." to a Medication entry
};

// Which resource carries the medication. A MedicationDispense is what a pharmacy handed over
// (status completed, whenHandedOver = authored_on, a 28-day supply).
enum class MedResource { kMedicationRequest, kMedicationStatement, kMedicationDispense };

// Why the drug is given. A catheter lock flush is heparin instilled into a line to keep it
// patent, not systemic anticoagulation (docs/clinical.md policy v1.1 rule 18).
enum class MedPurpose { kSystemic, kCatheterFlush };

// Order/statement status; mapped to the FHIR value set of the chosen resource.
enum class MedStatus { kActive, kOnHold, kCompleted, kStopped, kCancelled, kDraft, kEnteredInError };

// MedicationRequest.intent (MedicationStatement has none).
enum class MedIntent { kOrder, kPlan, kProposal, kOriginalOrder };

// Timing.repeat.periodUnit values the harness uses.
enum class PeriodUnit { kHour, kDay, kWeek };

// Which dosing representation is emitted.
enum class DosingStyle { kStructured, kText, kStructuredAndText };

// Cycle days a..b inclusive (1-based), given as one Dosage entry with its own `sequence`.
struct DayRange {
  int first = 1;
  int last = 1;
};

// The dosing of one order. The structured form is Timing.repeat as written below; the text form
// is `text` in Dosage.text. With `sequenced_days`, one Dosage per range is emitted (sequence 1..n),
// each `frequency` per `period` `period_unit` bounded to the range's length.
struct Dosing {
  DosingStyle style = DosingStyle::kStructuredAndText;
  std::string dose_value;         // FHIR decimal text, e.g. "40"
  std::string dose_unit = "mg";   // UCUM code: "mg", "ug", "[iU]"
  int frequency = 1;
  std::string period = "1";       // FHIR decimal text
  PeriodUnit period_unit = PeriodUnit::kDay;
  std::vector<int> day_of_week;   // 1 = Monday ... 7 = Sunday; empty = none
  int bounds_days = 0;            // Timing.repeat.boundsDuration in days when > 0
  std::vector<DayRange> sequenced_days;
  std::string text;               // Dosage.text (and the only dosing for kText)
};

// One medication order (MedicationRequest) or home medication (MedicationStatement).
struct MedicationOrder {
  Drug drug = Drug::kLenalidomide;
  // Product strength in mg (or the product's own unit), selecting the SCD/SBD code and the
  // contained Medication's ingredient strength, e.g. "25". Empty: ingredient level only.
  std::string strength;
  MedCoding coding = MedCoding::kProductScd;
  MedResource resource = MedResource::kMedicationRequest;
  MedStatus status = MedStatus::kActive;
  MedIntent intent = MedIntent::kOrder;
  absl::Time authored_on;  // authoredOn, or effectivePeriod.start for a statement
  std::optional<Dosing> dosing;
  // CodeableConcept.text for kTextOnly (e.g. "Revlimid 25 mg capsule"); defaults to the product
  // or ingredient display when empty.
  std::string text;
  std::string note;  // MedicationRequest.note, e.g. "Cycle 2 of VRd, q21d"
  MedPurpose purpose = MedPurpose::kSystemic;
  // When the regimen ended: MedicationRequest.dispenseRequest.validityPeriod.end, or
  // MedicationStatement.effectivePeriod.end. Unset: open-ended.
  std::optional<absl::Time> ended;
  // Ground truth for tests, not emitted: this record repeats the regimen of another record of the
  // same scenario (an order and a statement or dispense of one regimen, rule 20), so removing it
  // must not change any score.
  bool duplicate_record = false;
};

// Laboratory results (docs/clinical.md §9c).
enum class LabKind { kPlatelets, kCreatinine, kHemoglobin, kEgfr };

// Observation.status of a result (http://hl7.org/fhir/observation-status). Preliminary results
// count; cancelled and entered-in-error ones do not exist (policy v1.1 rule 14).
enum class LabStatus { kFinal, kPreliminary, kAmended, kCancelled, kEnteredInError };

// How the result is written: a Quantity (optionally with a comparator), a valueString, or no value
// with a dataAbsentReason.
enum class LabValueForm { kQuantity, kString, kDataAbsent };

struct Lab {
  LabKind kind = LabKind::kPlatelets;
  std::string value;  // FHIR decimal text (kQuantity)
  std::string unit;   // UCUM code; empty = the kind's default (10*9/L, mg/dL, g/dL, mL/min/{1.73_m2})
  absl::Time taken;
  // LOINC override. Empty = the kind's code (codes.h). E.g. a creatinine in umol/L is strictly
  // LOINC 14682-9 (moles/volume); many feeds still send 2160-0 with umol/L, the default here.
  std::string loinc;
  // Quantity.comparator: "", "<", "<=", ">=" or ">" (e.g. platelets "<10" below the analyser's
  // reportable range, eGFR ">90").
  std::string comparator;
  LabStatus status = LabStatus::kFinal;
  LabValueForm form = LabValueForm::kQuantity;
  std::string text;  // valueString (kString), e.g. "Platelet clumps seen; count not reported"
  // dataAbsentReason code (kDataAbsent) from
  // http://terminology.hl7.org/CodeSystem/data-absent-reason, e.g. "error".
  std::string absent_reason;
};

enum class ProcedureKind { kHipReplacement, kCholecystectomy, kTunneledCvcInsertion };

struct ProcedureSpec {
  ProcedureKind kind = ProcedureKind::kTunneledCvcInsertion;
  absl::Time performed;
};

// AllergyIntolerance.clinicalStatus and verificationStatus (FHIR R4 allergyintolerance-clinical
// and allergyintolerance-verification). Refuted, resolved and entered-in-error records name no
// allergy (policy v1.1 rule 16); inactive and unconfirmed ones still do.
enum class AllergyClinical { kActive, kInactive, kResolved };
enum class AllergyVerification { kConfirmed, kUnconfirmed, kRefuted, kEnteredInError };

// The reaction's manifestation. kHit is heparin-induced thrombocytopenia, which also makes a HIT
// history (rule 16).
enum class AllergyReaction { kHives, kAnaphylaxis, kHit, kBleeding };

// AllergyIntolerance to a drug.
struct AllergySpec {
  Drug substance = Drug::kAspirin;
  absl::Time recorded;
  AllergyClinical clinical = AllergyClinical::kActive;
  AllergyVerification verification = AllergyVerification::kConfirmed;
  AllergyReaction reaction = AllergyReaction::kHives;
  // Some EHRs record drug allergies as free text ("NSAIDs", "heparin - HIT") with no coding.
  bool text_only = false;
};

// Vital signs. Empty strings mean "not recorded"; each given value becomes one Observation.
struct Vitals {
  std::string weight_kg;  // LOINC 29463-7
  std::string height_cm;  // LOINC 8302-2
  std::string bmi;        // LOINC 39156-5, kg/m2
  absl::Time measured;
};

enum class BundleKind { kCollection, kTransaction };

// One synthetic patient. `seed` drives every generated id, so the same Scenario always gives the
// same Bundle. Exactly one of age_years and birth_date should be set; with age_years the birth
// date is placed so that the patient is exactly that age at `now` (45 days past a birthday).
struct Scenario {
  uint64_t seed = 1;
  absl::Time now;  // the evaluation time; also Bundle.timestamp
  std::optional<int> age_years;
  std::optional<absl::CivilDay> birth_date;
  Sex sex = Sex::kFemale;
  Race race = Race::kNone;
  // Further OMB categories of a patient who reports more than one race (US Core allows several
  // ombCategory sub-extensions); emitted after `race`.
  std::vector<Race> extra_races;
  Vitals vitals;
  std::vector<ConditionSpec> conditions;
  std::vector<MedicationOrder> medications;
  std::vector<Lab> labs;
  std::vector<ProcedureSpec> procedures;
  std::vector<AllergySpec> allergies;
  BundleKind bundle_kind = BundleKind::kCollection;
};

// A scenario with a name and what it is for, e.g. the docs/clinical.md §10 vignettes.
struct NamedScenario {
  std::string name;         // e.g. "vignette-3-asian-low"
  std::string description;  // the §10 row, in words
  Scenario scenario;
};

// --- Dosing helpers (pure). All return kStructuredAndText; change `style` as needed. ---

// `dose` `unit` on the given cycle days of a `cycle_days`-day cycle, structured as
// frequency = days.size() per `cycle_days` d, e.g. dex 40 mg days 1, 8, 15, 22 of 28.
Dosing CycleDaysDosing(const std::string& dose, const std::vector<int>& days, int cycle_days,
                       const std::string& unit = "mg");

// Once daily on days 1..`days_on` of a `cycle_days`-day cycle, structured as daily with
// boundsDuration = days_on d (e.g. lenalidomide 25 mg days 1-21 of 28).
Dosing DailyForDaysDosing(const std::string& dose, int days_on, int cycle_days,
                          const std::string& unit = "mg");

// Once a week on Monday, structured as dayOfWeek = mon, period 1 wk.
Dosing WeeklyDosing(const std::string& dose, const std::string& unit = "mg");

// `times_per_day` doses a day without end (e.g. apixaban 5 mg BID).
Dosing ContinuousDailyDosing(const std::string& dose, int times_per_day,
                             const std::string& unit = "mg");

// Once every `weeks` weeks (e.g. darbepoetin 500 mcg every 3 weeks).
Dosing EveryWeeksDosing(const std::string& dose, int weeks, const std::string& unit);

// One Dosage per day range with `sequence` (e.g. dex 40 mg days 1-4, 9-12, 17-20 of 28).
Dosing SequencedRangesDosing(const std::string& dose, const std::vector<DayRange>& ranges,
                             int cycle_days, const std::string& unit = "mg");

}  // namespace thrombo::synth

#endif  // THROMBO_SERVICE_SYNTH_SCENARIO_H_
