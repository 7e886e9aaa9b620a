// Copyright 2026 The Thrombo Authors.
// Tests of CDS Hooks prefetch template substitution.
#include "service/fhir_client/prefetch_template.h"

#include <map>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::StatusIs;

const std::map<std::string, std::string> kContext = {
    {"patientId", "123"}, {"encounterId", "enc-9"}, {"userId", "Practitioner/abc"}};

TEST(ResolvePrefetchTemplateTest, ContextTokens) {
  EXPECT_THAT(ResolvePrefetchTemplate("Patient/{{context.patientId}}", kContext, ""),
              IsOkAndHolds("Patient/123"));
  EXPECT_THAT(ResolvePrefetchTemplate("Encounter/{{context.encounterId}}", kContext, ""),
              IsOkAndHolds("Encounter/enc-9"));
  EXPECT_THAT(ResolvePrefetchTemplate(
                  "MedicationRequest?patient={{context.patientId}}&status=active", kContext, ""),
              IsOkAndHolds("MedicationRequest?patient=123&status=active"));
}

TEST(ResolvePrefetchTemplateTest, UserIdIsAReadAndKeepsItsSlash) {
  EXPECT_THAT(ResolvePrefetchTemplate("{{context.userId}}", kContext, ""),
              IsOkAndHolds("Practitioner/abc"));
  EXPECT_THAT(ResolvePrefetchTemplate("{{context.userId}}", kContext, "PractitionerRole/r 1"),
              IsOkAndHolds("PractitionerRole/r%201"));
  EXPECT_THAT(ResolvePrefetchTemplate("Task?owner={{context.userId}}", kContext, ""),
              IsOkAndHolds("Task?owner=Practitioner/abc"));
}

TEST(ResolvePrefetchTemplateTest, EachUserToken) {
  EXPECT_THAT(ResolvePrefetchTemplate("Practitioner/{{userPractitionerId}}", kContext, ""),
              IsOkAndHolds("Practitioner/abc"));
  EXPECT_THAT(ResolvePrefetchTemplate("PractitionerRole/{{userPractitionerRoleId}}", {},
                                      "PractitionerRole/r1"),
              IsOkAndHolds("PractitionerRole/r1"));
  EXPECT_THAT(ResolvePrefetchTemplate("Patient/{{userPatientId}}", {}, "Patient/p1"),
              IsOkAndHolds("Patient/p1"));
  EXPECT_THAT(ResolvePrefetchTemplate("RelatedPerson/{{userRelatedPersonId}}", {},
                                      "RelatedPerson/rp1"),
              IsOkAndHolds("RelatedPerson/rp1"));
}

TEST(ResolvePrefetchTemplateTest, UserIdArgumentWinsOverContext) {
  EXPECT_THAT(ResolvePrefetchTemplate("{{userPractitionerId}}", kContext, "Practitioner/xyz"),
              IsOkAndHolds("xyz"));
}

TEST(ResolvePrefetchTemplateTest, SpacesInsideBracesAreIgnored) {
  EXPECT_THAT(ResolvePrefetchTemplate("Patient/{{ context.patientId }}", kContext, ""),
              IsOkAndHolds("Patient/123"));
}

TEST(ResolvePrefetchTemplateTest, ValuesAreEncodedForPathAndQuery) {
  const std::map<std::string, std::string> context = {{"patientId", "a/b|c,d&e=f g"}};
  // In the path a value stays one segment.
  EXPECT_THAT(ResolvePrefetchTemplate("Patient/{{context.patientId}}", context, ""),
              IsOkAndHolds("Patient/a%2Fb%7Cc%2Cd%26e%3Df%20g"));
  // In the query it cannot add parameters or OR-values.
  EXPECT_THAT(
      ResolvePrefetchTemplate("Observation?patient={{context.patientId}}&code=x|y", context, ""),
      IsOkAndHolds("Observation?patient=a/b%7Cc%2Cd%26e%3Df%20g&code=x|y"));
}

TEST(ResolvePrefetchTemplateTest, TextWithoutTokensIsCopied) {
  EXPECT_THAT(ResolvePrefetchTemplate("Observation?code=a}}b", kContext, ""),
              IsOkAndHolds("Observation?code=a}}b"));
}

TEST(ResolvePrefetchTemplateTest, UnknownTokenIsAnErrorNamingIt) {
  EXPECT_THAT(ResolvePrefetchTemplate("Patient/{{patientId}}", kContext, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("{{patientId}}")));
  EXPECT_THAT(ResolvePrefetchTemplate("X/{{}}", kContext, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown token")));
}

TEST(ResolvePrefetchTemplateTest, NestedContextTokenIsAnError) {
  EXPECT_THAT(ResolvePrefetchTemplate("ServiceRequest/{{context.draftOrders.id}}", kContext, ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("{{context.draftOrders.id}}")));
}

TEST(ResolvePrefetchTemplateTest, UnterminatedTokenIsAnError) {
  EXPECT_THAT(ResolvePrefetchTemplate("Patient/{{context.patientId", kContext, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unterminated")));
}

TEST(ResolvePrefetchTemplateTest, MissingContextValueIsUnresolvable) {
  const std::map<std::string, std::string> context = {{"patientId", "1"}, {"encounterId", ""}};
  EXPECT_THAT(ResolvePrefetchTemplate("Encounter/{{context.encounterId}}", context, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("{{context.encounterId}}")));
  EXPECT_THAT(ResolvePrefetchTemplate("{{context.userId}}", context, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("{{context.userId}}")));
}

TEST(ResolvePrefetchTemplateTest, UserTokenOfAnotherTypeIsUnresolvable) {
  EXPECT_THAT(ResolvePrefetchTemplate("Patient/{{userPatientId}}", kContext, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("{{userPatientId}}"), HasSubstr("Patient reference"))));
  EXPECT_THAT(ResolvePrefetchTemplate("{{userPractitionerId}}", {}, "Practitioner/"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(ResolvePrefetchTemplate("{{userPractitionerId}}", {}, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no userId")));
}

}  // namespace
}  // namespace thrombo::service
