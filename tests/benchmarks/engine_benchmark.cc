// Copyright 2026 The Thrombo Authors.
// Clinical engine latency for one typical ~60-resource patient record: Engine::Assess alone (on
// the heap, and AssessInto on a per-call arena as the hook path does), its two halves (fact
// extraction; scores + recommendation, also on an arena), record indexing + Assess, and the whole
// FHIR JSON -> Assessment path. The record comes from a synth::Scenario built once, outside the
// timed loops. For instruction counts see main (--calls=N [--arena | --terms]).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "fhir/json_parser.h"
#include "fhir/projection_reader.h"
#include "fhir/json_printer.h"
#include "fhir/patient_record.h"
#include "proto/fhir/r4/resources.pb.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "risk/engine.h"
#include "risk/facts.h"
#include "risk/recommendation.h"
#include "risk/score_tally.h"
#include "risk/scores.h"
#include "service/cds/hook_service.h"
#include "service/grpc/grpc_service.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/scenario.h"

namespace {

using thrombo::fhir::PatientRecord;
using thrombo::risk::Engine;
using thrombo::service::HookService;
using thrombo::service::ThromboGrpcService;
namespace synth = thrombo::synth;
namespace v1 = thrombo::v1;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());

absl::Time DaysAgo(double days) { return kNow - absl::Hours(24 * days); }

// A newly diagnosed patient on VRd three cycles in, with the chart an oncology clinic keeps:
// 10 weeks of labs, vitals, a problem list, co-medications and procedures (59 entries). It
// exercises every part of fact extraction: value sets by code and text, lab windows and units,
// dexamethasone arithmetic across 21-day cycles, anticoagulant intensity and CrCl.
synth::Scenario TypicalPatient() {
  synth::Scenario s;
  s.seed = 2026;
  s.now = kNow;
  s.age_years = 71;
  s.sex = synth::Sex::kMale;
  s.race = synth::Race::kBlack;
  s.vitals = {"92.4", "178", "29.2", DaysAgo(3)};

  auto condition = [&](synth::ConditionKind kind, double days_ago, synth::ConditionCoding coding) {
    synth::ConditionSpec c;
    c.kind = kind;
    c.coding = coding;
    c.onset = DaysAgo(days_ago);
    s.conditions.push_back(c);
  };
  using CK = synth::ConditionKind;
  using CC = synth::ConditionCoding;
  condition(CK::kMultipleMyeloma, 75, CC::kSnomedAndIcd10);
  condition(CK::kHypertension, 3000, CC::kSnomed);
  condition(CK::kHyperlipidaemia, 2500, CC::kIcd10);
  condition(CK::kDiabetes, 1800, CC::kSyntheaSnomed);
  condition(CK::kCkd, 400, CC::kSnomedAndIcd10);
  condition(CK::kSmoker, 9000, CC::kSnomed);
  synth::ConditionSpec dvt;  // resolved DVT from years ago
  dvt.kind = CK::kDvt;
  dvt.onset = DaysAgo(1500);
  dvt.status = synth::ClinicalStatus::kResolved;
  dvt.abatement = DaysAgo(1380);
  s.conditions.push_back(dvt);

  // Weekly labs for 10 weeks (4 kinds x 10 = 40 Observations); only the latest in each window
  // counts, so the engine has to look at all of them.
  for (int week = 0; week < 10; ++week) {
    const absl::Time taken = DaysAgo(2 + 7 * week);
    s.labs.push_back({synth::LabKind::kPlatelets, std::to_string(180 + week * 3),
                      week % 2 ? "10*3/uL" : "10*9/L", taken, ""});
    s.labs.push_back({synth::LabKind::kCreatinine, week % 3 ? "1.3" : "115",
                      week % 3 ? "" : "umol/L", taken, ""});
    s.labs.push_back({synth::LabKind::kHemoglobin, "10.4", "", taken, ""});
    s.labs.push_back({synth::LabKind::kEgfr, "55", "", taken, ""});
  }

  auto med = [&](synth::Drug drug, const std::string& strength, synth::MedCoding coding,
                 synth::Dosing dosing, synth::MedResource resource) {
    synth::MedicationOrder m;
    m.drug = drug;
    m.strength = strength;
    m.coding = coding;
    m.resource = resource;
    m.authored_on = DaysAgo(10);
    m.dosing = std::move(dosing);
    s.medications.push_back(std::move(m));
  };
  using D = synth::Drug;
  using MC = synth::MedCoding;
  constexpr auto kRequest = synth::MedResource::kMedicationRequest;
  constexpr auto kStatement = synth::MedResource::kMedicationStatement;
  med(D::kLenalidomide, "25", MC::kProductSbd, synth::DailyForDaysDosing("25", 14, 21), kRequest);
  med(D::kDexamethasone, "4", MC::kProductScd,
      synth::CycleDaysDosing("20", {1, 2, 4, 5, 8, 9, 11, 12}, 21), kRequest);
  med(D::kBortezomib, "", MC::kIngredientRxnorm, synth::CycleDaysDosing("2.3", {1, 4, 8, 11}, 21),
      kRequest);
  med(D::kAspirin, "81", MC::kContainedMedication, synth::ContinuousDailyDosing("81", 1),
      kStatement);
  med(D::kDarbepoetin, "", MC::kIngredientRxnorm, synth::EveryWeeksDosing("500", 3, "ug"),
      kRequest);
  med(D::kPrednisone, "", MC::kTextOnly, synth::ContinuousDailyDosing("5", 1), kStatement);

  s.procedures.push_back({synth::ProcedureKind::kTunneledCvcInsertion, DaysAgo(70)});
  s.procedures.push_back({synth::ProcedureKind::kCholecystectomy, DaysAgo(900)});
  return s;
}

// Everything the benchmarks read, built once: the Bundle, its JSON and its PatientRecord.
struct Input {
  thrombo::fhir::r4::Bundle bundle;
  std::string json;
  std::optional<PatientRecord> record;  // points into `bundle`, so made after it is in place
};

const Input& TheInput() {
  static const Input* const input = [] {
    absl::StatusOr<thrombo::fhir::r4::Bundle> bundle = synth::BuildBundle(TypicalPatient());
    if (!bundle.ok()) {
      fprintf(stderr, "BuildBundle: %s\n", bundle.status().ToString().c_str());
      abort();
    }
    thrombo::fhir::r4::ContainedResource resource;
    *resource.mutable_bundle() = *bundle;
    absl::StatusOr<std::string> json = thrombo::fhir::PrintResource(resource);
    if (!json.ok()) abort();
    auto* in = new Input{std::move(*bundle), std::move(*json), std::nullopt};
    in->record = PatientRecord::FromBundle(in->bundle).value();
    return in;
  }();
  return *input;
}

void Report(benchmark::State& state) {
  state.counters["resources"] = TheInput().bundle.entry_size();
  state.counters["json_bytes"] = static_cast<double>(TheInput().json.size());
}

// One heap Assess, freed before returning; not inlined so that callgrind can collect exactly
// this (see main).
__attribute__((noinline)) bool HeapAssessOnce(const Engine& engine, const PatientRecord& record) {
  absl::StatusOr<v1::Assessment> a = engine.Assess(record, nullptr, kNow);
  benchmark::DoNotOptimize(a);
  return a.ok();
}

// Engine::Assess on an indexed record: facts, scores and recommendation.
void BM_Assess(benchmark::State& state) {
  const Engine& engine = Engine::Default();
  const PatientRecord& record = *TheInput().record;
  for (auto _ : state) {
    if (!HeapAssessOnce(engine, record)) {
      state.SkipWithError("Assess failed");
      return;
    }
  }
  Report(state);
}
BENCHMARK(BM_Assess);

// The initial block for an Assessment's arena: the bytes one assessment of the input took on a
// default arena, with half again for headroom, in whole pages. Made once; every arena reuses it,
// so a steady-state arena allocates no block of its own.
std::vector<char>& ArenaBlock() {
  static std::vector<char>* const block = [] {
    google::protobuf::Arena arena;
    auto* a = google::protobuf::Arena::CreateMessage<v1::Assessment>(&arena);
    if (!Engine::Default().AssessInto(*TheInput().record, nullptr, kNow, {}, a).ok()) abort();
    const size_t bytes = (arena.SpaceUsed() * 3 / 2 + 4095) / 4096 * 4096;
    return new std::vector<char>(bytes);
  }();
  return *block;
}

google::protobuf::ArenaOptions BlockOptions() {
  google::protobuf::ArenaOptions options;
  options.initial_block = ArenaBlock().data();
  options.initial_block_size = ArenaBlock().size();
  return options;
}

// One Assess into an Assessment on a fresh arena over the reused block, freed with the arena
// (as the hook path does); not inlined so that callgrind can collect exactly this (see main).
// With `with_terms`, the scores' terms are left in ScoreTerms, not written into the Assessment
// as components, and the evidence's text is kept beside it (risk/evidence_refs.h): what the hook
// path pays (its cards read both there).
__attribute__((noinline)) bool ArenaAssessOnce(const Engine& engine, const PatientRecord& record,
                                               bool with_terms) {
  google::protobuf::Arena arena(BlockOptions());
  auto* a = google::protobuf::Arena::CreateMessage<v1::Assessment>(&arena);
  thrombo::risk::ScoreTerms terms;
  thrombo::risk::EvidenceRefs evidence_refs;
  const bool ok = engine
                      .AssessInto(record, nullptr, kNow, {}, a, with_terms ? &terms : nullptr,
                                  with_terms ? &evidence_refs : nullptr)
                      .ok();
  benchmark::DoNotOptimize(a);
  benchmark::DoNotOptimize(terms);
  benchmark::DoNotOptimize(evidence_refs);
  return ok;
}

void AssessOnArena(benchmark::State& state, bool with_terms) {
  const Engine& engine = Engine::Default();
  const PatientRecord& record = *TheInput().record;
  for (auto _ : state) {
    if (!ArenaAssessOnce(engine, record, with_terms)) {
      state.SkipWithError("AssessInto failed");
      return;
    }
  }
  Report(state);
  state.counters["arena_block_bytes"] = static_cast<double>(ArenaBlock().size());
}

// Engine::AssessInto on an arena per iteration: the same output without the mallocs and frees of
// every message (strings longer than the small-string buffer still allocate their text).
void BM_AssessOnArena(benchmark::State& state) { AssessOnArena(state, /*with_terms=*/false); }
BENCHMARK(BM_AssessOnArena);

// The same as the hook path makes it, the scores' terms and the evidence's text kept out of the
// Assessment.
void BM_AssessOnArenaWithTerms(benchmark::State& state) {
  AssessOnArena(state, /*with_terms=*/true);
}
BENCHMARK(BM_AssessOnArenaWithTerms);

// The first half of Assess: ClinicalFacts from the record.
void BM_ExtractFacts(benchmark::State& state) {
  const Engine& engine = Engine::Default();
  const PatientRecord& record = *TheInput().record;
  for (auto _ : state) {
    absl::StatusOr<v1::ClinicalFacts> facts = thrombo::risk::ExtractFacts(
        record, nullptr, engine.terminology(), engine.rules(), kNow);
    if (!facts.ok()) {
      state.SkipWithError(facts.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(facts);
  }
  Report(state);
}
BENCHMARK(BM_ExtractFacts);

// The second half: the three scores, the arterial and co-therapy flags and the recommendation,
// from facts extracted once (the same sequence Engine::Assess runs).
void BM_ScoresAndRecommendation(benchmark::State& state) {
  const Engine& engine = Engine::Default();
  const thrombo::risk::EngineRules& rules = engine.rules();
  const v1::ClinicalFacts facts =
      thrombo::risk::ExtractFacts(*TheInput().record, nullptr, engine.terminology(), rules, kNow)
          .value();
  for (auto _ : state) {
    v1::Assessment a = engine.AssessFacts(facts, kNow);
    benchmark::DoNotOptimize(a);
  }
  Report(state);
}
BENCHMARK(BM_ScoresAndRecommendation);

// The same on an arena per iteration: the facts copied onto it (as the heap variant copies them
// into AssessFacts), then the second half written in place.
void BM_ScoresAndRecommendationOnArena(benchmark::State& state) {
  const Engine& engine = Engine::Default();
  const v1::ClinicalFacts facts = thrombo::risk::ExtractFacts(*TheInput().record, nullptr,
                                                              engine.terminology(),
                                                              engine.rules(), kNow)
                                      .value();
  for (auto _ : state) {
    google::protobuf::Arena arena(BlockOptions());
    auto* a = google::protobuf::Arena::CreateMessage<v1::Assessment>(&arena);
    a->mutable_facts()->CopyFrom(facts);
    engine.AssessFactsInto(kNow, "", a);
    benchmark::DoNotOptimize(a);
  }
  Report(state);
}
BENCHMARK(BM_ScoresAndRecommendationOnArena);

// PatientRecord::FromBundle (indexing and reference maps) + Assess, from a parsed Bundle.
void BM_RecordAndAssess(benchmark::State& state) {
  const Engine& engine = Engine::Default();
  const thrombo::fhir::r4::Bundle& bundle = TheInput().bundle;
  for (auto _ : state) {
    absl::StatusOr<PatientRecord> record = PatientRecord::FromBundle(bundle);
    if (!record.ok()) {
      state.SkipWithError(record.status().ToString().c_str());
      return;
    }
    absl::StatusOr<v1::Assessment> a = engine.Assess(*record, nullptr, kNow);
    if (!a.ok()) {
      state.SkipWithError(a.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(a);
  }
  Report(state);
}
BENCHMARK(BM_RecordAndAssess);

// The whole path a request takes: FHIR JSON -> Bundle -> PatientRecord -> Assessment, through
// `parse` (one of the two readers).
template <typename Parse>
void JsonToAssessment(benchmark::State& state, Parse parse) {
  const Engine& engine = Engine::Default();
  const std::string& json = TheInput().json;
  for (auto _ : state) {
    absl::StatusOr<thrombo::fhir::ParsedResource> parsed = parse(json);
    if (!parsed.ok()) {
      state.SkipWithError(parsed.status().ToString().c_str());
      return;
    }
    absl::StatusOr<PatientRecord> record = PatientRecord::FromBundle(parsed->resource.bundle());
    if (!record.ok()) {
      state.SkipWithError(record.status().ToString().c_str());
      return;
    }
    absl::StatusOr<v1::Assessment> a = engine.Assess(*record, nullptr, kNow);
    if (!a.ok()) {
      state.SkipWithError(a.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(a);
  }
  Report(state);
}

// The full proto reader (validate, strict mode, gRPC Assess, `thrombo assess`).
void BM_JsonToAssessment(benchmark::State& state) {
  JsonToAssessment(state, [](const std::string& json) { return thrombo::fhir::ParseResource(json); });
}
BENCHMARK(BM_JsonToAssessment);

// The same through the projection reader (the hook route's, fhir/projection_reader.h): only the
// elements the decision reads become protos.
void BM_JsonToAssessmentProjected(benchmark::State& state) {
  JsonToAssessment(state, [](const std::string& json) {
    return thrombo::fhir::ParseResourceProjected(json);
  });
}
BENCHMARK(BM_JsonToAssessmentProjected);

// JSON -> Assessment as the hook route does it: the record parsed by the projection reader onto
// a per-call arena (first block four times the text, as service/cds/http_api.cc sizes it), its
// lab results into a per-call table of views, and assessed into an Assessment on the same
// arena, all freed together; the scores' terms are left in ScoreTerms, which the hook route's
// cards read, not written into the Assessment as components.
void BM_JsonToAssessmentProjectedOnArena(benchmark::State& state) {
  const Engine& engine = Engine::Default();
  const std::string& json = TheInput().json;
  google::protobuf::ArenaOptions options;
  options.start_block_size = json.size() * 4;
  for (auto _ : state) {
    google::protobuf::Arena arena(options);
    thrombo::fhir::LabObservationTable views;
    auto* resource =
        google::protobuf::Arena::CreateMessage<thrombo::fhir::r4::ContainedResource>(&arena);
    if (!thrombo::fhir::ParseIntoProjected(json, resource, {}, thrombo::fhir::Projection::Decision(),
                                           nullptr, nullptr, &views)
             .ok()) {
      state.SkipWithError("ParseIntoProjected failed");
      return;
    }
    absl::StatusOr<PatientRecord> record =
        PatientRecord::FromBundle(resource->bundle(), "", &views);
    auto* a = google::protobuf::Arena::CreateMessage<v1::Assessment>(&arena);
    thrombo::risk::ScoreTerms terms;
    thrombo::risk::EvidenceRefs evidence_refs;
    if (!record.ok() ||
        !engine.AssessInto(*record, nullptr, kNow, {}, a, &terms, &evidence_refs).ok()) {
      state.SkipWithError("FromBundle or AssessInto failed");
      return;
    }
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(terms);
  }
  Report(state);
}
BENCHMARK(BM_JsonToAssessmentProjectedOnArena);

// The projection reader alone on the same record, lab results as views, to split the figure
// above.
void BM_JsonToBundleProjected(benchmark::State& state) {
  const std::string& json = TheInput().json;
  for (auto _ : state) {
    thrombo::fhir::ProjectionStats stats;
    thrombo::fhir::LabObservationTable views;
    absl::StatusOr<thrombo::fhir::ParsedResource> parsed = thrombo::fhir::ParseResourceProjected(
        json, {}, thrombo::fhir::Projection::Decision(), &stats, &views);
    if (!parsed.ok() || stats.fell_back) {
      state.SkipWithError(parsed.ok() ? "fell back to the full reader"
                                      : parsed.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(parsed);
  }
  Report(state);
}
BENCHMARK(BM_JsonToBundleProjected);

// gRPC `Assess` as order-entry systems call it, the server's work without the transport: the
// request's bytes parsed (the 57 KB record sent as a Bundle of FHIR protos), the Assessment and
// its cards written, the response serialized, both messages freed. `on_arena` puts them on one
// arena a call, as the service's message allocator does since the "twenty-seventh round"; off,
// on the heap, as gRPC's synchronous API did before.
void GrpcAssess(benchmark::State& state, bool on_arena) {
  const HookService hooks(Engine::Default(), nullptr, [] { return kNow; });
  const ThromboGrpcService service(Engine::Default(), hooks, /*verifier=*/nullptr, "");
  std::string request_bytes;
  {
    thrombo::v1::AssessRequest request;
    *request.mutable_bundle() = TheInput().bundle;
    request.mutable_evaluation_time()->set_seconds(absl::ToUnixSeconds(kNow));
    request.SerializeToString(&request_bytes);
  }
  const grpc::ServerContext context;
  std::string response_bytes;
  for (auto _ : state) {
    std::optional<google::protobuf::Arena> arena;
    if (on_arena) arena.emplace(thrombo::service::CallArenaOptions());
    auto* request = google::protobuf::Arena::CreateMessage<thrombo::v1::AssessRequest>(
        arena ? &*arena : nullptr);
    auto* response = google::protobuf::Arena::CreateMessage<thrombo::v1::AssessResponse>(
        arena ? &*arena : nullptr);
    const bool parsed = request->ParseFromString(request_bytes);
    const grpc::Status status = service.AssessCall(context, *request, response);
    response->SerializeToString(&response_bytes);
    benchmark::DoNotOptimize(response_bytes);
    if (!on_arena) {
      delete request;
      delete response;
    }
    if (!parsed || !status.ok()) {
      state.SkipWithError(parsed ? status.error_message().c_str() : "request not parsed");
      return;
    }
  }
  Report(state);
  state.counters["response_bytes"] = static_cast<double>(response_bytes.size());
}
void BM_GrpcAssess(benchmark::State& state) { GrpcAssess(state, /*on_arena=*/true); }
BENCHMARK(BM_GrpcAssess);
void BM_GrpcAssessOnHeap(benchmark::State& state) { GrpcAssess(state, /*on_arena=*/false); }
BENCHMARK(BM_GrpcAssessOnHeap);

}  // namespace

// For callgrind, --calls=N runs N assessments and exits (no benchmark framework in the profile);
// --arena picks the arena variant, --terms the arena variant with the scores' terms (as the hook
// path). Collect only inside the calls and divide by N:
//   valgrind --tool=callgrind --toggle-collect='*HeapAssessOnce*' <bazel-bin>/tests/benchmarks/
//       engine_benchmark --calls=100; callgrind_annotate --inclusive=yes <out>
// (--toggle-collect='*ArenaAssessOnce*' with --arena or --terms). Otherwise the benchmarks run
// as usual.
int main(int argc, char** argv) {
  long calls = 0;
  bool arena = false;
  bool terms = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "--calls=", 8) == 0) {
      calls = strtol(argv[i] + 8, nullptr, 10);
    } else if (strcmp(argv[i], "--arena") == 0) {
      arena = true;
    } else if (strcmp(argv[i], "--terms") == 0) {
      terms = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (calls > 0) {
    const Engine& engine = Engine::Default();
    const PatientRecord& record = *TheInput().record;
    ArenaBlock();  // sized outside the calls
    bool ok = true;
    for (long i = 0; i < calls; ++i) {
      ok &= arena || terms ? ArenaAssessOnce(engine, record, /*with_terms=*/terms)
                           : HeapAssessOnce(engine, record);
    }
    printf("%ld %s assessments, %s\n", calls,
           terms ? "arena+terms" : arena ? "arena" : "heap", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
