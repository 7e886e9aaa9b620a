// Copyright 2026 The Thrombo Authors.
// Tests of ConnectBackoff: when a pool fails fast after a failed connect, and when it does not.
#include "service/store/connect_backoff.h"

#include "gtest/gtest.h"

namespace thrombo::service::store {
namespace {

constexpr absl::Duration kInterval = absl::Milliseconds(250);
const absl::Time kT0 = absl::FromUnixSeconds(1'796'000'000);
const absl::Status kRefused = absl::UnavailableError("feedback store: cannot connect: refused");

TEST(ConnectBackoffTest, AFailedConnectTurnsCallersAwayForTheInterval) {
  ConnectBackoff backoff(kInterval);
  EXPECT_TRUE(backoff.MayConnect(kT0).ok());
  backoff.Failed(kT0, kT0 + absl::Milliseconds(10), kRefused);
  EXPECT_EQ(backoff.MayConnect(kT0 + absl::Milliseconds(10)), kRefused);
  EXPECT_EQ(backoff.MayConnect(kT0 + absl::Milliseconds(259)), kRefused);
  EXPECT_TRUE(backoff.MayConnect(kT0 + absl::Milliseconds(260)).ok());
}

// The race of a restarted server under load: connect A begins while the server is starting,
// connect B begins once it is up and succeeds, and A's refusal arrives after B's success.
TEST(ConnectBackoffTest, AFailureOfAConnectBegunBeforeASuccessDoesNotCount) {
  ConnectBackoff backoff(kInterval);
  const absl::Time a_began = kT0;
  const absl::Time b_succeeded = kT0 + absl::Milliseconds(20);
  backoff.Succeeded(b_succeeded);
  backoff.Failed(a_began, kT0 + absl::Milliseconds(30), kRefused);
  EXPECT_TRUE(backoff.MayConnect(kT0 + absl::Milliseconds(31)).ok());
}

TEST(ConnectBackoffTest, ASuccessEndsTheInterval) {
  ConnectBackoff backoff(kInterval);
  backoff.Failed(kT0, kT0 + absl::Milliseconds(10), kRefused);
  // A connect begun before the failure was recorded gets through.
  backoff.Succeeded(kT0 + absl::Milliseconds(50));
  EXPECT_TRUE(backoff.MayConnect(kT0 + absl::Milliseconds(51)).ok());
}

TEST(ConnectBackoffTest, AFailureAfterASuccessCountsAgain) {
  ConnectBackoff backoff(kInterval);
  backoff.Succeeded(kT0);
  const absl::Status down = absl::UnavailableError("feedback store: cannot connect: gone");
  backoff.Failed(kT0 + absl::Seconds(5), kT0 + absl::Seconds(6), down);
  EXPECT_EQ(backoff.MayConnect(kT0 + absl::Seconds(6)), down);
}

}  // namespace
}  // namespace thrombo::service::store
