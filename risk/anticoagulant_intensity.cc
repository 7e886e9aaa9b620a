// Copyright 2026 The Thrombo Authors.
#include "risk/anticoagulant_intensity.h"

#include <string_view>

namespace thrombo::risk {

IntensityTable IntensityTable::FromPolicy(const v1::IntensityRules& rules) {
  IntensityTable table;
  for (const v1::ProphylaxisCeiling& c : rules.ceiling()) {
    table.ceilings.push_back({c.ingredient(), c.in_units(), c.max_per_dose(), c.max_per_day()});
  }
  table.always_therapeutic.assign(rules.always_therapeutic().begin(),
                                  rules.always_therapeutic().end());
  return table;
}

v1::DoseIntensity::Value ClassifyAnticoagulantIntensity(std::string_view ingredient,
                                                        const AnticoagulantDose& dose,
                                                        const IntensityTable& table) {
  using Intensity = v1::DoseIntensity;
  for (const std::string& name : table.always_therapeutic) {
    if (name == ingredient) return Intensity::THERAPEUTIC;
  }
  for (const IntensityTable::Ceiling& ceiling : table.ceilings) {
    if (ceiling.ingredient != ingredient) continue;
    if (dose.amount <= 0 || dose.in_units != ceiling.in_units) {
      return Intensity::UNKNOWN_INTENSITY;
    }
    if (dose.amount > ceiling.max_per_dose) return Intensity::THERAPEUTIC;
    if (dose.doses_per_day <= 0) return Intensity::UNKNOWN_INTENSITY;
    // A small tolerance: 2.5 mg x 2 is exactly the ceiling and must stay prophylactic.
    const double per_day = dose.amount * dose.doses_per_day;
    return per_day <= ceiling.max_per_day + 1e-9 ? Intensity::PROPHYLACTIC : Intensity::THERAPEUTIC;
  }
  return Intensity::UNKNOWN_INTENSITY;
}

}  // namespace thrombo::risk
