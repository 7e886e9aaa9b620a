// Copyright 2026 The Thrombo Authors.
// Tests for the replay cache.
#include "service/auth/replay_cache.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::auth {
namespace {

using ::thrombo::testing::IsOk;
using ::thrombo::testing::StatusIs;

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

TEST(ReplayCacheTest, SecondUseIsRejectedUntilExpiry) {
  ReplayCache cache(10);
  const absl::Time expiry = kNow + absl::Minutes(5);
  EXPECT_THAT(cache.Insert("iss", "a", expiry, kNow), IsOk());
  EXPECT_THAT(cache.Insert("iss", "a", expiry, kNow + absl::Minutes(1)),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // After expiry the entry is gone (the token itself is then rejected as expired).
  EXPECT_THAT(cache.Insert("iss", "a", expiry + absl::Minutes(5), expiry), IsOk());
}

TEST(ReplayCacheTest, JtiIsScopedPerIssuer) {
  ReplayCache cache(10);
  EXPECT_THAT(cache.Insert("iss-1", "a", kNow + absl::Minutes(1), kNow), IsOk());
  EXPECT_THAT(cache.Insert("iss-2", "a", kNow + absl::Minutes(1), kNow), IsOk());
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ReplayCacheTest, FailsClosedWhenFullOfLiveEntries) {
  ReplayCache cache(2);
  EXPECT_THAT(cache.Insert("iss", "a", kNow + absl::Minutes(1), kNow), IsOk());
  EXPECT_THAT(cache.Insert("iss", "b", kNow + absl::Minutes(2), kNow), IsOk());
  EXPECT_THAT(cache.Insert("iss", "c", kNow + absl::Minutes(2), kNow),
              StatusIs(absl::StatusCode::kResourceExhausted));
  // Once "a" expires there is room again, and "b" is still remembered.
  const absl::Time later = kNow + absl::Minutes(1);
  EXPECT_THAT(cache.Insert("iss", "c", kNow + absl::Minutes(3), later), IsOk());
  EXPECT_THAT(cache.Insert("iss", "b", kNow + absl::Minutes(3), later),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ReplayCacheTest, EvictsManyExpiredEntries) {
  ReplayCache cache(1000);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_THAT(cache.Insert("iss", std::to_string(i), kNow + absl::Seconds(i % 10), kNow),
                IsOk());
  }
  EXPECT_THAT(cache.Insert("iss", "new", kNow + absl::Hours(1), kNow + absl::Seconds(10)),
              IsOk());
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace thrombo::service::auth
