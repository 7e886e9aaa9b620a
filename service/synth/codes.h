// Copyright 2026 The Thrombo Authors.
// The code tables the synthetic patient generator emits, each row citing docs/clinical.md or its source.
#ifndef THROMBO_SERVICE_SYNTH_CODES_H_
#define THROMBO_SERVICE_SYNTH_CODES_H_

#include <optional>
#include <string>

#include "service/synth/scenario.h"

namespace thrombo::synth {

// Code-system URIs (docs/clinical.md §9 table "Code-system URIs", §9d for race).
inline constexpr char kRxNorm[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr char kSnomed[] = "http://snomed.info/sct";
inline constexpr char kIcd10Cm[] = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr char kLoinc[] = "http://loinc.org";
inline constexpr char kUcum[] = "http://unitsofmeasure.org";
inline constexpr char kOmbRace[] = "urn:oid:2.16.840.1.113883.6.238";
inline constexpr char kUsCoreRaceUrl[] =
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";

// One coding. An empty `code` means "none known" (the row's comment says why).
struct Code {
  std::string system;
  std::string code;
  std::string display;
};

// How a drug is packaged, for Medication.form and the strength denominator
// (http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm).
struct DrugInfo {
  Code ingredient;        // RxNorm IN; code empty when docs/clinical.md §9 has none (melphalan, ...)
  std::string form_code;  // CAP, TAB, INJ, PATCH
  std::string name;       // lower-case generic name, for text and displays
};

// A product (SCD and, where one is listed, SBD) of one strength.
struct ProductCodes {
  Code scd;  // code empty when only a branded code is listed
  Code sbd;  // code empty when docs/clinical.md §9 lists no brand
};

struct ConditionCodes {
  Code snomed;          // may be empty (no SNOMED code in the spec)
  Code icd10;           // may be empty
  Code synthea_snomed;  // Synthea's own code where it differs (Synthea sample bundles); else empty
  std::string category;  // "problem-list-item" or "encounter-diagnosis"
};

struct LabCodes {
  Code loinc;
  std::string default_unit;  // UCUM
};

const DrugInfo& InfoFor(Drug drug);

// The product of `drug` at `strength` (docs/clinical.md §9e), or nullopt when none is listed.
std::optional<ProductCodes> ProductFor(Drug drug, const std::string& strength);

// Condition codes; for multiple myeloma the ICD-10-CM code follows `status` (C90.00 / C90.01 in
// remission / C90.02 in relapse, §9b).
ConditionCodes CodesFor(ConditionKind kind, ClinicalStatus status);

const LabCodes& CodesFor(LabKind kind);

// The LOINC coding of `loinc` when it is one of the alternate codes the generator emits for
// `kind` (policy v1.1 rule 24: creatinine in mass and molar units, in serum/plasma or blood;
// platelets by automated and manual count; eGFR by both CKD-EPI equations), else nullopt.
std::optional<Code> AlternateLoinc(LabKind kind, const std::string& loinc);

// Whether `unit` (UCUM) is a unit the result of `kind` is reported in and can be converted from,
// as opposed to a unit no reader can turn into the kind's measure (e.g. a platelet estimate per
// high-power field, "/[HPF]"). The safety invariants treat a result in any other unit as
// unreadable.
bool IsConvertibleUnit(LabKind kind, const std::string& unit);

// The reaction manifestation of an AllergyIntolerance; the code is empty when only text is sent.
Code ManifestationCode(AllergyReaction reaction);

Code CodeFor(ProcedureKind kind);

// Whether the procedure is surgery (Procedure.category 387713003) rather than a line insertion.
bool IsSurgery(ProcedureKind kind);

// The OMB race category (§9d); empty code for Race::kNone.
Code RaceCode(Race race);

}  // namespace thrombo::synth

#endif  // THROMBO_SERVICE_SYNTH_CODES_H_
