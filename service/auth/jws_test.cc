// Copyright 2026 The Thrombo Authors.
// Tests for Bearer stripping and compact JWS splitting.
#include "service/auth/jws.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/auth/base64url.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::thrombo::testing::IsOk;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::StatusIs;

std::string Token(std::string_view header, std::string_view payload, std::string_view sig) {
  return Base64UrlEncode(header) + "." + Base64UrlEncode(payload) + "." + Base64UrlEncode(sig);
}

TEST(StripBearerTest, AcceptsSchemeAnyCaseOrBareToken) {
  EXPECT_THAT(StripBearer("Bearer a.b.c"), IsOkAndHolds("a.b.c"));
  EXPECT_THAT(StripBearer("bearer   a.b.c "), IsOkAndHolds("a.b.c"));
  EXPECT_THAT(StripBearer("BEARER\ta.b.c"), IsOkAndHolds("a.b.c"));
  EXPECT_THAT(StripBearer("a.b.c"), IsOkAndHolds("a.b.c"));
}

TEST(StripBearerTest, RejectsOtherSchemesAndEmptyTokens) {
  EXPECT_THAT(StripBearer("Basic dXNlcjpwYXNz"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not Bearer")));
  EXPECT_THAT(StripBearer("Bearer"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(StripBearer("Bearer   "), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(StripBearer(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SplitCompactJwsTest, SplitsAndDecodes) {
  const std::string token = Token("{\"alg\":\"ES384\"}", "{\"iss\":\"x\"}", "sig");
  auto jws = SplitCompactJws(token);
  ASSERT_THAT(jws, IsOk());
  EXPECT_EQ(jws->header_json, "{\"alg\":\"ES384\"}");
  EXPECT_EQ(jws->payload_json, "{\"iss\":\"x\"}");
  EXPECT_EQ(jws->signature, "sig");
  EXPECT_EQ(jws->signing_input, token.substr(0, token.rfind('.')));
}

TEST(SplitCompactJwsTest, RejectsWrongSegmentCount) {
  EXPECT_THAT(SplitCompactJws("abcd.abcd"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("2 segments")));
  EXPECT_THAT(SplitCompactJws("abcd.abcd.abcd.abcd.abcd"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("5 segments")));
  EXPECT_THAT(SplitCompactJws("abcd"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SplitCompactJwsTest, RejectsEmptySegments) {
  EXPECT_THAT(SplitCompactJws("abcd.abcd."),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signature segment")));
  EXPECT_THAT(SplitCompactJws(".abcd.abcd"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("header segment")));
}

TEST(SplitCompactJwsTest, RejectsMalformedBase64) {
  EXPECT_THAT(SplitCompactJws("ab$d.abcd.abcd"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("header segment")));
  EXPECT_THAT(SplitCompactJws("abcd.abcd.abc="),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signature segment")));
}

TEST(SplitCompactJwsTest, RejectsOversizedTokenBeforeDecoding) {
  const std::string big(9000, 'A');
  EXPECT_THAT(SplitCompactJws(big + "." + big + "." + big),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit is 8192")));
}

TEST(SplitCompactJwsTest, RejectsOversizedJson) {
  JwsLimits limits;
  limits.max_json_bytes = 16;
  EXPECT_THAT(SplitCompactJws(Token("{\"a\":\"0123456789abcdef\"}", "{}", "s"), limits),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("exceeds 16 bytes")));
  EXPECT_THAT(SplitCompactJws(Token("{}", "{}", "s"), limits), IsOk());
}

TEST(SplitCompactJwsTest, ErrorsNeverEchoTheToken) {
  const std::string token = "eyJzZWNyZXQiOiJzZWNyZXQifQ.eyJ4IjoxfQ";
  auto result = SplitCompactJws(token);
  ASSERT_THAT(result, Not(IsOk()));
  EXPECT_THAT(std::string(result.status().message()), Not(HasSubstr("eyJ")));
}

}  // namespace
}  // namespace thrombo::service::auth
