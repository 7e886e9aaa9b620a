// Copyright 2026 The Thrombo Authors.
// Micro-benchmarks of the terminology on the hot path (goal: a whole 60-resource assessment in
// under 10 us, so one lookup should cost well under 100 ns).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "risk/policy.h"
#include "risk/terminology.h"

namespace thrombo::risk {
namespace {

fhir::r4::CodeableConcept Concept(const char* system, const char* code, const char* display,
                                  const char* text = "") {
  fhir::r4::CodeableConcept cc;
  fhir::r4::Coding* c = cc.add_coding();
  c->set_system(system);
  c->set_code(code);
  c->set_display(display);
  cc.set_text(text);
  return cc;
}

const Terminology& Default() {
  static const Terminology* const t = Terminology::Create(DefaultPolicy())->release();
  return *t;
}

constexpr char kRx[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr char kIcd[] = "http://hl7.org/fhir/sid/icd-10-cm";
constexpr char kSct[] = "http://snomed.info/sct";
constexpr char kLoinc[] = "http://loinc.org";

void BM_MatchDrugProductCode(benchmark::State& state) {
  const auto cc = Concept(kRx, "643720", "lenalidomide 25 MG Oral Capsule");
  for (auto _ : state) benchmark::DoNotOptimize(Default().MatchDrug(cc));
}
BENCHMARK(BM_MatchDrugProductCode);

// A drug no value set knows (most of a real medication list): code miss, then text miss.
void BM_MatchDrugUnrelated(benchmark::State& state) {
  const auto cc = Concept(kRx, "314076", "lisinopril 10 MG Oral Tablet");
  for (auto _ : state) benchmark::DoNotOptimize(Default().MatchDrug(cc));
}
BENCHMARK(BM_MatchDrugUnrelated);

void BM_MatchDrugBrandText(benchmark::State& state) {
  const auto cc = Concept("urn:oid:local", "X1", "REVLIMID 25 mg capsule");
  for (auto _ : state) benchmark::DoNotOptimize(Default().MatchDrug(cc));
}
BENCHMARK(BM_MatchDrugBrandText);

void BM_MatchConditionIcdPrefix(benchmark::State& state) {
  const auto cc = Concept(kIcd, "I82.401", "Acute DVT of right femoral vein");
  for (auto _ : state) benchmark::DoNotOptimize(Default().MatchCondition(cc));
}
BENCHMARK(BM_MatchConditionIcdPrefix);

void BM_MatchConditionSnomedMiss(benchmark::State& state) {
  const auto cc = Concept(kSct, "160903007", "Full-time employment (finding)");
  for (auto _ : state) benchmark::DoNotOptimize(Default().MatchCondition(cc));
}
BENCHMARK(BM_MatchConditionSnomedMiss);

void BM_MatchLab(benchmark::State& state) {
  const auto cc = Concept(kLoinc, "777-3", "Platelets");
  for (auto _ : state) benchmark::DoNotOptimize(Default().MatchLab(cc));
}
BENCHMARK(BM_MatchLab);

// A 60-resource patient: 10 medications, 15 conditions, 30 observations, 5 procedures.
void BM_Patient60(benchmark::State& state) {
  std::vector<fhir::r4::CodeableConcept> meds, conditions, labs, procedures;
  for (int i = 0; i < 2; ++i) {
    meds.push_back(Concept(kRx, "643720", "lenalidomide 25 MG Oral Capsule"));
    meds.push_back(Concept(kRx, "197582", "dexamethasone 4 MG Oral Tablet"));
    meds.push_back(Concept(kRx, "314076", "lisinopril 10 MG Oral Tablet"));
    meds.push_back(Concept(kRx, "860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet"));
    meds.push_back(Concept(kRx, "1364435", "apixaban 2.5 MG Oral Tablet"));
  }
  for (int i = 0; i < 5; ++i) {
    conditions.push_back(Concept(kSct, "160903007", "Full-time employment (finding)"));
    conditions.push_back(Concept(kIcd, "C90.00", "Multiple myeloma"));
    conditions.push_back(Concept(kSct, "38341003", "Hypertension"));
  }
  for (int i = 0; i < 10; ++i) {
    labs.push_back(Concept(kLoinc, "777-3", "Platelets"));
    labs.push_back(Concept(kLoinc, "2093-3", "Total Cholesterol"));
    labs.push_back(Concept(kLoinc, "72514-3", "Pain severity"));
  }
  for (int i = 0; i < 5; ++i) procedures.push_back(Concept(kSct, "73761001", "Colonoscopy"));
  const Terminology& t = Default();
  for (auto _ : state) {
    for (const auto& cc : meds) benchmark::DoNotOptimize(t.MatchDrug(cc));
    for (const auto& cc : conditions) benchmark::DoNotOptimize(t.MatchCondition(cc));
    for (const auto& cc : labs) benchmark::DoNotOptimize(t.MatchLab(cc));
    for (const auto& cc : procedures) benchmark::DoNotOptimize(t.MatchProcedure(cc));
  }
}
BENCHMARK(BM_Patient60);

}  // namespace
}  // namespace thrombo::risk

BENCHMARK_MAIN();
