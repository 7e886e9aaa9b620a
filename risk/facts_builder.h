// Copyright 2026 The Thrombo Authors.
// Test-only builder for ClinicalFacts: every fact starts ABSENT (or UNKNOWN for measurements)
// and each call sets one, so a test reads like the vignette it encodes.
#ifndef THROMBO_RISK_FACTS_BUILDER_H_
#define THROMBO_RISK_FACTS_BUILDER_H_

#include <string>

#include "absl/time/time.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {

class FactsBuilder final {
 public:
  FactsBuilder();

  FactsBuilder& Age(double years);
  FactsBuilder& Sex(const std::string& sex);
  FactsBuilder& Race(const std::string& omb_code);
  FactsBuilder& Bmi(double bmi);
  FactsBuilder& Imid();
  // Dexamethasone with a known dose; cycle_days 0 = no cycle known.
  FactsBuilder& Dex(double mg_per_28_days, double mg_per_cycle = 0, int cycle_days = 0);
  FactsBuilder& DexUnknownDose();
  FactsBuilder& Platelets(double value);
  FactsBuilder& CrCl(double ml_min);
  FactsBuilder& Egfr(double value);
  FactsBuilder& Hemoglobin(double g_dl);
  FactsBuilder& DiagnosedAgo(absl::Time now, absl::Duration ago);
  FactsBuilder& TherapeuticAnticoagulation();
  // An anticoagulant was found but its dose was not (UNKNOWN with evidence).
  FactsBuilder& AnticoagulationOfUnknownIntensity();
  FactsBuilder& ProphylacticAnticoagulation();

  // Marks any boolean fact PRESENT or UNKNOWN by its field, e.g. Set(&ClinicalFacts::mutable_esa).
  FactsBuilder& Set(v1::Fact* (v1::ClinicalFacts::*field)());
  FactsBuilder& SetUnknown(v1::Fact* (v1::ClinicalFacts::*field)());

  const v1::ClinicalFacts& facts() const { return facts_; }

 private:
  v1::ClinicalFacts facts_;
};

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_FACTS_BUILDER_H_
