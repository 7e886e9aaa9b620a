// Copyright 2026 The Thrombo Authors.
// Every Fact field of ClinicalFacts, read or written through its generated accessor. A walk over
// the descriptor by reflection costs more than the rest of a small record's facts (and 5.9 k
// instructions a hook call in the card's list of unavailable data), so it runs once, to check the
// accessor list; were a Fact field added to the proto but not to the list, the walk would be
// used on every call instead, and fact_fields_test fails.
#ifndef THROMBO_RISK_FACT_FIELDS_H_
#define THROMBO_RISK_FACT_FIELDS_H_

#include "absl/functional/function_ref.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {

// Calls `visit` with each singular Fact field of `facts`, in declaration order (an unset field
// as the default Fact).
void ForEachFact(const v1::ClinicalFacts& facts, absl::FunctionRef<void(const v1::Fact&)> visit);

// The same with each field made mutable (so set, if it was not).
void ForEachMutableFact(v1::ClinicalFacts* facts, absl::FunctionRef<void(v1::Fact*)> visit);

// Whether the accessor list names exactly the descriptor's Fact fields, in its order.
bool FactAccessorsComplete();

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_FACT_FIELDS_H_
