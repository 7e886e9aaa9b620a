// Copyright 2026 The Thrombo Authors.
#include "tests/golden/reference_cases.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "base/read_file.h"
#include "base/status_macros.h"
#include "fhir/json_parser.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "fhir/patient_record.h"
#include "proto/fhir/r4/resources.pb.h"
#include "risk/engine.h"
#include "risk/facts.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/population.h"
#include "service/synth/scenario.h"

namespace thrombo::golden {
namespace {

using synth::Scenario;

// Engine::Assess (the heap path: gRPC, the CLI), checked against Engine::AssessInto on an arena
// (the hook path): the two must give the same bytes, so the pinned references pin both.
absl::StatusOr<v1::Assessment> Assess(const fhir::PatientRecord& record,
                                      const fhir::PatientRecord* drafts,
                                      const risk::DataAvailability& available = {}) {
  const risk::Engine& engine = risk::Engine::Default();
  ASSIGN_OR_RETURN(v1::Assessment heap, engine.Assess(record, drafts, ReferenceNow(), available));
  google::protobuf::Arena arena;
  auto* on_arena = google::protobuf::Arena::CreateMessage<v1::Assessment>(&arena);
  RETURN_IF_ERROR(engine.AssessInto(record, drafts, ReferenceNow(), available, on_arena));
  if (DeterministicBytes(*on_arena) != DeterministicBytes(heap)) {
    return absl::InternalError("Engine::AssessInto on an arena differs from Engine::Assess");
  }
  return heap;
}

// Vignette n (1-8) loses category n: every DataAvailability flag is covered once.
risk::DataAvailability WithoutCategory(int n) {
  risk::DataAvailability a;
  bool* const flags[] = {&a.conditions,           &a.observations,
                         &a.procedures,           &a.allergies,
                         &a.medication_statements, &a.medication_requests,
                         &a.medication_dispenses,  &a.medication_administrations};
  *flags[(n - 1) % 8] = false;
  return a;
}

absl::StatusOr<v1::Assessment> AssessVignette(int n, bool drop_category) {
  ASSIGN_OR_RETURN(const std::string json,
                   base::ReadFile(absl::StrCat("tests/golden/vignette-", n, ".json")));
  ASSIGN_OR_RETURN(const fhir::r4::Bundle bundle, fhir::ParseAs<fhir::r4::Bundle>(json));
  ASSIGN_OR_RETURN(const fhir::PatientRecord record, fhir::PatientRecord::FromBundle(bundle, ""));
  return Assess(record, nullptr,
                drop_category ? WithoutCategory(n) : risk::DataAvailability{});
}

// Every messy representation drawn often enough that a few dozen patients meet each of them.
synth::MessyRates OftenMessy() {
  synth::MessyRates r;
  r.platelet_alternate_code = 0.3;
  r.platelet_comparator = 0.2;
  r.platelet_unreadable = 0.2;
  r.platelet_old_low = 0.2;
  r.platelet_status = 0.2;
  r.creatinine_alternate = 0.3;
  r.creatinine_unreadable = 0.2;
  r.allergy = 0.3;
  r.heparin_flush = 0.5;
  r.bleeding = 0.15;
  r.peptic_ulcer = 0.1;
  r.duplicate_regimen = 0.3;
  r.several_races = 0.15;
  r.anticoagulant_held_or_ended = 0.2;
  r.dialysis = 0.1;
  r.cyp3a4_pgp_interaction = 0.15;
  r.low_body_weight = 0.15;
  r.anticoagulant_unknown_dose = 0.1;
  return r;
}

bool IsImid(synth::Drug d) {
  return d == synth::Drug::kLenalidomide || d == synth::Drug::kThalidomide ||
         d == synth::Drug::kPomalidomide;
}

// The patient at order-sign: its first active IMiD MedicationRequest moved into the drafts.
bool SplitDraft(const Scenario& s, Scenario* record, Scenario* drafts) {
  *record = s;
  record->medications.clear();
  *drafts = Scenario();
  drafts->seed = s.seed ^ 0x6472616674ULL;  // ids distinct from the record's
  drafts->now = s.now;
  drafts->age_years = s.age_years;
  drafts->birth_date = s.birth_date;
  drafts->sex = s.sex;
  bool found = false;
  for (const synth::MedicationOrder& m : s.medications) {
    if (!found && IsImid(m.drug) && m.status == synth::MedStatus::kActive &&
        m.resource == synth::MedResource::kMedicationRequest) {
      synth::MedicationOrder draft = m;
      draft.status = synth::MedStatus::kDraft;
      draft.authored_on = s.now;
      drafts->medications.push_back(std::move(draft));
      found = true;
    } else {
      record->medications.push_back(m);
    }
  }
  return found;
}

absl::StatusOr<v1::Assessment> AssessScenario(const Scenario& s, const Scenario* drafts) {
  ASSIGN_OR_RETURN(const fhir::r4::Bundle bundle, synth::BuildBundle(s));
  ASSIGN_OR_RETURN(const fhir::PatientRecord record, fhir::PatientRecord::FromBundle(bundle));
  if (drafts == nullptr) return Assess(record, nullptr);
  ASSIGN_OR_RETURN(const fhir::r4::Bundle draft_bundle, synth::BuildBundle(*drafts));
  ASSIGN_OR_RETURN(const fhir::PatientRecord draft_record,
                   fhir::PatientRecord::FromBundle(draft_bundle));
  return Assess(record, &draft_record);
}

}  // namespace

std::string DeterministicBytes(const v1::Assessment& a) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  a.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

absl::Time ReferenceNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());
}

std::vector<ReferenceCase> VignetteCases() {
  std::vector<ReferenceCase> cases;
  for (int n = 1; n <= 8; ++n) {
    cases.push_back({absl::StrCat("vignette-", n), AssessVignette(n, false)});
  }
  for (int n = 1; n <= 8; ++n) {
    cases.push_back({absl::StrCat("vignette-", n, "-unavailable"), AssessVignette(n, true)});
  }
  return cases;
}

std::vector<ReferenceCase> PopulationCases(int n, uint64_t seed) {
  std::vector<ReferenceCase> cases;
  const std::vector<Scenario> population =
      synth::RandomPopulation(n, seed, ReferenceNow(), OftenMessy());
  for (size_t i = 0; i < population.size(); ++i) {
    const std::string name = absl::StrFormat("synth-%04d", i + 1);
    cases.push_back({name, AssessScenario(population[i], nullptr)});
    Scenario record;
    Scenario drafts;
    if (SplitDraft(population[i], &record, &drafts)) {
      cases.push_back({name + "-draft", AssessScenario(record, &drafts)});
    }
  }
  return cases;
}

}  // namespace thrombo::golden
