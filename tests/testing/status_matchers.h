// Copyright 2026 The Thrombo Authors.
// Test-only gMock matchers for absl::Status / StatusOr and protos, which Debian's abseil and
// gmock 1.12 lack: IsOk(), StatusIs(code[, message_matcher]), IsOkAndHolds(m), EqualsProto(p),
// and ASSERT_OK_AND_ASSIGN.
#ifndef THROMBO_TESTS_TESTING_STATUS_MATCHERS_H_
#define THROMBO_TESTS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace thrombo::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

MATCHER_P(StatusIs, code, "has status code " + ::testing::PrintToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           "has status code " + ::testing::PrintToString(code) + " and a matching message") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::Matches(message_matcher)(std::string(status.message()));
}

MATCHER_P(IsOkAndHolds, inner, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(inner, *arg, result_listener);
}

// Compares two messages field by field; on mismatch prints the difference.
MATCHER_P(EqualsProto, expected, "equals the expected proto") {
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  if (differencer.Compare(expected, arg)) return true;
  *result_listener << "\ndifference:\n" << diff;
  return false;
}

// Parses a text proto into a message of type T; fails the test on a parse error.
template <typename T>
T ParseTextProtoOrDie(const std::string& text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

}  // namespace thrombo::testing

#define THROMBO_TESTING_CONCAT_INNER_(a, b) a##b
#define THROMBO_TESTING_CONCAT_(a, b) THROMBO_TESTING_CONCAT_INNER_(a, b)

// ASSERT_OK_AND_ASSIGN(lhs, expr): asserts that expr (a StatusOr) is OK and assigns its value.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  THROMBO_ASSERT_OK_AND_ASSIGN_IMPL_(THROMBO_TESTING_CONCAT_(statusor_, __LINE__), lhs, expr)
#define THROMBO_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                        \
  ASSERT_TRUE(statusor.ok()) << statusor.status();               \
  lhs = std::move(statusor).value()

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::thrombo::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::thrombo::testing::IsOk())

#endif  // THROMBO_TESTS_TESTING_STATUS_MATCHERS_H_
