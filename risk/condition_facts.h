// Copyright 2026 The Thrombo Authors.
// Conditions and Procedures: associated diseases, history, active bleeding (docs/clinical.md
// policy v1.1 rule 17), dialysis or end-stage kidney disease (rule 23), surgery, catheters,
// and the myeloma diagnosis date.
#ifndef THROMBO_RISK_CONDITION_FACTS_H_
#define THROMBO_RISK_CONDITION_FACTS_H_

#include <optional>

#include "absl/time/time.h"
#include "proto/fhir/r4/resources.pb.h"
#include "risk/fact_context.h"

namespace thrombo::risk {

class ConditionFacts final {
 public:
  explicit ConditionFacts(FactContext& context) : c_(context) {}

  // Refuted and entered-in-error Conditions do not exist. Most associated diseases count while
  // active; history (VTE, fracture, HIT, arterial events, myeloma) counts whatever the status;
  // bleeding counts while active or when its onset / recorded date is within
  // active_bleeding_days; an infection only while active and recent.
  void AddCondition(const fhir::r4::Condition& condition);
  // Completed or in-progress Procedures: surgery and anaesthesia within the SAVED window, a
  // catheter insertion within cvc_insertion_days, dialysis within dialysis_procedure_days.
  void AddProcedure(const fhir::r4::Procedure& procedure);
  // The myeloma diagnosis date fact.
  void Finish();

 private:
  FactContext& c_;
  std::optional<absl::Time> diagnosis_;
};

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_CONDITION_FACTS_H_
