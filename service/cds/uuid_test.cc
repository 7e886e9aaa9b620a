#include "service/cds/uuid.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::service {
namespace {

TEST(NameBasedUuid, IsAVersion5UuidStableForOneName) {
  const std::string a = NameBasedUuid("hook-1/prophylaxis");
  EXPECT_THAT(a, ::testing::MatchesRegex(
                     "[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_EQ(a, NameBasedUuid("hook-1/prophylaxis"));
  EXPECT_NE(a, NameBasedUuid("hook-2/prophylaxis"));
  EXPECT_NE(a, NameBasedUuid("hook-1/esa"));
}

}  // namespace
}  // namespace thrombo::service
