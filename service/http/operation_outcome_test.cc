// Copyright 2026 The Thrombo Authors.
// Tests for the OperationOutcome error bodies.
#include "service/http/operation_outcome.h"

#include <string>

#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace thrombo::service::http {
namespace {

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  EXPECT_FALSE(document.HasParseError()) << json;
  return document;
}

TEST(OperationOutcomeJson, HasOneErrorIssueWithDiagnosticsAndExpression) {
  const rapidjson::Document doc =
      Parse(OperationOutcomeJson(412, "prefetch 'patient' is missing", "prefetch.patient"));
  EXPECT_STREQ(doc["resourceType"].GetString(), "OperationOutcome");
  ASSERT_EQ(doc["issue"].Size(), 1u);
  const auto& issue = doc["issue"][0];
  EXPECT_STREQ(issue["severity"].GetString(), "error");
  EXPECT_STREQ(issue["code"].GetString(), "processing");
  EXPECT_STREQ(issue["diagnostics"].GetString(), "prefetch 'patient' is missing");
  ASSERT_EQ(issue["expression"].Size(), 1u);
  EXPECT_STREQ(issue["expression"][0].GetString(), "prefetch.patient");
}

TEST(OperationOutcomeJson, LeavesOutEmptyElements) {
  const rapidjson::Document doc = Parse(OperationOutcomeJson(500, ""));
  EXPECT_FALSE(doc["issue"][0].HasMember("diagnostics"));
  EXPECT_FALSE(doc["issue"][0].HasMember("expression"));
}

TEST(OperationOutcomeJson, EscapesQuotesAndRepairsBadUtf8) {
  const rapidjson::Document doc = Parse(OperationOutcomeJson(404, "no \"x\"\n at /a\xFF"));
  EXPECT_EQ(std::string(doc["issue"][0]["diagnostics"].GetString()),
            "no \"x\"\n at /a\xEF\xBF\xBD");
}

TEST(IssueCodeForHttpStatus, MapsTheDocumentedStatuses) {
  const std::pair<int, const char*> cases[] = {
      {400, "invalid"},       {401, "login"},      {403, "forbidden"},  {404, "not-found"},
      {405, "not-supported"}, {415, "not-supported"}, {412, "processing"}, {413, "too-costly"},
      {429, "throttled"},     {500, "exception"},  {503, "transient"},  {408, "timeout"},
      {431, "too-costly"},    {409, "processing"}, {502, "exception"}};
  for (const auto& [status, code] : cases) {
    EXPECT_EQ(IssueCodeForHttpStatus(status), code) << status;
  }
}

}  // namespace
}  // namespace thrombo::service::http
