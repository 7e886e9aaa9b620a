#include "risk/anticoagulant_intensity.h"

#include "gtest/gtest.h"
#include "risk/policy.h"

namespace thrombo::risk {
namespace {

using Intensity = v1::DoseIntensity;

// The default policy's table: these tests pin the labels' regimens the textproto cites.
Intensity::Value Classify(const char* drug, double amount, double per_day, bool units = false) {
  static const IntensityTable* table =
      new IntensityTable(IntensityTable::FromPolicy(DefaultPolicy().intensity()));
  return ClassifyAnticoagulantIntensity(drug, {amount, units, per_day}, *table);
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
  EXPECT_EQ(Classify("edoxaban", 30, 1), Intensity::THERAPEUTIC);
}

TEST(AnticoagulantIntensity, TheCeilingIsPolicyData) {
  v1::IntensityRules rules;
  auto* c = rules.add_ceiling();
  c->set_ingredient("enoxaparin");
  c->set_max_per_dose(40);
  c->set_max_per_day(40);  // a site that calls 40 mg q12h therapeutic
  const IntensityTable strict = IntensityTable::FromPolicy(rules);
  EXPECT_EQ(ClassifyAnticoagulantIntensity("enoxaparin", {40, false, 2}, strict),
            Intensity::THERAPEUTIC);
  EXPECT_EQ(Classify("enoxaparin", 40, 2), Intensity::PROPHYLACTIC);  // default: 80 mg a day
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
