// Copyright 2026 The Thrombo Authors.
// Observations as real records write them (docs/clinical.md policy v1.1 rules 14, 15, 24).
#include "risk/lab_facts.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/fact_test_util.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::risk {
namespace {

using ::testing::DoubleNear;
using testing::Facts;
using ::testing::HasSubstr;
using testing::Observation;
using testing::Quantity;
using State = v1::Fact;

constexpr char kPlatelets[] = "777-3";

v1::ClinicalFacts Read(const std::vector<std::string>& resources) {
  absl::StatusOr<v1::ClinicalFacts> facts = Facts(resources);
  EXPECT_TRUE(facts.ok()) << facts.status();
  return facts.ok() ? *facts : v1::ClinicalFacts();
}

TEST(PlateletsTest, NewestWithAComparatorBelowTheThresholdIsLow) {
  // The issue's case: "<10" was dropped and an older normal count used.
  const v1::ClinicalFacts f =
      Read({Observation("old", kPlatelets, Quantity("220", "10*9/L"), 10),
            Observation("new", kPlatelets, Quantity("10", "10*9/L", "<"), 1)});
  EXPECT_EQ(f.platelets().state(), State::PRESENT);
  EXPECT_LT(f.platelets().value(), 50);
  ASSERT_EQ(f.platelets().evidence_size(), 1);
  EXPECT_EQ(f.platelets().evidence(0).resource_id(), "new");
  EXPECT_THAT(f.platelets().evidence(0).matched(), HasSubstr("<10 10*9/L"));
  EXPECT_EQ(f.platelets().time_us(), absl::ToUnixMicros(testing::TestNow() - absl::Hours(24)));
}

TEST(PlateletsTest, AGreaterThanBoundAboveTheThresholdReassures) {
  const v1::ClinicalFacts f =
      Read({Observation("o", kPlatelets, Quantity("100", "10*9/L", ">"), 2)});
  EXPECT_EQ(f.platelets().state(), State::PRESENT);
  EXPECT_GE(f.platelets().value(), 50);
  EXPECT_THAT(f.platelets().note(), HasSubstr(">100"));
}

TEST(PlateletsTest, ABoundThatDoesNotDecideIsUnknown) {
  const v1::ClinicalFacts f =
      Read({Observation("old", kPlatelets, Quantity("220", "10*9/L"), 5),
            Observation("o", kPlatelets, Quantity("60", "10*9/L", "<"), 1)});
  EXPECT_EQ(f.platelets().state(), State::UNKNOWN);
  EXPECT_THAT(f.platelets().note(), HasSubstr("<60"));
  ASSERT_GE(f.platelets().evidence_size(), 1);
  EXPECT_EQ(f.platelets().evidence(0).resource_id(), "o");
}

TEST(PlateletsTest, UnreadableNewestIsUnknownNotTheOlderNormal) {
  for (const std::string& value :
       {Quantity("180", "cells/hpf"), std::string("\"valueString\":\"clumped, see smear\""),
        std::string("\"dataAbsentReason\":{\"text\":\"specimen clotted\"}")}) {
    const v1::ClinicalFacts f = Read({Observation("old", kPlatelets, Quantity("220", "10*9/L"), 5),
                                      Observation("new", kPlatelets, value, 1)});
    EXPECT_EQ(f.platelets().state(), State::UNKNOWN) << value;
    EXPECT_FALSE(f.platelets().note().empty());
    ASSERT_GE(f.platelets().evidence_size(), 1);
    EXPECT_EQ(f.platelets().evidence(0).resource_id(), "new");
  }
}

TEST(PlateletsTest, StatusDecidesWhetherAResultExists) {
  // Cancelled and entered-in-error results do not exist: the older count stands.
  for (const char* status : {"cancelled", "entered-in-error"}) {
    const v1::ClinicalFacts f =
        Read({Observation("old", kPlatelets, Quantity("220", "10*9/L"), 5),
              Observation("new", kPlatelets, Quantity("20", "10*9/L"), 1, status)});
    EXPECT_DOUBLE_EQ(f.platelets().value(), 220) << status;
  }
  // Preliminary, amended and corrected results count.
  for (const char* status : {"preliminary", "amended", "corrected"}) {
    const v1::ClinicalFacts f =
        Read({Observation("old", kPlatelets, Quantity("220", "10*9/L"), 5),
              Observation("new", kPlatelets, Quantity("20", "10*9/L"), 1, status)});
    EXPECT_DOUBLE_EQ(f.platelets().value(), 20) << status;
  }
}

TEST(PlateletsTest, LowCountsDoNotExpire) {
  // 30 x10^9/L 60 days ago, nothing since: still the platelet fact (rule 15).
  v1::ClinicalFacts f = Read({Observation("low", kPlatelets, Quantity("30", "10*9/L"), 60)});
  EXPECT_EQ(f.platelets().state(), State::PRESENT);
  EXPECT_DOUBLE_EQ(f.platelets().value(), 30);
  // A later unreadable count does not lift it.
  f = Read({Observation("low", kPlatelets, Quantity("30", "10*9/L"), 60),
            Observation("u", kPlatelets, "\"valueString\":\"pending\"", 2)});
  EXPECT_DOUBLE_EQ(f.platelets().value(), 30);
  // A later count >= 50 does, when recent.
  f = Read({Observation("low", kPlatelets, Quantity("30", "10*9/L"), 60),
            Observation("ok", kPlatelets, Quantity("150", "10*9/L"), 3)});
  EXPECT_DOUBLE_EQ(f.platelets().value(), 150);
  // Beyond 90 days a low count is history, and an old normal count reassures nobody.
  f = Read({Observation("low", kPlatelets, Quantity("30", "10*9/L"), 120),
            Observation("ok", kPlatelets, Quantity("150", "10*9/L"), 30)});
  EXPECT_EQ(f.platelets().state(), State::UNKNOWN);
  EXPECT_THAT(f.platelets().note(), HasSubstr("older than 14 days"));
}

TEST(PlateletsTest, ACountUnderALocalCodeIsQuotedNotRead) {
  const std::string local = absl::StrCat(
      R"({"resourceType":"Observation","id":"loc","status":"final","code":{"coding":[)",
      R"({"system":"http://hospital.example/labs","code":"PLT","display":"Platelet count"}]},)",
      R"("subject":{"reference":"Patient/p"},"effectiveDateTime":")", testing::DaysAgo(1),
      R"(",)", Quantity("180", "10*9/L"), "}");
  const v1::ClinicalFacts f =
      Read({Observation("old", kPlatelets, Quantity("220", "10*9/L"), 5), local});
  EXPECT_EQ(f.platelets().state(), State::UNKNOWN);
  EXPECT_THAT(f.platelets().note(), HasSubstr("not in the policy"));
  ASSERT_GE(f.platelets().evidence_size(), 1);
  EXPECT_EQ(f.platelets().evidence(0).resource_id(), "loc");
}

TEST(PlateletsTest, NoCountIsUnknownWithANote) {
  const v1::ClinicalFacts f = Read({});
  EXPECT_EQ(f.platelets().state(), State::UNKNOWN);
  EXPECT_THAT(f.platelets().note(), HasSubstr("no platelet count"));
}

TEST(PlateletsTest, UnitsAndCodes) {
  struct Case {
    const char* loinc;
    std::string quantity;
    double expected;
  };
  for (const Case& c : std::vector<Case>{{"777-3", Quantity("150", "10*3/uL"), 150},
                                         {"777-3", Quantity("150", "K/uL"), 150},
                                         {"777-3", Quantity("150", "/nL"), 150},
                                         {"777-3", Quantity("150000", "/uL"), 150},
                                         {"26515-7", Quantity("150", "x10^9/L"), 150},
                                         {"778-1", Quantity("45", "10*9/L"), 45},  // manual count
                                         {"13056-7", Quantity("99", "10*9/L"), 99}}) {
    const v1::ClinicalFacts f = Read({Observation("o", c.loinc, c.quantity, 1)});
    EXPECT_EQ(f.platelets().state(), State::PRESENT) << c.loinc << " " << c.quantity;
    EXPECT_THAT(f.platelets().value(), DoubleNear(c.expected, 1e-9)) << c.quantity;
  }
}

// LabFacts remembers the first codes it meets: a code like a remembered one (same length, same
// last digit) is not taken for it, and codes met after the memory is full are still read.
TEST(PlateletsTest, CodesAreReadTheSameHoweverManyAndInWhatOrder) {
  const std::vector<std::string> unrelated = {
      Observation("u1", "2345-7", Quantity("5", "mmol/L"), 1),
      Observation("u2", "2951-2", Quantity("140", "mmol/L"), 1),
      Observation("u3", "2823-3", Quantity("4", "mmol/L"), 1),
      Observation("u4", "2075-0", Quantity("100", "mmol/L"), 1),
      Observation("u5", "1742-6", Quantity("30", "U/L"), 1),
      Observation("u6", "1920-8", Quantity("30", "U/L"), 1),
      Observation("u7", "6768-6", Quantity("90", "U/L"), 1),
      Observation("u8", "1975-2", Quantity("1", "mg/dL"), 1),
      // Not a platelet count, though it differs from 777-3 only in the middle.
      Observation("look-alike", "787-3", Quantity("5", "10*9/L"), 1)};
  const std::string platelets = Observation("plt", kPlatelets, Quantity("220", "10*9/L"), 3);
  const std::string haemoglobin = Observation("hb", "718-7", Quantity("12", "g/dL"), 2);
  for (const bool labs_first : {true, false}) {
    std::vector<std::string> record;
    if (labs_first) record = {platelets, haemoglobin};
    record.insert(record.end(), unrelated.begin(), unrelated.end());
    record.insert(record.end(), unrelated.begin(), unrelated.end());
    if (!labs_first) record.insert(record.end(), {platelets, haemoglobin, platelets});
    const v1::ClinicalFacts f = Read(record);
    EXPECT_EQ(f.platelets().state(), State::PRESENT) << labs_first;
    EXPECT_THAT(f.platelets().value(), DoubleNear(220, 1e-9)) << labs_first;
    ASSERT_GE(f.platelets().evidence_size(), 1);
    EXPECT_EQ(f.platelets().evidence(0).resource_id(), "plt");
    EXPECT_THAT(f.hemoglobin_g_dl().value(), DoubleNear(12, 1e-9)) << labs_first;
  }
}

TEST(HaemoglobinTest, CodesAndUnits) {
  v1::ClinicalFacts f = Read({Observation("o", "718-7", Quantity("125", "g/L"), 1)});
  EXPECT_THAT(f.hemoglobin_g_dl().value(), DoubleNear(12.5, 1e-9));
  f = Read({Observation("o", "20509-6", Quantity("11", "g/dL"), 1)});
  EXPECT_THAT(f.hemoglobin_g_dl().value(), DoubleNear(11, 1e-9));
}

TEST(EgfrTest, BothCkdEpiEquations) {
  for (const char* loinc : {"98979-8", "62238-1", "88293-6", "88294-4", "48642-3"}) {
    const v1::ClinicalFacts f =
        Read({Observation("o", loinc, Quantity("42", "mL/min/{1.73_m2}"), 1)});
    EXPECT_EQ(f.egfr().state(), State::PRESENT) << loinc;
    EXPECT_DOUBLE_EQ(f.egfr().value(), 42) << loinc;
  }
}

TEST(EgfrTest, AGreaterThanBoundIsItsBoundAndOtherComparatorsAreUnknown) {
  v1::ClinicalFacts f =
      Read({Observation("o", "98979-8", Quantity("60", "mL/min/{1.73_m2}", ">"), 1)});
  EXPECT_EQ(f.egfr().state(), State::PRESENT);
  EXPECT_DOUBLE_EQ(f.egfr().value(), 60);
  EXPECT_THAT(f.egfr().note(), HasSubstr("at least"));
  f = Read({Observation("o", "98979-8", Quantity("15", "mL/min/{1.73_m2}", "<"), 1)});
  EXPECT_EQ(f.egfr().state(), State::UNKNOWN);
}

TEST(ReadLabTest, KeepsTheValueAsRecorded) {
  fhir::r4::Observation o;
  o.set_status(fhir::r4::ObservationStatusCode::FINAL);
  o.mutable_effective_date_time()->set_value_us(0);
  o.mutable_effective_date_time()->set_precision(fhir::r4::SECOND);
  o.mutable_value_quantity()->mutable_value()->set_value("10");
  o.mutable_value_quantity()->set_comparator(fhir::r4::Quantity::LESS_THAN);
  o.mutable_value_quantity()->set_unit("10*9/L");
  const fhir::LabObservation view = fhir::LabObservationFromProto(o);
  const std::optional<LabReading> r = ReadLab(view, Unit::kPerNanolitre);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->recorded(), "<10 10*9/L");
  EXPECT_TRUE(r->CertainlyBelow(50));
  EXPECT_FALSE(r->CertainlyAtOrAbove(50));
  EXPECT_FALSE(r->CertainlyBelow(10 - 1e-6) && r->exact());
}

}  // namespace
}  // namespace thrombo::risk
