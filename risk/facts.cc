// Copyright 2026 The Thrombo Authors.
#include "risk/facts.h"

#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "risk/anticoagulant_intensity.h"
#include "risk/dex_dose.h"
#include "risk/fhir_values.h"

namespace thrombo::risk {
namespace {

using State = v1::Fact;
using fhir::r4::CodeableConcept;

constexpr char kLoinc[] = "http://loinc.org";
constexpr char kSmokingStatus[] = "72166-2";  // see kSmokingStatusLoinc
// Evidence kept per fact: enough to explain, bounded so a long record cannot bloat a card.
constexpr int kMaxEvidence = 5;

v1::Evidence MakeEvidence(const std::string& type, const std::string& id, std::string path,
                          v1::Evidence::Source source, std::string matched, bool draft) {
  v1::Evidence e;
  e.set_resource_type(type);
  e.set_resource_id(id);
  e.set_path(std::move(path));
  e.set_source(source);
  e.set_matched(std::move(matched));
  e.set_draft_order(draft);
  return e;
}

void MarkPresent(v1::Fact* fact, const v1::Evidence& evidence) {
  fact->set_state(State::PRESENT);
  if (fact->evidence_size() < kMaxEvidence) *fact->add_evidence() = evidence;
}

bool Present(const v1::Fact& fact) { return fact.state() == State::PRESENT; }

std::string DayText(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

// The most recent usable value of one measurement, and whether older ones were seen. Evidence is
// built only for the value kept (on demand): records carry many observations per lab, and
// formatting each one's evidence was most of the extraction time.
struct Latest {
  bool set = false;
  absl::Time time;
  double value = 0;
  const fhir::r4::Observation* source = nullptr;
  bool stale_seen = false;   // a value existed but outside the window
  absl::Time stale_time;

  void Offer(absl::Time t, double v, const fhir::r4::Observation& o, bool in_window) {
    if (!in_window) {
      if (!stale_seen || t > stale_time) stale_time = t;
      stale_seen = true;
      return;
    }
    if (set && t <= time) return;
    set = true;
    time = t;
    value = v;
    source = &o;
  }

  v1::Evidence Evidence() const {
    v1::Evidence e;
    if (source == nullptr) return e;
    e.set_resource_type("Observation");
    e.set_resource_id(source->id());
    e.set_path("Observation.valueQuantity");
    e.set_source(v1::Evidence::VALUE);
    const fhir::r4::Quantity& q = source->value_quantity();
    e.set_matched(absl::StrFormat("%g %s on %s", value, q.unit().empty() ? q.code() : q.unit(),
                                  DayText(time)));
    return e;
  }
};

// Writes `latest` into `fact`, or UNKNOWN with a note saying what was missing.
void Settle(const Latest& latest, const char* what, const char* unit, int window_days,
            v1::Fact* fact) {
  if (latest.set) {
    fact->set_state(State::PRESENT);
    fact->set_value(latest.value);
    fact->set_unit(unit);
    fact->set_time_us(absl::ToUnixMicros(latest.time));
    *fact->add_evidence() = latest.Evidence();
    return;
  }
  fact->set_state(State::UNKNOWN);
  fact->set_note(latest.stale_seen
                     ? absl::StrFormat("latest %s (%s) is older than %d days", what,
                                       DayText(latest.stale_time), window_days)
                     : absl::StrFormat("no %s recorded", what));
}

// A medication order or statement, normalised.
struct MedicationUse {
  std::string type;  // "MedicationRequest", ...
  std::string id;
  bool draft = false;
  std::string path;  // of the medication element
  const CodeableConcept* concept = nullptr;
  const fhir::r4::Medication* medication = nullptr;
  const google::protobuf::RepeatedPtrField<fhir::r4::Dosage>* dosages = nullptr;
  const fhir::r4::MedicationRequest* request = nullptr;      // one of these two is set
  const fhir::r4::MedicationStatement* statement = nullptr;
};

// Doses per day from a Timing: frequency per period (h, d, wk, mo), or weekday lists.
double DosesPerDay(const fhir::r4::Timing& timing) {
  const auto& r = timing.repeat();
  const double frequency = r.frequency() > 0 ? r.frequency() : 1;
  if (r.day_of_week_size() > 0) return frequency * r.day_of_week_size() / 7.0;
  const std::optional<double> period = ToDouble(r.period());
  if (!period || *period <= 0) {
    // Common GTS codes (HL7 v3 TimingEvent / GTSAbbreviation).
    for (const auto& coding : timing.code().coding()) {
      if (coding.code() == "QD") return 1;
      if (coding.code() == "BID") return 2;
      if (coding.code() == "TID") return 3;
      if (coding.code() == "QID") return 4;
    }
    return 0;  // a frequency with no period says nothing per day
  }
  using U = fhir::r4::Timing::Repeat;
  double days = 0;
  switch (r.period_unit()) {
    case U::H:
      days = *period / 24.0;
      break;
    case U::D:
      days = *period;
      break;
    case U::WK:
      days = *period * 7;
      break;
    case U::MO:
      days = *period * 30.4375;  // mean Gregorian month
      break;
    default:
      return 0;
  }
  return days > 0 ? frequency / days : 0;
}

bool InUnits(const fhir::r4::Quantity& q) {
  const std::string& u = q.code().empty() ? q.unit() : q.code();
  return u == "U" || u == "[iU]" || u == "[IU]" || u == "IU" || u == "units" || u == "unit" ||
         u == "[arb'U]";
}

bool InTablets(const fhir::r4::Quantity& q) {
  const std::string& u = q.code().empty() ? q.unit() : q.code();
  return u == "{tbl}" || u == "TAB" || u == "tablet" || u == "tablets" || u == "{capsule}" ||
         u == "CAP" || u == "capsule" || u == "capsules";
}

// Amount per administration of the first structured dose, and doses per day.
AnticoagulantDose FirstDose(const MedicationUse& use, double strength_mg) {
  AnticoagulantDose dose;
  if (use.dosages == nullptr) return dose;
  for (const fhir::r4::Dosage& dosage : *use.dosages) {
    for (const auto& dr : dosage.dose_and_rate()) {
      if (!dr.has_dose_quantity()) continue;
      const fhir::r4::Quantity& q = dr.dose_quantity();
      if (std::optional<double> mg = QuantityIn(q, Unit::kMilligram)) {
        dose.amount = *mg;
      } else if (InUnits(q)) {
        dose.amount = ToDouble(q.value()).value_or(0);
        dose.in_units = true;
      } else if (InTablets(q) && strength_mg > 0) {
        dose.amount = ToDouble(q.value()).value_or(0) * strength_mg;
      }
      break;
    }
    if (dosage.has_timing()) dose.doses_per_day = DosesPerDay(dosage.timing());
    if (dose.amount > 0) break;
  }
  return dose;
}

bool EndedBefore(const fhir::r4::Period& period, absl::Time now) {
  if (!period.has_end()) return false;
  const std::optional<absl::Time> end = ToTime(period.end());
  return end && *end < now;
}

bool DosingEnded(const google::protobuf::RepeatedPtrField<fhir::r4::Dosage>& dosages,
                 absl::Time now) {
  if (dosages.empty()) return false;
  for (const fhir::r4::Dosage& d : dosages) {
    const auto& r = d.timing().repeat();
    if (!r.has_bounds_period() || !EndedBefore(r.bounds_period(), now)) return false;
  }
  return true;  // every dosage line has ended
}

// Dose bands the scores cut at (mg per 28 days): SAVED 120, IMPEDE 160, IMWG 480. A range dose
// whose ends fall on both sides of one of them cannot be scored, so it stays UNKNOWN.
bool StraddlesACutOff(const DexDose& dose) {
  for (double cut : {120.0, 160.0, 480.0}) {
    if (RangeStraddles(dose, cut)) return true;
  }
  return false;
}

// One dexamethasone figure from every active order: one order as it is; several summed when
// each has mg per 28 days (and mg per cycle when their cycles agree).
void SummariseDex(const std::vector<absl::StatusOr<DexDose>>& doses,
                  v1::DexamethasoneDose* out) {
  if (doses.empty()) {
    out->set_state(State::ABSENT);
    return;
  }
  double per_28 = 0;
  double per_cycle = 0;
  int cycle = -1;
  bool per_28_known = true;
  bool per_cycle_known = true;
  std::vector<std::string> rules;
  for (const absl::StatusOr<DexDose>& dose : doses) {
    if (!dose.ok()) {
      out->set_state(State::UNKNOWN);
      out->set_rule(absl::StrCat("dose not computable: ", dose.status().message()));
      return;
    }
    if (dose->is_range && StraddlesACutOff(*dose)) {
      out->set_state(State::UNKNOWN);
      out->set_rule(absl::StrCat("dose range straddles a score cut-off: ", dose->rule));
      return;
    }
    rules.push_back(dose->rule);
    per_28_known &= dose->mg_per_28_days.has_value();
    per_28 += dose->mg_per_28_days.value_or(0);
    per_cycle_known &= dose->mg_per_cycle.has_value();
    per_cycle += dose->mg_per_cycle.value_or(0);
    const int days = dose->cycle_days.value_or(0);
    if (cycle == -1) cycle = days;
    if (cycle != days) per_cycle_known = false;
  }
  out->set_rule(absl::StrJoin(rules, " + "));
  if (per_cycle_known) {
    out->set_mg_per_cycle(per_cycle);
    out->set_cycle_days(cycle > 0 ? cycle : 0);
  }
  if (!per_28_known) {
    // Known per cycle, but not how often the cycle repeats: IMPEDE cannot use it; SAVED can.
    out->set_state(State::UNKNOWN);
    return;
  }
  out->set_state(State::PRESENT);
  out->set_mg_per_28_days(per_28);
}

class Extractor final {
 public:
  Extractor(const Terminology& terminology, const EngineRules& rules, absl::Time now,
            v1::ClinicalFacts* facts)
      : terminology_(terminology), rules_(rules), r_(rules.facts), now_(now), facts_(*facts) {}

  void AddPatient(const fhir::r4::Patient& patient);
  void AddObservation(const fhir::r4::Observation& observation);
  void AddCondition(const fhir::r4::Condition& condition);
  void AddProcedure(const fhir::r4::Procedure& procedure);
  void AddAllergy(const fhir::r4::AllergyIntolerance& allergy);
  void AddMedication(const MedicationUse& use);
  void Finish();

 private:
  bool Within(absl::Time t, int days) const {
    return t <= now_ + absl::Hours(24) && now_ - t <= absl::Hours(24) * days;
  }
  void AddDrugMatch(const MedicationUse& use, const DrugMatch& match);
  void FinishBodySize();
  void FinishRenal();
  void FinishMedications();

  const Terminology& terminology_;
  const EngineRules& rules_;
  const FactRules& r_;
  const absl::Time now_;
  v1::ClinicalFacts& facts_;

  Latest weight_, height_, bmi_, platelets_, creatinine_, hemoglobin_, egfr_, smoking_;
  bool smoker_ = false;
  v1::Evidence smoking_evidence_;
  std::optional<absl::Time> diagnosis_;
  std::vector<absl::StatusOr<DexDose>> dex_doses_;
  std::vector<v1::Evidence> dex_evidence_;
  std::set<std::string> chemotherapy_agents_;
  std::vector<v1::Evidence> chemotherapy_evidence_;
  bool unknown_intensity_anticoagulant_ = false;
  std::vector<v1::Evidence> unknown_intensity_evidence_;
};

void Extractor::AddPatient(const fhir::r4::Patient& p) {
  const v1::Evidence e =
      MakeEvidence("Patient", p.id(), "Patient.birthDate", v1::Evidence::VALUE, "", false);
  if (std::optional<absl::Time> birth = ToTime(p.birth_date())) {
    const int age = AgeInYears(*birth, now_);
    facts_.mutable_age_years()->set_state(State::PRESENT);
    facts_.mutable_age_years()->set_value(age);
    facts_.mutable_age_years()->set_unit("a");
    v1::Evidence with_value = e;
    with_value.set_matched(absl::StrCat(age, " years"));
    *facts_.mutable_age_years()->add_evidence() = with_value;
  } else {
    facts_.mutable_age_years()->set_state(State::UNKNOWN);
    facts_.mutable_age_years()->set_note("birthDate not recorded");
  }
  using G = fhir::r4::AdministrativeGenderCode;
  if (p.gender() == G::MALE) facts_.set_sex("male");
  if (p.gender() == G::FEMALE) facts_.set_sex("female");

  // US Core race: only ombCategory is read; race is never inferred (§0.4). Where a patient
  // reports several categories, Asian (then NHOPI) is the one the scores ask about.
  const v1::RaceCodes& race = terminology_.race();
  std::vector<std::string> categories;
  for (const fhir::r4::Extension& ext : p.extension()) {
    if (ext.url() != race.extension_url()) continue;
    for (const fhir::r4::Extension& sub : ext.extension()) {
      if (sub.url() == race.omb_category_url() && sub.has_value_coding()) {
        categories.push_back(sub.value_coding().code());
      }
    }
  }
  for (const std::string& preferred : {race.asian_code(), race.native_hawaiian_pacific_code()}) {
    for (const std::string& c : categories) {
      if (c == preferred && facts_.race_omb_code().empty()) facts_.set_race_omb_code(c);
    }
  }
  if (facts_.race_omb_code().empty() && !categories.empty()) {
    facts_.set_race_omb_code(categories.front());
  }
}

void Extractor::AddObservation(const fhir::r4::Observation& o) {
  if (!IsUsableObservation(o)) return;
  const std::optional<absl::Time> when = ObservationTime(o);
  if (!when) return;
  if (HasCoding(o.code(), kLoinc, kSmokingStatus)) {
    if (!smoking_.set || *when > smoking_.time) {
      smoking_.set = true;
      smoking_.time = *when;
      smoker_ = false;
      for (const ConditionMatch& m : terminology_.MatchCondition(o.value_codeable_concept())) {
        if (m.concept->role() == v1::TOBACCO_USE) {
          smoker_ = true;
          smoking_evidence_ = MakeEvidence("Observation", o.id(), "Observation.valueCodeableConcept",
                                           m.source == MatchSource::kCode ? v1::Evidence::CODE
                                                                          : v1::Evidence::TEXT,
                                           m.matched, false);
        }
      }
    }
    return;
  }
  const std::optional<v1::LabKind> kind = terminology_.MatchLab(o.code());
  if (!kind || !o.has_value_quantity()) return;
  struct Target {
    Latest* latest;
    Unit unit;
    int window_days;
  };
  Target target{nullptr, Unit::kKilogram, 0};
  switch (*kind) {
    case v1::BODY_WEIGHT:
      target = {&weight_, Unit::kKilogram, r_.vitals_window_days};
      break;
    case v1::BODY_HEIGHT:
      // Adult height barely changes: 0 in the policy means any recorded height is usable.
      target = {&height_, Unit::kCentimetre,
                r_.height_window_days > 0 ? r_.height_window_days : 365 * 150};
      break;
    case v1::BMI:
      target = {&bmi_, Unit::kBmi, r_.vitals_window_days};
      break;
    case v1::PLATELETS:
      target = {&platelets_, Unit::kPerNanolitre, r_.platelets_window_days};
      break;
    case v1::CREATININE:
      target = {&creatinine_, Unit::kMilligramPerDecilitre, r_.labs_window_days};
      break;
    case v1::HEMOGLOBIN:
      target = {&hemoglobin_, Unit::kGramPerDecilitre, r_.labs_window_days};
      break;
    case v1::EGFR:
      target = {&egfr_, Unit::kEgfr, r_.labs_window_days};
      break;
    default:
      return;
  }
  const std::optional<double> value = QuantityIn(o.value_quantity(), target.unit);
  if (!value) {
    *facts_.add_data_issues() = absl::StrCat("Observation/", o.id(),
                                             ": value has a comparator or an unknown unit");
    return;
  }
  target.latest->Offer(*when, *value, o, Within(*when, target.window_days));
}

void Extractor::AddCondition(const fhir::r4::Condition& c) {
  if (IsRefutedOrInError(c)) return;
  const bool active = IsActiveCondition(c);
  const std::optional<absl::Time> when = ConditionTime(c);
  for (const ConditionMatch& m : terminology_.MatchCondition(c.code())) {
    const v1::Evidence e = MakeEvidence(
        "Condition", c.id(), "Condition.code",
        m.source == MatchSource::kCode ? v1::Evidence::CODE : v1::Evidence::TEXT, m.matched, false);
    v1::Fact* fact = nullptr;
    bool counts = active;  // most associated diseases count while active
    switch (m.concept->role()) {
      case v1::MULTIPLE_MYELOMA:
        fact = facts_.mutable_multiple_myeloma();
        counts = true;  // remission is still myeloma
        if (when && (!diagnosis_ || *when < *diagnosis_)) diagnosis_ = when;
        break;
      case v1::VTE:
        fact = facts_.mutable_prior_vte();
        counts = true;  // history, resolved or not
        break;
      case v1::HIP_PELVIS_FEMUR_FRACTURE:
        fact = facts_.mutable_hip_pelvis_femur_fracture();
        counts = true;
        break;
      case v1::HIT:
        fact = facts_.mutable_hit_history();
        counts = true;
        break;
      case v1::MYOCARDIAL_INFARCTION:
      case v1::ISCHEMIC_STROKE_TIA:
      case v1::PERIPHERAL_ARTERIAL_DISEASE:
        fact = facts_.mutable_prior_arterial_event();
        counts = true;
        break;
      case v1::CENTRAL_VENOUS_CATHETER:
        fact = facts_.mutable_central_venous_catheter();
        break;
      case v1::CARDIAC_DISEASE:
        fact = facts_.mutable_cardiac_disease();
        break;
      case v1::CKD:
        fact = facts_.mutable_chronic_kidney_disease();
        break;
      case v1::DIABETES:
        fact = facts_.mutable_diabetes();
        break;
      case v1::IMMOBILITY:
        fact = facts_.mutable_immobility();
        break;
      case v1::THROMBOPHILIA:
        fact = facts_.mutable_thrombophilia();
        break;
      case v1::HYPERVISCOSITY:
        fact = facts_.mutable_hyperviscosity();
        break;
      case v1::HYPERTENSION:
        fact = facts_.mutable_hypertension();
        break;
      case v1::HYPERLIPIDEMIA:
        fact = facts_.mutable_hyperlipidemia();
        break;
      case v1::TOBACCO_USE:
        fact = facts_.mutable_tobacco_use();
        break;
      case v1::ACTIVE_BLEEDING:
        fact = facts_.mutable_active_bleeding();
        break;
      case v1::PEPTIC_ULCER_ACTIVE:
        fact = facts_.mutable_aspirin_contraindication();  // aspirin contraindicated (§8)
        break;
      case v1::ACUTE_INFECTION:
        fact = facts_.mutable_acute_infection();
        counts = active && when && Within(*when, r_.infection_window_days);
        break;
      default:
        break;
    }
    if (fact != nullptr && counts) MarkPresent(fact, e);
  }
}

void Extractor::AddProcedure(const fhir::r4::Procedure& p) {
  using S = fhir::r4::EventStatusCode;
  if (p.status() != S::COMPLETED && p.status() != S::IN_PROGRESS) return;
  const std::optional<absl::Time> when = ProcedureTime(p);
  if (!when) return;
  for (const ProcedureMatch& m : terminology_.MatchProcedure(p.code())) {
    const v1::Evidence e = MakeEvidence(
        "Procedure", p.id(), "Procedure.code",
        m.source == MatchSource::kCode ? v1::Evidence::CODE : v1::Evidence::TEXT,
        absl::StrCat(m.matched, " on ", DayText(*when)), false);
    switch (m.concept->role()) {
      case v1::SURGERY:
      case v1::ANESTHESIA:
        if (Within(*when, r_.surgery_window_days)) {
          MarkPresent(facts_.mutable_surgery_within_90_days(), e);
        }
        break;
      case v1::CVC_INSERTION:
        if (Within(*when, r_.cvc_window_days)) {
          MarkPresent(facts_.mutable_central_venous_catheter(), e);
        }
        break;
      default:
        break;
    }
  }
}

void Extractor::AddAllergy(const fhir::r4::AllergyIntolerance& a) {
  for (const auto& coding : a.verification_status().coding()) {
    if (coding.code() == "refuted" || coding.code() == "entered-in-error") return;
  }
  for (const auto& coding : a.clinical_status().coding()) {
    if (coding.code() == "inactive" || coding.code() == "resolved") return;
  }
  auto mark = [&](MatchSource source, const std::string& matched) {
    MarkPresent(facts_.mutable_aspirin_contraindication(),
                MakeEvidence("AllergyIntolerance", a.id(), "AllergyIntolerance.code",
                             source == MatchSource::kCode ? v1::Evidence::CODE
                                                          : v1::Evidence::TEXT,
                             matched, false));
  };
  for (const ConditionMatch& m : terminology_.MatchCondition(a.code())) {
    if (m.concept->role() == v1::ASPIRIN_ALLERGY) mark(m.source, m.matched);
  }
  for (const DrugMatch& m : terminology_.MatchDrug(a.code())) {
    if (m.concept->role() == v1::ASPIRIN) mark(m.source, m.matched);
  }
}

void Extractor::AddMedication(const MedicationUse& use) {
  std::vector<DrugMatch> matches;
  if (use.concept != nullptr) matches = terminology_.MatchDrug(*use.concept);
  if (use.medication != nullptr) {
    if (matches.empty()) matches = terminology_.MatchDrug(use.medication->code());
    for (const auto& ingredient : use.medication->ingredient()) {
      if (!ingredient.has_item_codeable_concept()) continue;
      for (DrugMatch& m : terminology_.MatchDrug(ingredient.item_codeable_concept())) {
        bool seen = false;
        for (const DrugMatch& existing : matches) seen |= existing.concept == m.concept;
        if (!seen) matches.push_back(std::move(m));
      }
    }
  }
  for (const DrugMatch& match : matches) AddDrugMatch(use, match);
}

// Strength of one tablet: the product code's, else the Medication's ingredient strength in mg.
double StrengthMg(const DrugMatch& match, const fhir::r4::Medication* medication) {
  if (match.strength_mg > 0) return match.strength_mg;
  if (medication == nullptr) return 0;
  for (const auto& ingredient : medication->ingredient()) {
    const fhir::r4::Ratio& s = ingredient.strength();
    const std::optional<double> mg = QuantityIn(s.numerator(), Unit::kMilligram);
    const double per = ToDouble(s.denominator().value()).value_or(1);
    if (mg && per > 0) return *mg / per;
  }
  return 0;
}

void Extractor::AddDrugMatch(const MedicationUse& use, const DrugMatch& match) {
  const v1::Evidence e = MakeEvidence(
      use.type, use.id, use.path,
      match.source == MatchSource::kCode ? v1::Evidence::CODE : v1::Evidence::TEXT, match.matched,
      use.draft);
  const double strength = StrengthMg(match, use.medication);
  const AnticoagulantDose dose = FirstDose(use, strength);
  v1::DrugExposure& exposure = *facts_.add_drugs();
  exposure.set_ingredient(match.concept->ingredient());
  exposure.set_role(v1::DrugRole_Name(match.concept->role()));
  exposure.set_dose_mg(dose.in_units ? 0 : dose.amount);
  exposure.set_doses_per_day(dose.doses_per_day);
  *exposure.mutable_evidence() = e;

  switch (match.concept->role()) {
    case v1::IMID:
      MarkPresent(facts_.mutable_imid(), e);
      break;
    case v1::DEXAMETHASONE: {
      DoseContext context;
      if (strength > 0) context.mg_per_unit = strength;
      dex_doses_.push_back(use.request != nullptr
                               ? DoseFromMedicationRequest(*use.request, context)
                               : DoseFromMedicationStatement(*use.statement, context));
      dex_evidence_.push_back(e);
      break;
    }
    case v1::ESA:
      MarkPresent(facts_.mutable_esa(), e);
      break;
    case v1::ESTROGEN:
      MarkPresent(facts_.mutable_estrogen(), e);
      break;
    case v1::DOXORUBICIN:
      MarkPresent(facts_.mutable_doxorubicin(), e);
      chemotherapy_agents_.insert(match.concept->ingredient());
      chemotherapy_evidence_.push_back(e);
      break;
    case v1::MYELOMA_CHEMOTHERAPY:
      chemotherapy_agents_.insert(match.concept->ingredient());
      chemotherapy_evidence_.push_back(e);
      break;
    case v1::VKA:
    case v1::DOAC:
    case v1::LMWH:
    case v1::HEPARIN:
    case v1::FONDAPARINUX: {
      const v1::DoseIntensity::Value intensity =
          ClassifyAnticoagulantIntensity(match.concept->ingredient(), dose);
      exposure.set_intensity(intensity);
      if (intensity == v1::DoseIntensity::THERAPEUTIC) {
        MarkPresent(facts_.mutable_therapeutic_anticoagulation(), e);
      } else if (intensity == v1::DoseIntensity::PROPHYLACTIC) {
        MarkPresent(facts_.mutable_prophylactic_anticoagulation(), e);
      } else {
        unknown_intensity_anticoagulant_ = true;
        unknown_intensity_evidence_.push_back(e);
      }
      break;
    }
    case v1::ASPIRIN:
      MarkPresent(facts_.mutable_aspirin(), e);
      break;
    default:
      break;
  }
}

void Extractor::FinishBodySize() {
  Settle(weight_, "body weight", "kg", r_.vitals_window_days, facts_.mutable_weight_kg());
  Settle(height_, "body height", "cm", r_.height_window_days, facts_.mutable_height_cm());
  if (bmi_.set) {
    Settle(bmi_, "BMI", "kg/m2", r_.vitals_window_days, facts_.mutable_bmi());
  } else if (weight_.set && height_.set && height_.value > 0) {
    const double metres = height_.value / 100.0;
    v1::Fact& bmi = *facts_.mutable_bmi();
    bmi.set_state(State::PRESENT);
    bmi.set_value(weight_.value / (metres * metres));
    bmi.set_unit("kg/m2");
    bmi.set_note("computed from weight and height");
    *bmi.add_evidence() = weight_.Evidence();
    *bmi.add_evidence() = height_.Evidence();
  } else {
    Settle(bmi_, "BMI, or weight and height,", "kg/m2", r_.vitals_window_days,
           facts_.mutable_bmi());
  }
}

// Cockcroft-Gault with actual body weight (clinical-spec §0.10, §8):
// CrCl = (140 - age) x weight / (72 x serum creatinine mg/dL), x 0.85 for women.
void Extractor::FinishRenal() {
  Settle(platelets_, "platelet count", "10*9/L", r_.platelets_window_days,
         facts_.mutable_platelets());
  Settle(creatinine_, "serum creatinine", "mg/dL", r_.labs_window_days,
         facts_.mutable_creatinine_mg_dl());
  Settle(hemoglobin_, "haemoglobin", "g/dL", r_.labs_window_days,
         facts_.mutable_hemoglobin_g_dl());
  Settle(egfr_, "eGFR", "mL/min/{1.73_m2}", r_.labs_window_days, facts_.mutable_egfr());

  v1::Fact& crcl = *facts_.mutable_creatinine_clearance();
  std::vector<std::string> missing;
  if (!Present(facts_.age_years())) missing.push_back("age");
  if (facts_.sex().empty()) missing.push_back("sex");
  if (!weight_.set) missing.push_back("recent weight");
  if (!creatinine_.set || creatinine_.value <= 0) missing.push_back("recent serum creatinine");
  if (!missing.empty()) {
    crcl.set_state(State::UNKNOWN);
    crcl.set_note(absl::StrCat("cannot compute Cockcroft-Gault: no ", absl::StrJoin(missing, ", ")));
    return;
  }
  double value = (140.0 - facts_.age_years().value()) * weight_.value / (72.0 * creatinine_.value);
  if (facts_.sex() == "female") value *= 0.85;
  crcl.set_state(State::PRESENT);
  crcl.set_value(value);
  crcl.set_unit("mL/min");
  crcl.set_note("Cockcroft-Gault, actual body weight");
  v1::Evidence computed = MakeEvidence("", "", "", v1::Evidence::COMPUTED,
                                       absl::StrFormat("%.0f mL/min", value), false);
  *crcl.add_evidence() = computed;
  *crcl.add_evidence() = weight_.Evidence();
  *crcl.add_evidence() = creatinine_.Evidence();
}

void Extractor::FinishMedications() {
  // Dexamethasone: mg per cycle and per 28 days across the active orders (§0.3).
  v1::DexamethasoneDose& dex = *facts_.mutable_dexamethasone();
  for (const v1::Evidence& e : dex_evidence_) *dex.add_evidence() = e;
  SummariseDex(dex_doses_, &dex);

  if (static_cast<int>(chemotherapy_agents_.size()) >= r_.multi_agent_min_agents) {
    for (const v1::Evidence& e : chemotherapy_evidence_) {
      MarkPresent(facts_.mutable_multi_agent_chemotherapy(), e);
    }
  }
  v1::Fact& therapeutic = *facts_.mutable_therapeutic_anticoagulation();
  if (!Present(therapeutic) && unknown_intensity_anticoagulant_) {
    therapeutic.set_state(State::UNKNOWN);
    therapeutic.set_note("anticoagulant dose or frequency not recorded");
    for (const v1::Evidence& e : unknown_intensity_evidence_) *therapeutic.add_evidence() = e;
  }
  if (smoking_.set && smoker_) MarkPresent(facts_.mutable_tobacco_use(), smoking_evidence_);
}

void Extractor::Finish() {
  FinishBodySize();
  FinishRenal();
  FinishMedications();
  v1::Fact& diagnosis = *facts_.mutable_myeloma_diagnosis();
  if (Present(facts_.multiple_myeloma())) {
    if (diagnosis_) {
      diagnosis.set_state(State::PRESENT);
      diagnosis.set_time_us(absl::ToUnixMicros(*diagnosis_));
      *diagnosis.mutable_evidence() = facts_.multiple_myeloma().evidence();
    } else {
      diagnosis.set_state(State::UNKNOWN);
      diagnosis.set_note("myeloma diagnosis date not recorded");
    }
  }
  // Everything the record did not mention is ABSENT.
  const google::protobuf::Descriptor* descriptor = facts_.GetDescriptor();
  const google::protobuf::Reflection* reflection = facts_.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() || field->message_type() != v1::Fact::descriptor()) continue;
    auto* fact = static_cast<v1::Fact*>(reflection->MutableMessage(&facts_, field));
    if (fact->state() == State::STATE_UNSPECIFIED) fact->set_state(State::ABSENT);
  }
}

bool IsActiveRequest(const fhir::r4::MedicationRequest& mr, bool draft, absl::Time now) {
  using S = fhir::r4::MedicationRequestStatusCode;
  using I = fhir::r4::MedicationRequestIntentCode;
  if (mr.do_not_perform()) return false;
  const bool status_ok = mr.status() == S::ACTIVE || (draft && mr.status() == S::DRAFT);
  if (!status_ok) return false;
  if (mr.intent() == I::PROPOSAL || mr.intent() == I::OPTION) return false;
  if (EndedBefore(mr.dispense_request().validity_period(), now)) return false;
  return !DosingEnded(mr.dosage_instruction(), now);
}

bool IsActiveStatement(const fhir::r4::MedicationStatement& ms, absl::Time now) {
  using S = fhir::r4::MedicationStatementStatusCode;
  if (ms.status() != S::ACTIVE && ms.status() != S::INTENDED) return false;
  if (ms.has_effective_period() && EndedBefore(ms.effective_period(), now)) return false;
  return !DosingEnded(ms.dosage(), now);
}

template <typename Resource>
MedicationUse UseOf(const Resource& resource, const char* type,
                    const google::protobuf::RepeatedPtrField<fhir::r4::Dosage>* dosages,
                    const fhir::PatientRecord& record, bool draft) {
  MedicationUse use;
  use.type = type;
  use.id = resource.id();
  use.draft = draft;
  use.dosages = dosages;
  if constexpr (std::is_same_v<Resource, fhir::r4::MedicationRequest>) {
    use.request = &resource;
  } else {
    use.statement = &resource;
  }
  if (resource.has_medication_codeable_concept()) {
    use.concept = &resource.medication_codeable_concept();
    use.path = absl::StrCat(type, ".medicationCodeableConcept");
  } else if (resource.has_medication_reference()) {
    use.medication = record.ResolveMedication(resource.medication_reference(), resource);
    use.path = absl::StrCat(type, ".medicationReference");
  }
  return use;
}

void AddMedicationRequests(const fhir::PatientRecord& record, bool draft, absl::Time now,
                           Extractor* extractor) {
  for (const fhir::r4::MedicationRequest* mr : record.medication_requests()) {
    if (!IsActiveRequest(*mr, draft, now)) continue;
    extractor->AddMedication(
        UseOf(*mr, "MedicationRequest", &mr->dosage_instruction(), record, draft));
  }
}

// Facts a category of the record would have shown; UNKNOWN when that category is missing.
void MarkUnavailable(const DataAvailability& available, v1::ClinicalFacts* facts) {
  auto unknown = [](std::initializer_list<v1::Fact*> list, const char* why) {
    for (v1::Fact* fact : list) {
      fact->set_state(State::UNKNOWN);
      fact->set_note(why);
    }
  };
  if (!available.conditions) {
    unknown({facts->mutable_prior_vte(), facts->mutable_hip_pelvis_femur_fracture(),
             facts->mutable_cardiac_disease(), facts->mutable_chronic_kidney_disease(),
             facts->mutable_diabetes(), facts->mutable_acute_infection(),
             facts->mutable_immobility(), facts->mutable_thrombophilia(),
             facts->mutable_hyperviscosity(), facts->mutable_active_bleeding(),
             facts->mutable_hit_history(), facts->mutable_prior_arterial_event(),
             facts->mutable_hypertension(), facts->mutable_hyperlipidemia(),
             facts->mutable_multiple_myeloma(), facts->mutable_myeloma_diagnosis()},
            "conditions could not be obtained");
  }
  if (!available.procedures) {
    unknown({facts->mutable_surgery_within_90_days()}, "procedures could not be obtained");
  }
  if (!available.allergies) {
    unknown({facts->mutable_aspirin_contraindication()}, "allergies could not be obtained");
  }
  if (!available.conditions && !available.procedures) {
    unknown({facts->mutable_central_venous_catheter()},
            "conditions and procedures could not be obtained");
  }
  if (!available.observations) {
    unknown({facts->mutable_tobacco_use()}, "observations could not be obtained");
  }
  if (!available.medication_statements) {
    // Home medications are recorded as MedicationStatements; orders alone cannot rule them out.
    unknown({facts->mutable_therapeutic_anticoagulation(),
             facts->mutable_prophylactic_anticoagulation(), facts->mutable_aspirin(),
             facts->mutable_esa(), facts->mutable_estrogen()},
            "home medications (MedicationStatement) could not be obtained");
  }
}

}  // namespace

absl::StatusOr<v1::ClinicalFacts> ExtractFacts(const fhir::PatientRecord& record,
                                               const fhir::PatientRecord* drafts,
                                               const Terminology& terminology,
                                               const EngineRules& rules, absl::Time now,
                                               const DataAvailability& available) {
  if (record.patient() == nullptr) {
    return absl::InvalidArgumentError("the record has no Patient resource");
  }
  v1::ClinicalFacts facts;
  MarkUnavailable(available, &facts);
  Extractor extractor(terminology, rules, now, &facts);
  extractor.AddPatient(*record.patient());
  for (const auto* o : record.observations()) extractor.AddObservation(*o);
  for (const auto* c : record.conditions()) extractor.AddCondition(*c);
  for (const auto* p : record.procedures()) extractor.AddProcedure(*p);
  for (const auto* a : record.allergy_intolerances()) extractor.AddAllergy(*a);
  AddMedicationRequests(record, /*draft=*/false, now, &extractor);
  if (drafts != nullptr) AddMedicationRequests(*drafts, /*draft=*/true, now, &extractor);
  for (const auto* ms : record.medication_statements()) {
    if (!IsActiveStatement(*ms, now)) continue;
    extractor.AddMedication(UseOf(*ms, "MedicationStatement", &ms->dosage(), record, false));
  }
  extractor.Finish();
  if (!available.observations) {
    for (v1::Fact* measured :
         {facts.mutable_bmi(), facts.mutable_weight_kg(), facts.mutable_height_cm(),
          facts.mutable_platelets(), facts.mutable_creatinine_mg_dl(),
          facts.mutable_hemoglobin_g_dl(), facts.mutable_egfr()}) {
      if (measured->state() == State::UNKNOWN) {
        measured->set_note("observations could not be obtained");
      }
    }
  }
  return facts;
}

}  // namespace thrombo::risk
