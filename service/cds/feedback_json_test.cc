#include "service/cds/feedback_json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using thrombo::testing::StatusIs;

TEST(FeedbackJson, ReadsAcceptedAndOverriddenEntries) {
  ASSERT_OK_AND_ASSIGN(auto records, ParseFeedbackJson(R"({"feedback": [
    {"card": "c1", "outcome": "accepted", "acceptedSuggestions": [{"id": "s1"}],
     "outcomeTimestamp": "2026-11-25T10:05:31Z"},
    {"card": "c2", "outcome": "overridden", "outcomeTimestamp": "2026-11-25T10:06:00Z",
     "overrideReason": {"reason": {"code": "bleeding-risk", "system": "urn:x",
                                   "display": "Bleeding risk"}, "userComment": "recent GI bleed"}}
  ]})", "thrombo-order-sign"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].service_id, "thrombo-order-sign");
  EXPECT_EQ(records[0].outcome, store::FeedbackOutcome::kAccepted);
  EXPECT_THAT(records[0].accepted_suggestion_ids, ElementsAre("s1"));
  EXPECT_EQ(records[1].outcome, store::FeedbackOutcome::kOverridden);
  EXPECT_EQ(records[1].override_reason_code, "bleeding-risk");
  EXPECT_EQ(records[1].user_comment, "recent GI bleed");
}

TEST(FeedbackJson, ErrorsNameTheElement) {
  EXPECT_THAT(ParseFeedbackJson(R"({"feedback": [{"card": "c", "outcome": "accepted",
      "outcomeTimestamp": "2026-11-25T10:05:31Z"}]})", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("feedback[0].acceptedSuggestions")));
  EXPECT_THAT(ParseFeedbackJson(R"({"feedback": [{"card": "c", "outcome": "ignored",
      "outcomeTimestamp": "2026-11-25T10:05:31Z"}]})", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("feedback[0].outcome")));
  EXPECT_THAT(ParseFeedbackJson(R"({"feedback": [{"card": "c", "outcome": "overridden",
      "outcomeTimestamp": "yesterday"}]})", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("feedback[0].outcomeTimestamp")));
  EXPECT_THAT(ParseFeedbackJson(R"({"feedback": [{"outcome": "overridden"}]})", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("card is required")));
  EXPECT_THAT(ParseFeedbackJson("{\"feedback\": [", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed JSON")));
  EXPECT_THAT(ParseFeedbackJson("[]", "s"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FeedbackJson, WrongTypedOptionalTextIsAnErrorNotDropped) {
  EXPECT_THAT(ParseFeedbackJson(R"({"feedback": [{"card": "c", "outcome": "overridden",
      "outcomeTimestamp": "2026-11-25T10:05:31Z", "overrideReason": {"userComment": 7}}]})", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("feedback[0].overrideReason.userComment")));
  EXPECT_THAT(ParseFeedbackJson(R"({"feedback": [{"card": "c", "outcome": "overridden",
      "outcomeTimestamp": "2026-11-25T10:05:31Z",
      "overrideReason": {"reason": {"code": "x", "system": "urn:x", "display": []}}}]})", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("feedback[0].overrideReason.reason.display")));
}

TEST(FeedbackJson, DuplicateMembersAreRejectedNamingThem) {
  EXPECT_THAT(ParseFeedbackJson(R"({"feedback": [{"card": "c", "outcome": "accepted",
      "outcome": "overridden", "outcomeTimestamp": "2026-11-25T10:05:31Z"}]})", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("duplicate member 'outcome' at feedback[0].outcome")));
  EXPECT_THAT(ParseFeedbackJson(R"({"feedback": [], "feedback": []})", "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at feedback")));
}

}  // namespace
}  // namespace thrombo::service
