// Copyright 2026 The Thrombo Authors.
// Tests for PgStore against the real PostgreSQL server of the test command (THROMBO_TEST_PG;
// each test makes its own empty database). Skipped without a server, failed under CI.
#include "service/store/pg_store.h"

#include <atomic>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/feedback_store.h"
#include "service/store/test_records.h"
#include "tests/testing/pg_server.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::store {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::thrombo::testing::CreateTestDatabase;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::PgQuery;
using ::thrombo::testing::StatusIs;

const absl::Time kNow = absl::FromUnixSeconds(1767323045);  // 2026-01-02T03:04:05Z

FeedbackStoreOptions TestOptions() {
  FeedbackStoreOptions options;
  options.busy_timeout = absl::Seconds(2);
  options.clock = [] { return kNow; };
  options.pool_size = 4;
  return options;
}

using test_records::Accepted;
using test_records::Overridden;

AuditRecord Audit(int i) {
  AuditRecord record;
  record.time = kNow;
  record.service_id = "vte-prophylaxis";
  record.hook = "order-sign";
  record.hook_instance = absl::StrCat("instance-", i);
  record.patient_id = i % 2 == 0 ? "example-123" : "";
  record.card_uuids = {"card-1"};
  record.policy_version = i % 2 == 0 ? "policy-v1" : "";
  record.action = "cards";
  return record;
}

std::vector<std::string> Lines(FeedbackStore& store, bool audit) {
  std::ostringstream out;
  EXPECT_OK(audit ? store.ExportAuditJsonLines(out) : store.ExportFeedbackJsonLines(out));
  return absl::StrSplit(out.str(), '\n', absl::SkipEmpty());
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    THROMBO_SKIP_UNLESS_PG();
    ASSERT_OK_AND_ASSIGN(db_, CreateTestDatabase("store"));
  }
  std::string db_;
};

TEST_F(PgStoreTest, OpenPicksPostgresForConnectionStringsAndSqliteForPaths) {
  EXPECT_TRUE(FeedbackStore::IsPostgres("postgresql://db.example.org/thrombo"));
  EXPECT_TRUE(FeedbackStore::IsPostgres("postgres://u@db/thrombo?sslmode=verify-full"));
  EXPECT_TRUE(FeedbackStore::IsPostgres("host=db port=5432 dbname=thrombo"));
  EXPECT_FALSE(FeedbackStore::IsPostgres("thrombo.sqlite"));
  EXPECT_FALSE(FeedbackStore::IsPostgres("/var/lib/thrombo/feedback.db"));
  EXPECT_FALSE(FeedbackStore::IsPostgres("file:feedback.db?mode=ro"));
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(db_, TestOptions()));
  EXPECT_EQ(store->backend(), "postgresql");
}

// Both backends print byte-identical export lines for the same rows, so tools reading
// `thrombo feedback export` do not care which one a site runs.
TEST_F(PgStoreTest, ExportsTheSameLinesAsSqlite) {
  ASSERT_OK_AND_ASSIGN(auto pg, FeedbackStore::Open(db_, TestOptions()));
  ASSERT_OK_AND_ASSIGN(
      auto sqlite,
      FeedbackStore::Open(absl::StrCat(::testing::TempDir(), "/same.db"), TestOptions()));
  for (FeedbackStore* store : {pg.get(), sqlite.get()}) {
    ASSERT_OK(store->AddFeedbackBatch({Accepted(), Overridden()}));
    ASSERT_OK(store->AddFeedback(Accepted()));  // a resend: stored once
    for (int i = 0; i < 3; ++i) ASSERT_OK(store->EnqueueAudit(Audit(i)));
  }
  const std::vector<std::string> feedback = Lines(*pg, false);
  EXPECT_EQ(feedback.size(), 2u);
  EXPECT_THAT(feedback, ElementsAreArray(Lines(*sqlite, false)));
  const std::vector<std::string> audit = Lines(*pg, true);
  EXPECT_EQ(audit.size(), 3u);
  EXPECT_THAT(audit, ElementsAreArray(Lines(*sqlite, true)));
}

TEST_F(PgStoreTest, BatchWithABadRowStoresNothing) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(db_, TestOptions()));
  FeedbackRecord bad = Accepted("card-9");
  bad.outcome_timestamp = "yesterday";
  EXPECT_THAT(store->AddFeedbackBatch({Accepted(), bad}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("feedback[1]")));
  EXPECT_TRUE(Lines(*store, false).empty());
}

TEST_F(PgStoreTest, GroupCommitsManyAuditRowsInOrder) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(db_, TestOptions()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 300; ++i) EXPECT_OK(store->EnqueueAudit(Audit(t * 1000 + i)));
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_OK(store->FlushAudit());
  EXPECT_EQ(PgQuery(db_, "SELECT COUNT(*) FROM audit").value_or("?"), "1200");
  // Far fewer transactions than rows: the writer grouped them (1200 one-row commits otherwise).
  EXPECT_EQ(PgQuery(db_, "SELECT COUNT(DISTINCT xmin::text) < 1200 FROM audit").value_or("?"), "t");
}

// Replicas starting at once on an empty database: each migration step runs once, under the
// advisory lock, and every replica opens.
TEST_F(PgStoreTest, ConcurrentOpensOnAnEmptyDatabaseAgreeOnOneSchema) {
  constexpr int kReplicas = 6;
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&] {
      absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
          FeedbackStore::Open(db_, TestOptions());
      EXPECT_OK(store.status());
      if (store.ok()) ++opened;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(opened.load(), kReplicas);
  EXPECT_EQ(PgQuery(db_, "SELECT string_agg(version::text, ',') FROM schema_version").value_or("?"),
            absl::StrCat(FeedbackStore::kSchemaVersion));
  EXPECT_EQ(
      PgQuery(db_, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").value_or("?"),
      "4");  // feedback, audit, used_token, schema_version
}

// As SqliteStore: no index on the audit rows' hookInstance, in a new database and after
// migrating one a version-2 binary made, whose rows stay.
TEST_F(PgStoreTest, AuditRowsAreNotIndexedByHookInstanceAfterOpeningOrMigrating) {
  const auto audit_indexes = [this] {
    return PgQuery(db_,
                   "SELECT COALESCE(string_agg(indexname, ',' ORDER BY indexname), '') "
                   "FROM pg_indexes WHERE tablename = 'audit'")
        .value_or("?");
  };
  {
    ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(db_, TestOptions()));
    ASSERT_OK(store->AddAudit(Audit(1)));
  }
  EXPECT_EQ(audit_indexes(), "audit_pkey");

  // What a version-2 binary left: the same tables, with the index.
  ASSERT_OK(PgQuery(db_,
                    "CREATE INDEX audit_by_hook_instance ON audit (hook_instance); "
                    "UPDATE schema_version SET version = 2")
                .status());
  ASSERT_EQ(audit_indexes(), "audit_by_hook_instance,audit_pkey");

  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(db_, TestOptions()));
  EXPECT_EQ(audit_indexes(), "audit_pkey");
  EXPECT_EQ(PgQuery(db_, "SELECT version FROM schema_version").value_or("?"),
            absl::StrCat(FeedbackStore::kSchemaVersion));
  EXPECT_THAT(Lines(*store, /*audit=*/true), ElementsAreArray({HasSubstr("instance-1")}));
}

TEST_F(PgStoreTest, RefusesASchemaFromANewerBinary) {
  { ASSERT_OK(FeedbackStore::Open(db_, TestOptions()).status()); }
  ASSERT_OK(PgQuery(db_, "UPDATE schema_version SET version = 99").status());
  EXPECT_THAT(FeedbackStore::Open(db_, TestOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("99")));
}

TEST_F(PgStoreTest, ATokenUsedOnOneReplicaIsRefusedByAnother) {
  ASSERT_OK_AND_ASSIGN(auto a, FeedbackStore::Open(db_, TestOptions()));
  ASSERT_OK_AND_ASSIGN(auto b, FeedbackStore::Open(db_, TestOptions()));
  const absl::Time until = kNow + absl::Minutes(5);
  ASSERT_OK(a->RecordTokenUse("https://ehr.example.org", "jti-1", until, kNow));
  EXPECT_THAT(b->RecordTokenUse("https://ehr.example.org", "jti-1", until, kNow),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(a->RecordTokenUse("https://ehr.example.org", "jti-1", until, kNow),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // Scoped by issuer.
  EXPECT_OK(b->RecordTokenUse("https://other.example.org", "jti-1", until, kNow));
  // Past forget_after the row no longer blocks, and the janitor's delete removes it.
  EXPECT_OK(b->RecordTokenUse("https://ehr.example.org", "jti-1", until + absl::Minutes(5),
                              until + absl::Seconds(1)));
  auto* pg = static_cast<PgStore*>(a.get());
  EXPECT_THAT(pg->DeleteExpiredTokens(until + absl::Minutes(6)), IsOkAndHolds(2));
  EXPECT_EQ(PgQuery(db_, "SELECT COUNT(*) FROM used_token").value_or("?"), "0");
}

TEST_F(PgStoreTest, ConcurrentUsesOfOneTokenAdmitExactlyOne) {
  constexpr int kReplicas = 4;
  std::vector<std::unique_ptr<FeedbackStore>> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(db_, TestOptions()));
    replicas.push_back(std::move(store));
  }
  for (int token = 0; token < 20; ++token) {
    std::atomic<int> admitted{0};
    std::vector<std::thread> threads;
    for (auto& replica : replicas) {
      threads.emplace_back([&, store = replica.get()] {
        absl::Status s = store->RecordTokenUse("iss", absl::StrCat("jti-", token),
                                               kNow + absl::Minutes(5), kNow);
        if (s.ok())
          ++admitted;
        else
          EXPECT_THAT(s, StatusIs(absl::StatusCode::kAlreadyExists));
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(admitted.load(), 1) << "token " << token;
  }
}

TEST_F(PgStoreTest, UnreachableServerIsUnavailableAndNamesNoPassword) {
  // Port 1: nobody listens there, so the connection is refused at once.
  const std::string conninfo =
      "host=127.0.0.1 port=1 dbname=thrombo user=thrombo password=s3cret-pw connect_timeout=2";
  absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
      FeedbackStore::Open(conninfo, TestOptions());
  ASSERT_THAT(store, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(store.status().message()), Not(HasSubstr("s3cret-pw")));
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("127.0.0.1"));
}

TEST_F(PgStoreTest, RecoversWhenTheServerDropsItsConnections) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(db_, TestOptions()));
  ASSERT_OK(store->AddFeedback(Accepted("card-a")));
  // What a server restart does to every open connection.
  const std::string database = db_.substr(db_.rfind("dbname=") + 7);
  ASSERT_OK(PgQuery(testing::TestPgConninfo(),
                    absl::StrCat("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = '",
                                 database, "' AND pid <> pg_backend_pid()"))
                .status());
  // The first call finds its pooled connection dead, drops the pool's idle ones, and retries
  // once on a new connection: the client sees no error for a restart it did not witness.
  ASSERT_OK(store->AddFeedback(Accepted("card-b")));
  EXPECT_OK(store->CheckReady());
  EXPECT_EQ(Lines(*store, false).size(), 2u);
}

TEST_F(PgStoreTest, ZeroPoolSizeIsRefused) {
  FeedbackStoreOptions options = TestOptions();
  options.pool_size = 0;
  EXPECT_THAT(FeedbackStore::Open(db_, options), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace thrombo::service::store
