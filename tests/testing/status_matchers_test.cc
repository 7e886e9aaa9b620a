#include "tests/testing/status_matchers.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/datatypes.pb.h"

namespace thrombo::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("odd");
  return x / 2;
}

absl::StatusOr<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int half, Half(x));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int x) {
  RETURN_IF_ERROR(Half(x).status());
  return absl::OkStatus();
}

TEST(StatusMacros, PropagateErrorsAndValues) {
  EXPECT_THAT(Quarter(8), IsOkAndHolds(2));
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("odd")));
  EXPECT_OK(CheckEven(4));
  EXPECT_THAT(CheckEven(3), Not(IsOk()));
}

TEST(ProtoMatchers, EqualsProtoComparesFields) {
  auto a = ParseTextProtoOrDie<fhir::r4::Coding>("system: 'http://loinc.org' code: '777-3'");
  auto b = a;
  EXPECT_THAT(b, EqualsProto(a));
  b.set_code("718-7");
  EXPECT_THAT(b, Not(EqualsProto(a)));
}

}  // namespace
}  // namespace thrombo::testing
