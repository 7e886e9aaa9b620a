// Copyright 2026 The Thrombo Authors.
// Code tables. Each row says where the code comes from; "UNVERIFIED" rows are from memory and are
// only ever emitted next to a verified code or a text, so the engine's text matching is exercised.
#include "service/synth/codes.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace thrombo::synth {
namespace {

Code Rx(const std::string& code, const std::string& display) { return {kRxNorm, code, display}; }
Code Sct(const std::string& code, const std::string& display) { return {kSnomed, code, display}; }
Code Icd(const std::string& code, const std::string& display) { return {kIcd10Cm, code, display}; }
Code Loinc(const std::string& code, const std::string& display) { return {kLoinc, code, display}; }

}  // namespace

const DrugInfo& InfoFor(Drug drug) {
  // Ingredient RxCUIs: docs/clinical.md §9a (status in brackets) and §9e "Ingredients confirmed".
  static const auto* const kTable = new std::map<Drug, DrugInfo>{
      {Drug::kLenalidomide, {Rx("342369", "lenalidomide"), "CAP", "lenalidomide"}},   // [V]
      {Drug::kThalidomide, {Rx("10432", "thalidomide"), "CAP", "thalidomide"}},       // §9e
      {Drug::kPomalidomide, {Rx("1369713", "pomalidomide"), "CAP", "pomalidomide"}},  // [V]
      {Drug::kDexamethasone, {Rx("3264", "dexamethasone"), "TAB", "dexamethasone"}},  // [V]
      {Drug::kBortezomib, {Rx("358258", "bortezomib"), "INJ", "bortezomib"}},  // UNVERIFIED
      {Drug::kCarfilzomib, {Rx("1302966", "carfilzomib"), "INJ", "carfilzomib"}},  // [V1]
      {Drug::kDaratumumab, {Rx("1721946", "daratumumab"), "INJ", "daratumumab"}},  // UNVERIFIED
      // Melphalan and prednisone have no code in docs/clinical.md §9; emitted as text only.
      {Drug::kMelphalan, {Rx("", "melphalan"), "TAB", "melphalan"}},
      {Drug::kPrednisone, {Rx("", "prednisone"), "TAB", "prednisone"}},
      {Drug::kApixaban, {Rx("1364430", "apixaban"), "TAB", "apixaban"}},           // [V]
      {Drug::kRivaroxaban, {Rx("1114195", "rivaroxaban"), "TAB", "rivaroxaban"}},  // [V]
      {Drug::kEnoxaparin, {Rx("67108", "enoxaparin"), "INJ", "enoxaparin"}},       // [V]
      {Drug::kWarfarin, {Rx("11289", "warfarin"), "TAB", "warfarin"}},             // [V]
      {Drug::kAspirin, {Rx("1191", "aspirin"), "TAB", "aspirin"}},                 // [V]
      // §9a: darbepoetin 283838 vs 274811 is a conflict; 283838 has two sources.
      {Drug::kDarbepoetin, {Rx("283838", "darbepoetin alfa"), "INJ", "darbepoetin alfa"}},
      {Drug::kEpoetin, {Rx("105694", "epoetin alfa"), "INJ", "epoetin alfa"}},  // §9e unverified
      {Drug::kEstradiol, {Rx("4083", "estradiol"), "TAB", "estradiol"}},        // UNVERIFIED
      // Messy-record additions. heparin 5224: docs/clinical.md §9a [V]. ketoconazole 6135,
      // rifampin 9384, ibuprofen 5640: RxNorm ingredient (IN) RxCUIs, each seen as that
      // ingredient in two or more public code tables (checked with the search tool, 2026-12).
      {Drug::kHeparin, {Rx("5224", "heparin"), "INJ", "heparin"}},
      {Drug::kKetoconazole, {Rx("6135", "ketoconazole"), "TAB", "ketoconazole"}},
      {Drug::kRifampin, {Rx("9384", "rifampin"), "CAP", "rifampin"}},
      {Drug::kIbuprofen, {Rx("5640", "ibuprofen"), "TAB", "ibuprofen"}},
  };
  return kTable->at(drug);
}

std::optional<ProductCodes> ProductFor(Drug drug, const std::string& strength) {
  // docs/clinical.md §9e unless the row says otherwise.
  static const auto* const kTable = new std::map<std::pair<Drug, std::string>, ProductCodes>{
      {{Drug::kLenalidomide, "2.5"},
       {Rx("1242231", "lenalidomide 2.5 MG Oral Capsule"),
        Rx("1242233", "lenalidomide 2.5 MG Oral Capsule [Revlimid]")}},
      {{Drug::kLenalidomide, "5"},
       {Rx("602912", "lenalidomide 5 MG Oral Capsule"),
        Rx("616116", "lenalidomide 5 MG Oral Capsule [Revlimid]")}},
      {{Drug::kLenalidomide, "10"},
       {Rx("602910", "lenalidomide 10 MG Oral Capsule"),
        Rx("616114", "lenalidomide 10 MG Oral Capsule [Revlimid]")}},
      {{Drug::kLenalidomide, "15"},
       {Rx("643712", "lenalidomide 15 MG Oral Capsule"),
        Rx("643714", "lenalidomide 15 MG Oral Capsule [Revlimid]")}},
      {{Drug::kLenalidomide, "20"},
       {Rx("1428947", "lenalidomide 20 MG Oral Capsule"),
        Rx("1429367", "lenalidomide 20 MG Oral Capsule [Revlimid]")}},
      {{Drug::kLenalidomide, "25"},
       {Rx("643720", "lenalidomide 25 MG Oral Capsule"),
        Rx("643722", "lenalidomide 25 MG Oral Capsule [Revlimid]")}},
      {{Drug::kThalidomide, "50"},
       {Rx("200390", "thalidomide 50 MG Oral Capsule"),
        Rx("213360", "thalidomide 50 MG Oral Capsule [Thalomid]")}},
      {{Drug::kThalidomide, "100"},
       {Rx("360176", "thalidomide 100 MG Oral Capsule"),
        Rx("404449", "thalidomide 100 MG Oral Capsule [Thalomid]")}},
      {{Drug::kThalidomide, "150"},
       {Rx("700416", "thalidomide 150 MG Oral Capsule"),
        Rx("700418", "thalidomide 150 MG Oral Capsule [Thalomid]")}},
      {{Drug::kThalidomide, "200"},
       {Rx("360177", "thalidomide 200 MG Oral Capsule"),
        Rx("404450", "thalidomide 200 MG Oral Capsule [Thalomid]")}},
      // §9e lists 1369718/1369726/1369730/1369734 for pomalidomide 1-4 mg without the mapping
      // (openFDA NDC records list all four per package). 1369734 is *assumed* to be 4 mg; the
      // engine must match it through the ingredient, not by strength.
      {{Drug::kPomalidomide, "4"}, {Rx("1369734", "pomalidomide 4 MG Oral Capsule"), {}}},
      // Not in §9e: verified here from openFDA NDC 72189-254 (single rxcui 197582, strength
      // "4 mg/1") and an HL7 IG example coding 197582 "dexAMETHasone 4 MG Oral Tablet".
      {{Drug::kDexamethasone, "4"}, {Rx("197582", "dexamethasone 4 MG Oral Tablet"), {}}},
      {{Drug::kEnoxaparin, "30"},
       {Rx("854228", "0.3 ML enoxaparin sodium 100 MG/ML Prefilled Syringe"), {}}},
      {{Drug::kEnoxaparin, "40"},
       {Rx("854235", "0.4 ML enoxaparin sodium 100 MG/ML Prefilled Syringe"), {}}},
      {{Drug::kApixaban, "2.5"},
       {Rx("1364435", "apixaban 2.5 MG Oral Tablet"),
        Rx("1364441", "apixaban 2.5 MG Oral Tablet [Eliquis]")}},
      {{Drug::kApixaban, "5"}, {Rx("1364445", "apixaban 5 MG Oral Tablet"), {}}},
      {{Drug::kRivaroxaban, "10"}, {Rx("1114198", "rivaroxaban 10 MG Oral Tablet"), {}}},
      {{Drug::kRivaroxaban, "20"}, {Rx("1232086", "rivaroxaban 20 MG Oral Tablet"), {}}},
      {{Drug::kAspirin, "81"}, {Rx("243670", "aspirin 81 MG Oral Tablet"), {}}},
      // Synthea sample bundles: the Synthea codes seen in real bundles (warfarin with AF; Epogen in the
      // bulk set; the ethinyl estradiol patch).
      {{Drug::kWarfarin, "5"}, {Rx("855332", "Warfarin Sodium 5 MG Oral Tablet"), {}}},
      {{Drug::kEpoetin, "4000"},
       {{}, Rx("205923", "1 ML Epoetin Alfa 4000 UNT/ML Injection [Epogen]")}},
      {{Drug::kEstradiol, "0.00146"},
       {Rx("1534809",
           "168 HR Ethinyl Estradiol 0.00146 MG/HR / norelgestromin 0.00625 MG/HR Transdermal "
           "System"),
        {}}},
  };
  auto it = kTable->find({drug, strength});
  if (it == kTable->end()) return std::nullopt;
  return it->second;
}

namespace {

ConditionCodes MyelomaCodes(ClinicalStatus status) {
  // §9b [V]: SNOMED 109989006; ICD-10-CM C90.00 / C90.01 (in remission) / C90.02 (in relapse).
  ConditionCodes c{Sct("109989006", "Multiple myeloma (disorder)"),
                   Icd("C90.00", "Multiple myeloma not having achieved remission"),
                   {},
                   "problem-list-item"};
  if (status == ClinicalStatus::kRemission) {
    c.icd10 = Icd("C90.01", "Multiple myeloma in remission");
  } else if (status == ClinicalStatus::kRelapse) {
    c.icd10 = Icd("C90.02", "Multiple myeloma in relapse");
  }
  return c;
}

}  // namespace

ConditionCodes CodesFor(ConditionKind kind, ClinicalStatus status) {
  const std::string problem = "problem-list-item";
  const std::string diagnosis = "encounter-diagnosis";
  switch (kind) {
    case ConditionKind::kMultipleMyeloma:
      return MyelomaCodes(status);
    case ConditionKind::kDvt:  // §9b [V]; I82.40x family; Synthea code from the Synthea sample bundles
      return {Sct("128053003", "Deep venous thrombosis (disorder)"),
              Icd("I82.409", "Acute embolism and thrombosis of unspecified deep veins of "
                             "unspecified lower extremity"),
              Sct("132281000119108", "Acute deep venous thrombosis (disorder)"), diagnosis};
    case ConditionKind::kPe:  // §9b [V]; Synthea code from the Synthea sample bundles
      return {Sct("59282003", "Pulmonary embolism (disorder)"),
              Icd("I26.99", "Other pulmonary embolism without acute cor pulmonale"),
              Sct("706870000", "Acute pulmonary embolism (disorder)"), diagnosis};
    case ConditionKind::kAtrialFibrillation:  // SNOMED as in Synthea bundles; ICD UNVERIFIED
      return {Sct("49436004", "Atrial fibrillation (disorder)"),
              Icd("I48.91", "Unspecified atrial fibrillation"), {}, problem};
    case ConditionKind::kHeartFailure:  // §9b, SNOMED UNVERIFIED
      return {Sct("84114007", "Heart failure (disorder)"), Icd("I50.9", "Heart failure, unspecified"),
              {}, problem};
    case ConditionKind::kCkd:  // §9b [V] SNOMED; N18.x
      return {Sct("709044004", "Chronic kidney disease (disorder)"),
              Icd("N18.9", "Chronic kidney disease, unspecified"), {}, problem};
    case ConditionKind::kCkdStage4:
      return {Sct("709044004", "Chronic kidney disease (disorder)"),
              Icd("N18.4", "Chronic kidney disease, stage 4 (severe)"), {}, problem};
    case ConditionKind::kHypertension:  // §9b [V]
      return {Sct("38341003", "Hypertensive disorder, systemic arterial (disorder)"),
              Icd("I10", "Essential (primary) hypertension"), {}, problem};
    case ConditionKind::kHyperlipidaemia:  // §9b (SNOMED also seen in Synthea bundles)
      return {Sct("55822004", "Hyperlipidemia (disorder)"),
              Icd("E78.5", "Hyperlipidemia, unspecified"), {}, problem};
    case ConditionKind::kDiabetes:  // §9b 44054006 type 2 (also in Synthea bundles)
      return {Sct("44054006", "Diabetes mellitus type 2 (disorder)"),
              Icd("E11.9", "Type 2 diabetes mellitus without complications"), {}, problem};
    case ConditionKind::kSmoker:  // §9b: SNOMED UNVERIFIED; F17.21x
      return {Sct("77176002", "Smoker (finding)"),
              Icd("F17.210", "Nicotine dependence, cigarettes, uncomplicated"), {}, problem};
    case ConditionKind::kHipFracture:  // §9b [V, Synthea] SNOMED; S72.x (exact code UNVERIFIED)
      return {Sct("359817006", "Closed fracture of hip (disorder)"),
              Icd("S72.001A", "Fracture of unspecified part of neck of right femur, initial "
                              "encounter for closed fracture"),
              {}, diagnosis};
    case ConditionKind::kHit:  // not in the spec; ICD UNVERIFIED, no SNOMED code used
      return {{}, Icd("D75.82", "Heparin induced thrombocytopenia (HIT)"), {}, problem};
    case ConditionKind::kActiveBleeding:  // ICD-10-CM K92.2 (tabular list); SNOMED UNVERIFIED
      return {Sct("74474003", "Gastrointestinal hemorrhage (disorder)"),
              Icd("K92.2", "Gastrointestinal hemorrhage, unspecified"), {}, diagnosis};
    // The messy-record conditions are ICD-10-CM only (tabular list FY2025: K25.4, K27.9, R31.9,
    // Z99.2, N18.6; also seen with these titles in public code lists), as billing-derived
    // problem lists send them; no SNOMED code was verified, so none is emitted.
    case ConditionKind::kGastricUlcerHaemorrhage:
      return {{}, Icd("K25.4", "Chronic or unspecified gastric ulcer with hemorrhage"), {},
              diagnosis};
    case ConditionKind::kHaematuria:
      return {{}, Icd("R31.9", "Hematuria, unspecified"), {}, diagnosis};
    case ConditionKind::kPepticUlcer:
      return {{}, Icd("K27.9", "Peptic ulcer, site unspecified, unspecified as acute or chronic, "
                               "without hemorrhage or perforation"),
              {}, problem};
    case ConditionKind::kDialysis:
      return {{}, Icd("Z99.2", "Dependence on renal dialysis"), {}, problem};
    case ConditionKind::kEsrd:
      return {{}, Icd("N18.6", "End stage renal disease"), {}, problem};
  }
  return {};
}

const LabCodes& CodesFor(LabKind kind) {
  // §9c LOINC codes (platelets, creatinine, Hb, eGFR marked UNVERIFIED there; the first three
  // also appear in the Synthea bundles). eGFR: 98979-8 is the race-free CKD-EPI 2021 code.
  static const auto* const kTable = new std::map<LabKind, LabCodes>{
      {LabKind::kPlatelets,
       {Loinc("777-3", "Platelets [#/volume] in Blood by Automated count"), "10*9/L"}},
      {LabKind::kCreatinine,
       {Loinc("2160-0", "Creatinine [Mass/volume] in Serum or Plasma"), "mg/dL"}},
      {LabKind::kHemoglobin, {Loinc("718-7", "Hemoglobin [Mass/volume] in Blood"), "g/dL"}},
      {LabKind::kEgfr,
       {Loinc("98979-8",
              "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, "
              "Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)"),
        "mL/min/{1.73_m2}"}},
  };
  return kTable->at(kind);
}

std::optional<Code> AlternateLoinc(LabKind kind, const std::string& loinc) {
  // LOINC (loinc.org, version 2.7x); each code also appears with this name in the NMDP CIBMTR
  // reporting IG value sets or in public creatinine/eGFR code-family tables.
  static const auto* const kTable = new std::map<std::pair<LabKind, std::string>, Code>{
      {{LabKind::kPlatelets, "26515-7"}, Loinc("26515-7", "Platelets [#/volume] in Blood")},
      {{LabKind::kPlatelets, "778-1"},
       Loinc("778-1", "Platelets [#/volume] in Blood by Manual count")},
      {{LabKind::kCreatinine, "14682-9"},
       Loinc("14682-9", "Creatinine [Moles/volume] in Serum or Plasma")},
      {{LabKind::kCreatinine, "38483-4"}, Loinc("38483-4", "Creatinine [Mass/volume] in Blood")},
      {{LabKind::kEgfr, "62238-1"},
       Loinc("62238-1",
             "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma "
             "or Blood by Creatinine-based formula (CKD-EPI)")},
  };
  auto it = kTable->find({kind, loinc});
  if (it == kTable->end()) return std::nullopt;
  return it->second;
}

bool IsConvertibleUnit(LabKind kind, const std::string& unit) {
  // UCUM: 10*3/uL equals 10*9/L numerically (Synthea reports platelets so); creatinine 1 mg/dL
  // = 88.4 umol/L (docs/clinical.md §0 rule 10).
  switch (kind) {
    case LabKind::kPlatelets:
      return unit == "10*9/L" || unit == "10*3/uL";
    case LabKind::kCreatinine:
      return unit == "mg/dL" || unit == "umol/L";
    case LabKind::kHemoglobin:
      return unit == "g/dL";
    case LabKind::kEgfr:
      return unit == "mL/min/{1.73_m2}";
  }
  return false;
}

Code ManifestationCode(AllergyReaction reaction) {
  switch (reaction) {
    case AllergyReaction::kHives:  // text only, as the generator always wrote it
      return {kSnomed, "", "Hives"};
    // SNOMED 39579001, as in HL7 IG AllergyIntolerance examples.
    case AllergyReaction::kAnaphylaxis:
      return Sct("39579001", "Anaphylaxis (disorder)");
    case AllergyReaction::kHit:  // SNOMED 73397007, in public HIT code lists with this name
      return Sct("73397007", "Heparin-induced thrombocytopenia (disorder)");
    case AllergyReaction::kBleeding:  // text only: no verified code
      return {kSnomed, "", "Bleeding"};
  }
  return {};
}

Code CodeFor(ProcedureKind kind) {
  switch (kind) {
    case ProcedureKind::kTunneledCvcInsertion:  // §9b [V, Renalware NHS seed data]
      return Sct("442309004", "Insertion of tunneled venous catheter (procedure)");
    case ProcedureKind::kHipReplacement:  // UNVERIFIED (memory; used by Synthea)
      return Sct("52734007", "Total replacement of hip (procedure)");
    case ProcedureKind::kCholecystectomy:  // UNVERIFIED (memory)
      return Sct("45595009", "Laparoscopic cholecystectomy (procedure)");
  }
  return {};
}

bool IsSurgery(ProcedureKind kind) { return kind != ProcedureKind::kTunneledCvcInsertion; }

Code RaceCode(Race race) {
  // §9d table.
  switch (race) {
    case Race::kNone:
      return {};
    case Race::kWhite:
      return {kOmbRace, "2106-3", "White"};
    case Race::kBlack:
      return {kOmbRace, "2054-5", "Black or African American"};
    case Race::kAsian:
      return {kOmbRace, "2028-9", "Asian"};
    case Race::kNativeHawaiianPacificIslander:
      return {kOmbRace, "2076-8", "Native Hawaiian or Other Pacific Islander"};
    case Race::kAmericanIndian:
      return {kOmbRace, "1002-5", "American Indian or Alaska Native"};
  }
  return {};
}

}  // namespace thrombo::synth
