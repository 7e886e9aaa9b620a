// Copyright 2026 The Thrombo Authors.
// Safety invariants of the clinical engine on records as real EHRs write them (docs/clinical.md
// policy v1.1 rules 14-24), over synth::RandomPopulation patients with the messy representations
// of synth::MessyRates.
//
// What the record says is taken from the GENERATOR, not from the engine's facts: the scenario says
// which platelet count is "<10", which allergy is refuted, which heparin order is a port flush,
// which record repeats a regimen. An invariant computed from the engine's own facts could not fail
// when the engine misreads the record, which is exactly the failure these tests are for.
//
// Each patient is assessed by the real engine (risk::Engine::Default().Assess) on its bundle,
// and, when it has an active IMiD order, again with that order as the draft order being signed
// (the order-select / order-sign situation). A suggestion is "one-click" when its
// verify_before_ordering is empty (rule 14); every invariant below is about one-click
// suggestions, in Recommendation.agents and .alternatives.
//
// Invariants, each its own TEST so a failure names the rule it breaks:
//   PlateletHardStop       platelets < 50 in the last 90 days with no later count >= 50 (rules 8,
//                          15): no one-click agent.
//   ActiveBleeding         an active (or < 90 days old) bleeding condition (rule 17): no one-click
//                          agent; an active peptic ulcer, bleeding or not: no one-click aspirin.
//   Allergy                a drug allergy not refuted, resolved or entered-in-error (rule 16): no
//                          one-click order of that drug or its class.
//   Hit                    HIT (condition, or an allergy reaction): no one-click heparin or LMWH.
//   RenalFunction          Cockcroft-Gault CrCl from the record < 30: no rivaroxaban or
//                          fondaparinux; < 15: no apixaban (docs/clinical.md §0 rule 10, §8).
//   DialysisOrInducer      dialysis / ESRD, or rifampin (strong CYP3A4 + P-gp inducer): no DOAC
//                          (rule 23).
//   UnreadableGatingDatum  the newest platelet count or creatinine cannot be read (comparator that
//                          does not decide, unknown unit, valueString, dataAbsentReason; rule 14):
//                          no one-click agent it gates.
//   PossiblyCurrentAnticoagulant  an anticoagulant order on hold or ended within 30 days
//                          (rule 19), or one of unknown dose (rule 18): no one-click
//                          anticoagulant.
//   FlushIsNotAnticoagulation  a heparin lock flush and no systemic anticoagulant: never
//                          ALREADY_ANTICOAGULATED, therapeutic or prophylactic anticoagulation
//                          never PRESENT (rule 18).
//   DuplicateRegimenCountsOnce  the same patient without the duplicate record gets the same
//                          IMPEDE, SAVED and IMWG points and the same action (rule 20).
//
// THROMBO_SAFETY_PATIENTS sets the number of patients (default 5,000, about a minute in CI);
// every failure names the population seed and the patient index (RandomPopulation(n, seed, now)
// patient i does not depend on n) and the patient's own scenario seed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fhir/patient_record.h"
#include "base/status_macros.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/resources.pb.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "proto/thrombo/v1/cds_hooks.pb.h"
#include "proto/thrombo/v1/service.pb.h"
#include "risk/engine.h"
#include "service/cds/hook_service.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/codes.h"
#include "service/synth/population.h"
#include "service/synth/scenario.h"

namespace thrombo {
namespace {

using synth::AllergyReaction;
using synth::AllergySpec;
using synth::AllergyVerification;
using synth::ConditionKind;
using synth::Drug;
using synth::Lab;
using synth::LabKind;
using synth::LabStatus;
using synth::LabValueForm;
using synth::MedicationOrder;
using synth::MedStatus;
using synth::Scenario;
using Action = v1::Recommendation;
using State = v1::Fact;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 12, 2, 9, 0, 0), absl::UTCTimeZone());
constexpr uint64_t kPopulationSeed = 20261202;
constexpr int kDefaultPatients = 5000;

absl::Duration Days(double n) { return absl::Hours(24 * n); }

int PatientCount() {
  const char* env = std::getenv("THROMBO_SAFETY_PATIENTS");
  int n = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &n) && n > 0) return n;
  return kDefaultPatients;
}

// ---------------------------------------------------------------------------------------------
// Agent classes, by the ingredient names the policy uses for suggestions.

const std::set<std::string>& Heparins() {  // heparin and the LMWHs (rule 16; HIT, §8)
  static const auto* const k =
      new std::set<std::string>{"heparin", "enoxaparin", "dalteparin", "tinzaparin"};
  return *k;
}
const std::set<std::string>& Doacs() {
  static const auto* const k =
      new std::set<std::string>{"apixaban", "rivaroxaban", "edoxaban", "dabigatran"};
  return *k;
}
// Agents dosed or excluded by creatinine clearance (docs/clinical.md §0 rule 10, §8 and the DOAC labels).
const std::set<std::string>& RenallyGated() {
  static const auto* const k =
      new std::set<std::string>{"enoxaparin", "dalteparin",  "tinzaparin", "fondaparinux",
                                "apixaban",   "rivaroxaban", "edoxaban",   "dabigatran"};
  return *k;
}
const std::set<std::string>& Anticoagulants() {
  static const auto* const k = [] {
    auto* all = new std::set<std::string>(Heparins());
    all->insert(Doacs().begin(), Doacs().end());
    all->insert({"warfarin", "fondaparinux"});
    return all;
  }();
  return *k;
}
const std::set<std::string>& AllAgents() {  // marker for "every agent"
  static const auto* const k = new std::set<std::string>{"*"};
  return *k;
}

// ---------------------------------------------------------------------------------------------
// The invariants, and what the generator put in the record that each one forbids.

enum class Invariant {
  kPlateletHardStop,
  kActiveBleeding,
  kAllergy,
  kHit,
  kRenalFunction,
  kDialysisOrInducer,
  kUnreadableGatingDatum,
  kPossiblyCurrentAnticoagulant,
  kFlushIsNotAnticoagulation,
  kDuplicateRegimenCountsOnce,
};

// One thing the record forbids: the agents (or "*" for all) and the record's words for why.
struct Forbidden {
  Invariant invariant;
  std::set<std::string> agents;
  std::string why;
};

bool Forbids(const Forbidden& f, const std::string& ingredient) {
  return f.agents.count("*") > 0 || f.agents.count(ingredient) > 0;
}

// A result that exists (preliminary counts; cancelled and entered-in-error do not, rule 14).
bool Exists(const Lab& lab) {
  return lab.status != LabStatus::kCancelled && lab.status != LabStatus::kEnteredInError;
}

bool Within(const Scenario& s, absl::Time t, int days) {
  return t <= s.now && s.now - t <= Days(days);
}

std::string Quote(const Lab& lab) {
  std::string what;
  switch (lab.form) {
    case LabValueForm::kQuantity:
      what = absl::StrCat(lab.comparator, lab.value, " ",
                          lab.unit.empty() ? synth::CodesFor(lab.kind).default_unit : lab.unit);
      break;
    case LabValueForm::kString:
      what = absl::StrCat("valueString \"", lab.text, "\"");
      break;
    case LabValueForm::kDataAbsent:
      what = absl::StrCat("dataAbsentReason ", lab.absent_reason);
      break;
  }
  return absl::StrCat(what, " taken ", absl::FormatTime("%Y-%m-%d", lab.taken, absl::UTCTimeZone()),
                      lab.loinc.empty() ? "" : absl::StrCat(" (LOINC ", lab.loinc, ")"));
}

// What a result says about "below `cut`": yes, no, or cannot tell (nullopt), from its value and
// comparator; nullopt too when the result has no number in a unit the kind is reported in.
std::optional<bool> Below(const Lab& lab, double cut) {
  if (lab.form != LabValueForm::kQuantity) return std::nullopt;
  const std::string unit = lab.unit.empty() ? synth::CodesFor(lab.kind).default_unit : lab.unit;
  if (!synth::IsConvertibleUnit(lab.kind, unit)) return std::nullopt;
  double v = 0;
  if (!absl::SimpleAtod(lab.value, &v)) return std::nullopt;
  if (lab.comparator.empty()) return v < cut;
  if (lab.comparator == "<") return v <= cut ? std::optional<bool>(true) : std::nullopt;
  if (lab.comparator == "<=") return v < cut ? std::optional<bool>(true) : std::nullopt;
  if (lab.comparator == ">" || lab.comparator == ">=") {
    return v >= cut ? std::optional<bool>(false) : std::nullopt;
  }
  return std::nullopt;
}

// The newest existing result of `kind` taken within `days`, or null.
const Lab* Newest(const Scenario& s, LabKind kind, int days) {
  const Lab* newest = nullptr;
  for (const Lab& lab : s.labs) {
    if (lab.kind != kind || !Exists(lab) || !Within(s, lab.taken, days)) continue;
    if (newest == nullptr || lab.taken > newest->taken) newest = &lab;
  }
  return newest;
}

bool Readable(const Lab& lab) {
  if (lab.form != LabValueForm::kQuantity || !lab.comparator.empty()) return false;
  const std::string unit = lab.unit.empty() ? synth::CodesFor(lab.kind).default_unit : lab.unit;
  return synth::IsConvertibleUnit(lab.kind, unit);
}

// Cockcroft-Gault creatinine clearance (docs/clinical.md §0 rule 10) from the newest creatinine and the
// recorded weight, or nullopt when either cannot be read.
std::optional<double> CrCl(const Scenario& s) {
  const Lab* cr = Newest(s, LabKind::kCreatinine, 3650);
  double weight = 0;
  double scr = 0;
  if (cr == nullptr || !Readable(*cr) || s.vitals.weight_kg.empty() ||
      !absl::SimpleAtod(s.vitals.weight_kg, &weight) || !absl::SimpleAtod(cr->value, &scr) ||
      scr <= 0 || !s.age_years) {
    return std::nullopt;
  }
  if (cr->unit == "umol/L") scr /= 88.4;  // 1 mg/dL = 88.4 umol/L
  const double crcl = (140 - *s.age_years) * weight / (72 * scr);
  return s.sex == synth::Sex::kFemale ? 0.85 * crcl : crcl;
}

bool ActiveCondition(const Scenario& s, ConditionKind kind, int window_days) {
  for (const synth::ConditionSpec& c : s.conditions) {
    if (c.kind != kind) continue;
    const bool active = c.status == synth::ClinicalStatus::kActive ||
                        c.status == synth::ClinicalStatus::kRecurrence ||
                        c.status == synth::ClinicalStatus::kRelapse;
    if (active || Within(s, c.onset, window_days)) return true;
  }
  return false;
}

bool IsAnticoagulantDrug(Drug d) {
  return d == Drug::kApixaban || d == Drug::kRivaroxaban || d == Drug::kWarfarin ||
         d == Drug::kEnoxaparin || d == Drug::kHeparin;
}

bool IsSystemicAnticoagulant(const MedicationOrder& m) {
  return IsAnticoagulantDrug(m.drug) && m.purpose == synth::MedPurpose::kSystemic;
}

// An allergy record that names an allergy (rule 16: not refuted, resolved or entered-in-error).
bool Counts(const AllergySpec& a) {
  return a.verification != AllergyVerification::kRefuted &&
         a.verification != AllergyVerification::kEnteredInError &&
         a.clinical != synth::AllergyClinical::kResolved;
}

std::vector<Forbidden> WhatTheRecordForbids(const Scenario& s) {
  std::vector<Forbidden> out;
  // Rules 8 and 15: a count below 50 in the last 90 days and no later count >= 50.
  for (const Lab& low : s.labs) {
    if (low.kind != LabKind::kPlatelets || !Exists(low) || !Within(s, low.taken, 90) ||
        Below(low, 50) != std::optional<bool>(true)) {
      continue;
    }
    bool recovered = false;
    for (const Lab& later : s.labs) {
      recovered |= later.kind == LabKind::kPlatelets && Exists(later) && later.taken > low.taken &&
                   Below(later, 50) == std::optional<bool>(false);
    }
    if (!recovered) {
      out.push_back({Invariant::kPlateletHardStop, AllAgents(),
                     absl::StrCat("platelets ", Quote(low), ", no later count >= 50")});
      break;
    }
  }
  // Rule 17.
  for (ConditionKind kind : {ConditionKind::kActiveBleeding,
                             ConditionKind::kGastricUlcerHaemorrhage, ConditionKind::kHaematuria}) {
    if (ActiveCondition(s, kind, 90)) {
      out.push_back({Invariant::kActiveBleeding, AllAgents(),
                     absl::StrCat("active bleeding: ", synth::CodesFor(kind, {}).icd10.code)});
    }
  }
  for (ConditionKind kind :
       {ConditionKind::kPepticUlcer, ConditionKind::kGastricUlcerHaemorrhage}) {
    if (ActiveCondition(s, kind, 90)) {
      out.push_back({Invariant::kActiveBleeding,
                     {"aspirin"},
                     absl::StrCat("active peptic ulcer ", synth::CodesFor(kind, {}).icd10.code)});
    }
  }
  // Rule 16 and §8 (HIT).
  bool hit = false;
  for (const synth::ConditionSpec& c : s.conditions) hit |= c.kind == ConditionKind::kHit;
  for (const AllergySpec& a : s.allergies) {
    const std::string name = synth::InfoFor(a.substance).name;
    static const char* const kVerification[] = {"confirmed", "unconfirmed", "refuted",
                                                "entered-in-error"};
    static const char* const kClinical[] = {"active", "inactive", "resolved"};
    const std::string status =
        absl::StrCat(name, " allergy (", kVerification[static_cast<int>(a.verification)], ", ",
                     kClinical[static_cast<int>(a.clinical)], a.text_only ? ", text only" : "",
                     a.reaction == AllergyReaction::kHit ? ", reaction HIT" : "", ")");
    if (!Counts(a)) continue;
    hit |= a.reaction == AllergyReaction::kHit;
    switch (a.substance) {
      case Drug::kHeparin:
      case Drug::kEnoxaparin:
        out.push_back({Invariant::kAllergy, Heparins(), status});
        break;
      case Drug::kAspirin:
      case Drug::kIbuprofen:
        out.push_back({Invariant::kAllergy, {"aspirin"}, status});
        break;
      default:
        out.push_back({Invariant::kAllergy, {name}, status});
        break;
    }
  }
  if (hit) out.push_back({Invariant::kHit, Heparins(), "heparin-induced thrombocytopenia"});
  // docs/clinical.md §0 rule 10 and §8; a 3% margin keeps Cockcroft-Gault rounding (age in
  // whole years, umol/L conversion) off the cut-offs.
  if (const std::optional<double> crcl = CrCl(s)) {
    if (*crcl < 30 * 0.97) {
      out.push_back({Invariant::kRenalFunction,
                     {"rivaroxaban", "fondaparinux"},
                     absl::StrCat("CrCl ", std::round(*crcl), " mL/min")});
    }
    if (*crcl < 15 * 0.97) {
      out.push_back({Invariant::kRenalFunction,
                     {"apixaban"},
                     absl::StrCat("CrCl ", std::round(*crcl), " mL/min")});
    }
  }
  double weight = 0;
  if (!s.vitals.weight_kg.empty() && absl::SimpleAtod(s.vitals.weight_kg, &weight) && weight < 50) {
    out.push_back({Invariant::kRenalFunction,
                   {"fondaparinux"},
                   absl::StrCat("weight ", s.vitals.weight_kg, " kg")});
  }
  // Rule 23.
  const bool dialysis = ActiveCondition(s, ConditionKind::kDialysis, 90) ||
                        ActiveCondition(s, ConditionKind::kEsrd, 90);
  if (dialysis) {
    out.push_back({Invariant::kDialysisOrInducer, Doacs(), "dialysis / ESRD (Z99.2, N18.6)"});
  }
  for (const MedicationOrder& m : s.medications) {
    if (m.drug == Drug::kRifampin && m.status == MedStatus::kActive) {
      out.push_back(
          {Invariant::kDialysisOrInducer, Doacs(), "rifampin (strong CYP3A4 + P-gp inducer)"});
    }
  }
  // Rule 14: the newest platelet count or creatinine is on file but cannot be read.
  if (const Lab* plt = Newest(s, LabKind::kPlatelets, 90);
      plt != nullptr && !Below(*plt, 50).has_value()) {
    out.push_back({Invariant::kUnreadableGatingDatum, AllAgents(),
                   absl::StrCat("newest platelets ", Quote(*plt))});
  }
  if (const Lab* cr = Newest(s, LabKind::kCreatinine, 3650); cr != nullptr && !Readable(*cr)) {
    // On dialysis the enoxaparin dose is the renal one whatever the creatinine says (rule 23,
    // Lovenox USPI): an unreadable creatinine then decides nothing for it.
    std::set<std::string> gated = RenallyGated();
    if (dialysis) gated.erase("enoxaparin");
    out.push_back({Invariant::kUnreadableGatingDatum, gated,
                   absl::StrCat("newest creatinine ", Quote(*cr))});
  }
  // Rules 18 and 19.
  for (const MedicationOrder& m : s.medications) {
    if (!IsSystemicAnticoagulant(m)) continue;
    if (m.status == MedStatus::kActive && !m.dosing) {
      out.push_back({Invariant::kPossiblyCurrentAnticoagulant, Anticoagulants(),
                     absl::StrCat(synth::InfoFor(m.drug).name, " of unknown dose on record")});
      continue;
    }
    const bool on_hold = m.status == MedStatus::kOnHold;
    const bool recently_ended = m.ended && Within(s, *m.ended, 30) &&
                                m.status != MedStatus::kEnteredInError &&
                                m.status != MedStatus::kCancelled;
    if (on_hold || recently_ended) {
      out.push_back({Invariant::kPossiblyCurrentAnticoagulant, Anticoagulants(),
                     absl::StrCat(synth::InfoFor(m.drug).name,
                                  on_hold ? " order on hold" : " order ended within 30 days")});
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Collecting violations per invariant.

struct Tally {
  int applicable = 0;  // assessments where the record had something this invariant checks
  int violations = 0;
  std::vector<std::string> examples;
};

class Results final {
 public:
  void Applies(Invariant i) { ++tallies_[i].applicable; }
  void Violated(Invariant i, const std::string& detail) {
    Tally& t = tallies_[i];
    if (++t.violations <= 5) t.examples.push_back(detail);
  }
  const Tally& Get(Invariant i) const {
    static const Tally kEmpty;
    auto it = tallies_.find(i);
    return it == tallies_.end() ? kEmpty : it->second;
  }
  int patients = 0;
  int assessed = 0;    // engine assessments (record alone, and with the draft order)
  int hook_calls = 0;  // order-sign hook calls answered
  std::vector<std::string> errors;

 private:
  std::map<Invariant, Tally> tallies_;
};

std::string Describe(const v1::Assessment& a) {
  const v1::Recommendation& rec = a.recommendation();
  std::vector<std::string> drugs;
  for (const auto* list : {&rec.agents(), &rec.alternatives()}) {
    for (const v1::AgentSuggestion& g : *list) {
      drugs.push_back(
          absl::StrCat(g.ingredient(), g.verify_before_ordering().empty() ? "" : " (verify)"));
    }
  }
  return absl::StrCat(Action::Action_Name(rec.action()), " [", absl::StrJoin(drugs, ", "),
                      "], IMPEDE ", a.impede_vte().points(), "/", a.impede_vte().decision_points(),
                      ", SAVED ", a.saved().points(), ", IMWG ", a.imwg2008().risk_factor_count());
}

// The one-click suggestions of `a`.
std::vector<const v1::AgentSuggestion*> OneClick(const v1::Assessment& a) {
  std::vector<const v1::AgentSuggestion*> out;
  for (const auto* list : {&a.recommendation().agents(), &a.recommendation().alternatives()}) {
    for (const v1::AgentSuggestion& g : *list) {
      if (g.verify_before_ordering().empty()) out.push_back(&g);
    }
  }
  return out;
}

void CheckSuggestions(const Scenario& s, const v1::Assessment& a, const std::string& who,
                      Results& r) {
  const std::vector<Forbidden> forbidden = WhatTheRecordForbids(s);
  std::set<Invariant> applies;
  for (const Forbidden& f : forbidden) applies.insert(f.invariant);
  for (Invariant i : applies) r.Applies(i);
  // One violation per assessment and invariant, naming every forbidden one-click suggestion.
  std::map<Invariant, std::vector<std::string>> broken;
  for (const v1::AgentSuggestion* g : OneClick(a)) {
    for (const Forbidden& f : forbidden) {
      if (Forbids(f, g->ingredient())) {
        broken[f.invariant].push_back(absl::StrCat(g->ingredient(), " despite ", f.why));
      }
    }
  }
  for (const auto& [invariant, what] : broken) {
    r.Violated(invariant, absl::StrCat(who, ": one-click ", absl::StrJoin(what, "; "),
                                       "; engine: ", Describe(a)));
  }
}

// Rule 18: a flush alone never makes the patient anticoagulated.
void CheckFlush(const Scenario& s, const v1::Assessment& a, const std::string& who, Results& r) {
  bool flush = false;
  bool systemic = false;
  for (const MedicationOrder& m : s.medications) {
    flush |= m.purpose == synth::MedPurpose::kCatheterFlush;
    systemic |= IsSystemicAnticoagulant(m);
  }
  if (!flush || systemic) return;
  r.Applies(Invariant::kFlushIsNotAnticoagulation);
  const v1::ClinicalFacts& f = a.facts();
  if (a.recommendation().action() == Action::ALREADY_ANTICOAGULATED ||
      f.therapeutic_anticoagulation().state() == State::PRESENT ||
      f.prophylactic_anticoagulation().state() == State::PRESENT) {
    r.Violated(
        Invariant::kFlushIsNotAnticoagulation,
        absl::StrCat(who, ": heparin lock flush only; therapeutic ",
                     State::State_Name(f.therapeutic_anticoagulation().state()), ", prophylactic ",
                     State::State_Name(f.prophylactic_anticoagulation().state()),
                     "; engine: ", Describe(a)));
  }
}

absl::StatusOr<v1::Assessment> Assess(const Scenario& s, const Scenario* drafts) {
  ASSIGN_OR_RETURN(const fhir::r4::Bundle bundle, synth::BuildBundle(s));
  ASSIGN_OR_RETURN(const fhir::PatientRecord record, fhir::PatientRecord::FromBundle(bundle));
  if (drafts == nullptr) return risk::Engine::Default().Assess(record, nullptr, kNow);
  ASSIGN_OR_RETURN(const fhir::r4::Bundle draft_bundle, synth::BuildBundle(*drafts));
  ASSIGN_OR_RETURN(const fhir::PatientRecord draft_record,
                   fhir::PatientRecord::FromBundle(draft_bundle));
  return risk::Engine::Default().Assess(record, &draft_record, kNow);
}

// ---------------------------------------------------------------------------------------------
// The CDS Hooks order-sign path: the EHR sends the draft IMiD order and answers the service's
// prefetch templates as an EHR would (a search returns the resources of its type that match its
// `status` and `code` parameters; resource types no template asks for are not sent), and the
// one-click orders are the "create" actions of the cards' suggestions.

// FHIR code of a resource's `status` enum (e.g. ON_HOLD -> "on-hold"); empty when it has none.
std::string StatusOf(const google::protobuf::Message& resource) {
  const google::protobuf::FieldDescriptor* field =
      resource.GetDescriptor()->FindFieldByName("status");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_ENUM) return "";
  std::string code =
      absl::AsciiStrToLower(resource.GetReflection()->GetEnum(resource, field)->name());
  std::replace(code.begin(), code.end(), '_', '-');
  return code;
}

// Whether `resource` (of the template's type) answers the search `query` ("a=b&c=d"): only the
// `status` and `code` parameters filter; the others (patient, _sort) hold for every resource here.
bool Matches(const fhir::r4::ContainedResource& entry, const google::protobuf::Message& resource,
             const std::string& query) {
  for (absl::string_view param : absl::StrSplit(query, '&')) {
    const std::vector<std::string> kv = absl::StrSplit(param, absl::MaxSplits('=', 1));
    if (kv.size() != 2) continue;
    const std::vector<std::string> values = absl::StrSplit(kv[1], ',');
    if (kv[0] == "status") {
      if (std::find(values.begin(), values.end(), StatusOf(resource)) == values.end()) return false;
    } else if (kv[0] == "code" && entry.has_observation()) {
      bool any = false;
      for (const fhir::r4::Coding& c : entry.observation().code().coding()) {
        for (const std::string& token : values) {
          any |= token == c.code() || token == absl::StrCat(c.system(), "|", c.code());
        }
      }
      if (!any) return false;
    }
  }
  return true;
}

const google::protobuf::Message* ResourceOf(const fhir::r4::ContainedResource& r) {
  const google::protobuf::OneofDescriptor* oneof = r.GetDescriptor()->FindOneofByName("resource");
  const google::protobuf::FieldDescriptor* set =
      r.GetReflection()->GetOneofFieldDescriptor(r, oneof);
  return set == nullptr ? nullptr : &r.GetReflection()->GetMessage(r, set);
}

// The order-sign request for `record` with `drafts` as draftOrders, at kNow.
absl::StatusOr<v1::EvaluateHookRequest> OrderSignRequest(const v1::CdsService& service,
                                                         const fhir::r4::Bundle& record,
                                                         const fhir::r4::Bundle& drafts,
                                                         uint64_t seed) {
  v1::EvaluateHookRequest request;
  request.set_service_id(service.id());
  request.set_hook(service.hook());
  request.set_hook_instance(synth::DeterministicUuid(seed, 1u << 20));
  const fhir::r4::Patient& patient = record.entry(0).resource().patient();
  (*request.mutable_context())["patientId"] = patient.id();
  (*request.mutable_context())["userId"] = "Practitioner/synthetic-oncologist";
  request.mutable_evaluation_time()->set_seconds(absl::ToUnixSeconds(kNow));
  for (const fhir::r4::Bundle::Entry& e : drafts.entry()) {
    if (e.resource().has_patient()) continue;
    fhir::r4::Bundle::Entry* out = request.mutable_draft_orders()->add_entry();
    *out = e;
    if (out->resource().has_medication_request()) {
      out->mutable_resource()->mutable_medication_request()->mutable_subject()->set_reference(
          absl::StrCat("Patient/", patient.id()));
    }
  }
  request.mutable_draft_orders()->set_type(fhir::r4::BundleTypeCode::COLLECTION);
  for (const auto& [key, url] : service.prefetch()) {
    const size_t cut = url.find_first_of("?/");
    const std::string type = url.substr(0, cut);
    const std::string query =
        cut != std::string::npos && url[cut] == '?' ? url.substr(cut + 1) : "";
    fhir::r4::ContainedResource& value = (*request.mutable_prefetch())[key];
    if (type == "Patient") {
      *value.mutable_patient() = patient;
      continue;
    }
    fhir::r4::Bundle* searchset = value.mutable_bundle();
    searchset->set_type(fhir::r4::BundleTypeCode::SEARCHSET);
    for (const fhir::r4::Bundle::Entry& e : record.entry()) {
      const google::protobuf::Message* resource = ResourceOf(e.resource());
      if (resource == nullptr || resource->GetDescriptor()->name() != type ||
          !Matches(e.resource(), *resource, query)) {
        continue;
      }
      fhir::r4::Bundle::Entry* out = searchset->add_entry();
      out->set_full_url(e.full_url());
      *out->mutable_resource() = e.resource();
    }
    // A bundled Medication a matching order points to comes with it (_include), as EHRs send.
    if (type == "MedicationRequest" || type == "MedicationStatement") {
      for (const fhir::r4::Bundle::Entry& e : record.entry()) {
        if (!e.resource().has_medication()) continue;
        fhir::r4::Bundle::Entry* out = searchset->add_entry();
        out->set_full_url(e.full_url());
        *out->mutable_resource() = e.resource();
      }
    }
  }
  return request;
}

// The ingredients the cards offer to order in one click ("create" actions of suggestions),
// recognised by the agent names in the ordered MedicationRequest's medication text and codings.
std::vector<std::string> CardOrders(const v1::CdsHooksResponse& response) {
  static const char* const kAgents[] = {"enoxaparin", "dalteparin",   "tinzaparin", "heparin",
                                        "apixaban",   "rivaroxaban",  "edoxaban",   "dabigatran",
                                        "warfarin",   "fondaparinux", "aspirin"};
  std::vector<std::string> out;
  for (const v1::CdsCard& card : response.cards()) {
    for (const v1::CdsSuggestion& suggestion : card.suggestions()) {
      for (const v1::CdsAction& action : suggestion.actions()) {
        if (action.type() != "create" || !action.resource().has_medication_request()) continue;
        const fhir::r4::MedicationRequest& m = action.resource().medication_request();
        std::string words = m.medication_codeable_concept().text();
        for (const fhir::r4::Coding& c : m.medication_codeable_concept().coding()) {
          absl::StrAppend(&words, " ", c.display());
        }
        absl::StrAppend(&words, " ", m.medication_reference().display());
        words = absl::AsciiStrToLower(words);
        for (const char* agent : kAgents) {
          // No agent's name contains another's, so the first one named is the one ordered.
          if (absl::StrContains(words, agent)) {
            out.push_back(agent);
            break;
          }
        }
      }
    }
  }
  return out;
}

// The invariants on the cards of the order-sign hook.
void CheckCards(const Scenario& s, const service::HookResult& result, const std::string& who,
                Results& r) {
  const std::vector<Forbidden> forbidden = WhatTheRecordForbids(s);
  std::set<Invariant> applies;
  for (const Forbidden& f : forbidden) applies.insert(f.invariant);
  for (Invariant i : applies) r.Applies(i);
  std::map<Invariant, std::vector<std::string>> broken;
  for (const std::string& ingredient : CardOrders(service::CardsToResponse(result.cards))) {
    for (const Forbidden& f : forbidden) {
      if (Forbids(f, ingredient)) {
        broken[f.invariant].push_back(absl::StrCat(ingredient, " despite ", f.why));
      }
    }
  }
  for (const auto& [invariant, what] : broken) {
    r.Violated(invariant, absl::StrCat(who, ": card offers one-click ", absl::StrJoin(what, "; "),
                                       "; engine: ", Describe(result.assessment())));
  }
}

bool IsImid(Drug d) {
  return d == Drug::kLenalidomide || d == Drug::kThalidomide || d == Drug::kPomalidomide;
}

// The patient at order-sign: its active IMiD order moved out of the record into a draft order.
// False when it has no active IMiD MedicationRequest.
bool SplitDraft(const Scenario& s, Scenario* record, Scenario* drafts) {
  *record = s;
  record->medications.clear();
  bool found = false;
  *drafts = Scenario();
  drafts->seed = s.seed ^ 0x6472616674ULL;  // ids distinct from the record's
  drafts->now = s.now;
  drafts->age_years = s.age_years;
  drafts->birth_date = s.birth_date;
  drafts->sex = s.sex;
  for (const MedicationOrder& m : s.medications) {
    if (!found && IsImid(m.drug) && m.status == MedStatus::kActive &&
        m.resource == synth::MedResource::kMedicationRequest) {
      MedicationOrder draft = m;
      draft.status = MedStatus::kDraft;
      draft.authored_on = s.now;
      drafts->medications.push_back(draft);
      found = true;
    } else {
      record->medications.push_back(m);
    }
  }
  return found;
}

// Rule 20: the scores and the action do not change when the duplicate records are removed.
void CheckDuplicates(const Scenario& s, const v1::Assessment& a, const std::string& who,
                     Results& r) {
  Scenario single = s;
  single.medications.clear();
  for (const MedicationOrder& m : s.medications) {
    if (!m.duplicate_record) single.medications.push_back(m);
  }
  if (single.medications.size() == s.medications.size()) return;
  r.Applies(Invariant::kDuplicateRegimenCountsOnce);
  const absl::StatusOr<v1::Assessment> once = Assess(single, nullptr);
  if (!once.ok()) {
    r.errors.push_back(absl::StrCat(who, " without duplicates: ", once.status().ToString()));
    return;
  }
  if (once->impede_vte().points() != a.impede_vte().points() ||
      once->impede_vte().decision_points() != a.impede_vte().decision_points() ||
      once->saved().points() != a.saved().points() ||
      once->imwg2008().risk_factor_count() != a.imwg2008().risk_factor_count() ||
      once->recommendation().action() != a.recommendation().action()) {
    std::vector<std::string> dups;
    for (const MedicationOrder& m : s.medications) {
      if (m.duplicate_record) {
        dups.push_back(absl::StrCat(synth::InfoFor(m.drug).name, " as ",
                                    m.resource == synth::MedResource::kMedicationStatement
                                        ? "MedicationStatement"
                                        : "MedicationDispense"));
      }
    }
    r.Violated(Invariant::kDuplicateRegimenCountsOnce,
               absl::StrCat(who, ": duplicate ", absl::StrJoin(dups, ", "),
                            "; with it: ", Describe(a), "; without it: ", Describe(*once)));
  }
}

// The order-sign hook over one patient split into record and draft order.
void CheckHook(const service::HookService& hooks, const v1::CdsService& order_sign,
               const Scenario& record, const Scenario& drafts, const std::string& who, Results& r) {
  const absl::StatusOr<fhir::r4::Bundle> record_bundle = synth::BuildBundle(record);
  const absl::StatusOr<fhir::r4::Bundle> draft_bundle = synth::BuildBundle(drafts);
  if (!record_bundle.ok() || !draft_bundle.ok()) {
    r.errors.push_back(absl::StrCat(who, ": bundle not built"));
    return;
  }
  const absl::StatusOr<v1::EvaluateHookRequest> request =
      OrderSignRequest(order_sign, *record_bundle, *draft_bundle, record.seed);
  const absl::StatusOr<service::HookResult> result =
      request.ok() ? hooks.Evaluate(*request)
                   : absl::StatusOr<service::HookResult>(request.status());
  if (!result.ok()) {
    r.errors.push_back(absl::StrCat(who, ": ", result.status().ToString()));
    return;
  }
  ++r.hook_calls;
  CheckCards(record, *result, who, r);
  CheckFlush(record, result->assessment(), who, r);
}

// Assesses RandomPopulation(n, kPopulationSeed, kNow, rates) and checks every invariant.
Results* RunOn(int n, const synth::MessyRates& rates) {
  {
    auto* r = new Results;
    const service::HookService hooks(risk::Engine::Default(), /*fetcher=*/nullptr,
                                     [] { return kNow; });
    const v1::CdsService* order_sign = nullptr;
    for (const v1::CdsService& service : hooks.discovery().services()) {
      if (service.hook() == "order-sign") order_sign = &service;
    }
    if (order_sign == nullptr) r->errors.push_back("discovery lists no order-sign service");
    const std::vector<Scenario> population =
        synth::RandomPopulation(n, kPopulationSeed, kNow, rates);
    for (int i = 0; i < n; ++i) {
      const Scenario& s = population[i];
      const std::string who = absl::StrCat("RandomPopulation(n, ", kPopulationSeed, ") patient ", i,
                                           " (scenario seed ", s.seed, ")");
      ++r->patients;
      const absl::StatusOr<v1::Assessment> a = Assess(s, nullptr);
      if (!a.ok()) {
        r->errors.push_back(absl::StrCat(who, ": ", a.status().ToString()));
        continue;
      }
      ++r->assessed;
      CheckSuggestions(s, *a, who, *r);
      CheckFlush(s, *a, who, *r);
      CheckDuplicates(s, *a, who, *r);
      Scenario record;
      Scenario drafts;
      if (!SplitDraft(s, &record, &drafts)) continue;
      const std::string at_sign = absl::StrCat(who, " with its IMiD as the draft order");
      const absl::StatusOr<v1::Assessment> d = Assess(record, &drafts);
      if (!d.ok()) {
        r->errors.push_back(absl::StrCat(at_sign, ": ", d.status().ToString()));
      } else {
        ++r->assessed;
        CheckSuggestions(record, *d, at_sign, *r);
        CheckFlush(record, *d, at_sign, *r);
      }
      if (order_sign != nullptr) {
        CheckHook(hooks, *order_sign, record, drafts,
                  absl::StrCat(who, " via the CDS Hooks order-sign cards"), *r);
      }
    }
    return r;
  }
}

const Results& RunPopulation() {
  static const Results* const kResults = RunOn(PatientCount(), synth::MessyRates());
  return *kResults;
}

void Expect(Invariant i, const char* rule) {
  const Results& r = RunPopulation();
  const Tally& t = r.Get(i);
  // An invariant that never applied checked nothing: the population must reach it.
  EXPECT_GT(t.applicable, 0) << rule << ": no generated patient exercised it";
  EXPECT_EQ(t.violations, 0) << rule << ": broken in " << t.violations << " of " << t.applicable
                             << " assessments or hook calls where it applies; first:\n  "
                             << absl::StrJoin(t.examples, "\n  ");
}

TEST(SafetyInvariants, EveryGeneratedRecordIsAssessed) {
  const Results& r = RunPopulation();
  EXPECT_EQ(r.patients, PatientCount());
  EXPECT_GT(r.hook_calls, PatientCount() / 2);  // about 80% of patients have an active IMiD
  std::cout << r.patients << " patients, " << r.assessed << " engine assessments, " << r.hook_calls
            << " order-sign hook calls\n";
  EXPECT_TRUE(r.errors.empty()) << r.errors.size() << " errors; first: " << r.errors.front();
}

// A control: on clean records (MessyRates::None()), which the current engine reads correctly,
// the generator's ground truth and the engine agree, so a failure above comes from a messy
// representation and not from a ground truth stricter than the rules.
TEST(SafetyInvariants, GroundTruthAgreesWithTheEngineOnCleanRecords) {
  static const Results* const kClean = RunOn(2000, synth::MessyRates::None());
  EXPECT_TRUE(kClean->errors.empty()) << kClean->errors.front();
  int applicable = 0;
  for (Invariant i :
       {Invariant::kPlateletHardStop, Invariant::kActiveBleeding, Invariant::kAllergy,
        Invariant::kHit, Invariant::kRenalFunction, Invariant::kDialysisOrInducer,
        Invariant::kUnreadableGatingDatum, Invariant::kPossiblyCurrentAnticoagulant,
        Invariant::kFlushIsNotAnticoagulation, Invariant::kDuplicateRegimenCountsOnce}) {
    const Tally& t = kClean->Get(i);
    applicable += t.applicable;
    EXPECT_EQ(t.violations, 0) << "invariant " << static_cast<int>(i) << " on clean records:\n  "
                               << absl::StrJoin(t.examples, "\n  ");
  }
  EXPECT_GT(applicable, 100);  // clean records have low platelets, HIT, renal failure, bleeding
}

TEST(SafetyInvariants, PlateletHardStop) {
  Expect(
      Invariant::kPlateletHardStop,
      "no one-click agent with platelets < 50 in 90 days and no later count >= 50 (rules 8, 15)");
}

TEST(SafetyInvariants, ActiveBleeding) {
  Expect(Invariant::kActiveBleeding,
         "no one-click agent with active bleeding, no aspirin with a peptic ulcer (rule 17)");
}

TEST(SafetyInvariants, Allergy) {
  Expect(Invariant::kAllergy,
         "no one-click order of a drug or class the patient is allergic to "
         "(rule 16)");
}

TEST(SafetyInvariants, Hit) {
  Expect(Invariant::kHit, "no one-click heparin or LMWH with HIT (docs/clinical.md §8, rule 16)");
}

TEST(SafetyInvariants, RenalFunction) {
  Expect(Invariant::kRenalFunction,
         "no rivaroxaban/fondaparinux at CrCl < 30, no apixaban < 15 (docs/clinical.md §0 rule 10, §8)");
}

TEST(SafetyInvariants, DialysisOrInducer) {
  Expect(Invariant::kDialysisOrInducer,
         "no one-click DOAC with dialysis/ESRD or a strong CYP3A4 + P-gp inducer (rule 23)");
}

TEST(SafetyInvariants, UnreadableGatingDatum) {
  Expect(Invariant::kUnreadableGatingDatum,
         "no one-click agent gated by an unreadable platelet count or creatinine (rule 14)");
}

TEST(SafetyInvariants, PossiblyCurrentAnticoagulant) {
  Expect(Invariant::kPossiblyCurrentAnticoagulant,
         "no one-click anticoagulant beside one on hold, ended within 30 days or of unknown dose "
         "(rules 18, 19)");
}

TEST(SafetyInvariants, FlushIsNotAnticoagulation) {
  Expect(Invariant::kFlushIsNotAnticoagulation,
         "a heparin lock flush alone never makes the patient anticoagulated (rule 18)");
}

TEST(SafetyInvariants, DuplicateRegimenCountsOnce) {
  Expect(Invariant::kDuplicateRegimenCountsOnce,
         "a regimen recorded twice scores as once (rule 20)");
}

}  // namespace
}  // namespace thrombo
