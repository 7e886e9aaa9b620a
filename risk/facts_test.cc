// Copyright 2026 The Thrombo Authors.
// The ExtractFacts entry: the Patient, and what every library leaves ABSENT or UNKNOWN.
#include "risk/facts.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/fact_test_util.h"

namespace thrombo::risk {
namespace {

using ::testing::ElementsAre;
using testing::Facts;
using State = v1::Fact;

std::string PatientWithRaces(const std::vector<std::string>& codes) {
  std::string subs;
  for (const std::string& code : codes) {
    absl::StrAppend(
        &subs, subs.empty() ? "" : ",",
        R"({"url":"ombCategory","valueCoding":)"
        R"({"system":"urn:oid:2.16.840.1.113883.6.238","code":")",
        code, R"("}})");
  }
  return absl::StrCat(
      R"({"resourceType":"Patient","id":"p","gender":"female","birthDate":"1950-06-01",)"
      R"("extension":[{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",)"
      R"("extension":[)",
      subs, "]}]}");
}

TEST(FactsTest, EveryRaceCategoryIsKept) {
  absl::StatusOr<v1::ClinicalFacts> f =
      Facts({}, {}, {}, PatientWithRaces({"2106-3", "2028-9", "2106-3"}));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->race_omb_categories(), ElementsAre("2106-3", "2028-9"));
  EXPECT_EQ(f->race_omb_code(), "2106-3");  // the first, for output compatibility
}

TEST(FactsTest, AgeAndSexFromThePatient) {
  absl::StatusOr<v1::ClinicalFacts> f = Facts({}, {}, {}, PatientWithRaces({"2106-3"}));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->age_years().value(), 76);
  EXPECT_EQ(f->sex(), "female");
}

TEST(FactsTest, NothingRecordedIsAbsentButGatingLabsAreUnknown) {
  absl::StatusOr<v1::ClinicalFacts> f = Facts({});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->active_bleeding().state(), State::ABSENT);
  EXPECT_EQ(f->therapeutic_anticoagulation().state(), State::ABSENT);
  EXPECT_EQ(f->possibly_current_anticoagulant().state(), State::ABSENT);
  EXPECT_EQ(f->platelets().state(), State::UNKNOWN);
  EXPECT_EQ(f->creatinine_clearance().state(), State::UNKNOWN);
}

TEST(FactsTest, MissingOrdersMakeAnticoagulationUnknown) {
  DataAvailability available;
  available.medication_requests = false;
  absl::StatusOr<v1::ClinicalFacts> f = Facts({}, {}, available);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->therapeutic_anticoagulation().state(), State::UNKNOWN);
  EXPECT_EQ(f->possibly_current_anticoagulant().state(), State::UNKNOWN);
}

}  // namespace
}  // namespace thrombo::risk
