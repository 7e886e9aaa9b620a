// Copyright 2026 The Thrombo Authors.
// Tests for strict JSON object parsing.
#include "service/auth/json_object.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using ::thrombo::testing::IsOk;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::StatusIs;

TEST(ParseJsonObjectTest, AcceptsObject) {
  rapidjson::Document doc;
  EXPECT_THAT(ParseJsonObject(R"({"a":"b","n":[{"x":1},{"x":2}]})", "test", &doc), IsOk());
}

TEST(ParseJsonObjectTest, RejectsNonObjectsAndBadJson) {
  rapidjson::Document doc;
  EXPECT_THAT(ParseJsonObject("[1]", "JWT header", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("JWT header")));
  EXPECT_THAT(ParseJsonObject("{\"a\":", "x", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  EXPECT_THAT(ParseJsonObject("{} {}", "x", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseJsonObjectTest, RejectsDuplicateMembersAtAnyDepth) {
  rapidjson::Document doc;
  EXPECT_THAT(ParseJsonObject(R"({"alg":"ES384","alg":"none"})", "x", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate")));
  EXPECT_THAT(ParseJsonObject(R"({"k":[{"a":1,"a":2}]})", "x", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate")));
}

TEST(ParseJsonObjectTest, RejectsInvalidUtf8) {
  rapidjson::Document doc;
  EXPECT_THAT(ParseJsonObject("{\"a\":\"\xff\"}", "x", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseJsonObjectTest, SurvivesDeepNesting) {
  rapidjson::Document doc;
  const std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_THAT(ParseJsonObject(deep, "x", &doc), IsOk());
}

TEST(GetOptionalTest, StringsAndDates) {
  rapidjson::Document doc;
  ASSERT_THAT(ParseJsonObject(R"({"s":"v","n":5,"f":1.9,"neg":-1,"big":1e300,"str":"5"})",
                              "claims", &doc),
              IsOk());
  EXPECT_THAT(GetOptionalString(doc, "s", "claims"), IsOkAndHolds(Optional(std::string("v"))));
  EXPECT_THAT(GetOptionalString(doc, "absent", "claims"), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(GetOptionalString(doc, "n", "claims"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"n\" is not a string")));
  EXPECT_THAT(GetOptionalNumericDate(doc, "n", "claims"), IsOkAndHolds(Optional(int64_t{5})));
  EXPECT_THAT(GetOptionalNumericDate(doc, "f", "claims"), IsOkAndHolds(Optional(int64_t{1})));
  EXPECT_THAT(GetOptionalNumericDate(doc, "absent", "claims"), IsOkAndHolds(std::nullopt));
  EXPECT_THAT(GetOptionalNumericDate(doc, "neg", "claims"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(GetOptionalNumericDate(doc, "big", "claims"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(GetOptionalNumericDate(doc, "str", "claims"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace thrombo::service::auth
