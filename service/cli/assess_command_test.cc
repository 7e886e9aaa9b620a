// Copyright 2026 The Thrombo Authors.
#include "service/cli/assess_command.h"

#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/engine.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

// Assesses `json` in the Assessment format and returns what was printed.
absl::StatusOr<std::string> AssessmentOf(const std::string& json) {
  AssessCommandOptions options;
  options.format = AssessFormat::kAssessment;
  options.now = absl::FromUnixSeconds(1'780'000'000);
  std::ostringstream out;
  absl::Status status = RunAssess(json, risk::Engine::Default(), options, out);
  if (!status.ok()) return status;
  return out.str();
}

// A Bundle whose resourceType comes last, after a string "hook" deep inside an entry: the old
// substring test took it for a CDS Hooks request.
constexpr char kBundleWithHookText[] = R"({
  "type": "collection",
  "entry": [{"resource": {"resourceType": "Patient", "id": "p1", "gender": "female",
    "birthDate": "1950-01-01", "name": [{"text": "hook"}]}}],
  "resourceType": "Bundle"})";

// A CDS Hooks request whose prefetch (with resourceType) comes before its "hook" member.
constexpr char kHookAfterPrefetch[] = R"({
  "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
  "prefetch": {
    "patient": {"resourceType": "Patient", "id": "p1", "gender": "female",
                "birthDate": "1950-01-01"},
    "medicationRequests": {"resourceType": "Bundle", "type": "searchset"}},
  "context": {"patientId": "p1", "userId": "Practitioner/1"},
  "hook": "patient-view"})";

TEST(AssessCommandTest, BundleIsRecognisedByItsTopLevelResourceType) {
  ASSERT_OK_AND_ASSIGN(std::string printed, AssessmentOf(kBundleWithHookText));
  EXPECT_THAT(printed, HasSubstr(R"("patientId": "p1")"));
}

TEST(AssessCommandTest, HookRequestIsRecognisedByItsTopLevelHook) {
  ASSERT_OK_AND_ASSIGN(std::string printed, AssessmentOf(kHookAfterPrefetch));
  EXPECT_THAT(printed, HasSubstr(R"("patientId": "p1")"));
}

TEST(AssessCommandTest, DocumentThatIsNeitherSaysWhatItLacks) {
  EXPECT_THAT(AssessmentOf(R"({"context": {}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("neither \"hook\"")));
  EXPECT_THAT(AssessmentOf(R"([1, 2])"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("JSON object")));
  EXPECT_THAT(AssessmentOf(R"({"hook": )"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not JSON")));
  EXPECT_THAT(AssessmentOf(R"({"hook": "patient-view", "resourceType": "Bundle"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("both")));
}

}  // namespace
}  // namespace thrombo::service
