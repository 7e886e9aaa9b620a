// Copyright 2026 The Thrombo Authors.
// Tests of parse errors and their payloads.
#include "fhir/parse_issue.h"

#include "gtest/gtest.h"

namespace thrombo::fhir {
namespace {

TEST(ParseIssueTest, ErrorCarriesPathTypeAndPosition) {
  absl::Status status = MakeParseError(IssueType::kValue, "invalid date", "Patient.birthDate");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invalid date at Patient.birthDate");
  EXPECT_EQ(ErrorPath(status), "Patient.birthDate");
  EXPECT_EQ(ErrorIssueType(status), IssueType::kValue);
  EXPECT_EQ(ErrorPosition(status), std::nullopt);
  SetErrorPosition(&status, 3, 14);
  EXPECT_EQ(ErrorPosition(status), std::make_pair(3, 14));
}

TEST(ParseIssueTest, PlainStatusHasNoPayloads) {
  absl::Status status = absl::InternalError("x");
  EXPECT_EQ(ErrorPath(status), std::nullopt);
  EXPECT_EQ(ErrorIssueType(status), std::nullopt);
  EXPECT_EQ(MakeParseError(IssueType::kTooLong, "too big", "").message(), "too big");
}

TEST(ParseIssueTest, Codes) {
  EXPECT_EQ(IssueTypeCode(IssueType::kTooLong), "too-long");
  EXPECT_EQ(IssueTypeCode(IssueType::kNotSupported), "not-supported");
  EXPECT_EQ(IssueTypeCode(IssueType::kStructure), "structure");
}

}  // namespace
}  // namespace thrombo::fhir
