// Copyright 2026 The Thrombo Authors.
// Issue 12 over real sockets: several `thrombo serve` processes (the binary as shipped) sharing
// one PostgreSQL database, the server of the test command (THROMBO_TEST_PG). Each test makes
// its own empty database. Without a server the tests skip; under CI they fail.
#include <signal.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/replicas_support.h"
#include "tests/e2e/service_stack.h"
#include "tests/testing/pg_server.h"

namespace thrombo::e2e {
namespace {

using ::testing::IsEmpty;
using ::thrombo::testing::CreateTestDatabase;
using ::thrombo::testing::PgQuery;

class ReplicasE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    THROMBO_SKIP_UNLESS_PG();
    ASSERT_OK_AND_ASSIGN_DB();
    tokens_ = std::make_unique<TokenMinter>(TestTempDir());
  }

  void ASSERT_OK_AND_ASSIGN_DB() {
    absl::StatusOr<std::string> db = CreateTestDatabase("replicas");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *db;
  }

  // Starts `n` replicas on the test's database and waits until each listens.
  void StartReplicas(int n) {
    for (int i = 0; i < n; ++i) {
      replicas_.push_back(
          StartReplica(absl::StrCat("replica-", i), db_, tokens_->issuers_file()));
    }
    for (auto& replica : replicas_) ASSERT_NE(replica->WaitForPort(), 0) << replica->Log();
  }

  std::set<std::string> StoredCards() {
    absl::StatusOr<std::string> cards =
        PgQuery(db_, "SELECT COALESCE(string_agg(card_uuid, ','), '') FROM feedback");
    EXPECT_TRUE(cards.ok()) << cards.status();
    std::vector<std::string> list = absl::StrSplit(cards.value_or(""), ',', absl::SkipEmpty());
    return {list.begin(), list.end()};
  }

  std::string db_;
  std::unique_ptr<TokenMinter> tokens_;
  std::vector<std::unique_ptr<Replica>> replicas_;
};

TEST_F(ReplicasE2eTest, ATokenUsedOnOneReplicaIsRefusedByTheOthers) {
  StartReplicas(3);
  const ClientRequest request = HookRequest(*tokens_);
  EXPECT_EQ(Send(replicas_[0]->port(), request, 15).status, 200);
  for (int i : {1, 2, 0}) {
    const ClientResponse replay = Send(replicas_[i]->port(), request, 15);
    EXPECT_EQ(replay.status, 401) << "replica " << i << ": " << replay.body;
  }
  // A fresh token is fine anywhere.
  EXPECT_EQ(Send(replicas_[2]->port(), HookRequest(*tokens_), 15).status, 200);
  EXPECT_EQ(PgQuery(db_, "SELECT COUNT(*) FROM used_token").value_or("?"), "2");
}

// Three replicas under concurrent load; one is SIGKILLed mid-load. Every feedback entry that
// any replica answered 2xx is in the database afterwards, and the survivors never stop
// answering hooks.
TEST_F(ReplicasE2eTest, SigkillOfOneReplicaUnderLoadLosesNoAcknowledgedFeedback) {
  StartReplicas(3);
  std::atomic<bool> stop{false};
  std::atomic<bool> killed{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::vector<std::string> failures;  // survivors' non-2xx answers
  std::atomic<int> hooks_ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 6; ++c) {
    clients.emplace_back([&, c] {
      for (int n = 0; !stop.load(); ++n) {
        const int target = (c + n) % 3;
        const bool victim = target == 0;
        const uint16_t port = replicas_[target]->port();
        const ClientResponse hook = Send(port, HookRequest(*tokens_), 15);
        const std::string card = absl::StrCat("card-", c, "-", n);
        const ClientResponse feedback = Send(port, FeedbackRequest(*tokens_, card), 15);
        std::lock_guard<std::mutex> lock(mu);
        if (hook.status == 200) ++hooks_ok;
        if (feedback.status / 100 == 2) acknowledged.push_back(card);
        if (!(victim && killed.load())) {
          // Before the kill every replica, and throughout the survivors, answer 2xx.
          if (hook.status != 200)
            failures.push_back(absl::StrCat("hook ", hook.status, hook.error));
          if (feedback.status / 100 != 2 && !(victim && feedback.status == 0)) {
            failures.push_back(absl::StrCat("feedback ", feedback.status, feedback.error));
          }
        }
      }
    });
  }
  absl::SleepFor(absl::Seconds(1.5));
  killed.store(true);
  replicas_[0]->Signal(SIGKILL);
  absl::SleepFor(absl::Seconds(1.5));
  stop.store(true);
  for (std::thread& client : clients) client.join();

  EXPECT_THAT(failures, IsEmpty());
  EXPECT_GT(hooks_ok.load(), 30) << "the load hardly ran";
  ASSERT_GT(acknowledged.size(), 30u);
  const std::set<std::string> stored = StoredCards();
  std::vector<std::string> lost;
  for (const std::string& card : acknowledged) {
    if (stored.count(card) == 0) lost.push_back(card);
  }
  EXPECT_THAT(lost, IsEmpty()) << "feedback answered 2xx but not in the database";

  // The survivors commit their queued audit rows when they stop.
  for (int i : {1, 2}) {
    replicas_[i]->Signal(SIGTERM);
    EXPECT_EQ(replicas_[i]->WaitForExit(absl::Seconds(20)).value_or(-1), 0) << replicas_[i]->Log();
  }
  int audit_rows = 0;
  ASSERT_TRUE(
      absl::SimpleAtoi(PgQuery(db_, "SELECT COUNT(*) FROM audit").value_or("0"), &audit_rows));
  EXPECT_GT(audit_rows, 0);
}

// Replicas starting at the same moment on an empty database: the migrations run once, under
// the advisory lock, and both serve.
TEST_F(ReplicasE2eTest, TwoReplicasStartingAtOnceOnAnEmptyDatabaseShareOneSchema) {
  StartReplicas(2);
  EXPECT_EQ(PgQuery(db_, "SELECT string_agg(version::text, ',') FROM schema_version").value_or("?"),
            "3");
  EXPECT_EQ(
      PgQuery(db_, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").value_or("?"),
      "4");
  for (auto& replica : replicas_) {
    EXPECT_EQ(Send(replica->port(), FeedbackRequest(*tokens_, "card-start"), 15).status, 200);
    EXPECT_EQ(Send(replica->port(), ClientRequest{"GET", "/readyz", {}, ""}, 10).status, 200);
  }
  EXPECT_EQ(StoredCards(), std::set<std::string>({"card-start"}));  // stored once
}

}  // namespace
}  // namespace thrombo::e2e
