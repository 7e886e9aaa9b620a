// Copyright 2026 The Thrombo Authors.
#include "service/cds/discovery.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::service {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Every resource type the facts read is asked for, so an EHR sends it and fetch-on-miss
// fetches it (docs/clinical.md policy v1.1 rules 14, 19, 20).
TEST(DiscoveryTest, AsksForEveryResourceTypeTheFactsRead) {
  const v1::CdsServices services = BuildDiscovery({"http://loinc.org|777-3"});
  ASSERT_EQ(services.services_size(), 3);
  for (const v1::CdsService& service : services.services()) {
    const auto& p = service.prefetch();
    for (const auto& [key, type] : std::vector<std::pair<std::string, std::string>>{
             {kPrefetchPatient, "Patient/"},
             {kPrefetchMedicationRequests, "MedicationRequest?"},
             {kPrefetchMedicationStatements, "MedicationStatement?"},
             {kPrefetchMedicationDispenses, "MedicationDispense?"},
             {kPrefetchMedicationAdministrations, "MedicationAdministration?"},
             {kPrefetchConditions, "Condition?"},
             {kPrefetchObservations, "Observation?"},
             {kPrefetchProcedures, "Procedure?"},
             {kPrefetchAllergies, "AllergyIntolerance?"}}) {
      ASSERT_TRUE(p.count(key)) << service.id() << " lacks " << key;
      EXPECT_THAT(p.at(key), StartsWith(type)) << key;
      EXPECT_THAT(p.at(key), HasSubstr("{{context.patientId}}")) << key;
    }
  }
}

// On-hold and recently completed orders, and statements of unknown status, may be current.
TEST(DiscoveryTest, MedicationTemplatesAreNotOnlyActive) {
  const v1::CdsServices services = BuildDiscovery({});
  const v1::CdsService& service = services.services(0);
  EXPECT_THAT(service.prefetch().at(kPrefetchMedicationRequests), HasSubstr("on-hold"));
  EXPECT_THAT(service.prefetch().at(kPrefetchMedicationRequests), HasSubstr("completed"));
  EXPECT_THAT(service.prefetch().at(kPrefetchMedicationStatements), HasSubstr("unknown"));
  EXPECT_THAT(service.prefetch().at(kPrefetchMedicationStatements), HasSubstr("intended"));
}

TEST(DiscoveryTest, ObservationTemplateListsThePolicyCodes) {
  const v1::CdsServices services =
      BuildDiscovery({"http://loinc.org|777-3", "http://loinc.org|14682-9"});
  const v1::CdsService& service = services.services(0);
  EXPECT_THAT(service.prefetch().at(kPrefetchObservations),
              HasSubstr("code=http://loinc.org|777-3,http://loinc.org|14682-9"));
}

}  // namespace
}  // namespace thrombo::service
