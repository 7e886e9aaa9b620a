#include "risk/anticoagulant_intensity.h"

#include "gtest/gtest.h"

namespace thrombo::risk {
namespace {

using Intensity = v1::DoseIntensity;

Intensity::Value Classify(const char* drug, double amount, double per_day, bool units = false) {
  return ClassifyAnticoagulantIntensity(drug, {amount, units, per_day});
}

TEST(AnticoagulantIntensity, DoacDosesFollowPolicy01) {
  EXPECT_EQ(Classify("apixaban", 2.5, 2), Intensity::PROPHYLACTIC);
  EXPECT_EQ(Classify("apixaban", 5, 2), Intensity::THERAPEUTIC);  // vignette 5 (AF)
  EXPECT_EQ(Classify("rivaroxaban", 10, 1), Intensity::PROPHYLACTIC);
  EXPECT_EQ(Classify("rivaroxaban", 20, 1), Intensity::THERAPEUTIC);
  EXPECT_EQ(Classify("rivaroxaban", 15, 2), Intensity::THERAPEUTIC);
}

TEST(AnticoagulantIntensity, LowMolecularWeightHeparins) {
  EXPECT_EQ(Classify("enoxaparin", 40, 1), Intensity::PROPHYLACTIC);
  EXPECT_EQ(Classify("enoxaparin", 30, 1), Intensity::PROPHYLACTIC);
  EXPECT_EQ(Classify("enoxaparin", 30, 2), Intensity::PROPHYLACTIC);
  EXPECT_EQ(Classify("enoxaparin", 80, 2), Intensity::THERAPEUTIC);
  EXPECT_EQ(Classify("enoxaparin", 120, 1), Intensity::THERAPEUTIC);
  EXPECT_EQ(Classify("dalteparin", 5000, 1, true), Intensity::PROPHYLACTIC);
  EXPECT_EQ(Classify("dalteparin", 15000, 1, true), Intensity::THERAPEUTIC);
  EXPECT_EQ(Classify("heparin", 5000, 3, true), Intensity::PROPHYLACTIC);
}

TEST(AnticoagulantIntensity, WarfarinIsAlwaysTherapeutic) {
  EXPECT_EQ(Classify("warfarin", 0, 0), Intensity::THERAPEUTIC);
  EXPECT_EQ(Classify("warfarin", 1, 1), Intensity::THERAPEUTIC);
}

TEST(AnticoagulantIntensity, MissingOrMismatchedDoseIsUnknown) {
  EXPECT_EQ(Classify("apixaban", 0, 2), Intensity::UNKNOWN_INTENSITY);
  EXPECT_EQ(Classify("apixaban", 2.5, 0), Intensity::UNKNOWN_INTENSITY);
  // A per-dose amount above the ceiling is therapeutic whatever the frequency.
  EXPECT_EQ(Classify("apixaban", 5, 0), Intensity::THERAPEUTIC);
  // Dalteparin written in mg cannot be placed against an IU table.
  EXPECT_EQ(Classify("dalteparin", 5000, 1, false), Intensity::UNKNOWN_INTENSITY);
  EXPECT_EQ(Classify("aspirin", 81, 1), Intensity::UNKNOWN_INTENSITY);
}

}  // namespace
}  // namespace thrombo::risk
