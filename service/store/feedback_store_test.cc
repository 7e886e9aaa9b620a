// Copyright 2026 The Thrombo Authors.
// Tests for FeedbackStore on real files under the test's temporary directory.
#include "service/store/feedback_store.h"
#include "service/store/test_records.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::store {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

const absl::Time kNow = absl::FromUnixSeconds(1767323045);  // 2026-01-02T03:04:05Z

std::string TempPath(const std::string& name) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/", name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return path;
}

FeedbackStoreOptions TestOptions() {
  FeedbackStoreOptions options;
  options.busy_timeout = absl::Milliseconds(50);
  options.clock = [] { return kNow; };
  return options;
}

using test_records::Accepted;
using test_records::Overridden;

AuditRecord Audit() {
  AuditRecord record;
  record.time = kNow;
  record.service_id = "vte-prophylaxis";
  record.hook = "order-sign";
  record.hook_instance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";
  record.patient_id = "example-123";
  record.card_uuids = {"card-1"};
  record.suggestion_uuids = {"sugg-aspirin", "sugg-lmwh"};
  record.policy_version = "policy-v1";
  record.action = "cards";
  return record;
}

std::vector<std::string> FeedbackLines(FeedbackStore& store) {
  std::ostringstream out;
  EXPECT_OK(store.ExportFeedbackJsonLines(out));
  return absl::StrSplit(out.str(), '\n', absl::SkipEmpty());
}

std::vector<std::string> AuditLines(FeedbackStore& store) {
  std::ostringstream out;
  EXPECT_OK(store.ExportAuditJsonLines(out));
  return absl::StrSplit(out.str(), '\n', absl::SkipEmpty());
}

TEST(FeedbackStore, ExportsFeedbackAsCdsHooksJsonLines) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(TempPath("export.db"), TestOptions()));
  ASSERT_OK(store->AddFeedback(Accepted()));
  ASSERT_OK(store->AddFeedback(Overridden()));
  EXPECT_THAT(FeedbackLines(*store),
              ::testing::ElementsAre(
                  "{\"serviceId\":\"vte-prophylaxis\",\"card\":\"card-1\",\"outcome\":\"accepted\","
                  "\"acceptedSuggestions\":[{\"id\":\"sugg-aspirin\"}],"
                  "\"outcomeTimestamp\":\"2026-01-02T03:00:00Z\","
                  "\"receivedAt\":\"2026-01-02T03:04:05.000Z\"}",
                  "{\"serviceId\":\"vte-prophylaxis\",\"card\":\"card-2\",\"outcome\":\"overridden\","
                  "\"overrideReason\":{\"reason\":{\"system\":\"http://example.org/override\","
                  "\"code\":\"already-anticoagulated\",\"display\":\"Already anticoagulated\"},"
                  "\"userComment\":\"on \\\"apixaban\\\"\"},"
                  "\"outcomeTimestamp\":\"2026-01-02T03:01:00+01:00\","
                  "\"receivedAt\":\"2026-01-02T03:04:05.000Z\"}"));
}

TEST(FeedbackStore, ExportsAuditAsJsonLines) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(TempPath("audit.db"), TestOptions()));
  ASSERT_OK(store->AddAudit(Audit()));
  AuditRecord bare = Audit();
  bare.patient_id.clear();
  bare.card_uuids.clear();
  bare.suggestion_uuids.clear();
  bare.policy_version.clear();
  bare.action = "412";
  ASSERT_OK(store->AddAudit(bare));
  std::ostringstream out;
  ASSERT_OK(store->ExportAuditJsonLines(out));
  EXPECT_EQ(out.str(),
            "{\"time\":\"2026-01-02T03:04:05.000Z\",\"serviceId\":\"vte-prophylaxis\","
            "\"hook\":\"order-sign\",\"hookInstance\":\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\","
            "\"patientId\":\"example-123\",\"cards\":[\"card-1\"],"
            "\"suggestions\":[\"sugg-aspirin\",\"sugg-lmwh\"],\"policyVersion\":\"policy-v1\","
            "\"action\":\"cards\"}\n"
            "{\"time\":\"2026-01-02T03:04:05.000Z\",\"serviceId\":\"vte-prophylaxis\","
            "\"hook\":\"order-sign\",\"hookInstance\":\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\","
            "\"action\":\"412\"}\n");
}

TEST(FeedbackStore, RowsSurviveReopening) {
  const std::string path = TempPath("reopen.db");
  {
    ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
    ASSERT_OK(store->AddFeedback(Accepted()));
    ASSERT_OK(store->AddAudit(Audit()));
  }
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
  EXPECT_EQ(FeedbackLines(*store).size(), 1u);
  std::ostringstream audit;
  ASSERT_OK(store->ExportAuditJsonLines(audit));
  EXPECT_THAT(audit.str(), HasSubstr("example-123"));
}

TEST(FeedbackStore, RepeatedFeedbackIsStoredOnce) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(TempPath("repeat.db"), TestOptions()));
  ASSERT_OK(store->AddFeedback(Accepted()));
  ASSERT_OK(store->AddFeedback(Accepted()));
  ASSERT_OK(store->AddFeedbackBatch({Accepted(), Accepted()}));
  EXPECT_EQ(FeedbackLines(*store).size(), 1u);
  // A different timestamp or suggestion is a new event.
  FeedbackRecord later = Accepted();
  later.outcome_timestamp = "2026-01-02T03:00:01Z";
  FeedbackRecord other = Accepted();
  other.accepted_suggestion_ids = {"sugg-lmwh"};
  ASSERT_OK(store->AddFeedbackBatch({later, other}));
  EXPECT_EQ(FeedbackLines(*store).size(), 3u);
}

TEST(FeedbackStore, BatchWithABadRowStoresNothing) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(TempPath("batch.db"), TestOptions()));
  FeedbackRecord bad = Overridden();
  bad.outcome_timestamp = "yesterday";
  EXPECT_THAT(store->AddFeedbackBatch({Accepted("a"), Accepted("b"), bad}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("feedback[2]")));
  EXPECT_TRUE(FeedbackLines(*store).empty());
  ASSERT_OK(store->AddFeedbackBatch({Accepted("a"), Accepted("b")}));
  EXPECT_EQ(FeedbackLines(*store).size(), 2u);
}

TEST(FeedbackStore, RejectsInvalidRecords) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(TempPath("invalid.db"), TestOptions()));
  FeedbackRecord no_card = Accepted();
  no_card.card_uuid.clear();
  EXPECT_THAT(store->AddFeedback(no_card),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("card")));
  FeedbackRecord bad_text = Overridden();
  bad_text.user_comment = "bad \xFF";
  EXPECT_THAT(store->AddFeedback(bad_text), StatusIs(absl::StatusCode::kInvalidArgument));
  for (const char* patient : {"Patient/123", "John Smith", ""}) {
    AuditRecord audit = Audit();
    audit.patient_id = patient;
    if (*patient == '\0') {
      EXPECT_OK(store->AddAudit(audit));
    } else {
      EXPECT_THAT(store->AddAudit(audit), StatusIs(absl::StatusCode::kInvalidArgument)) << patient;
    }
  }
  AuditRecord no_hook = Audit();
  no_hook.hook.clear();
  EXPECT_THAT(store->AddAudit(no_hook), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FeedbackStore, LockedDatabaseIsUnavailableAfterTheBusyTimeout) {
  const std::string path = TempPath("busy.db");
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
  ASSERT_OK(store->AddFeedback(Accepted("kept")));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_THAT(store->AddFeedback(Accepted("blocked")),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr(path)));
  // Not on disk yet, so not OK; but the row stays queued rather than being dropped.
  EXPECT_THAT(store->AddAudit(Audit()), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_OK(store->AddFeedback(Accepted("after")));
  const std::vector<std::string> lines = FeedbackLines(*store);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr("\"card\":\"kept\""));
  EXPECT_THAT(lines[1], HasSubstr("\"card\":\"after\""));
  ASSERT_OK(store->FlushAudit());
  EXPECT_EQ(AuditLines(*store).size(), 1u);
}

TEST(FeedbackStore, EnqueuedAuditRowsAllLandInOrder) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(TempPath("queue.db"), TestOptions()));
  constexpr int kThreads = 4;
  constexpr int kRowsEach = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < kRowsEach; ++i) {
        AuditRecord row = Audit();
        row.hook_instance = absl::StrCat("t", t, "-", i);
        EXPECT_OK(store->EnqueueAudit(std::move(row)));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_OK(store->FlushAudit());
  const std::vector<std::string> lines = AuditLines(*store);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kRowsEach));
  // Each thread's rows appear in the order it queued them.
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    for (int t = 0; t < kThreads; ++t) {
      if (line.find(absl::StrCat("\"hookInstance\":\"t", t, "-")) == std::string::npos) continue;
      EXPECT_THAT(line, HasSubstr(absl::StrCat("\"t", t, "-", next[t], "\"")));
      ++next[t];
    }
  }
  EXPECT_THAT(next, ::testing::Each(kRowsEach));
}

TEST(FeedbackStore, QueuedAuditRowsWaitOutALockAndLandAfterIt) {
  const std::string path = TempPath("audit-busy.db");
  FeedbackStoreOptions options = TestOptions();
  std::atomic<int> errors{0};
  options.on_audit_error = [&errors](const absl::Status& status, size_t rows) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
    EXPECT_GT(rows, 0u);
    ++errors;
  };
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, options));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  for (int i = 0; i < 3; ++i) ASSERT_OK(store->EnqueueAudit(Audit()));  // never blocks
  EXPECT_THAT(store->FlushAudit(), StatusIs(absl::StatusCode::kUnavailable, HasSubstr(path)));
  EXPECT_GE(errors.load(), 1);
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_OK(store->FlushAudit());
  EXPECT_EQ(AuditLines(*store).size(), 3u);
}

TEST(FeedbackStore, FullAuditQueueRefusesRowsInsteadOfGrowing) {
  const std::string path = TempPath("audit-limit.db");
  FeedbackStoreOptions options = TestOptions();
  options.audit_queue_limit = 2;
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, options));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_OK(store->EnqueueAudit(Audit()));
  ASSERT_OK(store->EnqueueAudit(Audit()));
  EXPECT_THAT(store->EnqueueAudit(Audit()),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("2 audit rows")));
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_OK(store->FlushAudit());
  EXPECT_EQ(AuditLines(*store).size(), 2u);
  ASSERT_OK(store->EnqueueAudit(Audit()));  // room again
}

TEST(FeedbackStore, ClosingCommitsQueuedAuditRows) {
  const std::string path = TempPath("audit-close.db");
  {
    ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
    for (int i = 0; i < 50; ++i) ASSERT_OK(store->EnqueueAudit(Audit()));
  }
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
  EXPECT_EQ(AuditLines(*store).size(), 50u);
}

TEST(FeedbackStore, ReadOnlyDatabaseIsUnavailable) {
  const std::string path = TempPath("readonly.db");
  {
    ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
    ASSERT_OK(store->AddFeedback(Accepted()));
  }
  // Opened read-only through a URI: works the same whoever runs the test.
  absl::StatusOr<std::unique_ptr<FeedbackStore>> read_only =
      FeedbackStore::Open(absl::StrCat("file:", path, "?mode=ro"), TestOptions());
  if (read_only.ok()) {
    EXPECT_THAT((*read_only)->AddFeedback(Accepted("new")),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr(path)));
  } else {
    EXPECT_THAT(read_only, StatusIs(absl::StatusCode::kUnavailable));
  }
}

TEST(FeedbackStore, ChmodReadOnlyFileIsUnavailable) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores file permissions";
  const std::string path = TempPath("chmod.db");
  {
    ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
    ASSERT_OK(store->AddFeedback(Accepted()));
  }
  ASSERT_EQ(chmod(path.c_str(), 0444), 0);
  absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open(path, TestOptions());
  if (store.ok()) {
    EXPECT_THAT((*store)->AddFeedback(Accepted("new")), StatusIs(absl::StatusCode::kUnavailable));
  } else {
    EXPECT_THAT(store, StatusIs(absl::StatusCode::kUnavailable));
  }
  chmod(path.c_str(), 0644);
}

TEST(FeedbackStore, FullDatabaseIsUnavailableAndKeepsEarlierRows) {
  FeedbackStoreOptions options = TestOptions();
  options.max_size_bytes = 64 * 1024;
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(TempPath("full.db"), options));
  AuditRecord big = Audit();
  big.card_uuids.assign(50, std::string(100, 'c'));
  int stored = 0;
  absl::Status status;
  for (int i = 0; i < 1000 && status.ok(); ++i) {
    status = store->AddAudit(big);
    if (status.ok()) ++stored;
  }
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_GT(stored, 0);
  std::ostringstream out;
  ASSERT_OK(store->ExportAuditJsonLines(out));
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), stored);
}

TEST(FeedbackStore, RefusesANewerSchemaAndAFileThatIsNotADatabase) {
  const std::string path = TempPath("newer.db");
  { ASSERT_OK(FeedbackStore::Open(path, TestOptions()).status()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THAT(FeedbackStore::Open(path, TestOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("99")));

  const std::string junk = TempPath("junk.db");
  std::ofstream(junk) << std::string(8192, 'x');
  EXPECT_THAT(FeedbackStore::Open(junk, TestOptions()), StatusIs(absl::StatusCode::kDataLoss));
}

// The audit table keeps no index on hookInstance (schema step 3: each hook call paid for it and
// nothing reads by it), in a new database and in one a version-2 binary made, whose rows stay.
TEST(FeedbackStore, AuditRowsAreNotIndexedByHookInstanceAfterOpeningOrMigrating) {
  const auto audit_indexes = [](const std::string& path) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::string names;
    const auto collect = [](void* out, int, char** values, char**) {
      absl::StrAppend(static_cast<std::string*>(out), values[0], ";");
      return 0;
    };
    EXPECT_EQ(sqlite3_exec(db,
                           "SELECT name FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = 'audit' ORDER BY name",
                           collect, &names, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    return names;
  };
  const std::string path = TempPath("audit-index.db");
  {
    ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
    ASSERT_OK(store->AddAudit(Audit()));
  }
  EXPECT_EQ(audit_indexes(path), "");

  // What a version-2 binary left: the same tables, with the index.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE INDEX audit_by_hook_instance ON audit (hook_instance); "
                         "UPDATE schema_version SET version = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ASSERT_EQ(audit_indexes(path), "audit_by_hook_instance;");

  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(path, TestOptions()));
  EXPECT_EQ(audit_indexes(path), "");
  EXPECT_THAT(AuditLines(*store),
              ::testing::ElementsAre(HasSubstr("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea")));
}

TEST(FeedbackStore, ConcurrentWritersAllLand) {
  ASSERT_OK_AND_ASSIGN(auto store, FeedbackStore::Open(TempPath("threads.db"), TestOptions()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_OK(store->AddFeedback(Accepted(absl::StrCat("card-", t, "-", i))));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(FeedbackLines(*store).size(), 100u);
}

}  // namespace
}  // namespace thrombo::service::store
