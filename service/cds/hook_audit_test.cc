// Copyright 2026 The Thrombo Authors.
// Tests for HookAudit: the row a hook call leaves, whichever transport carried it.
#include "service/cds/hook_audit.h"
#include "service/store/test_records.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::thrombo::testing::StatusIs;

v1::EvaluateHookRequest Request(const std::string& patient_id) {
  v1::EvaluateHookRequest request;
  request.set_service_id("thrombo-order-sign");
  request.set_hook("order-sign");
  request.set_hook_instance("0d3c5f8e-7a41-4bf0-9d1e-2f6a8c4b7e15");
  (*request.mutable_context())["patientId"] = patient_id;
  (*request.mutable_context())["userId"] = "Practitioner/example";
  return request;
}

// An answer with two cards, the first with two suggestions.
void FillResult(HookResult* result) {
  result->mutable_assessment()->set_policy_version("policy-v1.1");
  result->mutable_assessment()->mutable_recommendation()->set_action(
      v1::Recommendation::ANTICOAGULANT);
  Card& first = result->cards.emplace_back();
  first.uuid = "card-prophylaxis";
  first.suggestions.emplace_back().uuid = "suggestion-lmwh";
  first.suggestions.emplace_back().uuid = "suggestion-aspirin";
  result->cards.emplace_back().uuid = "card-arterial";
}

// A HookAudit over a fresh SQLite store in the test's temporary directory.
class HookAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = absl::StrCat(
        ::testing::TempDir(), "/",
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    ASSERT_OK_AND_ASSIGN(store_, store::FeedbackStore::Open(path));
    ASSERT_OK_AND_ASSIGN(audit_, HookAudit::Create(store_.get(), &registry_, nullptr));
  }

  // The rows committed so far, as `thrombo feedback export --audit` prints them.
  std::vector<std::string> AuditLines() {
    absl::StatusOr<std::vector<std::string>> lines =
        store::test_records::CommittedAuditLines(*store_);
    EXPECT_OK(lines.status());
    return lines.value_or(std::vector<std::string>());
  }

  std::unique_ptr<store::FeedbackStore> store_;
  http::MetricsRegistry registry_;
  std::unique_ptr<HookAudit> audit_;
};

TEST_F(HookAuditTest, AnAnsweredCallLeavesOneRowWithItsCardsAndSuggestions) {
  HookResult result;
  FillResult(&result);
  audit_->RecordAnswer(Request("example-123"), &result);
  const std::vector<std::string> lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("\"serviceId\":\"thrombo-order-sign\",\"hook\":\"order-sign\","
                                  "\"hookInstance\":\"0d3c5f8e-7a41-4bf0-9d1e-2f6a8c4b7e15\","
                                  "\"patientId\":\"example-123\","
                                  "\"cards\":[\"card-prophylaxis\",\"card-arterial\"],"
                                  "\"suggestions\":[\"suggestion-lmwh\",\"suggestion-aspirin\"],"
                                  "\"policyVersion\":\"policy-v1.1\",\"action\":\"ANTICOAGULANT\""));
  // Nothing else from the request (the user) is kept.
  EXPECT_THAT(lines[0], Not(HasSubstr("Practitioner")));
}

TEST_F(HookAuditTest, AFailedCallLeavesARowWithItsStatusAndNoCards) {
  audit_->RecordRefusal(Request("example-123"),
                        absl::FailedPreconditionError("required prefetch medicationRequests"));
  EXPECT_THAT(AuditLines(),
              ElementsAre(AllOf(HasSubstr("\"action\":\"412\""), Not(HasSubstr("\"cards\"")))));
}

TEST_F(HookAuditTest, ARowTheStoreRefusesIsCountedNotFatal) {
  // A reference where a logical id belongs: the store keeps such text out of the audit trail.
  audit_->RecordRefusal(Request("Patient/example-123"), absl::NotFoundError("no such service"));
  EXPECT_THAT(AuditLines(), ::testing::IsEmpty());
  EXPECT_THAT(registry_.RenderText(),
              HasSubstr("thrombo_audit_rows_dropped_total{reason=\"invalid\"} 1"));
}

TEST(HookAudit, WithoutAStoreNothingIsRecordedAndTheMetricIsRegisteredOnce) {
  http::MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<HookAudit> audit,
                       HookAudit::Create(nullptr, &registry, nullptr));
  HookResult result;
  FillResult(&result);
  audit->RecordAnswer(Request("example-123"), &result);
  EXPECT_EQ(result.cards[0].uuid, "card-prophylaxis");  // nothing taken when nothing is kept
  // The HTTP API and the gRPC service share one auditor: a second would register the metric
  // again.
  EXPECT_THAT(HookAudit::Create(nullptr, &registry, nullptr),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

}  // namespace
}  // namespace thrombo::service
