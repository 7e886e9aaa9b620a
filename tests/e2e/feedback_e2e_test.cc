// Copyright 2026 The Thrombo Authors.
// End-to-end tests of CDS Hooks feedback and the audit trail: stored durably over HTTP,
// idempotent on resend, still there after a restart, malformed bodies named precisely.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "service/store/feedback_store.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;


std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    lines.emplace_back(line);
  }
  return lines;
}

std::vector<std::string> ExportFeedback(store::FeedbackStore* store) {
  std::ostringstream out;
  absl::Status status = store->ExportFeedbackJsonLines(out);
  EXPECT_TRUE(status.ok()) << status;
  return Lines(out.str());
}

std::vector<std::string> ExportAudit(store::FeedbackStore* store) {
  std::ostringstream out;
  absl::Status status = store->ExportAuditJsonLines(out);
  EXPECT_TRUE(status.ok()) << status;
  return Lines(out.str());
}

class FeedbackE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    request_ = LoadExample("order-sign-thalidomide.json", stack_->fhir().base_url());
    ASSERT_FALSE(request_.HasParseError());
    ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request_));
    ASSERT_EQ(response.status, 200) << response.body;
    rapidjson::Document doc = ParseJson(response.body);
    ASSERT_TRUE(doc.IsObject() && !doc["cards"].Empty()) << response.body;
    const auto& card = doc["cards"][0];
    card_uuid_ = card["uuid"].GetString();
    ASSERT_TRUE(card.HasMember("suggestions") && card.HasMember("overrideReasons"))
        << response.body;
    suggestion_uuid_ = card["suggestions"][0]["uuid"].GetString();
    reason_ = ToJson(card["overrideReasons"][0]);
  }

  // One accepted and one overridden entry for the card the hook call returned.
  std::string FeedbackBody() const {
    return absl::StrCat(
        R"({"feedback":[{"card":")", card_uuid_,
        R"(","outcome":"accepted","acceptedSuggestions":[{"id":")", suggestion_uuid_,
        R"("}],"outcomeTimestamp":"2026-11-25T12:01:00Z"},)", R"({"card":")", card_uuid_,
        R"(","outcome":"overridden","overrideReason":{"reason":)", reason_,
        R"(,"userComment":"already on apixaban from another clinic"},)",
        R"("outcomeTimestamp":"2026-11-25T12:02:00Z"}]})");
  }

  std::unique_ptr<ServiceStack> stack_;
  rapidjson::Document request_;
  std::string card_uuid_;
  std::string suggestion_uuid_;
  std::string reason_;  // the card's first override reason, a CDS Hooks Coding
};

TEST_F(FeedbackE2eTest, AcceptedAndOverriddenAreStoredOnceAndSurviveRestart) {
  ClientResponse response = stack_->PostJson(kFeedback, FeedbackBody());
  ASSERT_EQ(response.status, 200) << response.body;
  std::vector<std::string> rows = ExportFeedback(stack_->store());
  ASSERT_THAT(rows, SizeIs(2));
  EXPECT_THAT(rows[0], HasSubstr(card_uuid_));
  EXPECT_THAT(rows[0], HasSubstr("\"accepted\""));
  EXPECT_THAT(rows[0], HasSubstr(suggestion_uuid_));
  EXPECT_THAT(rows[0], HasSubstr("\"serviceId\":\"thrombo-order-sign\""));
  EXPECT_THAT(rows[1], HasSubstr("\"overridden\""));
  EXPECT_THAT(rows[1], HasSubstr("already on apixaban"));

  // Clients resend feedback; a resend is acknowledged and stores nothing new.
  ClientResponse again = stack_->PostJson(kFeedback, FeedbackBody());
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_THAT(ExportFeedback(stack_->store()), SizeIs(2));

  // A 200 promised durability: the rows are in the file after the server and store close.
  const std::string path = stack_->store_path();
  stack_->StopServer();
  absl::StatusOr<std::unique_ptr<store::FeedbackStore>> reopened = store::FeedbackStore::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  std::vector<std::string> after = ExportFeedback(reopened->get());
  EXPECT_THAT(after, SizeIs(2));
  if (after.size() == 2) {
    // receivedAt aside, the same rows.
    EXPECT_EQ(after[0].substr(0, after[0].find("receivedAt")),
              rows[0].substr(0, rows[0].find("receivedAt")));
  }
}

TEST_F(FeedbackE2eTest, MissingOutcomeTimestampIs400NamingTheElement) {
  const std::string body = absl::StrCat(R"({"feedback":[{"card":")", card_uuid_,
                                        R"(","outcome":"overridden"}]})");
  ClientResponse response = stack_->PostJson(kFeedback, body);
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "feedback[0].outcomeTimestamp"), IsEmpty());
  EXPECT_THAT(ExportFeedback(stack_->store()), IsEmpty());
}

TEST_F(FeedbackE2eTest, UnknownOutcomeIs400NamingTheElement) {
  const std::string body =
      absl::StrCat(R"({"feedback":[{"card":")", card_uuid_,
                   R"(","outcome":"ignored","outcomeTimestamp":"2026-11-25T12:01:00Z"}]})");
  ClientResponse response = stack_->PostJson(kFeedback, body);
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "feedback[0].outcome"), IsEmpty());
}

TEST_F(FeedbackE2eTest, AcceptedWithoutSuggestionsIs400) {
  const std::string body =
      absl::StrCat(R"({"feedback":[{"card":")", card_uuid_,
                   R"(","outcome":"accepted","outcomeTimestamp":"2026-11-25T12:01:00Z"}]})");
  ClientResponse response = stack_->PostJson(kFeedback, body);
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "feedback[0].acceptedSuggestions"), IsEmpty());
}

TEST_F(FeedbackE2eTest, OneBadEntryStoresNothing) {
  std::string body = FeedbackBody();
  // Break the second entry's timestamp; the first must not be stored alone.
  body.replace(body.find("2026-11-25T12:02:00Z"), 20, "yesterday");
  ClientResponse response = stack_->PostJson(kFeedback, body);
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "feedback[1].outcomeTimestamp"), IsEmpty());
  EXPECT_THAT(ExportFeedback(stack_->store()), IsEmpty());
}

TEST_F(FeedbackE2eTest, FeedbackNeedsJwtAndKnownService) {
  EXPECT_EQ(stack_->PostJson(kFeedback, FeedbackBody(), /*authorize=*/false).status, 401);
  ClientResponse unknown =
      stack_->PostJson("/cds-services/no-such-service/feedback", FeedbackBody());
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_THAT(OperationOutcomeProblems(unknown), IsEmpty());
  EXPECT_THAT(ExportFeedback(stack_->store()), IsEmpty());
}

TEST_F(FeedbackE2eTest, EveryHookCallWritesAnAuditRow) {
  // SetUp made one successful call; add a second one and a call that ends in 412.
  request_["hookInstance"].SetString("7c1e9a52-0000-4000-8000-000000000002");
  ASSERT_EQ(stack_->PostJson(kOrderSign, ToJson(request_)).status, 200);
  request_["hookInstance"].SetString("7c1e9a52-0000-4000-8000-000000000003");
  request_.RemoveMember("fhirServer");
  request_.RemoveMember("fhirAuthorization");
  RemovePrefetch(&request_, "patient");
  ASSERT_EQ(stack_->PostJson(kOrderSign, ToJson(request_)).status, 412);

  std::vector<std::string> rows = ExportAudit(stack_->store());
  ASSERT_THAT(rows, SizeIs(3));
  EXPECT_THAT(rows[0], HasSubstr("5b4e4f5c-2a64-4b51-9c2a-0d6f4e2b9a10"));  // the example's
  EXPECT_THAT(rows[0], HasSubstr(card_uuid_));
  EXPECT_THAT(rows[0], HasSubstr(suggestion_uuid_));
  EXPECT_THAT(rows[0], HasSubstr("\"patientId\":\"v2\""));
  EXPECT_THAT(rows[0], HasSubstr("\"hook\":\"order-sign\""));
  EXPECT_THAT(rows[1], HasSubstr("000000000002"));
  EXPECT_THAT(rows[2], HasSubstr("000000000003"));
  EXPECT_THAT(rows[2], HasSubstr("412"));
  // Identifiers only: no names or clinical text from the record.
  for (const std::string& row : rows) {
    EXPECT_THAT(row, ::testing::Not(HasSubstr("thalidomide")));
    EXPECT_THAT(row, ::testing::Not(HasSubstr(kFhirAccessToken)));
  }
}

}  // namespace
}  // namespace thrombo::e2e
