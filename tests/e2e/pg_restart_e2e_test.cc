// Copyright 2026 The Thrombo Authors.
// Issue 12, "the database restarted mid-load": two `thrombo serve` replicas on the test
// PostgreSQL server, under load, while the server stops and starts again. The test makes that
// server itself (scripts/pg_cluster.sh start/down/up/stop in a folder under /tmp, which the
// postgres user can reach), so the shared server of the test command is never disturbed; it
// runs where THROMBO_TEST_PG says the test command provides PostgreSQL. While it is down, feedback
// answers 503 with an OperationOutcome that names no host, port or database, /readyz says not
// ready, /healthz stays up and hook calls answer 200 (replay protection falls back to each
// replica's memory); after, everything is served again, no acknowledged feedback is missing and
// every hook call's audit row arrives (buffered meanwhile).
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
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
using ::thrombo::testing::PgQuery;

// A PostgreSQL server of the test's own, driven by scripts/pg_cluster.sh.
class OwnCluster final {
 public:
  OwnCluster() {
    char dir[] = "/tmp/thrombo-pg-restart-XXXXXX";
    if (::mkdtemp(dir) != nullptr) dir_ = dir;
  }
  ~OwnCluster() {
    if (!dir_.empty()) Run("stop");
  }
  // Runs `pg_cluster.sh command DIR`; its stdout (the conninfo, for start), or nullopt.
  std::optional<std::string> Run(const std::string& command) {
    const char* srcdir = std::getenv("TEST_SRCDIR");
    const char* workspace = std::getenv("TEST_WORKSPACE");
    if (dir_.empty() || srcdir == nullptr || workspace == nullptr) return std::nullopt;
    const std::string line = absl::StrCat("'", srcdir, "/", workspace, "/scripts/pg_cluster.sh' ",
                                          command, " '", dir_, "'");
    FILE* pipe = ::popen(line.c_str(), "r");
    if (pipe == nullptr) return std::nullopt;
    std::string out;
    char buffer[512];
    while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
    if (::pclose(pipe) != 0) return std::nullopt;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

 private:
  std::string dir_;
};

TEST(PgRestartE2eTest, DatabaseRestartMidLoadCostsFeedback503sAndNoHookCall) {
  THROMBO_SKIP_UNLESS_PG();
  OwnCluster cluster;
  const std::optional<std::string> server = cluster.Run("start");
  ASSERT_TRUE(server.has_value()) << "scripts/pg_cluster.sh start failed";
  const std::string db = *server;
  TokenMinter tokens(TestTempDir());
  std::vector<std::unique_ptr<Replica>> replicas;
  for (int i = 0; i < 2; ++i) {
    replicas.push_back(StartReplica(absl::StrCat("restart-", i), db, tokens.issuers_file()));
  }
  for (auto& replica : replicas) ASSERT_NE(replica->WaitForPort(), 0) << replica->Log();

  // Phases, as the load clients see them: 0 up, 1 stopping, 2 down (the server is stopped),
  // 3 starting, 4 recovered (a feedback write has succeeded on every replica since the start).
  std::atomic<int> phase{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::vector<std::string> problems;
  std::atomic<int> hooks_ok{0};
  std::atomic<int> unavailable_while_down{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      for (int n = 0; !stop.load(); ++n) {
        const uint16_t port = replicas[(c + n) % 2]->port();
        const int before = phase.load();
        const ClientResponse hook = Send(port, HookRequest(tokens), 15);
        const std::string card = absl::StrCat("card-", c, "-", n);
        const ClientResponse feedback = Send(port, FeedbackRequest(tokens, card), 15);
        const int after = phase.load();
        std::lock_guard<std::mutex> lock(mu);
        if (hook.status == 200) {
          ++hooks_ok;
        } else {
          problems.push_back(absl::StrCat("hook ", hook.status, " in phase ", before, ": ",
                                          hook.body.substr(0, 200), hook.error));
        }
        if (feedback.status / 100 == 2) {
          acknowledged.push_back(card);
          if (before == 2 && after == 2) problems.push_back("feedback 2xx while down");
        } else if (feedback.status == 503) {
          if (before == 2 && after == 2) ++unavailable_while_down;
          if (before == 0 && after == 0) problems.push_back("feedback 503 before the restart");
          if (before == 4) problems.push_back("feedback 503 after recovery");
          for (const std::string& problem : OperationOutcomeProblems(feedback)) {
            problems.push_back(problem);
          }
          for (const char* secret : {"127.0.0.1", "port", "dbname", "host", "postgres"}) {
            if (absl::StrContains(feedback.body, secret)) {
              problems.push_back(absl::StrCat("the 503 names the database: ", feedback.body));
            }
          }
        } else {
          problems.push_back(absl::StrCat("feedback ", feedback.status, ": ", feedback.error));
        }
      }
    });
  }

  absl::SleepFor(absl::Seconds(1));
  phase.store(1);
  ASSERT_TRUE(cluster.Run("down").has_value());
  phase.store(2);
  absl::SleepFor(absl::Seconds(1));
  for (auto& replica : replicas) {
    EXPECT_EQ(Send(replica->port(), ClientRequest{"GET", "/readyz", {}, ""}, 10).status, 503);
    EXPECT_EQ(Send(replica->port(), ClientRequest{"GET", "/healthz", {}, ""}, 10).status, 200);
  }
  absl::SleepFor(absl::Seconds(1));
  phase.store(3);
  ASSERT_TRUE(cluster.Run("up").has_value());
  // Recovered once each replica has stored feedback again.
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  for (auto& replica : replicas) {
    while (Send(replica->port(), FeedbackRequest(tokens, "card-probe"), 15).status != 200 &&
           absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  phase.store(4);
  absl::SleepFor(absl::Seconds(1));
  stop.store(true);
  for (std::thread& client : clients) client.join();

  EXPECT_THAT(problems, IsEmpty());
  EXPECT_GT(unavailable_while_down.load(), 0) << "no feedback call saw the database down";
  double fallbacks = 0;
  for (auto& replica : replicas) {
    EXPECT_EQ(Send(replica->port(), ClientRequest{"GET", "/readyz", {}, ""}, 10).status, 200);
    const ClientResponse metrics = Send(replica->port(), ClientRequest{"GET", "/metrics", {}, ""});
    fallbacks += MetricValue(metrics.body, "thrombo_replay_shared_unavailable_total");
    EXPECT_EQ(MetricValue(metrics.body, "thrombo_audit_rows_dropped_total"), 0);
  }
  EXPECT_GT(fallbacks, 0) << "hook calls while down should have been judged from memory";

  absl::StatusOr<std::string> cards =
      PgQuery(db, "SELECT COALESCE(string_agg(card_uuid, ','), '') FROM feedback");
  ASSERT_TRUE(cards.ok()) << cards.status();
  const std::vector<std::string> list = absl::StrSplit(*cards, ',', absl::SkipEmpty());
  const std::set<std::string> stored(list.begin(), list.end());
  std::vector<std::string> lost;
  for (const std::string& card : acknowledged) {
    if (stored.count(card) == 0) lost.push_back(card);
  }
  EXPECT_THAT(lost, IsEmpty()) << "feedback answered 2xx but not in the database";

  // The audit rows of hook calls answered while the server was down waited in memory; a clean
  // stop commits them. Every answered hook call has its row.
  for (auto& replica : replicas) {
    replica->Signal(SIGTERM);
    EXPECT_EQ(replica->WaitForExit(absl::Seconds(20)).value_or(-1), 0) << replica->Log();
  }
  int audit_rows = 0;
  ASSERT_TRUE(
      absl::SimpleAtoi(PgQuery(db, "SELECT COUNT(*) FROM audit").value_or("0"), &audit_rows));
  EXPECT_GE(audit_rows, hooks_ok.load());
}

}  // namespace
}  // namespace thrombo::e2e
