// Copyright 2026 The Thrombo Authors.
// Classifies an anticoagulant exposure as prophylactic or therapeutic intensity from its dose.
#ifndef THROMBO_RISK_ANTICOAGULANT_INTENSITY_H_
#define THROMBO_RISK_ANTICOAGULANT_INTENSITY_H_

#include <string>
#include <string_view>
#include <vector>

#include "proto/thrombo/v1/assessment.pb.h"
#include "proto/thrombo/v1/policy.pb.h"

namespace thrombo::risk {

// One administered amount and how often it is given.
struct AnticoagulantDose {
  double amount = 0;         // per administration; 0 when not recorded
  bool in_units = false;     // true for heparins dosed in IU / units, false for mg
  double doses_per_day = 0;  // 0 when not recorded
};

// The policy's intensity table (policy `intensity`, each row citing its label in
// risk/default_policy.textproto).
struct IntensityTable {
  struct Ceiling {
    std::string ingredient;
    bool in_units = false;
    double max_per_dose = 0;
    double max_per_day = 0;
  };
  std::vector<Ceiling> ceilings;
  std::vector<std::string> always_therapeutic;

  static IntensityTable FromPolicy(const v1::IntensityRules& rules);
};

// Returns PROPHYLACTIC, THERAPEUTIC or UNKNOWN_INTENSITY for `ingredient` (lower-case generic
// name) at `dose` against `table`. An ingredient listed as always therapeutic (warfarin: IMWG
// 2008 "full-dose warfarin, INR 2-3") is THERAPEUTIC whatever the dose. A dose the table cannot
// place is UNKNOWN: the caller must not treat it as either. Pure and thread-safe.
v1::DoseIntensity::Value ClassifyAnticoagulantIntensity(std::string_view ingredient,
                                                        const AnticoagulantDose& dose,
                                                        const IntensityTable& table);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_ANTICOAGULANT_INTENSITY_H_
