// Copyright 2026 The Thrombo Authors.
#include "risk/engine.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "base/status_macros.h"
#include "risk/facts.h"
#include "risk/field_text.h"
#include "risk/policy.h"
#include "risk/recommendation.h"
#include "risk/scores.h"

namespace thrombo::risk {

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(const v1::Policy& policy) {
  ASSIGN_OR_RETURN(EngineRules rules, CompileEngineRules(policy));
  ASSIGN_OR_RETURN(std::unique_ptr<Terminology> terminology, Terminology::Create(policy));
  return std::unique_ptr<Engine>(new Engine(std::move(terminology), std::move(rules)));
}

const Engine& Engine::Default() {
  // The default policy is validated by its own test; failing here is a build defect.
  static const Engine* const engine = [] {
    absl::StatusOr<std::unique_ptr<Engine>> created = Create(DefaultPolicy());
    if (!created.ok()) {
      fprintf(stderr, "embedded default policy is invalid: %s\n",
              created.status().ToString().c_str());
      abort();
    }
    return created->release();
  }();
  return *engine;
}

absl::StatusOr<v1::Assessment> Engine::Assess(const fhir::PatientRecord& record,
                                              const fhir::PatientRecord* drafts, absl::Time now,
                                              const DataAvailability& available) const {
  v1::Assessment a;
  RETURN_IF_ERROR(AssessInto(record, drafts, now, available, &a));
  return a;
}

absl::Status Engine::AssessInto(const fhir::PatientRecord& record,
                                const fhir::PatientRecord* drafts, absl::Time now,
                                const DataAvailability& available, v1::Assessment* out,
                                ScoreTerms* terms, EvidenceRefs* evidence_refs) const {
  out->Clear();
  RETURN_IF_ERROR(ExtractFactsInto(record, drafts, *terminology_, rules_, now, available,
                                   out->mutable_facts(), evidence_refs));
  AssessFactsInto(now, record.patient()->id(), out, terms, evidence_refs);
  return absl::OkStatus();
}

v1::Assessment Engine::AssessFacts(v1::ClinicalFacts facts, absl::Time now,
                                   std::string_view patient_id) const {
  v1::Assessment a;
  *a.mutable_facts() = std::move(facts);
  AssessFactsInto(now, patient_id, &a);
  return a;
}

void Engine::AssessFactsInto(absl::Time now, std::string_view patient_id, v1::Assessment* a,
                             ScoreTerms* terms, EvidenceRefs* evidence_refs) const {
  SetText(a->mutable_patient_id(), absl::string_view(patient_id.data(), patient_id.size()));
  a->set_evaluation_time_us(absl::ToUnixMicros(now));
  a->set_policy_version(rules_.policy_version);
  const v1::ClinicalFacts& facts = a->facts();
  ScoreImpedeVteInto(facts, rules_, a->mutable_impede_vte(),
                     terms != nullptr ? &terms->impede_vte : nullptr);
  ScoreSavedInto(facts, rules_, a->mutable_saved(), terms != nullptr ? &terms->saved : nullptr);
  ScoreImwg2008Into(facts, rules_, now, a->mutable_imwg2008(),
                    terms != nullptr ? &terms->imwg2008 : nullptr);
  AssessArterialInto(facts, rules_, a->mutable_arterial(), evidence_refs);
  AssessCotherapyInto(facts, rules_, a->mutable_cotherapy(), evidence_refs);
  RecommendInto(*a, rules_, now, a->mutable_recommendation(), evidence_refs);
}

}  // namespace thrombo::risk
