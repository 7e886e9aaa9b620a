// Copyright 2026 The Thrombo Authors.
// Random myeloma patients. The proportions are test-harness choices meant to exercise every rule
// (docs/clinical.md §0-§8) at a realistic rate, not epidemiology; the regimens and doses are the
// usual published schedules (dex totals as in §2 "Common regimens").
#include "service/synth/population.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "fhir/json_printer.h"
#include "base/status_macros.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/codes.h"

namespace thrombo::synth {
namespace {

absl::Duration Days(double n) { return absl::Hours(24 * n); }

// Draws built directly on mt19937_64's output (fully specified by the standard), because the
// std:: distributions differ between standard libraries and would break reproducibility.
class Rng final {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  int Int(int lo, int hi) { return lo + static_cast<int>(Uniform() * (hi - lo + 1)); }
  bool Chance(double p) { return Uniform() < p; }
  uint64_t Bits() { return engine_(); }
  // Box-Muller; one draw per call keeps the stream position easy to reason about.
  double Normal(double mean, double sd, double lo, double hi) {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * Uniform());
    return std::min(hi, std::max(lo, mean + sd * z));
  }
  // Index into `weights` with probability proportional to its weight.
  int Pick(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if ((x -= weights[i]) < 0) return static_cast<int>(i);
    }
    return static_cast<int>(weights.size()) - 1;
  }

 private:
  std::mt19937_64 engine_;
};

enum class Regimen { kRd, kLowDoseRd, kVRd, kKRd, kDRd, kPd, kDPd, kTd, kVTd, kMPT, kLenMaint,
                     kNoImid };

// Weights in the order of Regimen (see population.h).
const std::vector<double>& RegimenWeights() {
  static const auto* const kWeights =
      new std::vector<double>{15, 8, 15, 7, 12, 6, 5, 3, 5, 2, 12, 10};
  return *kWeights;
}

class PatientMaker final {
 public:
  PatientMaker(Rng& rng, absl::Time now, const MessyRates& rates)
      : rng_(rng), now_(now), rates_(rates) {}
  Scenario Make();

 private:
  void Demographics();
  void Body();
  void Myeloma(Regimen r);
  void Comorbidities();
  void Labs();
  void Therapy(Regimen r);
  void CoMedications();
  void Procedures();
  // The messy representations, drawn from `messy` so the clean draws above are unchanged.
  void Messy(Rng& messy);
  void MessyPlatelets(Rng& messy);
  void MessyCreatinine(Rng& messy);
  void MessyAllergy(Rng& messy);
  void MessyMedications(Rng& messy);
  void MessyConditions(Rng& messy);

  MedCoding ImidCoding(Drug drug, const std::string& strength);
  MedCoding OtherCoding(Drug drug, const std::string& strength);
  DosingStyle PickDosingStyle();
  void Add(Drug drug, const std::string& strength, MedCoding coding, Dosing dosing);
  void AddImid(Drug drug, const std::string& strength, Dosing dosing);
  void AddDex(Dosing dosing);
  void AddCondition(ConditionKind kind, double years_ago_lo, double years_ago_hi);
  bool Has(ConditionKind kind) const;

  Rng& rng_;
  absl::Time now_;
  const MessyRates& rates_;
  Scenario s_;
  double target_crcl_ = 0;
  double weight_kg_ = 0;
  bool relapsed_ = false;
};

Scenario PatientMaker::Make() {
  s_.seed = rng_.Bits();
  s_.now = now_;
  s_.bundle_kind = rng_.Chance(0.2) ? BundleKind::kTransaction : BundleKind::kCollection;
  const Regimen regimen = static_cast<Regimen>(rng_.Pick(RegimenWeights()));
  Demographics();
  Body();
  Myeloma(regimen);
  Comorbidities();
  Labs();
  Therapy(regimen);
  CoMedications();
  Procedures();
  // A stream of its own, seeded from the patient's seed (splitmix-style constant), so that the
  // messy draws never shift the clean ones.
  Rng messy(s_.seed ^ 0x6D65737379763131ULL);
  Messy(messy);
  return std::move(s_);
}

void PatientMaker::Demographics() {
  s_.age_years = static_cast<int>(rng_.Normal(68, 9, 38, 92));
  s_.sex = rng_.Chance(0.55) ? Sex::kMale : Sex::kFemale;
  // kNone, White, Black, Asian, NHOPI, AIAN.
  static const std::vector<double> kRace = {3.5, 70, 20, 5, 0.5, 1};
  static const Race kRaces[] = {Race::kNone, Race::kWhite, Race::kBlack, Race::kAsian,
                                Race::kNativeHawaiianPacificIslander, Race::kAmericanIndian};
  s_.race = kRaces[rng_.Pick(kRace)];
}

void PatientMaker::Body() {
  const bool male = s_.sex == Sex::kMale;
  const double bmi = rng_.Normal(27.5, 5, 16.5, 48);
  const double cm = std::round(male ? rng_.Normal(176, 7, 155, 200) : rng_.Normal(162, 6.5, 142, 185));
  weight_kg_ = std::round(bmi * (cm / 100) * (cm / 100) * 10) / 10;
  const double actual_bmi = weight_kg_ / ((cm / 100) * (cm / 100));
  s_.vitals = {absl::StrFormat("%.1f", weight_kg_), absl::StrFormat("%.0f", cm),
               absl::StrFormat("%.1f", actual_bmi), now_ - Days(rng_.Int(0, 20))};
  if (rng_.Chance(0.10)) {
    // Missing vitals: half have nothing, half a weight only (common at oncology visits).
    s_.vitals.height_cm.clear();
    s_.vitals.bmi.clear();
    if (rng_.Chance(0.5)) s_.vitals.weight_kg.clear();
  }
}

void PatientMaker::Myeloma(Regimen r) {
  relapsed_ = r == Regimen::kPd || r == Regimen::kDPd || rng_.Chance(0.2);
  ConditionSpec mm;
  mm.kind = ConditionKind::kMultipleMyeloma;
  static const std::vector<double> kCodings = {50, 25, 25};
  mm.coding = static_cast<ConditionCoding>(rng_.Pick(kCodings));
  if (r == Regimen::kLenMaint) {
    mm.onset = now_ - Days(rng_.Uniform(300, 5 * 365));
  } else if (relapsed_) {
    mm.onset = now_ - Days(rng_.Uniform(1.5 * 365, 8 * 365));
    if (rng_.Chance(0.5)) mm.status = ClinicalStatus::kRelapse;
  } else {
    mm.onset = now_ - Days(rng_.Uniform(10, 150));  // NDMM, docs/clinical.md §0 rule 7
  }
  s_.conditions.push_back(mm);
}

void PatientMaker::AddCondition(ConditionKind kind, double years_ago_lo, double years_ago_hi) {
  ConditionSpec c;
  c.kind = kind;
  static const std::vector<double> kCodings = {40, 35, 25};
  c.coding = static_cast<ConditionCoding>(rng_.Pick(kCodings));
  c.onset = now_ - Days(365 * rng_.Uniform(years_ago_lo, years_ago_hi));
  s_.conditions.push_back(c);
}

bool PatientMaker::Has(ConditionKind kind) const {
  for (const ConditionSpec& c : s_.conditions) {
    if (c.kind == kind) return true;
  }
  return false;
}

void PatientMaker::Comorbidities() {
  if (rng_.Chance(0.05)) {  // prior VTE, resolved after a 3-6 month course
    ConditionSpec vte;
    vte.kind = rng_.Chance(0.7) ? ConditionKind::kDvt : ConditionKind::kPe;
    vte.coding = rng_.Chance(0.3) ? ConditionCoding::kSyntheaSnomed : ConditionCoding::kSnomedAndIcd10;
    vte.onset = now_ - Days(365 * rng_.Uniform(0.8, 8));
    vte.status = ClinicalStatus::kResolved;
    vte.abatement = vte.onset + Days(rng_.Uniform(90, 180));
    s_.conditions.push_back(vte);
  }
  const std::pair<ConditionKind, double> kCommon[] = {
      {ConditionKind::kAtrialFibrillation, 0.08}, {ConditionKind::kHypertension, 0.50},
      {ConditionKind::kHyperlipidaemia, 0.35},    {ConditionKind::kDiabetes, 0.20},
      {ConditionKind::kSmoker, 0.10},             {ConditionKind::kHeartFailure, 0.04}};
  for (const auto& [kind, p] : kCommon) {
    if (rng_.Chance(p)) AddCondition(kind, 1, 15);
  }
  if (rng_.Chance(0.02)) AddCondition(ConditionKind::kHipFracture, 0.02, 0.15);
  if (rng_.Chance(0.005)) AddCondition(ConditionKind::kHit, 1, 5);
  if (rng_.Chance(0.005)) AddCondition(ConditionKind::kActiveBleeding, 0, 0.02);
  // Renal function drawn as a target Cockcroft-Gault CrCl; creatinine is solved from it in Labs.
  target_crcl_ = rng_.Chance(0.05) ? rng_.Uniform(10, 29.5) : rng_.Uniform(31, 120);
  if (target_crcl_ < 45 && rng_.Chance(0.7)) {
    AddCondition(target_crcl_ < 30 ? ConditionKind::kCkdStage4 : ConditionKind::kCkd, 1, 6);
  }
}

void PatientMaker::Labs() {
  if (rng_.Chance(0.10)) return;  // no labs on file
  const absl::Time taken = now_ - Days(rng_.Int(1, 10));
  const double plt = rng_.Chance(0.02) ? rng_.Uniform(12, 49) : rng_.Normal(220, 60, 55, 450);
  // Synthea reports platelets in 10*3/uL, numerically equal to 10*9/L (Synthea sample bundles).
  s_.labs.push_back({LabKind::kPlatelets, absl::StrFormat("%.0f", plt),
                     rng_.Chance(0.2) ? "10*3/uL" : "10*9/L", taken, ""});
  // Cockcroft-Gault solved for creatinine (docs/clinical.md §0 rule 10).
  const double sex_factor = s_.sex == Sex::kFemale ? 0.85 : 1.0;
  const double mg_dl = std::min(9.0, std::max(0.4, (140 - *s_.age_years) * weight_kg_ *
                                                       sex_factor / (72 * target_crcl_)));
  if (rng_.Chance(0.15)) {
    s_.labs.push_back({LabKind::kCreatinine, absl::StrFormat("%.0f", mg_dl * 88.4), "umol/L",
                       taken, ""});
  } else {
    s_.labs.push_back({LabKind::kCreatinine, absl::StrFormat("%.2f", mg_dl), "", taken, ""});
  }
  s_.labs.push_back({LabKind::kHemoglobin,
                     absl::StrFormat("%.1f", rng_.Normal(11, 1.6, 6.5, 15.5)), "", taken, ""});
  if (rng_.Chance(0.4)) {
    s_.labs.push_back({LabKind::kEgfr, absl::StrFormat("%.0f", target_crcl_ * 0.95), "", taken,
                       ""});
  }
}

}  // namespace

namespace {

// The codings a product can actually carry, so a drawn style never asks for a missing code.
MedCoding Feasible(MedCoding wanted, Drug drug, const std::string& strength) {
  const std::optional<ProductCodes> p = ProductFor(drug, strength);
  const bool has_in = !InfoFor(drug).ingredient.code.empty();
  switch (wanted) {
    case MedCoding::kProductSbd:
      if (p && !p->sbd.code.empty()) return wanted;
      [[fallthrough]];
    case MedCoding::kProductScd:
      if (p && !p->scd.code.empty()) return MedCoding::kProductScd;
      if (p && !p->sbd.code.empty()) return MedCoding::kProductSbd;
      return has_in ? MedCoding::kIngredientRxnorm : MedCoding::kTextOnly;
    case MedCoding::kIngredientRxnorm:
    case MedCoding::kContainedMedication:
    case MedCoding::kBundledMedication:
      return has_in || p ? wanted : MedCoding::kTextOnly;
    case MedCoding::kTextOnly:
      return wanted;
  }
  return wanted;
}

// What a prescriber types when the order is free text ("Revlimid 25 mg capsule").
std::string FreeText(Drug drug, const std::string& strength, bool branded) {
  std::string name = InfoFor(drug).name;
  if (branded && drug == Drug::kLenalidomide) name = "Revlimid";
  if (branded && drug == Drug::kThalidomide) name = "Thalomid";
  if (branded && drug == Drug::kPomalidomide) name = "Pomalyst";
  const std::string form = InfoFor(drug).form_code == "CAP" ? "capsule" : "tablet";
  return strength.empty() ? name : absl::StrCat(name, " ", strength, " mg ", form);
}

}  // namespace

MedCoding PatientMaker::ImidCoding(Drug drug, const std::string& strength) {
  static const std::vector<double> kWeights = {15, 35, 20, 10, 10, 10};  // enum order
  return Feasible(static_cast<MedCoding>(rng_.Pick(kWeights)), drug, strength);
}

MedCoding PatientMaker::OtherCoding(Drug drug, const std::string& strength) {
  static const std::vector<double> kWeights = {40, 40, 0, 10, 5, 5};
  return Feasible(static_cast<MedCoding>(rng_.Pick(kWeights)), drug, strength);
}

DosingStyle PatientMaker::PickDosingStyle() {
  static const std::vector<double> kWeights = {50, 20, 30};  // structured, text, both
  return static_cast<DosingStyle>(rng_.Pick(kWeights));
}

void PatientMaker::Add(Drug drug, const std::string& strength, MedCoding coding, Dosing dosing) {
  MedicationOrder m;
  m.drug = drug;
  m.strength = strength;
  m.coding = coding;
  m.authored_on = now_ - Days(rng_.Int(0, 20));
  dosing.style = PickDosingStyle();
  m.dosing = std::move(dosing);
  if (coding == MedCoding::kTextOnly) m.text = FreeText(drug, strength, rng_.Chance(0.5));
  s_.medications.push_back(std::move(m));
}

void PatientMaker::AddImid(Drug drug, const std::string& strength, Dosing dosing) {
  Add(drug, strength, ImidCoding(drug, strength), std::move(dosing));
}

void PatientMaker::AddDex(Dosing dosing) {
  // Dex orders are written per mg with the 4 mg tablet as the product (docs/clinical.md §9e note).
  Add(Drug::kDexamethasone, "4", OtherCoding(Drug::kDexamethasone, "4"), std::move(dosing));
}

void PatientMaker::Therapy(Regimen r) {
  // Usual schedules; dex mg per 28 days in brackets (docs/clinical.md §2 "Common regimens").
  const std::vector<int> kVelcadeDays = {1, 4, 8, 11};
  const std::vector<int> kDexWithV = {1, 2, 4, 5, 8, 9, 11, 12};
  switch (r) {
    case Regimen::kRd:  // [160]
      AddImid(Drug::kLenalidomide, "25", DailyForDaysDosing("25", 21, 28));
      AddDex(WeeklyDosing("40"));
      break;
    case Regimen::kLowDoseRd:  // [80]
    {
      const std::string mg = rng_.Chance(0.5) ? "15" : "10";
      AddImid(Drug::kLenalidomide, mg, DailyForDaysDosing(mg, 21, 28));
    }
      AddDex(WeeklyDosing("20"));
      break;
    case Regimen::kVRd:  // 20 mg x 8 per 21 days [213]
      Add(Drug::kBortezomib, "", OtherCoding(Drug::kBortezomib, ""),
          CycleDaysDosing("2.3", kVelcadeDays, 21));
      AddImid(Drug::kLenalidomide, "25", DailyForDaysDosing("25", 14, 21));
      AddDex(CycleDaysDosing("20", kDexWithV, 21));
      break;
    case Regimen::kKRd:  // [160]
      Add(Drug::kCarfilzomib, "", OtherCoding(Drug::kCarfilzomib, ""),
          CycleDaysDosing("56", {1, 2, 8, 9, 15, 16}, 28));
      AddImid(Drug::kLenalidomide, "25", DailyForDaysDosing("25", 21, 28));
      AddDex(WeeklyDosing("40"));
      break;
    case Regimen::kDRd:
    case Regimen::kDPd:  // [160]
      Add(Drug::kDaratumumab, "", OtherCoding(Drug::kDaratumumab, ""), WeeklyDosing("1800"));
      [[fallthrough]];
    case Regimen::kPd:
      if (r == Regimen::kDRd) {
        AddImid(Drug::kLenalidomide, "25", DailyForDaysDosing("25", 21, 28));
      } else {
        AddImid(Drug::kPomalidomide, "4", DailyForDaysDosing("4", 21, 28));
      }
      AddDex(rng_.Chance(0.8) ? WeeklyDosing("40") : CycleDaysDosing("40", {1, 8, 15, 22}, 28));
      break;
    case Regimen::kTd:  // [480] or [160]
      AddImid(Drug::kThalidomide, "100", ContinuousDailyDosing("100", 1));
      AddDex(rng_.Chance(0.5) ? SequencedRangesDosing("40", {{1, 4}, {9, 12}, {17, 20}}, 28)
                              : WeeklyDosing("40"));
      if (s_.medications.back().dosing->sequenced_days.size() > 1) {
        s_.medications.back().note = "Thal-dex, 28-day cycles";
      }
      break;
    case Regimen::kVTd:  // 40 mg x 8 per 28 days [320]
      Add(Drug::kBortezomib, "", OtherCoding(Drug::kBortezomib, ""),
          CycleDaysDosing("2.3", kVelcadeDays, 28));
      AddImid(Drug::kThalidomide, "100", ContinuousDailyDosing("100", 1));
      AddDex(CycleDaysDosing("40", kDexWithV, 28));
      break;
    case Regimen::kMPT:  // no dex; melphalan and prednisone have no code in the spec: text only
      Add(Drug::kMelphalan, "", MedCoding::kTextOnly, CycleDaysDosing("16", {1, 2, 3, 4}, 42));
      Add(Drug::kPrednisone, "", MedCoding::kTextOnly, CycleDaysDosing("120", {1, 2, 3, 4}, 42));
      AddImid(Drug::kThalidomide, "100", ContinuousDailyDosing("100", 1));
      break;
    case Regimen::kLenMaint:  // no dex (docs/clinical.md §0 rule 13 low-confidence case)
      AddImid(Drug::kLenalidomide, "10", rng_.Chance(0.5) ? DailyForDaysDosing("10", 21, 28)
                                                          : ContinuousDailyDosing("10", 1));
      break;
    case Regimen::kNoImid:  // Vd, or nothing myeloma-directed (e.g. between lines)
      if (rng_.Chance(0.6)) {
        Add(Drug::kBortezomib, "", OtherCoding(Drug::kBortezomib, ""),
            CycleDaysDosing("2.3", kVelcadeDays, 21));
        AddDex(CycleDaysDosing("20", kDexWithV, 21));
      }
      break;
  }
  if (relapsed_ && r != Regimen::kNoImid && rng_.Chance(0.5)) {
    // The previous line, completed: history the engine must not read as current therapy.
    MedicationOrder prior;
    prior.drug = Drug::kLenalidomide;
    prior.strength = "25";
    prior.coding = MedCoding::kProductScd;
    prior.status = MedStatus::kCompleted;
    prior.authored_on = s_.conditions.front().onset + Days(14);
    prior.dosing = DailyForDaysDosing("25", 21, 28);
    s_.medications.push_back(std::move(prior));
  }
}

void PatientMaker::CoMedications() {
  const double p_anticoag = Has(ConditionKind::kAtrialFibrillation) ? 0.75
                            : (Has(ConditionKind::kDvt) || Has(ConditionKind::kPe)) ? 0.4
                                                                                  : 0.03;
  if (rng_.Chance(p_anticoag)) {
    struct Choice { Drug drug; const char* strength; const char* dose; int per_day; };
    static const Choice kChoices[] = {{Drug::kApixaban, "5", "5", 2},
                                      {Drug::kApixaban, "2.5", "2.5", 2},
                                      {Drug::kWarfarin, "5", "5", 1},
                                      {Drug::kRivaroxaban, "20", "20", 1},
                                      {Drug::kEnoxaparin, "40", "40", 1}};
    const Choice& c = kChoices[rng_.Pick({40, 10, 20, 15, 15})];
    Add(c.drug, c.strength, OtherCoding(c.drug, c.strength),
        ContinuousDailyDosing(c.dose, c.per_day));
    if (rng_.Chance(0.5)) s_.medications.back().resource = MedResource::kMedicationStatement;
  } else if (rng_.Chance(0.2)) {
    Add(Drug::kAspirin, "81", OtherCoding(Drug::kAspirin, "81"), ContinuousDailyDosing("81", 1));
    if (rng_.Chance(0.6)) s_.medications.back().resource = MedResource::kMedicationStatement;
  }
  if (rng_.Chance(0.10)) {  // ESA
    if (rng_.Chance(0.5)) {
      Add(Drug::kDarbepoetin, "", MedCoding::kIngredientRxnorm, EveryWeeksDosing("500", 3, "ug"));
    } else {
      const bool synthea = rng_.Chance(0.3);  // Synthea's Epogen product code (Synthea sample bundles)
      Add(Drug::kEpoetin, synthea ? "4000" : "",
          synthea ? MedCoding::kProductSbd : MedCoding::kIngredientRxnorm,
          EveryWeeksDosing("40000", 1, "[iU]"));
    }
  }
  if (rng_.Chance(0.02)) {  // estrogen: Synthea's patch product, or estradiol tablets
    const bool patch = rng_.Chance(0.5);
    Add(Drug::kEstradiol, patch ? "0.00146" : "", patch ? MedCoding::kProductScd
                                                        : MedCoding::kIngredientRxnorm,
        patch ? EveryWeeksDosing("1", 1, "{patch}") : ContinuousDailyDosing("1", 1));
  }
  if (rng_.Chance(0.02)) s_.allergies.push_back({Drug::kAspirin, now_ - Days(365 * 5)});
}

void PatientMaker::Procedures() {
  if (rng_.Chance(0.15)) {
    s_.procedures.push_back({ProcedureKind::kTunneledCvcInsertion, now_ - Days(rng_.Int(5, 300))});
  }
  const ProcedureKind surgery =
      rng_.Chance(0.5) ? ProcedureKind::kHipReplacement : ProcedureKind::kCholecystectomy;
  if (rng_.Chance(0.03)) {
    s_.procedures.push_back({surgery, now_ - Days(rng_.Int(3, 85))});  // SAVED window, §3
  } else if (rng_.Chance(0.05)) {
    s_.procedures.push_back({surgery, now_ - Days(rng_.Int(120, 2000))});  // outside it
  }
}

// ---------------------------------------------------------------------------------------------
// Messy records (docs/clinical.md policy v1.1 rules 14-24). Each draw below is independent and
// gated by its MessyRates entry; the Chance() call is made even when the rate is 0, so one rate
// never shifts the draws of another.

MessyRates MessyRates::None() {
  MessyRates r;
  r.platelet_alternate_code = r.platelet_comparator = r.platelet_unreadable = 0;
  r.platelet_old_low = r.platelet_status = r.creatinine_alternate = r.creatinine_unreadable = 0;
  r.egfr_variant = r.allergy = r.heparin_flush = r.bleeding = r.peptic_ulcer = 0;
  r.duplicate_regimen = r.several_races = r.anticoagulant_held_or_ended = r.dialysis = 0;
  r.cyp3a4_pgp_interaction = r.low_body_weight = r.anticoagulant_unknown_dose = 0;
  return r;
}

namespace {

Lab* FindLab(Scenario& s, LabKind kind) {
  for (Lab& lab : s.labs) {
    if (lab.kind == kind) return &lab;
  }
  return nullptr;
}

bool IsAnticoagulant(Drug d) {
  return d == Drug::kApixaban || d == Drug::kRivaroxaban || d == Drug::kWarfarin ||
         d == Drug::kEnoxaparin;
}

}  // namespace

void PatientMaker::Messy(Rng& messy) {
  MessyPlatelets(messy);
  MessyCreatinine(messy);
  MessyAllergy(messy);
  MessyConditions(messy);
  MessyMedications(messy);
  const bool several_races = messy.Chance(rates_.several_races);
  if (several_races && s_.race != Race::kNone) {
    // Rule 21: more than one category, one of them Asian.
    s_.extra_races.push_back(s_.race == Race::kAsian ? (messy.Chance(0.5) ? Race::kWhite
                                                                          : Race::kBlack)
                                                     : Race::kAsian);
  }
  const bool low_weight = messy.Chance(rates_.low_body_weight);
  if (low_weight && !s_.vitals.weight_kg.empty()) {
    // Below the enoxaparin label's low-weight thresholds (women < 45 kg, men < 57 kg,
    // docs/clinical.md §8); the BMI follows the new weight.
    const double kg = s_.sex == Sex::kFemale ? messy.Uniform(36, 44.5) : messy.Uniform(45, 56.5);
    s_.vitals.weight_kg = absl::StrFormat("%.1f", kg);
    double cm = 0;
    if (!s_.vitals.height_cm.empty() && absl::SimpleAtod(s_.vitals.height_cm, &cm) && cm > 0) {
      s_.vitals.bmi = absl::StrFormat("%.1f", kg / ((cm / 100) * (cm / 100)));
    }
  }
  // Drawn last, so that adding it shifted none of the draws above.
  const bool unknown_dose = messy.Chance(rates_.anticoagulant_unknown_dose);
  const double which = messy.Uniform();
  if (unknown_dose) {
    MedicationOrder m;
    m.drug = which < 0.5 ? Drug::kApixaban : which < 0.8 ? Drug::kRivaroxaban : Drug::kWarfarin;
    m.coding = MedCoding::kIngredientRxnorm;
    m.resource = MedResource::kMedicationStatement;
    m.authored_on = now_ - Days(30 + 300 * which);
    s_.medications.push_back(std::move(m));  // no dosing: dose and frequency unknown
  }
}

void PatientMaker::MessyPlatelets(Rng& messy) {
  const bool alternate = messy.Chance(rates_.platelet_alternate_code);
  const bool comparator = messy.Chance(rates_.platelet_comparator);
  const bool unreadable = messy.Chance(rates_.platelet_unreadable);
  const bool old_low = messy.Chance(rates_.platelet_old_low);
  const bool status = messy.Chance(rates_.platelet_status);
  const double u1 = messy.Uniform();
  const double u2 = messy.Uniform();
  const double u3 = messy.Uniform();
  Lab* plt = FindLab(s_, LabKind::kPlatelets);
  if (plt == nullptr) return;  // no labs on file: nothing to misrepresent
  const absl::Time taken = plt->taken;
  if (alternate) plt->loinc = u1 < 0.5 ? "26515-7" : "778-1";
  if (comparator) {
    // Below or above the analyser's reportable range, or a bound that decides nothing.
    // "<10" decides (below 50), ">100" decides (not below 50), "<100" decides nothing.
    plt->comparator = u2 >= 0.4 && u2 < 0.8 ? ">" : "<";
    plt->value = u2 < 0.4 ? "10" : "100";
  }
  if (old_low) {
    Lab low = *plt;
    low.loinc.clear();
    low.comparator.clear();
    low.value = absl::StrFormat("%.0f", 15 + 30 * u3);
    low.taken = now_ - Days(20 + 65 * u1);
    if (u3 < 0.5) {
      // The low count is the last one on file: the recent count is dropped.
      for (auto it = s_.labs.begin(); it != s_.labs.end(); ++it) {
        if (it->kind == LabKind::kPlatelets) {
          s_.labs.erase(it);
          break;
        }
      }
    }
    s_.labs.push_back(std::move(low));
    plt = nullptr;  // may have been erased
  }
  if (unreadable) {
    Lab later;
    later.kind = LabKind::kPlatelets;
    later.taken = taken + absl::Hours(12);
    if (u2 < 0.4) {
      later.form = LabValueForm::kString;
      later.text = "Platelet clumps seen; count not reported";
    } else if (u2 < 0.8) {
      later.form = LabValueForm::kDataAbsent;
      later.absent_reason = "error";
    } else {
      // A smear estimate: platelets per high-power field, which no reader can turn into 10*9/L.
      later.loinc = "26515-7";
      later.value = absl::StrFormat("%.0f", 4 + 16 * u1);
      later.unit = "/[HPF]";
    }
    s_.labs.push_back(std::move(later));
  }
  if (status) {
    Lab later;
    later.kind = LabKind::kPlatelets;
    later.taken = taken + absl::Hours(6);
    later.value = absl::StrFormat("%.0f", 12 + 30 * u1);
    later.status = u3 < 0.4   ? LabStatus::kPreliminary
                   : u3 < 0.8 ? LabStatus::kEnteredInError
                              : LabStatus::kCancelled;
    s_.labs.push_back(std::move(later));
  }
}

void PatientMaker::MessyCreatinine(Rng& messy) {
  const bool alternate = messy.Chance(rates_.creatinine_alternate);
  const bool unreadable = messy.Chance(rates_.creatinine_unreadable);
  const bool egfr_variant = messy.Chance(rates_.egfr_variant);
  const double u = messy.Uniform();
  if (Lab* cr = FindLab(s_, LabKind::kCreatinine); cr != nullptr) {
    if (alternate) {
      double value = 0;
      if (!absl::SimpleAtod(cr->value, &value)) value = 0;
      const double mg_dl = cr->unit == "umol/L" ? value / 88.4 : value;
      if (u < 0.7) {
        // SI units under the molar code (1 mg/dL = 88.4 umol/L, docs/clinical.md §0 rule 10).
        cr->value = absl::StrFormat("%.0f", mg_dl * 88.4);
        cr->unit = "umol/L";
        cr->loinc = "14682-9";
      } else {
        cr->value = absl::StrFormat("%.2f", mg_dl);
        cr->unit = "";
        cr->loinc = "38483-4";
      }
    }
    if (unreadable) {
      Lab later;
      later.kind = LabKind::kCreatinine;
      later.taken = cr->taken + absl::Hours(12);
      if (u < 0.5) {
        later.form = LabValueForm::kString;
        later.text = "Specimen hemolyzed; creatinine not reported";
      } else {
        later.form = LabValueForm::kDataAbsent;
        later.absent_reason = "error";
      }
      s_.labs.push_back(std::move(later));
    }
  }
  if (Lab* egfr = FindLab(s_, LabKind::kEgfr); egfr != nullptr && egfr_variant) {
    double value = 0;
    if (!absl::SimpleAtod(egfr->value, &value)) value = 0;
    if (u < 0.5) {
      egfr->loinc = "62238-1";
    } else if (value > 60) {
      // Many labs report eGFR above a cut-off only as "> 60" or "> 90" (mL/min/1.73 m2).
      egfr->comparator = ">";
      egfr->value = value > 90 ? "90" : "60";
    }
  }
}

void PatientMaker::MessyAllergy(Rng& messy) {
  const bool allergy = messy.Chance(rates_.allergy);
  const double which = messy.Uniform();
  const double status = messy.Uniform();
  const bool text_only = messy.Chance(0.2);
  const double recorded = messy.Uniform();
  if (!allergy) return;
  AllergySpec a;
  a.recorded = now_ - Days(30 + 2000 * recorded);
  if (which < 0.3) {
    a.substance = Drug::kHeparin;  // the classic: heparin with heparin-induced thrombocytopenia
    a.reaction = AllergyReaction::kHit;
  } else if (which < 0.45) {
    a.substance = Drug::kEnoxaparin;
    a.reaction = AllergyReaction::kHives;
  } else if (which < 0.65) {
    a.substance = Drug::kAspirin;
    a.reaction = AllergyReaction::kAnaphylaxis;
  } else if (which < 0.8) {
    a.substance = Drug::kIbuprofen;  // NSAID hypersensitivity: aspirin is out too (rule 16)
    a.reaction = AllergyReaction::kHives;
  } else {
    a.substance = Drug::kApixaban;
    a.reaction = AllergyReaction::kBleeding;
  }
  a.text_only = text_only;
  if (status < 0.05) {
    a.verification = AllergyVerification::kRefuted;
    a.clinical = AllergyClinical::kInactive;
  } else if (status < 0.10) {
    a.clinical = AllergyClinical::kResolved;
  } else if (status < 0.15) {
    a.verification = AllergyVerification::kEnteredInError;
  } else if (status < 0.20) {
    a.verification = AllergyVerification::kUnconfirmed;
  } else if (status < 0.25) {
    a.clinical = AllergyClinical::kInactive;
  }
  s_.allergies.push_back(a);
}

void PatientMaker::MessyConditions(Rng& messy) {
  const bool bleeding = messy.Chance(rates_.bleeding);
  const bool ulcer = messy.Chance(rates_.peptic_ulcer);
  const bool dialysis = messy.Chance(rates_.dialysis);
  const double which = messy.Uniform();
  const double when = messy.Uniform();
  if (bleeding) {
    ConditionSpec c;
    c.kind = which < 0.4   ? ConditionKind::kGastricUlcerHaemorrhage
             : which < 0.7 ? ConditionKind::kHaematuria
                           : ConditionKind::kActiveBleeding;
    c.coding = ConditionCoding::kIcd10;
    if (when < 0.75) {
      c.onset = now_ - Days(1 + 40 * when);  // active, recent
    } else {
      // Resolved years ago: not active bleeding (rule 17's window is 90 days).
      c.onset = now_ - Days(400 + 1000 * when);
      c.status = ClinicalStatus::kResolved;
      c.abatement = c.onset + Days(10);
    }
    s_.conditions.push_back(c);
  }
  if (ulcer) {
    ConditionSpec c;
    c.kind = ConditionKind::kPepticUlcer;
    c.coding = ConditionCoding::kIcd10;
    c.onset = now_ - Days(100 + 900 * when);
    s_.conditions.push_back(c);
  }
  if (dialysis) {
    for (ConditionKind kind : {ConditionKind::kEsrd, ConditionKind::kDialysis}) {
      ConditionSpec c;
      c.kind = kind;
      c.coding = ConditionCoding::kIcd10;
      c.onset = now_ - Days(200 + 1500 * when);
      s_.conditions.push_back(c);
    }
    if (Lab* cr = FindLab(s_, LabKind::kCreatinine);
        cr != nullptr && cr->form == LabValueForm::kQuantity) {
      // Pre-dialysis creatinine of a patient on haemodialysis.
      const double mg_dl = 5 + 4 * which;
      cr->value = cr->unit == "umol/L" ? absl::StrFormat("%.0f", mg_dl * 88.4)
                                       : absl::StrFormat("%.2f", mg_dl);
    }
  }
}

void PatientMaker::MessyMedications(Rng& messy) {
  const bool flush = messy.Chance(rates_.heparin_flush);
  const bool duplicate = messy.Chance(rates_.duplicate_regimen);
  const bool held = messy.Chance(rates_.anticoagulant_held_or_ended);
  const bool cyp = messy.Chance(rates_.cyp3a4_pgp_interaction);
  const double u1 = messy.Uniform();
  const double u2 = messy.Uniform();
  const double u3 = messy.Uniform();

  std::optional<absl::Time> catheter;
  for (const ProcedureSpec& p : s_.procedures) {
    if (p.kind == ProcedureKind::kTunneledCvcInsertion) catheter = p.performed;
  }
  if (flush && catheter) {
    // Heparin 100 units/mL, 5 mL into the port after each access and monthly: a lock, not
    // systemic anticoagulation (rule 18). Coded as the heparin ingredient with the words, as
    // many order catalogues do, or as words only.
    MedicationOrder m;
    m.drug = Drug::kHeparin;
    m.purpose = MedPurpose::kCatheterFlush;
    m.coding = u1 < 0.5   ? MedCoding::kIngredientRxnorm
               : u1 < 0.8 ? MedCoding::kTextOnly
                          : MedCoding::kContainedMedication;
    m.text = u2 < 0.5 ? "Heparin lock flush 100 units/mL" : "heparin sodium 100 unit/mL flush";
    m.authored_on = *catheter;
    Dosing d = EveryWeeksDosing("500", 4, "[iU]");
    d.text = "500 units (5 mL of 100 units/mL) to flush the port after each access and every "
             "4 weeks";
    d.style = u3 < 0.5 ? DosingStyle::kStructuredAndText : DosingStyle::kText;
    m.dosing = d;
    s_.medications.push_back(std::move(m));
  }

  if (duplicate) {
    // The same regimen recorded again: the oncologist's order and the patient's home-medication
    // list (a MedicationStatement), or the pharmacy's dispense of that order (rule 20).
    const MedicationOrder* original = nullptr;
    for (const MedicationOrder& m : s_.medications) {
      if (m.status != MedStatus::kActive || m.resource != MedResource::kMedicationRequest) continue;
      if (m.drug == Drug::kDexamethasone && (original == nullptr || u3 < 0.7)) original = &m;
      if (IsAnticoagulant(m.drug) && (original == nullptr || u3 >= 0.7)) original = &m;
    }
    if (original != nullptr) {
      MedicationOrder copy = *original;
      copy.duplicate_record = true;
      copy.note.clear();
      copy.resource =
          u1 < 0.6 ? MedResource::kMedicationStatement : MedResource::kMedicationDispense;
      s_.medications.push_back(std::move(copy));
    }
  }

  if (held) {
    // An anticoagulant order that is on hold, ended within the last 30 days (possibly current,
    // rule 19), or ended months ago (history).
    MedicationOrder m;
    struct Choice { Drug drug; const char* strength; const char* dose; int per_day; };
    static const Choice kChoices[] = {{Drug::kApixaban, "5", "5", 2},
                                      {Drug::kRivaroxaban, "20", "20", 1},
                                      {Drug::kWarfarin, "5", "5", 1},
                                      {Drug::kEnoxaparin, "40", "40", 1}};
    const Choice& c = kChoices[static_cast<int>(u2 * 4) % 4];
    m.drug = c.drug;
    m.strength = c.strength;
    m.coding = MedCoding::kProductScd;
    m.dosing = ContinuousDailyDosing(c.dose, c.per_day);
    if (u1 < 0.4) {
      m.status = MedStatus::kOnHold;
      m.authored_on = now_ - Days(20 + 60 * u3);
      m.note = "Held for procedure";
    } else if (u1 < 0.8) {
      m.status = u3 < 0.5 ? MedStatus::kStopped : MedStatus::kCompleted;
      m.ended = now_ - Days(2 + 25 * u3);
      m.authored_on = *m.ended - Days(90);
    } else {
      m.status = MedStatus::kCompleted;
      m.ended = now_ - Days(60 + 200 * u3);
      m.authored_on = *m.ended - Days(90);
    }
    s_.medications.push_back(std::move(m));
  }

  if (cyp) {
    // Ketoconazole 200 mg daily (strong CYP3A4 + P-gp inhibitor) or rifampin 600 mg daily
    // (strong inducer): the DOAC labels' interaction sections (rule 23).
    MedicationOrder m;
    const bool inducer = u2 < 0.5;
    m.drug = inducer ? Drug::kRifampin : Drug::kKetoconazole;
    m.coding = MedCoding::kIngredientRxnorm;
    m.authored_on = now_ - Days(1 + 20 * u3);
    m.dosing = ContinuousDailyDosing(inducer ? "600" : "200", 1);
    s_.medications.push_back(std::move(m));
  }
}

void ForEachRandomPatient(int n, uint64_t seed, absl::Time now, const MessyRates& rates,
                          absl::FunctionRef<void(int index, Scenario scenario)> on_patient) {
  Rng master(seed);
  for (int i = 0; i < n; ++i) {
    // One generator per patient, seeded from the master stream, so patient i does not depend on
    // how many draws earlier patients used (or on n).
    Rng rng(master.Bits());
    on_patient(i, PatientMaker(rng, now, rates).Make());
  }
}

std::vector<Scenario> RandomPopulation(int n, uint64_t seed, absl::Time now,
                                       const MessyRates& rates) {
  std::vector<Scenario> out;
  if (n <= 0) return out;
  out.reserve(n);
  ForEachRandomPatient(n, seed, now, rates,
                       [&out](int, Scenario scenario) { out.push_back(std::move(scenario)); });
  return out;
}

absl::Status WritePopulation(int n, uint64_t seed, absl::Time now, const std::string& out_dir,
                             const MessyRates& rates) {
  if (n > 9999) return absl::InvalidArgumentError("WritePopulation: n > 9999");
  const std::vector<Scenario> population = RandomPopulation(n, seed, now, rates);
  for (size_t i = 0; i < population.size(); ++i) {
    ASSIGN_OR_RETURN(fhir::r4::Bundle bundle, BuildBundle(population[i]));
    fhir::r4::ContainedResource resource;
    *resource.mutable_bundle() = std::move(bundle);
    ASSIGN_OR_RETURN(const std::string json,
                     fhir::PrintResource(resource, fhir::PrintOptions{/*pretty=*/true}));
    const std::string path = absl::StrFormat("%s/patient-%04d.json", out_dir, i + 1);
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path, " for writing"));
    file << json << "\n";
    file.close();
    if (!file) return absl::InternalError(absl::StrCat("write failed: ", path));
  }
  return absl::OkStatus();
}

}  // namespace thrombo::synth
