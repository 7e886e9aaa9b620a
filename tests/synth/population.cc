// Copyright 2026 The Thrombo Authors.
// Random myeloma patients. The proportions are test-harness choices meant to exercise every rule
// (clinical-spec.md §0-§8) at a realistic rate, not epidemiology; the regimens and doses are the
// usual published schedules (dex totals as in §2 "Common regimens").
#include "tests/synth/population.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "fhir/json_printer.h"
#include "fhir/status_macros.h"
#include "tests/synth/bundle_builder.h"
#include "tests/synth/codes.h"

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
  PatientMaker(Rng& rng, absl::Time now) : rng_(rng), now_(now) {}
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
    mm.onset = now_ - Days(rng_.Uniform(10, 150));  // NDMM, clinical-spec.md §0.7
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
  // Synthea reports platelets in 10*3/uL, numerically equal to 10*9/L (cds-hooks.md §D).
  s_.labs.push_back({LabKind::kPlatelets, absl::StrFormat("%.0f", plt),
                     rng_.Chance(0.2) ? "10*3/uL" : "10*9/L", taken, ""});
  // Cockcroft-Gault solved for creatinine (clinical-spec.md §0.10).
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
  // Dex orders are written per mg with the 4 mg tablet as the product (clinical-spec §9e note).
  Add(Drug::kDexamethasone, "4", OtherCoding(Drug::kDexamethasone, "4"), std::move(dosing));
}

void PatientMaker::Therapy(Regimen r) {
  // Usual schedules; dex mg per 28 days in brackets (clinical-spec.md §2 "Common regimens").
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
    case Regimen::kLenMaint:  // no dex (clinical-spec.md §0.13 low-confidence case)
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
      const bool synthea = rng_.Chance(0.3);  // Synthea's Epogen product code (cds-hooks.md §D)
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

std::vector<Scenario> RandomPopulation(int n, uint64_t seed, absl::Time now) {
  std::vector<Scenario> out;
  if (n <= 0) return out;
  out.reserve(n);
  Rng master(seed);
  for (int i = 0; i < n; ++i) {
    // One generator per patient, seeded from the master stream, so patient i does not depend on
    // how many draws earlier patients used (or on n).
    Rng rng(master.Bits());
    out.push_back(PatientMaker(rng, now).Make());
  }
  return out;
}

absl::Status WritePopulation(int n, uint64_t seed, absl::Time now, const std::string& out_dir) {
  if (n > 9999) return absl::InvalidArgumentError("WritePopulation: n > 9999");
  const std::vector<Scenario> population = RandomPopulation(n, seed, now);
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
