// Copyright 2026 The Thrombo Authors.
// Tests for the strict base64url codec.
#include "service/auth/base64url.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::auth {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::StatusIs;

TEST(Base64UrlTest, DecodesRfc4648Vectors) {
  EXPECT_THAT(Base64UrlDecode(""), IsOkAndHolds(""));
  EXPECT_THAT(Base64UrlDecode("Zg"), IsOkAndHolds("f"));
  EXPECT_THAT(Base64UrlDecode("Zm8"), IsOkAndHolds("fo"));
  EXPECT_THAT(Base64UrlDecode("Zm9v"), IsOkAndHolds("foo"));
  EXPECT_THAT(Base64UrlDecode("Zm9vYg"), IsOkAndHolds("foob"));
  EXPECT_THAT(Base64UrlDecode("Zm9vYmFy"), IsOkAndHolds("foobar"));
}

TEST(Base64UrlTest, UsesUrlAlphabet) {
  EXPECT_THAT(Base64UrlDecode("-_8"), IsOkAndHolds(std::string("\xfb\xff", 2)));
  EXPECT_THAT(Base64UrlDecode("+/8"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(Base64UrlTest, RejectsPadding) {
  EXPECT_THAT(Base64UrlDecode("Zg=="),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("padding")));
  EXPECT_THAT(Base64UrlDecode("Zm8="), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(Base64UrlTest, RejectsInvalidCharactersAndWhitespace) {
  EXPECT_THAT(Base64UrlDecode("Zm 9v"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Base64UrlDecode("Zm9v\n"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Base64UrlDecode(std::string("Zm\0v", 4)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Base64UrlDecode("Zm9\xc3\xa9"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(Base64UrlTest, RejectsImpossibleLength) {
  EXPECT_THAT(Base64UrlDecode("Z"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("length")));
  EXPECT_THAT(Base64UrlDecode("Zm9vY"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(Base64UrlTest, RejectsNonCanonicalTrailingBits) {
  // "Zg" is canonical for "f"; "Zh".."Zv" set unused low bits.
  EXPECT_THAT(Base64UrlDecode("Zh"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("non-canonical")));
  EXPECT_THAT(Base64UrlDecode("Zm8"), IsOkAndHolds("fo"));
  EXPECT_THAT(Base64UrlDecode("Zm9"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Base64UrlDecode("Zm-"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(Base64UrlTest, RoundTripsEveryByteValueAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t length = 0; length <= bytes.size(); length += 7) {
    const std::string input = bytes.substr(0, length);
    EXPECT_THAT(Base64UrlDecode(Base64UrlEncode(input)), IsOkAndHolds(input)) << length;
  }
}

TEST(Base64UrlTest, EncodesWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode(std::string("\xfb\xff", 2)), "-_8");
}

}  // namespace
}  // namespace thrombo::service::auth
