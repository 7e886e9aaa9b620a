// Copyright 2026 The Thrombo Authors.
#include "risk/anticoagulant_intensity.h"

#include <string_view>

namespace thrombo::risk {
namespace {

using Intensity = v1::DoseIntensity;

// Highest total daily dose that is still a prophylactic regimen, per the labels' VTE-prophylaxis
// indications. Above it the regimen is a treatment (or AF) dose.
struct ProphylaxisCeiling {
  std::string_view ingredient;
  bool in_units;
  double max_per_dose;
  double max_per_day;
};

constexpr ProphylaxisCeiling kCeilings[] = {
    // Apixaban 2.5 mg BID: VTE prophylaxis after hip/knee replacement (Eliquis SmPC);
    // 5 mg BID is the AF / VTE-treatment dose. clinical-spec §0.1 maps 2.5 mg BID to prophylactic.
    {"apixaban", false, 2.5, 5.0},
    // Rivaroxaban 10 mg once daily: prophylaxis (Xarelto USPI, hip/knee; CASSINI); 15 mg BID and
    // 20 mg daily are treatment doses. clinical-spec §0.1.
    {"rivaroxaban", false, 10.0, 10.0},
    // Enoxaparin 40 mg daily or 30 mg q12h are the label's prophylactic regimens; 40 mg q12h is
    // used for prophylaxis in severe obesity [P] (clinical-spec §8). 1 mg/kg q12h or 1.5 mg/kg
    // daily are treatment.
    {"enoxaparin", false, 40.0, 80.0},
    // Dalteparin 2,500-5,000 IU daily prophylaxis; 200 IU/kg daily treatment (Fragmin USPI).
    {"dalteparin", true, 5000.0, 5000.0},
    // Tinzaparin 3,500-4,500 IU daily prophylaxis; 175 IU/kg daily treatment (Innohep SmPC).
    {"tinzaparin", true, 4500.0, 4500.0},
    // Unfractionated heparin 5,000 units SC q8-12h prophylaxis; IV infusions are treatment.
    {"heparin", true, 5000.0, 15000.0},
    // Fondaparinux 2.5 mg daily prophylaxis; 5-10 mg daily treatment (Arixtra USPI).
    {"fondaparinux", false, 2.5, 2.5},
    // Dabigatran 220 mg once daily (110 mg x 2) after hip/knee replacement (Pradaxa SmPC);
    // 110-150 mg BID is the AF / treatment dose.
    {"dabigatran", false, 220.0, 220.0},
};

}  // namespace

v1::DoseIntensity::Value ClassifyAnticoagulantIntensity(std::string_view ingredient,
                                                        const AnticoagulantDose& dose) {
  // Warfarin and edoxaban have no prophylactic regimen in these labels.
  if (ingredient == "warfarin" || ingredient == "edoxaban") return Intensity::THERAPEUTIC;
  for (const ProphylaxisCeiling& ceiling : kCeilings) {
    if (ceiling.ingredient != ingredient) continue;
    if (dose.amount <= 0 || dose.in_units != ceiling.in_units) {
      return Intensity::UNKNOWN_INTENSITY;
    }
    if (dose.amount > ceiling.max_per_dose) return Intensity::THERAPEUTIC;
    if (dose.doses_per_day <= 0) return Intensity::UNKNOWN_INTENSITY;
    // A small tolerance: 2.5 mg x 2 is exactly the ceiling and must stay prophylactic.
    const double per_day = dose.amount * dose.doses_per_day;
    return per_day <= ceiling.max_per_day + 1e-9 ? Intensity::PROPHYLACTIC
                                                 : Intensity::THERAPEUTIC;
  }
  return Intensity::UNKNOWN_INTENSITY;
}

}  // namespace thrombo::risk
