// Copyright 2026 The Thrombo Authors.
// Classifies an anticoagulant exposure as prophylactic or therapeutic intensity from its dose.
#ifndef THROMBO_RISK_ANTICOAGULANT_INTENSITY_H_
#define THROMBO_RISK_ANTICOAGULANT_INTENSITY_H_

#include <string_view>

#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {

// One administered amount and how often it is given.
struct AnticoagulantDose {
  double amount = 0;         // per administration; 0 when not recorded
  bool in_units = false;     // true for heparins dosed in IU / units, false for mg
  double doses_per_day = 0;  // 0 when not recorded
};

// Returns PROPHYLACTIC, THERAPEUTIC or UNKNOWN_INTENSITY for `ingredient` (lower-case generic
// name) at `dose`. Warfarin is always THERAPEUTIC (IMWG 2008 uses "full-dose warfarin, INR 2-3";
// IMPEDE counts warfarin as therapeutic). A dose the label tables below cannot place is UNKNOWN:
// the caller must not treat it as either. Pure and thread-safe.
v1::DoseIntensity::Value ClassifyAnticoagulantIntensity(std::string_view ingredient,
                                                        const AnticoagulantDose& dose);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_ANTICOAGULANT_INTENSITY_H_
