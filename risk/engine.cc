// Copyright 2026 The Thrombo Authors.
#include "risk/engine.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "base/status_macros.h"
#include "risk/facts.h"
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
  ASSIGN_OR_RETURN(v1::ClinicalFacts facts,
                   ExtractFacts(record, drafts, *terminology_, rules_, now, available));
  return AssessFacts(std::move(facts), now, record.patient()->id());
}

v1::Assessment Engine::AssessFacts(v1::ClinicalFacts facts, absl::Time now,
                                   std::string_view patient_id) const {
  v1::Assessment a;
  *a.mutable_facts() = std::move(facts);
  a.set_patient_id(std::string(patient_id));
  a.set_evaluation_time_us(absl::ToUnixMicros(now));
  a.set_policy_version(rules_.policy_version);
  *a.mutable_impede_vte() = ScoreImpedeVte(a.facts(), rules_);
  *a.mutable_saved() = ScoreSaved(a.facts(), rules_);
  *a.mutable_imwg2008() = ScoreImwg2008(a.facts(), rules_, now);
  *a.mutable_arterial() = AssessArterial(a.facts(), rules_);
  *a.mutable_cotherapy() = AssessCotherapy(a.facts(), rules_);
  *a.mutable_recommendation() = Recommend(a, rules_, now);
  return a;
}

}  // namespace thrombo::risk
