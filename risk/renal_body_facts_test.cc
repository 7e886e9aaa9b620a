// Copyright 2026 The Thrombo Authors.
// Renal function and body size (docs/clinical.md §0 rule 10; docs/clinical.md policy v1.1 rules 14, 24).
#include "risk/renal_body_facts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/fact_test_util.h"

namespace thrombo::risk {
namespace {

using ::testing::DoubleNear;
using testing::Facts;
using ::testing::HasSubstr;
using testing::Observation;
using testing::Quantity;
using State = v1::Fact;

v1::ClinicalFacts Read(const std::vector<std::string>& resources) {
  absl::StatusOr<v1::ClinicalFacts> facts = Facts(resources);
  EXPECT_TRUE(facts.ok()) << facts.status();
  return facts.ok() ? *facts : v1::ClinicalFacts();
}

// The case: creatinine in umol/L under its own LOINC code was not read, and clearance
// near 20 mL/min was "unknown". Male, 70 years, 60 kg, 265.2 umol/L = 3.0 mg/dL:
// (140 - 70) x 60 / (72 x 3.0) = 19.4 mL/min.
TEST(RenalTest, MolarCreatinineUnderItsOwnCode) {
  for (const char* loinc : {"14682-9", "77140-2", "59826-8"}) {
    const v1::ClinicalFacts f = Read({Observation("w", "29463-7", Quantity("60", "kg"), 5),
                                      Observation("c", loinc, Quantity("265.26", "umol/L"), 2)});
    EXPECT_EQ(f.creatinine_mg_dl().state(), State::PRESENT) << loinc;
    EXPECT_THAT(f.creatinine_mg_dl().value(), DoubleNear(3.0, 0.01)) << loinc;
    EXPECT_EQ(f.creatinine_clearance().state(), State::PRESENT) << loinc;
    EXPECT_THAT(f.creatinine_clearance().value(), DoubleNear(19.4, 0.1)) << loinc;
  }
}

TEST(RenalTest, MassCreatinineInSerumPlasmaOrBlood) {
  for (const char* loinc : {"2160-0", "38483-4", "21232-4"}) {
    const v1::ClinicalFacts f = Read({Observation("w", "29463-7", Quantity("60", "kg"), 5),
                                      Observation("c", loinc, Quantity("1.0", "mg/dL"), 2)});
    EXPECT_THAT(f.creatinine_clearance().value(), DoubleNear(58.3, 0.1)) << loinc;
  }
}

TEST(RenalTest, AnUpperBoundCreatinineGivesALowerBoundClearance) {
  const v1::ClinicalFacts f = Read({Observation("w", "29463-7", Quantity("60", "kg"), 5),
                                    Observation("c", "2160-0", Quantity("0.5", "mg/dL", "<"), 2)});
  EXPECT_EQ(f.creatinine_clearance().state(), State::PRESENT);
  EXPECT_THAT(f.creatinine_clearance().note(), HasSubstr("at least"));
}

TEST(RenalTest, UnreadableCreatinineMakesClearanceUnknownAndQuotesIt) {
  for (const std::string& value : {Quantity("5", "mg/dL", ">"), Quantity("3", "mg/24h"),
                                   std::string("\"valueString\":\"hemolysed\"")}) {
    const v1::ClinicalFacts f = Read({Observation("w", "29463-7", Quantity("60", "kg"), 5),
                                      Observation("old", "2160-0", Quantity("1.0", "mg/dL"), 20),
                                      Observation("c", "2160-0", value, 2)});
    EXPECT_EQ(f.creatinine_mg_dl().state(), State::UNKNOWN) << value;
    EXPECT_EQ(f.creatinine_clearance().state(), State::UNKNOWN) << value;
    ASSERT_GE(f.creatinine_clearance().evidence_size(), 1) << value;
    EXPECT_EQ(f.creatinine_clearance().evidence(0).resource_id(), "c");
  }
}

TEST(BodySizeTest, WeightHeightAndBmiCodesAndUnits) {
  v1::ClinicalFacts f = Read({Observation("w", "3141-9", Quantity("154", "[lb_av]"), 5),
                              Observation("h", "8306-3", Quantity("70", "[in_i]"), 100)});
  EXPECT_THAT(f.weight_kg().value(), DoubleNear(69.85, 0.01));
  EXPECT_THAT(f.height_cm().value(), DoubleNear(177.8, 0.01));
  EXPECT_EQ(f.bmi().state(), State::PRESENT);
  EXPECT_THAT(f.bmi().note(), HasSubstr("computed"));
  f = Read({Observation("b", "39156-5", Quantity("31.2", "kg/m2"), 5)});
  EXPECT_DOUBLE_EQ(f.bmi().value(), 31.2);
}

TEST(BodySizeTest, NoWeightNoClearance) {
  const v1::ClinicalFacts f = Read({Observation("c", "2160-0", Quantity("1.0", "mg/dL"), 2)});
  EXPECT_EQ(f.creatinine_clearance().state(), State::UNKNOWN);
  EXPECT_THAT(f.creatinine_clearance().note(), HasSubstr("weight"));
}

}  // namespace
}  // namespace thrombo::risk
