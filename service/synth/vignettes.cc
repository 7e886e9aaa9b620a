// Copyright 2026 The Thrombo Authors.
// docs/clinical.md §10 vignettes. CrCl is Cockcroft-Gault (§0.10):
//   CrCl = (140 - age) x weight kg / (72 x creatinine mg/dL), x 0.85 if female.
// Each vignette's comment shows the arithmetic for the values chosen; BMI is emitted as stated
// and weight/height are chosen so that weight / height^2 rounds to it.
#include "service/synth/vignettes.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "service/synth/scenario.h"

namespace thrombo::synth {
namespace {

absl::Duration Days(int n) { return absl::Hours(24 * n); }

// NDMM: diagnosed <= 6 months ago (§10, IMWG "diagnosis" +1); relapsed: 4 years.
constexpr int kNewDiagnosisDays = 60;
constexpr int kRelapsedDiagnosisDays = 4 * 365;

Scenario Patient(uint64_t seed, absl::Time now, int age, Sex sex, Race race) {
  Scenario s;
  s.seed = seed;
  s.now = now;
  s.age_years = age;
  s.sex = sex;
  s.race = race;
  return s;
}

void SetBody(Scenario& s, const std::string& kg, const std::string& cm, const std::string& bmi) {
  s.vitals = {kg, cm, bmi, s.now - Days(2)};
}

void AddMyeloma(Scenario& s, bool relapsed) {
  ConditionSpec c;
  c.kind = ConditionKind::kMultipleMyeloma;
  c.onset = s.now - Days(relapsed ? kRelapsedDiagnosisDays : kNewDiagnosisDays);
  // Relapsed disease is coded as such (clinicalStatus relapse, ICD-10-CM C90.02, §9b).
  c.status = relapsed ? ClinicalStatus::kRelapse : ClinicalStatus::kActive;
  s.conditions.push_back(c);
}

void AddCondition(Scenario& s, ConditionKind kind, int years_ago) {
  ConditionSpec c;
  c.kind = kind;
  c.onset = s.now - Days(365 * years_ago);
  s.conditions.push_back(c);
}

void AddLab(Scenario& s, LabKind kind, const std::string& value, const std::string& unit = "") {
  s.labs.push_back({kind, value, unit, s.now - Days(2), ""});
}

MedicationOrder Order(const Scenario& s, Drug drug, const std::string& strength, MedCoding coding,
                      Dosing dosing) {
  MedicationOrder m;
  m.drug = drug;
  m.strength = strength;
  m.coding = coding;
  m.authored_on = s.now - Days(7);
  m.dosing = std::move(dosing);
  return m;
}

Dosing StructuredOnly(Dosing d) {
  d.style = DosingStyle::kStructured;
  return d;
}

Dosing TextOnly(Dosing d) {
  d.style = DosingStyle::kText;
  return d;
}

// 1: 70 F White, BMI 24.0, NDMM, len 25 mg d1-21 + dex 40 mg d1,8,15,22 (160, the boundary).
// CrCl 65: (140-70) x 61.4 x 0.85 / (72 x 0.78) = 3653.3 / 56.16 = 65.05. BMI 61.4/1.60^2 = 23.98.
NamedScenario Vignette1(absl::Time now) {
  Scenario s = Patient(1001, now, 70, Sex::kFemale, Race::kWhite);
  SetBody(s, "61.4", "160", "24.0");
  AddMyeloma(s, false);
  AddLab(s, LabKind::kPlatelets, "220");
  AddLab(s, LabKind::kCreatinine, "0.78");
  s.medications.push_back(Order(s, Drug::kLenalidomide, "25", MedCoding::kProductScd,
                                DailyForDaysDosing("25", 21, 28)));
  s.medications.push_back(Order(s, Drug::kDexamethasone, "4", MedCoding::kProductScd,
                                StructuredOnly(CycleDaysDosing("40", {1, 8, 15, 22}, 28))));
  return {"vignette-1-rd-dex-160-boundary",
          "70 F White, BMI 24.0, NDMM; lenalidomide 25 mg d1-21 + dex 40 mg d1,8,15,22 (160 mg); "
          "Plt 220, CrCl 65. IMPEDE 6 intermediate, SAVED 1 low, IMWG 1.",
          s};
}

// 2: 68 M Black, BMI 31.0, NDMM, thalidomide 100 mg daily + dex 40 mg d1-4, 9-12, 17-20 (480).
// CrCl 90: (140-68) x 94.9 / (72 x 1.05) = 6832.8 / 75.6 = 90.38. BMI 94.9/1.75^2 = 30.99.
NamedScenario Vignette2(absl::Time now) {
  Scenario s = Patient(1002, now, 68, Sex::kMale, Race::kBlack);
  SetBody(s, "94.9", "175", "31.0");
  AddMyeloma(s, false);
  AddLab(s, LabKind::kPlatelets, "250");
  AddLab(s, LabKind::kCreatinine, "1.05");
  s.medications.push_back(Order(s, Drug::kThalidomide, "100", MedCoding::kProductSbd,
                                ContinuousDailyDosing("100", 1)));
  MedicationOrder dex =
      Order(s, Drug::kDexamethasone, "", MedCoding::kIngredientRxnorm,
            SequencedRangesDosing("40", {{1, 4}, {9, 12}, {17, 20}}, 28));
  dex.note = "Thal-dex, 28-day cycles (q28d)";
  s.medications.push_back(dex);
  return {"vignette-2-td-high-dose-dex",
          "68 M Black, BMI 31.0, NDMM; thalidomide 100 mg daily + dex 40 mg d1-4, 9-12, 17-20 "
          "(480 mg); Plt 250, CrCl 90. IMPEDE 9 high, SAVED 2 high, IMWG therapy factor.",
          s};
}

// 3: 66 F Asian (2028-9), BMI 23.5, NDMM, lenalidomide + dex 40 weekly (160).
// CrCl (not stated): (140-66) x 56.5 x 0.85 / (72 x 0.80) = 3553.9 / 57.6 = 61.7.
// BMI 56.5/1.55^2 = 23.52.
NamedScenario Vignette3(absl::Time now) {
  Scenario s = Patient(1003, now, 66, Sex::kFemale, Race::kAsian);
  SetBody(s, "56.5", "155", "23.5");
  AddMyeloma(s, false);
  AddLab(s, LabKind::kPlatelets, "230");
  AddLab(s, LabKind::kCreatinine, "0.80");
  MedicationOrder len = Order(s, Drug::kLenalidomide, "25", MedCoding::kTextOnly,
                              TextOnly(DailyForDaysDosing("25", 21, 28)));
  len.text = "Revlimid 25 mg capsule";
  s.medications.push_back(len);
  s.medications.push_back(
      Order(s, Drug::kDexamethasone, "4", MedCoding::kProductScd, WeeklyDosing("40")));
  return {"vignette-3-asian-low",
          "66 F Asian (OMB 2028-9), BMI 23.5, NDMM; lenalidomide 25 mg d1-21 (text-only order) + "
          "dex 40 mg weekly (160 mg). IMPEDE 3 low, SAVED -2 low, IMWG 1: aspirin.",
          s};
}

// 4: 74 M White, BMI 29.0, NDMM, DVT 3 y ago (off anticoagulants), HTN, hyperlipidaemia, current
// smoker; Dara-Rd with dex 40 weekly (160).
// CrCl 60: (140-74) x 91.9 / (72 x 1.40) = 6065.4 / 100.8 = 60.17. BMI 91.9/1.78^2 = 29.00.
NamedScenario Vignette4(absl::Time now) {
  Scenario s = Patient(1004, now, 74, Sex::kMale, Race::kWhite);
  SetBody(s, "91.9", "178", "29.0");
  AddMyeloma(s, false);
  ConditionSpec dvt;
  dvt.kind = ConditionKind::kDvt;
  dvt.coding = ConditionCoding::kSyntheaSnomed;  // Synthea's 132281000119108 (Synthea sample bundles)
  dvt.onset = now - Days(3 * 365);
  dvt.status = ClinicalStatus::kResolved;
  dvt.abatement = dvt.onset + Days(180);
  s.conditions.push_back(dvt);
  AddCondition(s, ConditionKind::kHypertension, 10);
  AddCondition(s, ConditionKind::kHyperlipidaemia, 8);
  AddCondition(s, ConditionKind::kSmoker, 40);
  AddLab(s, LabKind::kPlatelets, "200");
  AddLab(s, LabKind::kCreatinine, "1.40");
  // The DVT's treatment course, completed: "off anticoagulants" must not count as anticoagulated.
  MedicationOrder past = Order(s, Drug::kApixaban, "5", MedCoding::kProductScd,
                               ContinuousDailyDosing("5", 2));
  past.status = MedStatus::kCompleted;
  past.authored_on = dvt.onset;
  s.medications.push_back(past);
  s.medications.push_back(Order(s, Drug::kDaratumumab, "", MedCoding::kIngredientRxnorm,
                                WeeklyDosing("1800")));
  s.medications.push_back(Order(s, Drug::kLenalidomide, "25", MedCoding::kContainedMedication,
                                DailyForDaysDosing("25", 21, 28)));
  s.medications.push_back(
      Order(s, Drug::kDexamethasone, "", MedCoding::kIngredientRxnorm, WeeklyDosing("40")));
  return {"vignette-4-prior-dvt-arterial",
          "74 M White, BMI 29.0, NDMM; DVT 3 y ago, off anticoagulants; HTN, hyperlipidaemia, "
          "current smoker; Dara-Rd, dex 40 mg weekly (160 mg); Plt 200, CrCl 60. IMPEDE 12 high, "
          "SAVED 4 high, IMWG 2; arterial flag.",
          s};
}

// 5: 78 F White, BMI 26.0, NDMM, AF on apixaban 5 mg BID; Rd with dex 20 mg weekly (80).
// Lenalidomide 10 mg: the label's dose for CrCl 30-60.
// CrCl 48: (140-78) x 68.2 x 0.85 / (72 x 1.04) = 3594.1 / 74.88 = 48.0. BMI 68.2/1.62^2 = 25.99.
NamedScenario Vignette5(absl::Time now) {
  Scenario s = Patient(1005, now, 78, Sex::kFemale, Race::kWhite);
  SetBody(s, "68.2", "162", "26.0");
  AddMyeloma(s, false);
  AddCondition(s, ConditionKind::kAtrialFibrillation, 5);
  AddLab(s, LabKind::kPlatelets, "240");
  AddLab(s, LabKind::kCreatinine, "1.04");
  MedicationOrder apixaban = Order(s, Drug::kApixaban, "5", MedCoding::kProductScd,
                                   ContinuousDailyDosing("5", 2));
  apixaban.resource = MedResource::kMedicationStatement;  // a home medication
  apixaban.authored_on = now - Days(5 * 365);
  s.medications.push_back(apixaban);
  s.medications.push_back(Order(s, Drug::kLenalidomide, "10", MedCoding::kBundledMedication,
                                DailyForDaysDosing("10", 21, 28)));
  s.medications.push_back(Order(s, Drug::kDexamethasone, "", MedCoding::kIngredientRxnorm,
                                TextOnly(WeeklyDosing("20"))));
  return {"vignette-5-af-on-apixaban",
          "78 F White, BMI 26.0, NDMM, AF on apixaban 5 mg BID; Rd with dex 20 mg weekly (80 mg); "
          "CrCl 48. Already therapeutically anticoagulated: no new prophylaxis card.",
          s};
}

// 6: 69 M White, BMI 28.0, relapsed (dx 4 y), pomalidomide 4 mg d1-21 + dex 40 weekly, Plt 40.
// CrCl 70: (140-69) x 90.7 / (72 x 1.28) = 6439.7 / 92.16 = 69.87. BMI 90.7/1.80^2 = 27.99.
NamedScenario Vignette6(absl::Time now) {
  Scenario s = Patient(1006, now, 69, Sex::kMale, Race::kWhite);
  SetBody(s, "90.7", "180", "28.0");
  AddMyeloma(s, true);
  AddLab(s, LabKind::kPlatelets, "40");
  AddLab(s, LabKind::kCreatinine, "1.28");
  s.medications.push_back(Order(s, Drug::kPomalidomide, "4", MedCoding::kProductScd,
                                DailyForDaysDosing("4", 21, 28)));
  s.medications.push_back(
      Order(s, Drug::kDexamethasone, "4", MedCoding::kProductScd, WeeklyDosing("40")));
  return {"vignette-6-platelets-40",
          "69 M White, BMI 28.0, relapsed MM (dx 4 y); pomalidomide 4 mg d1-21 + dex 40 mg weekly "
          "(160 mg); Plt 40, CrCl 70. Platelets < 50: hard stop for aspirin and anticoagulants.",
          s};
}

// 7: 81 M White, BMI 22.0, NDMM, CKD stage 4, CrCl 25; lenalidomide 10 mg d1-21 + dex 20 weekly.
// Creatinine is sent in umol/L: 184 umol/L / 88.4 = 2.081 mg/dL.
// CrCl 25: (140-81) x 63.6 / (72 x 2.081) = 3752.4 / 149.86 = 25.04. BMI 63.6/1.70^2 = 22.01.
NamedScenario Vignette7(absl::Time now) {
  Scenario s = Patient(1007, now, 81, Sex::kMale, Race::kWhite);
  SetBody(s, "63.6", "170", "22.0");
  AddMyeloma(s, false);
  AddCondition(s, ConditionKind::kCkdStage4, 2);
  AddLab(s, LabKind::kPlatelets, "180");
  AddLab(s, LabKind::kCreatinine, "184", "umol/L");
  AddLab(s, LabKind::kEgfr, "24");  // CKD-EPI 2021 for stage 4 (15-29)
  s.medications.push_back(Order(s, Drug::kLenalidomide, "10", MedCoding::kProductSbd,
                                DailyForDaysDosing("10", 21, 28)));
  s.medications.push_back(Order(s, Drug::kDexamethasone, "", MedCoding::kIngredientRxnorm,
                                StructuredOnly(WeeklyDosing("20"))));
  return {"vignette-7-ckd4-crcl-25",
          "81 M White, BMI 22.0, NDMM, CKD stage 4, CrCl 25; lenalidomide 10 mg d1-21 + dex 20 mg "
          "weekly (80 mg); Plt 180. Enoxaparin 30 mg daily; no rivaroxaban.",
          s};
}

// 8: 72 M Black, BMI 30.5, RRMM, pomalidomide 4 mg d1-21 + dex 40 weekly + darbepoetin alfa
// 500 mcg q3w (Hb 9.0), HTN, Plt 150.
// CrCl 55: (140-72) x 94.5 / (72 x 1.62) = 6426.0 / 116.64 = 55.09. BMI 94.5/1.76^2 = 30.51.
NamedScenario Vignette8(absl::Time now) {
  Scenario s = Patient(1008, now, 72, Sex::kMale, Race::kBlack);
  SetBody(s, "94.5", "176", "30.5");
  AddMyeloma(s, true);
  AddCondition(s, ConditionKind::kHypertension, 12);
  AddLab(s, LabKind::kPlatelets, "150");
  AddLab(s, LabKind::kCreatinine, "1.62");
  AddLab(s, LabKind::kHemoglobin, "9.0");
  s.medications.push_back(Order(s, Drug::kPomalidomide, "", MedCoding::kIngredientRxnorm,
                                DailyForDaysDosing("4", 21, 28)));
  s.medications.push_back(
      Order(s, Drug::kDexamethasone, "", MedCoding::kIngredientRxnorm, WeeklyDosing("40")));
  s.medications.push_back(Order(s, Drug::kDarbepoetin, "", MedCoding::kIngredientRxnorm,
                                EveryWeeksDosing("500", 3, "ug")));
  return {"vignette-8-esa-darbepoetin",
          "72 M Black, BMI 30.5, RRMM; pomalidomide 4 mg d1-21 + dex 40 mg weekly (160 mg) + "
          "darbepoetin alfa 500 mcg q3w (Hb 9.0); HTN; Plt 150, CrCl 55. IMPEDE 8 high; ESA card.",
          s};
}

}  // namespace

std::vector<NamedScenario> Vignettes(absl::Time now) {
  return {Vignette1(now), Vignette2(now), Vignette3(now), Vignette4(now),
          Vignette5(now), Vignette6(now), Vignette7(now), Vignette8(now)};
}

}  // namespace thrombo::synth
