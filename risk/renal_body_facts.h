// Copyright 2026 The Thrombo Authors.
// Body size (weight, height, BMI) and renal function (serum creatinine, Cockcroft-Gault
// creatinine clearance) from the lab readings (docs/clinical.md §0 rule 10; docs/clinical.md policy v1.1
// rule 14: a creatinine that cannot be read makes the clearance UNKNOWN, never normal).
#ifndef THROMBO_RISK_RENAL_BODY_FACTS_H_
#define THROMBO_RISK_RENAL_BODY_FACTS_H_

#include "risk/fact_context.h"
#include "risk/lab_facts.h"

namespace thrombo::risk {

// Settles weight_kg, height_cm and bmi (computed from weight and height when no BMI is
// recorded).
void SettleBodySize(const LabFacts& labs, FactContext& context);

// Settles creatinine_mg_dl and creatinine_clearance. A creatinine recorded as "<x" counts as x:
// the clearance computed from it is a lower bound, which can only make renal dosing more
// cautious. Needs age and sex (from the Patient) and the weight settled by SettleBodySize.
void SettleRenal(const LabFacts& labs, FactContext& context);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_RENAL_BODY_FACTS_H_
