// Copyright 2026 The Thrombo Authors.
// Properties the clinical engine must keep for every patient, checked over synthetic myeloma
// patients: a hard stop never yields a drug, more risk never lowers a tier, a reported score sits
// inside its interval, the same input gives the same bytes, no IMiD gives no recommendation, and
// every generated record is assessed without error.
//
// Two populations, because fastbuild on 2 cores builds and indexes about 2,000 FHIR Bundles a
// second, so 100,000 real bundles would take close to a minute before any assessment:
// - End to end (properties a, c, d, e, f and b from real facts): 20,000 patients of
//   synth::RandomPopulation, 10 chunks of 2,000 (seeds kPopulationSeed + chunk), each built into
//   a Bundle, indexed by PatientRecord::FromBundle and assessed by Engine::Default().
// - Facts level (properties a, b, c and e): 100,000 ClinicalFacts drawn by this file's own seeded
//   generator, 10 chunks of 10,000, scored and recommended with the score and recommendation
//   functions under Engine::Default().rules(). The generator reaches what the population makes
//   rarely: UNKNOWN states, HIT with low platelets, doses at every band boundary.
// Each chunk is its own test so that shard_count spreads them over both cores.
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fhir/patient_record.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/engine.h"
#include "risk/facts_builder.h"
#include "risk/recommendation.h"
#include "risk/scores.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/population.h"
#include "service/synth/scenario.h"
#include "tests/testing/status_matchers.h"

namespace thrombo {
namespace {

using risk::EngineRules;
using Action = v1::Recommendation;
using State = v1::Fact;
using Tier = v1::Tier;
using F = v1::ClinicalFacts;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());

constexpr uint64_t kPopulationSeed = 20261125;
constexpr int kPopulationChunks = 10;
constexpr int kPatientsPerChunk = 2000;
constexpr uint64_t kFactsSeed = 7001;
constexpr int kFactsChunks = 10;
constexpr int kFactsPerChunk = 10000;
// Every k-th case also gets every risk term added (the others get one term drawn at random): all
// terms on every case would cost ~25 evaluations each and blow the time budget.
constexpr int kAllTermsEvery = 25;

// docs/clinical.md §0 rule 8: platelets below 50 x10^9/L within 14 days stop every drug.
constexpr double kPlateletsHardStopBelow = 50;
constexpr int kPlateletsWindowDays = 14;

const EngineRules& Rules() { return risk::Engine::Default().rules(); }

// ---------------------------------------------------------------------------------------------
// Collecting violations: one failure per property with a count and the first few cases, rather
// than thousands of lines when an engine bug breaks a property for many patients.

class Violations final {
 public:
  void Add(const std::string& property, const std::string& detail) {
    Entry& e = entries_[property];
    if (++e.count <= kExamples) e.examples.push_back(detail);
  }
  // Reports every property that was broken, as test failures.
  void Report() const {
    for (const auto& [property, e] : entries_) {
      ADD_FAILURE() << property << ": broken for " << e.count << " case(s); first:\n  "
                    << absl::StrJoin(e.examples, "\n  ");
    }
  }

 private:
  static constexpr int kExamples = 3;
  struct Entry {
    int count = 0;
    std::vector<std::string> examples;
  };
  std::map<std::string, Entry> entries_;
};

// ---------------------------------------------------------------------------------------------
// Small helpers shared by both populations.

bool Present(const v1::Fact& fact) { return fact.state() == State::PRESENT; }

// The heparins HIT forbids (docs/clinical.md §8): unfractionated heparin and the LMWHs.
bool IsHeparin(const std::string& ingredient) {
  return ingredient == "enoxaparin" || ingredient == "dalteparin" ||
         ingredient == "tinzaparin" || ingredient == "heparin" ||
         ingredient.find("heparin") != std::string::npos;
}

std::vector<std::string> Drugs(const v1::Recommendation& rec) {
  std::vector<std::string> drugs;
  for (const v1::AgentSuggestion& a : rec.agents()) drugs.push_back(a.ingredient());
  for (const v1::AgentSuggestion& a : rec.alternatives()) drugs.push_back(a.ingredient());
  return drugs;
}

std::string Describe(const v1::Assessment& a) {
  const v1::Recommendation& rec = a.recommendation();
  std::vector<std::string> stops;
  for (const v1::HardStop& s : rec.hard_stops()) stops.push_back(s.id());
  return absl::StrCat("action ", Action::Action_Name(rec.action()), ", drugs [",
                      absl::StrJoin(Drugs(rec), ","), "], hard stops [",
                      absl::StrJoin(stops, ","), "], IMPEDE ", a.impede_vte().decision_points(),
                      " [", a.impede_vte().min_points(), ",", a.impede_vte().max_points(),
                      "], SAVED ", a.saved().points(), " [", a.saved().min_points(), ",",
                      a.saved().max_points(), "], IMWG ", a.imwg2008().risk_factor_count(), " [",
                      a.imwg2008().min_count(), ",", a.imwg2008().max_count(), "]");
}

// Byte-exact serialization (deterministic mode, so equality means the same bytes a caller sees).
std::string Bytes(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

// The tier functions as the spec states them (§2, §3), computed here rather than read back from
// the engine so that a wrong tier in the engine shows up.
Tier::Value ImpedeTierOf(int points) {
  if (points >= Rules().impede.high_min) return Tier::HIGH;
  return points >= Rules().impede.intermediate_min ? Tier::INTERMEDIATE : Tier::LOW;
}
Tier::Value SavedTierOf(int points) {
  return points >= Rules().saved.high_min ? Tier::HIGH : Tier::LOW;
}

// Runs the scores and the recommendation on `facts`, as Engine::Assess does after extraction.
v1::Assessment Evaluate(const v1::ClinicalFacts& facts) {
  return risk::Engine::Default().AssessFacts(facts, kNow);
}

// ---------------------------------------------------------------------------------------------
// Properties of one assessment, whatever produced it. `who` names the case in failure messages.

// (a) A hard stop never yields a drug; HIT never yields a heparin; low platelets and active
// bleeding always withhold; and a withheld recommendation always says which stop applies.
void CheckHardStops(const v1::Assessment& a, const std::string& who, Violations& v) {
  const v1::Recommendation& rec = a.recommendation();
  const v1::ClinicalFacts& f = a.facts();
  bool forbids_all = false;
  for (const v1::HardStop& stop : rec.hard_stops()) forbids_all |= !stop.heparins_only();
  if (forbids_all) {
    if (rec.action() != Action::WITHHOLD_PHARMACOLOGIC) {
      v.Add("a: a hard stop gives WITHHOLD_PHARMACOLOGIC", absl::StrCat(who, ": ", Describe(a)));
    }
    if (rec.agents_size() + rec.alternatives_size() > 0) {
      v.Add("a: a hard stop suggests no drug", absl::StrCat(who, ": ", Describe(a)));
    }
  }
  if (rec.action() == Action::WITHHOLD_PHARMACOLOGIC && !forbids_all) {
    v.Add("a: WITHHOLD names the hard stop behind it", absl::StrCat(who, ": ", Describe(a)));
  }
  bool hit_stop = false;
  for (const v1::HardStop& stop : rec.hard_stops()) hit_stop |= stop.heparins_only();
  if (Present(f.hit_history()) || hit_stop) {
    for (const std::string& drug : Drugs(rec)) {
      if (IsHeparin(drug)) {
        v.Add("a: HIT history never yields a heparin or LMWH",
              absl::StrCat(who, ": ", drug, "; ", Describe(a)));
      }
    }
  }
  if (Present(f.imid()) && Present(f.platelets()) &&
      f.platelets().value() < kPlateletsHardStopBelow &&
      rec.action() != Action::WITHHOLD_PHARMACOLOGIC) {
    v.Add("a: platelets < 50 within the window give WITHHOLD",
          absl::StrCat(who, ": platelets ", f.platelets().value(), "; ", Describe(a)));
  }
  if (Present(f.imid()) && Present(f.active_bleeding()) &&
      rec.action() != Action::WITHHOLD_PHARMACOLOGIC) {
    v.Add("a: active bleeding gives WITHHOLD", absl::StrCat(who, ": ", Describe(a)));
  }
}

// (c) Each reported score lies inside its [min, max] interval, its tier is the tier of its
// points, and "certain" means exactly that the interval's ends fall in one tier.
void CheckIntervals(const v1::Assessment& a, const std::string& who, Violations& v) {
  const v1::ImpedeVte& impede = a.impede_vte();
  if (!(impede.min_points() <= impede.decision_points() &&
        impede.decision_points() <= impede.max_points())) {
    v.Add("c: IMPEDE min <= decision points <= max", absl::StrCat(who, ": ", Describe(a)));
  }
  if (impede.decision_tier() != ImpedeTierOf(impede.decision_points())) {
    v.Add("c: IMPEDE decision tier is the tier of the decision points",
          absl::StrCat(who, ": ", Describe(a)));
  }
  if (impede.tier_certain() !=
      (ImpedeTierOf(impede.min_points()) == ImpedeTierOf(impede.max_points()))) {
    v.Add("c: IMPEDE tier_certain iff tier(min) == tier(max)",
          absl::StrCat(who, ": certain=", impede.tier_certain(), "; ", Describe(a)));
  }

  const v1::Saved& saved = a.saved();
  if (!(saved.min_points() <= saved.points() && saved.points() <= saved.max_points())) {
    v.Add("c: SAVED min <= points <= max", absl::StrCat(who, ": ", Describe(a)));
  }
  if (saved.tier() != SavedTierOf(saved.points())) {
    v.Add("c: SAVED tier is the tier of the points", absl::StrCat(who, ": ", Describe(a)));
  }
  if (saved.tier_certain() != (SavedTierOf(saved.min_points()) == SavedTierOf(saved.max_points()))) {
    v.Add("c: SAVED tier_certain iff tier(min) == tier(max)",
          absl::StrCat(who, ": certain=", saved.tier_certain(), "; ", Describe(a)));
  }

  const v1::Imwg2008& imwg = a.imwg2008();
  if (!(imwg.min_count() <= imwg.risk_factor_count() &&
        imwg.risk_factor_count() <= imwg.max_count())) {
    v.Add("c: IMWG min <= count <= max", absl::StrCat(who, ": ", Describe(a)));
  }
  // The IMWG "tier" is the anticoagulant indication: >= 2 factors or any therapy factor. Each
  // therapy factor that is unknown could still be present: a dexamethasone dose that could not
  // be computed (>= 480 mg per 28 days?), doxorubicin, multi-agent chemotherapy.
  const int min_count = Rules().imwg.anticoagulant_min_count;
  const bool therapy = imwg.therapy_factors_size() > 0;
  const bool at_min = imwg.min_count() >= min_count || therapy;
  const F& f = a.facts();
  const bool therapy_unknown = f.dexamethasone().state() == State::UNKNOWN ||
                               f.doxorubicin().state() == State::UNKNOWN ||
                               f.multi_agent_chemotherapy().state() == State::UNKNOWN;
  const bool at_max = imwg.max_count() >= min_count || therapy || therapy_unknown;
  if (imwg.anticoagulant_indicated() != (imwg.risk_factor_count() >= min_count || therapy)) {
    v.Add("c: IMWG indication is count >= 2 or a therapy factor",
          absl::StrCat(who, ": ", Describe(a)));
  }
  if (imwg.certain() != (at_min == at_max)) {
    v.Add("c: IMWG certain iff indication(min) == indication(max)",
          absl::StrCat(who, ": certain=", imwg.certain(), "; ", Describe(a)));
  }
}

// (e) No IMiD: no recommendation and no drug. An IMiD: always some recommendation.
void CheckImidScope(const v1::Assessment& a, const std::string& who, Violations& v) {
  const v1::Recommendation& rec = a.recommendation();
  if (!Present(a.facts().imid())) {
    if (rec.action() != Action::NO_RECOMMENDATION) {
      v.Add("e: no IMiD gives NO_RECOMMENDATION", absl::StrCat(who, ": ", Describe(a)));
    }
    if (rec.agents_size() + rec.alternatives_size() > 0) {
      v.Add("e: no IMiD suggests no drug", absl::StrCat(who, ": ", Describe(a)));
    }
  } else if (rec.action() == Action::NO_RECOMMENDATION ||
             rec.action() == Action::ACTION_UNSPECIFIED) {
    v.Add("e: an IMiD always gets a recommendation", absl::StrCat(who, ": ", Describe(a)));
  }
}

// ---------------------------------------------------------------------------------------------
// (b) Adding a risk factor never lowers a tier. Each term is a named edit of the facts that makes
// the patient's risk no lower by any model (one more factor present, or a higher dose).

class Rng final {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // From the raw 64-bit output, not std:: distributions, so a failing case reproduces on any
  // standard library.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  int Int(int lo, int hi) { return lo + static_cast<int>(Uniform() * (hi - lo + 1)); }
  bool Chance(double p) { return Uniform() < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Uniform() * items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

void SetDex(v1::DexamethasoneDose* dex, double mg_per_28_days, int cycle_days) {
  dex->set_state(State::PRESENT);
  dex->set_mg_per_28_days(mg_per_28_days);
  dex->set_cycle_days(cycle_days);
  dex->set_mg_per_cycle(cycle_days > 0 ? mg_per_28_days * cycle_days / 28.0 : 0);
}

struct RiskTerm {
  std::string name;
  std::function<void(F*, Rng&)> add;
};

std::function<void(F*, Rng&)> Mark(v1::Fact* (F::*field)()) {
  return [field](F* f, Rng&) { (f->*field)()->set_state(State::PRESENT); };
}

const std::vector<RiskTerm>& RiskTerms() {
  static const auto* const kTerms = new std::vector<RiskTerm>{
      {"IMiD", Mark(&F::mutable_imid)},
      {"BMI raised to >= 25 (IMPEDE)",
       [](F* f, Rng& rng) {
         const double old = Present(f->bmi()) ? f->bmi().value() : 0;
         f->mutable_bmi()->set_state(State::PRESENT);
         f->mutable_bmi()->set_value(std::max(old, rng.Uniform(25, 30)));
       }},
      {"BMI raised to > 30 (IMWG obesity)",
       [](F* f, Rng& rng) {
         const double old = Present(f->bmi()) ? f->bmi().value() : 0;
         f->mutable_bmi()->set_state(State::PRESENT);
         f->mutable_bmi()->set_value(std::max(old, rng.Uniform(30.1, 45)));
       }},
      {"age raised to >= 80",
       [](F* f, Rng& rng) {
         const double old = Present(f->age_years()) ? f->age_years().value() : 0;
         f->mutable_age_years()->set_state(State::PRESENT);
         f->mutable_age_years()->set_value(std::max(old, rng.Uniform(80, 95)));
       }},
      {"dexamethasone at a higher dose",
       [](F* f, Rng& rng) {
         v1::DexamethasoneDose* dex = f->mutable_dexamethasone();
         if (dex->state() == State::PRESENT && dex->mg_per_28_days() > 0) {
           // Same schedule, more mg: scale both totals.
           const double k = rng.Uniform(1.05, 4);
           dex->set_mg_per_28_days(dex->mg_per_28_days() * k);
           dex->set_mg_per_cycle(dex->mg_per_cycle() * k);
         } else if (dex->state() == State::UNKNOWN) {
           // An unknown dose may be anything: only the top band is surely not lower.
           SetDex(dex, rng.Uniform(480, 960), 28);
         } else {
           SetDex(dex, rng.Uniform(20, 700), rng.Chance(0.5) ? 28 : 21);
         }
       }},
      {"ESA", Mark(&F::mutable_esa)},
      {"doxorubicin", Mark(&F::mutable_doxorubicin)},
      {"prior VTE", Mark(&F::mutable_prior_vte)},
      {"hip/pelvis/femur fracture", Mark(&F::mutable_hip_pelvis_femur_fracture)},
      {"central venous catheter", Mark(&F::mutable_central_venous_catheter)},
      {"surgery within 90 days", Mark(&F::mutable_surgery_within_90_days)},
      {"IMWG cardiac disease", Mark(&F::mutable_cardiac_disease)},
      {"IMWG chronic kidney disease", Mark(&F::mutable_chronic_kidney_disease)},
      {"IMWG diabetes", Mark(&F::mutable_diabetes)},
      {"IMWG acute infection", Mark(&F::mutable_acute_infection)},
      {"IMWG immobility", Mark(&F::mutable_immobility)},
      {"IMWG thrombophilia", Mark(&F::mutable_thrombophilia)},
      {"IMWG hyperviscosity", Mark(&F::mutable_hyperviscosity)},
      {"IMWG estrogen", Mark(&F::mutable_estrogen)},
      {"IMWG multi-agent chemotherapy", Mark(&F::mutable_multi_agent_chemotherapy)},
      {"IMWG myeloma diagnosed within 6 months",
       [](F* f, Rng& rng) {
         f->mutable_multiple_myeloma()->set_state(State::PRESENT);
         v1::Fact* dx = f->mutable_myeloma_diagnosis();
         dx->set_state(State::PRESENT);
         dx->set_time_us(absl::ToUnixMicros(kNow - absl::Hours(24 * rng.Int(1, 180))));
       }},
  };
  return *kTerms;
}

// Compares `before` with the same patient plus `term`.
void CheckMonotone(const v1::Assessment& before, const RiskTerm& term, Rng& rng,
                   const std::string& who, Violations& v) {
  F facts = before.facts();
  term.add(&facts, rng);
  const v1::Assessment after = Evaluate(facts);
  const std::string detail =
      absl::StrCat(who, " + ", term.name, ": before ", Describe(before), " / after ",
                   Describe(after));
  if (after.impede_vte().decision_tier() < before.impede_vte().decision_tier()) {
    v.Add("b: a risk factor never lowers the IMPEDE decision tier", detail);
  }
  if (after.saved().tier() < before.saved().tier()) {
    v.Add("b: a risk factor never lowers the SAVED tier", detail);
  }
  if (before.imwg2008().anticoagulant_indicated() && !after.imwg2008().anticoagulant_indicated()) {
    v.Add("b: a risk factor never withdraws the IMWG anticoagulant indication", detail);
  }
  // The edits touch no hard-stop or anticoagulation fact, so an anticoagulant stays one.
  if (before.recommendation().action() == Action::ANTICOAGULANT &&
      after.recommendation().action() != Action::ANTICOAGULANT) {
    v.Add("b: a risk factor never moves ANTICOAGULANT to another action", detail);
  }
}

void CheckMonotoneTerms(const v1::Assessment& before, bool all_terms, Rng& rng,
                        const std::string& who, Violations& v) {
  if (all_terms) {
    for (const RiskTerm& term : RiskTerms()) CheckMonotone(before, term, rng, who, v);
  } else {
    CheckMonotone(before, rng.Pick(RiskTerms()), rng, who, v);
  }
}

// ---------------------------------------------------------------------------------------------
// Random ClinicalFacts, and completions of their unknowns.

// A boolean fact: PRESENT with probability `p`, UNKNOWN 5% of the time, else ABSENT.
void Draw(v1::Fact* fact, double p, Rng& rng) {
  const double u = rng.Uniform();
  fact->set_state(u < p ? State::PRESENT : u < p + 0.05 ? State::UNKNOWN : State::ABSENT);
}

void Measure(v1::Fact* fact, double value) {
  fact->set_state(State::PRESENT);
  fact->set_value(value);
}

// Doses where the bands change (§0.3) come up often, so boundaries are exercised exactly.
const std::vector<double>& DexDoses() {
  static const auto* const kDoses =
      new std::vector<double>{40, 80, 119.9, 120, 159.9, 160, 160.1, 213.3, 320, 479.9, 480, 640};
  return *kDoses;
}

F RandomFacts(Rng& rng) {
  risk::FactsBuilder b;
  if (rng.Chance(0.9)) b.Age(rng.Uniform(35, 95));
  b.Sex(rng.Chance(0.5) ? "male" : "female");
  static const std::vector<std::string> kRaces = {"",       "2106-3", "2054-5",
                                                  "2028-9", "2076-8", "1002-5"};
  b.Race(rng.Pick(kRaces));
  if (rng.Chance(0.85)) b.Bmi(rng.Chance(0.2) ? rng.Pick(std::vector<double>{25, 30, 30.01})
                                              : rng.Uniform(16, 45));
  F f = b.facts();

  const double imid = rng.Uniform();
  f.mutable_imid()->set_state(imid < 0.85   ? State::PRESENT
                              : imid < 0.95 ? State::ABSENT
                                            : State::UNKNOWN);
  const double dex = rng.Uniform();
  if (dex < 0.6) {
    const double mg = rng.Chance(0.6) ? rng.Pick(DexDoses()) : rng.Uniform(1, 800);
    SetDex(f.mutable_dexamethasone(), mg, rng.Pick(std::vector<int>{0, 21, 28}));
  } else if (dex < 0.7) {
    f.mutable_dexamethasone()->set_state(State::UNKNOWN);
    // Half the unknown doses are known per cycle only (the cycle length was not found).
    if (rng.Chance(0.5)) f.mutable_dexamethasone()->set_mg_per_cycle(rng.Pick(DexDoses()));
  }

  for (v1::Fact* (F::*field)() :
       {&F::mutable_esa, &F::mutable_estrogen, &F::mutable_doxorubicin,
        &F::mutable_multi_agent_chemotherapy, &F::mutable_prior_vte,
        &F::mutable_hip_pelvis_femur_fracture, &F::mutable_surgery_within_90_days,
        &F::mutable_central_venous_catheter, &F::mutable_cardiac_disease,
        &F::mutable_chronic_kidney_disease, &F::mutable_diabetes, &F::mutable_acute_infection,
        &F::mutable_immobility, &F::mutable_thrombophilia, &F::mutable_hyperviscosity,
        &F::mutable_prior_arterial_event, &F::mutable_hypertension, &F::mutable_hyperlipidemia,
        &F::mutable_tobacco_use}) {
    Draw((f.*field)(), 0.12, rng);
  }
  Draw(f.mutable_active_bleeding(), 0.04, rng);
  Draw(f.mutable_hit_history(), 0.08, rng);
  Draw(f.mutable_aspirin_contraindication(), 0.05, rng);
  Draw(f.mutable_aspirin(), 0.15, rng);
  Draw(f.mutable_prophylactic_anticoagulation(), 0.05, rng);
  // Therapeutic anticoagulation UNKNOWN means "an anticoagulant of unknown intensity".
  Draw(f.mutable_therapeutic_anticoagulation(), 0.08, rng);

  const double dx = rng.Uniform();
  if (dx < 0.85) {
    f.mutable_multiple_myeloma()->set_state(State::PRESENT);
    f.mutable_myeloma_diagnosis()->set_state(State::PRESENT);
    f.mutable_myeloma_diagnosis()->set_time_us(
        absl::ToUnixMicros(kNow - absl::Hours(24 * rng.Int(0, 3000))));
  } else if (dx < 0.93) {
    f.mutable_myeloma_diagnosis()->set_state(State::UNKNOWN);
  }
  if (rng.Chance(0.85)) {
    Measure(f.mutable_platelets(),
            rng.Chance(0.15) ? rng.Uniform(5, 60) : rng.Uniform(40, 450));
  }
  if (rng.Chance(0.85)) Measure(f.mutable_creatinine_clearance(), rng.Uniform(8, 140));
  if (rng.Chance(0.5)) Measure(f.mutable_egfr(), rng.Uniform(8, 120));
  if (rng.Chance(0.8)) Measure(f.mutable_hemoglobin_g_dl(), rng.Uniform(6, 16));
  return f;
}

// One way the missing data could turn out: every UNKNOWN fact a score reads resolved at random
// (a boolean to PRESENT or ABSENT, a measurement to a value, an unknown dose to some dose).
F Complete(const F& facts, Rng& rng) {
  F f = facts;
  const google::protobuf::Descriptor* d = f.GetDescriptor();
  const google::protobuf::Reflection* r = f.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = d->field(i);
    if (field->is_repeated() || field->message_type() != v1::Fact::descriptor()) continue;
    auto* fact = static_cast<v1::Fact*>(r->MutableMessage(&f, field));
    if (fact->state() != State::UNKNOWN) continue;
    if (fact == f.mutable_therapeutic_anticoagulation()) continue;  // not in any decision score
    // A measurement resolved here reads as 0 (e.g. platelets): harmless, since only the scores
    // are compared, and the ones the scores read get real values below.
    fact->set_state(rng.Chance(0.5) ? State::PRESENT : State::ABSENT);
  }
  // Measurements and dates need values, not just a state.
  if (!Present(facts.age_years())) Measure(f.mutable_age_years(), rng.Uniform(35, 95));
  if (!Present(facts.bmi())) Measure(f.mutable_bmi(), rng.Uniform(16, 45));
  if (facts.myeloma_diagnosis().state() == State::UNKNOWN) {
    Measure(f.mutable_myeloma_diagnosis(), 0);
    f.mutable_myeloma_diagnosis()->set_time_us(
        absl::ToUnixMicros(kNow - absl::Hours(24 * rng.Int(0, 3000))));
  }
  const v1::DexamethasoneDose& dex = facts.dexamethasone();
  if (dex.state() == State::UNKNOWN) {
    if (dex.mg_per_cycle() > 0) {
      // Known per cycle: only the cycle length was missing.
      const int cycle = rng.Chance(0.5) ? 21 : 28;
      SetDex(f.mutable_dexamethasone(), dex.mg_per_cycle() * 28.0 / cycle, cycle);
    } else {
      SetDex(f.mutable_dexamethasone(), rng.Chance(0.5) ? rng.Pick(DexDoses())
                                                        : rng.Uniform(1, 800),
             rng.Pick(std::vector<int>{0, 21, 28}));
    }
  }
  return f;
}

// (c) The interval covers every way the unknowns could turn out, and "certain" holds up.
void CheckCompletion(const v1::Assessment& a, Rng& rng, const std::string& who, Violations& v) {
  const v1::Assessment c = Evaluate(Complete(a.facts(), rng));
  const std::string detail =
      absl::StrCat(who, ": reported ", Describe(a), " / completed ", Describe(c));
  const v1::ImpedeVte& i = a.impede_vte();
  if (c.impede_vte().decision_points() < i.min_points() ||
      c.impede_vte().decision_points() > i.max_points()) {
    v.Add("c: the IMPEDE interval covers the completed data", detail);
  }
  if (i.tier_certain() && c.impede_vte().decision_tier() != i.decision_tier()) {
    v.Add("c: a certain IMPEDE tier survives the completed data", detail);
  }
  const v1::Saved& s = a.saved();
  if (c.saved().points() < s.min_points() || c.saved().points() > s.max_points()) {
    v.Add("c: the SAVED interval covers the completed data", detail);
  }
  if (s.tier_certain() && c.saved().tier() != s.tier()) {
    v.Add("c: a certain SAVED tier survives the completed data", detail);
  }
  const v1::Imwg2008& w = a.imwg2008();
  if (c.imwg2008().risk_factor_count() < w.min_count() ||
      c.imwg2008().risk_factor_count() > w.max_count()) {
    v.Add("c: the IMWG interval covers the completed data", detail);
  }
  if (w.certain() && c.imwg2008().anticoagulant_indicated() != w.anticoagulant_indicated()) {
    v.Add("c: a certain IMWG indication survives the completed data", detail);
  }
}

class RandomFactsTest : public ::testing::TestWithParam<int> {};

TEST_P(RandomFactsTest, PropertiesHold) {
  const int chunk = GetParam();
  Rng rng(kFactsSeed + chunk);
  Violations v;
  std::map<std::string, int> seen;  // so a property that never fires is noticed
  for (int i = 0; i < kFactsPerChunk; ++i) {
    const F facts = RandomFacts(rng);
    const std::string who = absl::StrCat("facts chunk ", chunk, " #", i);
    const v1::Assessment a = Evaluate(facts);
    CheckHardStops(a, who, v);
    CheckIntervals(a, who, v);
    CheckImidScope(a, who, v);
    CheckCompletion(a, rng, who, v);
    CheckMonotoneTerms(a, i % kAllTermsEvery == 0, rng, who, v);
    ++seen[Action::Action_Name(a.recommendation().action())];
    if (Present(facts.hit_history()) && a.recommendation().action() == Action::ANTICOAGULANT) {
      ++seen["HIT with an anticoagulant"];
    }
  }
  v.Report();
  // The draws must reach every action, or some property above was checked on nothing.
  for (const char* what : {"NO_RECOMMENDATION", "ASPIRIN", "ANTICOAGULANT",
                           "WITHHOLD_PHARMACOLOGIC", "ALREADY_ANTICOAGULATED",
                           "HIT with an anticoagulant"}) {
    EXPECT_GT(seen[what], 0) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(HundredThousandFacts, RandomFactsTest,
                         ::testing::Range(0, kFactsChunks));

// ---------------------------------------------------------------------------------------------
// End to end over RandomPopulation bundles.

bool IsImid(synth::Drug drug) {
  return drug == synth::Drug::kLenalidomide || drug == synth::Drug::kThalidomide ||
         drug == synth::Drug::kPomalidomide;
}

bool HasActiveImid(const synth::Scenario& s) {
  for (const synth::MedicationOrder& m : s.medications) {
    if (IsImid(m.drug) && m.status == synth::MedStatus::kActive) return true;
  }
  return false;
}

bool HasCondition(const synth::Scenario& s, synth::ConditionKind kind) {
  for (const synth::ConditionSpec& c : s.conditions) {
    if (c.kind == kind) return true;
  }
  return false;
}

// The latest platelet count taken within the hard-stop window, read from the scenario itself
// (10*3/uL and 10*9/L are numerically equal), so the expectation does not trust fact extraction.
std::optional<double> LatestPlatelets(const synth::Scenario& s) {
  std::optional<absl::Time> when;
  std::optional<double> value;
  for (const synth::Lab& lab : s.labs) {
    if (lab.kind != synth::LabKind::kPlatelets) continue;
    if (s.now - lab.taken > absl::Hours(24 * kPlateletsWindowDays) || lab.taken > s.now) continue;
    double v = 0;
    if (!absl::SimpleAtod(lab.value, &v)) continue;
    if (!when || lab.taken > *when) {
      when = lab.taken;
      value = v;
    }
  }
  return value;
}

// Properties that need the scenario the bundle came from: what a clinician reading the chart
// would expect, checked against what the engine concluded.
void CheckAgainstScenario(const synth::Scenario& s, const v1::Assessment& a,
                          const std::string& who, Violations& v) {
  const v1::Recommendation& rec = a.recommendation();
  const bool imid = HasActiveImid(s);
  if (!imid && (rec.action() != Action::NO_RECOMMENDATION ||
                rec.agents_size() + rec.alternatives_size() > 0)) {
    v.Add("e: a chart without an active IMiD gets NO_RECOMMENDATION and no drug",
          absl::StrCat(who, ": ", Describe(a)));
  }
  if (imid && !Present(a.facts().imid())) {
    v.Add("e: an active IMiD order is recognised, however it is coded",
          absl::StrCat(who, ": imid ", State::State_Name(a.facts().imid().state()), "; ",
                       Describe(a)));
  }
  const std::optional<double> platelets = LatestPlatelets(s);
  if (platelets && (!Present(a.facts().platelets()) ||
                    std::abs(a.facts().platelets().value() - *platelets) > 1e-9)) {
    v.Add("a: the latest platelet count within 14 days is the one the engine reads",
          absl::StrCat(who, ": chart ", *platelets, ", engine ",
                       State::State_Name(a.facts().platelets().state()), " ",
                       a.facts().platelets().value()));
  }
  if (imid && platelets && *platelets < kPlateletsHardStopBelow &&
      rec.action() != Action::WITHHOLD_PHARMACOLOGIC) {
    v.Add("a: a chart with platelets < 50 within 14 days gets WITHHOLD",
          absl::StrCat(who, ": platelets ", *platelets, "; ", Describe(a)));
  }
  if (imid && HasCondition(s, synth::ConditionKind::kActiveBleeding) &&
      rec.action() != Action::WITHHOLD_PHARMACOLOGIC) {
    v.Add("a: a chart with active bleeding gets WITHHOLD", absl::StrCat(who, ": ", Describe(a)));
  }
  if (HasCondition(s, synth::ConditionKind::kHit)) {
    for (const std::string& drug : Drugs(rec)) {
      if (IsHeparin(drug)) {
        v.Add("a: a chart with HIT never gets a heparin or LMWH",
              absl::StrCat(who, ": ", drug, "; ", Describe(a)));
      }
    }
  }
}

class PopulationTest : public ::testing::TestWithParam<int> {};

TEST_P(PopulationTest, PropertiesHold) {
  const int chunk = GetParam();
  const uint64_t seed = kPopulationSeed + chunk;
  // Clean records (no messy representations): these properties compare the engine with the chart
  // as a clean reader sees it (e.g. "the latest platelet count is the one the engine reads");
  // records with comparators, unreadable results, allergies, flushes and duplicates have their
  // own invariants in safety_invariants_test.cc, computed from the generator's ground truth.
  const std::vector<synth::Scenario> population =
      synth::RandomPopulation(kPatientsPerChunk, seed, kNow, synth::MessyRates::None());
  ASSERT_EQ(population.size(), kPatientsPerChunk);
  const risk::Engine& engine = risk::Engine::Default();
  Rng rng(seed);
  Violations v;
  std::map<std::string, int> seen;
  for (int i = 0; i < kPatientsPerChunk; ++i) {
    const synth::Scenario& s = population[i];
    const std::string who = absl::StrCat("population seed ", seed, " patient ", i);
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle bundle, synth::BuildBundle(s));
    ASSERT_OK_AND_ASSIGN(const fhir::PatientRecord record,
                         fhir::PatientRecord::FromBundle(bundle));

    // (f) Every generated chart is assessed without error.
    const absl::StatusOr<v1::Assessment> first = engine.Assess(record, nullptr, kNow);
    if (!first.ok()) {
      v.Add("f: every generated bundle is assessed OK",
            absl::StrCat(who, ": ", first.status().ToString()));
      continue;
    }
    const v1::Assessment& a = *first;

    // (d) Same input, same bytes: the same record again, and the same bundle indexed afresh.
    const absl::StatusOr<v1::Assessment> second = engine.Assess(record, nullptr, kNow);
    if (!second.ok() || Bytes(*second) != Bytes(a)) {
      v.Add("d: assessing the same record twice gives the same bytes", who);
    }
    if (i % kAllTermsEvery == 0) {
      const absl::StatusOr<fhir::PatientRecord> again = fhir::PatientRecord::FromBundle(bundle);
      const absl::StatusOr<v1::Assessment> third =
          again.ok() ? engine.Assess(*again, nullptr, kNow)
                     : absl::StatusOr<v1::Assessment>(again.status());
      if (!third.ok() || Bytes(*third) != Bytes(a)) {
        v.Add("d: re-indexing the same bundle gives the same bytes", who);
      }
    }

    CheckHardStops(a, who, v);
    CheckIntervals(a, who, v);
    CheckImidScope(a, who, v);
    CheckAgainstScenario(s, a, who, v);
    // (b) from real facts: the scores and recommendation re-run on the extracted facts must
    // agree with the engine before any term is added, or the comparison would mean nothing.
    const v1::Assessment rescored = Evaluate(a.facts());
    if (Bytes(rescored.recommendation()) != Bytes(a.recommendation()) ||
        Bytes(rescored.impede_vte()) != Bytes(a.impede_vte())) {
      v.Add("b: the scores on the extracted facts reproduce the engine's", who);
    } else {
      CheckMonotoneTerms(a, i % kAllTermsEvery == 0, rng, who, v);
    }
    ++seen[Action::Action_Name(a.recommendation().action())];
  }
  v.Report();
  for (const char* what : {"NO_RECOMMENDATION", "ASPIRIN", "ANTICOAGULANT",
                           "WITHHOLD_PHARMACOLOGIC", "ALREADY_ANTICOAGULATED"}) {
    EXPECT_GT(seen[what], 0) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(TwentyThousandPatients, PopulationTest,
                         ::testing::Range(0, kPopulationChunks));

// (d) RandomPopulation is a pure function of (n, seed, now): the same seed gives the same bundles
// byte for byte, and patient i does not depend on n.
TEST(PopulationDeterminism, SameSeedGivesIdenticalBundles) {
  // Default (messy) rates, so the messy draws are covered by the determinism check too.
  const std::vector<synth::Scenario> a = synth::RandomPopulation(500, kPopulationSeed, kNow);
  const std::vector<synth::Scenario> b = synth::RandomPopulation(500, kPopulationSeed, kNow);
  const std::vector<synth::Scenario> shorter =
      synth::RandomPopulation(100, kPopulationSeed, kNow);
  const std::vector<synth::Scenario> other =
      synth::RandomPopulation(500, kPopulationSeed + 1, kNow);
  ASSERT_EQ(a.size(), 500u);
  ASSERT_EQ(b.size(), 500u);
  int differs_from_other = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle first, synth::BuildBundle(a[i]));
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle second, synth::BuildBundle(b[i]));
    EXPECT_EQ(Bytes(first), Bytes(second)) << "patient " << i;
    if (i < shorter.size()) {
      ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle prefix, synth::BuildBundle(shorter[i]));
      EXPECT_EQ(Bytes(first), Bytes(prefix)) << "patient " << i << " depends on n";
    }
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle different, synth::BuildBundle(other[i]));
    differs_from_other += Bytes(first) != Bytes(different);
  }
  // A generator that ignored its seed would pass the checks above.
  EXPECT_EQ(differs_from_other, 500);
}

// ---------------------------------------------------------------------------------------------
// Minimal witnesses of properties found broken, so the engine owner has one patient to debug.

// (c) risk/scores.cc ScoreImwg2008 treats only an unknown dexamethasone dose as a possible
// therapy factor. An UNKNOWN doxorubicin or multi-agent chemotherapy (e.g. medications that could
// not be read) is ignored: `certain` stays true and nothing in missing_data or the
// recommendation's confidence notes says that the missing item would call for an anticoagulant.
TEST(MinimalWitness, UnknownTherapyFactorMakesImwgUncertain) {
  for (v1::Fact* (F::*field)() : {&F::mutable_doxorubicin, &F::mutable_multi_agent_chemotherapy}) {
    // Asian race keeps IMPEDE at 4 - 3 = 1, so only the IMWG therapy factor could decide.
    const F unknown =
        risk::FactsBuilder().Imid().Age(70).Bmi(24).Race("2028-9").SetUnknown(field).facts();
    F present = unknown;
    (present.*field)()->set_state(State::PRESENT);
    const v1::Assessment a = Evaluate(unknown);
    const v1::Assessment if_present = Evaluate(present);
    ASSERT_EQ(a.recommendation().action(), Action::ASPIRIN) << Describe(a);
    ASSERT_EQ(if_present.recommendation().action(), Action::ANTICOAGULANT) << Describe(if_present);
    SCOPED_TRACE(field == &F::mutable_doxorubicin ? "doxorubicin unknown"
                                                   : "multi-agent chemotherapy unknown");
    EXPECT_FALSE(a.imwg2008().certain());
    EXPECT_THAT(a.imwg2008().missing_data(), ::testing::Not(::testing::IsEmpty()));
    EXPECT_THAT(a.recommendation().confidence_notes(), ::testing::Not(::testing::IsEmpty()));
  }
}

// risk/facts.h promises that a category that could not be fetched makes the facts it would have
// shown UNKNOWN, never ABSENT; risk/facts.cc MarkUnavailable has no branch for
// DataAvailability::medication_statements (service/cds/hook_service.cc sets it when the
// MedicationStatement prefetch is missing), so home medications read as "not taken".
TEST(MinimalWitness, UnfetchedMedicationStatementsAreUnknownNotAbsent) {
  synth::Scenario s;
  s.seed = 11;
  s.now = kNow;
  s.age_years = 70;
  s.vitals = {"70", "170", "24.2", kNow - absl::Hours(24 * 3)};
  synth::ConditionSpec mm;
  mm.onset = kNow - absl::Hours(24 * 60);
  s.conditions.push_back(mm);
  synth::MedicationOrder len;
  len.strength = "25";
  len.authored_on = kNow - absl::Hours(24 * 2);
  len.dosing = synth::DailyForDaysDosing("25", 21, 28);
  s.medications.push_back(len);
  ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle bundle, synth::BuildBundle(s));
  ASSERT_OK_AND_ASSIGN(const fhir::PatientRecord record, fhir::PatientRecord::FromBundle(bundle));
  risk::DataAvailability available;
  available.medication_statements = false;
  ASSERT_OK_AND_ASSIGN(const v1::Assessment a,
                       risk::Engine::Default().Assess(record, nullptr, kNow, available));
  ASSERT_TRUE(Present(a.facts().imid()));  // from the MedicationRequest, which was fetched
  // Anticoagulants, aspirin, ESAs and estrogens are often recorded only as home medications.
  for (const v1::Fact* fact :
       {&a.facts().therapeutic_anticoagulation(), &a.facts().prophylactic_anticoagulation(),
        &a.facts().aspirin(), &a.facts().esa(), &a.facts().estrogen()}) {
    EXPECT_NE(fact->state(), State::ABSENT) << fact->DebugString();
  }
}

}  // namespace
}  // namespace thrombo
