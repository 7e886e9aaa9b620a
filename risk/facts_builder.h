// Copyright 2026 The Thrombo Authors.
// Test-only builder for ClinicalFacts: every fact starts ABSENT (or UNKNOWN for measurements)
// and each call sets one, so a test reads like the vignette it encodes.
#ifndef THROMBO_RISK_FACTS_BUILDER_H_
#define THROMBO_RISK_FACTS_BUILDER_H_

#include <string>
#include <vector>

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

  FactsBuilder& Weight(double kg);

  // Policy v1.1 (docs/clinical.md): facts as the reader of real records reports them.
  // A platelet result that is in the record but cannot be read (rule 14), e.g. "<10 10*9/L".
  FactsBuilder& UnknownPlatelets(const std::string& recorded_as, absl::Time taken,
                                 const std::string& resource_id = "p1");
  // Any fact UNKNOWN with the record behind it: `matched` as recorded in resource_type/id.
  FactsBuilder& UnknownAsRecorded(v1::Fact* (v1::ClinicalFacts::*field)(),
                                  const std::string& matched, const std::string& resource_type,
                                  const std::string& resource_id, absl::Time when,
                                  const std::string& note = "");
  // An AllergyIntolerance that removes `ingredients` (rule 16); `hit` also records a
  // heparin-induced thrombocytopenia reaction (and sets hit_history, as the reader does).
  FactsBuilder& Allergy(const std::string& recorded_as, std::vector<std::string> ingredients,
                        bool hit = false);
  FactsBuilder& Dialysis();
  // An anticoagulant on hold or recently ended (rule 19), named by its record.
  FactsBuilder& PossiblyCurrentAnticoagulant(const std::string& resource_id = "mr-hold");
  FactsBuilder& StrongInhibitor(const std::string& recorded_as = "ketoconazole");
  FactsBuilder& StrongInducer(const std::string& recorded_as = "rifampin");
  // A prophylactic-dose agent the patient already takes (rule 22), with its record.
  FactsBuilder& ProphylacticAgent(const std::string& ingredient, const std::string& role,
                                  double dose_mg, double doses_per_day,
                                  const std::string& resource_id = "current");
  // Every recorded ombCategory (rule 21); the first is also race_omb_code.
  FactsBuilder& RaceCategories(std::vector<std::string> omb_codes);

  // Marks any boolean fact PRESENT or UNKNOWN by its field, e.g. Set(&ClinicalFacts::mutable_esa).
  FactsBuilder& Set(v1::Fact* (v1::ClinicalFacts::*field)());
  FactsBuilder& SetUnknown(v1::Fact* (v1::ClinicalFacts::*field)());
  FactsBuilder& SetAbsent(v1::Fact* (v1::ClinicalFacts::*field)());

  const v1::ClinicalFacts& facts() const { return facts_; }

 private:
  v1::ClinicalFacts facts_;
};

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_FACTS_BUILDER_H_
