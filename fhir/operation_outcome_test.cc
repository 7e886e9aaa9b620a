// Copyright 2026 The Thrombo Authors.
// Tests of Status -> OperationOutcome conversion.
#include "fhir/operation_outcome.h"

#include "fhir/json_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::fhir {
namespace {

using ::thrombo::testing::EqualsProto;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::ParseTextProtoOrDie;

TEST(OperationOutcomeTest, ParseErrorBecomesAnIssueWithExpression) {
  absl::StatusOr<ParsedResource> parsed =
      ParseResource(R"({"resourceType": "Patient", "birthDate": "1970-13"})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(ToOperationOutcome(parsed.status()),
              EqualsProto(ParseTextProtoOrDie<r4::OperationOutcome>(R"pb(
                issue {
                  severity: ERROR code: VALUE
                  diagnostics: "invalid date \"1970-13\" at Patient.birthDate"
                  expression: "Patient.birthDate"
                })pb")));
}

TEST(OperationOutcomeTest, InvalidJsonHasLocation) {
  absl::StatusOr<ParsedResource> parsed = ParseResource("{\n\"resourceType\": }");
  ASSERT_FALSE(parsed.ok());
  r4::OperationOutcome outcome = ToOperationOutcome(parsed.status());
  ASSERT_EQ(outcome.issue_size(), 1);
  EXPECT_EQ(outcome.issue(0).code(), r4::IssueTypeCode::STRUCTURE);
  EXPECT_THAT(outcome.issue(0).location(), ::testing::ElementsAre("Line[2] Col[17]"));
}

TEST(OperationOutcomeTest, PlainStatusesAndWarnings) {
  ParseIssue warning{ParseIssue::Severity::kWarning, IssueType::kNotSupported, "Patient.text",
                     "unknown element \"text\" in Patient"};
  r4::OperationOutcome outcome = ToOperationOutcome(absl::InternalError("boom"), {warning});
  EXPECT_THAT(outcome, EqualsProto(ParseTextProtoOrDie<r4::OperationOutcome>(R"pb(
                issue { severity: FATAL code: EXCEPTION diagnostics: "boom" }
                issue {
                  severity: WARNING code: NOT_SUPPORTED
                  diagnostics: "unknown element \"text\" in Patient"
                  expression: "Patient.text"
                })pb")));
  EXPECT_EQ(ToOperationOutcome(absl::NotFoundError("x")).issue(0).code(),
            r4::IssueTypeCode::NOT_FOUND);
  EXPECT_EQ(ToOperationOutcome(absl::OkStatus()).issue(0).severity(),
            r4::IssueSeverityCode::INFORMATION);
}

TEST(OperationOutcomeTest, Json) {
  r4::OperationOutcome outcome = ToOperationOutcome(absl::InvalidArgumentError("bad"));
  EXPECT_THAT(OperationOutcomeJson(outcome),
              IsOkAndHolds(R"({"resourceType":"OperationOutcome","issue":[{"severity":"error",)"
                           R"("code":"invalid","diagnostics":"bad"}]})"));
}

}  // namespace
}  // namespace thrombo::fhir
