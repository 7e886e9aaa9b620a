// Copyright 2026 The Thrombo Authors.
// `thrombo feedback export` reads either backend; it never creates a SQLite file.
#include "service/cli/feedback_command.h"

#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/feedback_store.h"
#include "tests/testing/pg_server.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

store::FeedbackRecord Entry(const std::string& card) {
  store::FeedbackRecord record;
  record.service_id = "thrombo-order-sign";
  record.card_uuid = card;
  record.accepted_suggestion_ids = {"suggestion-1"};
  record.outcome_timestamp = "2026-12-02T07:00:00Z";
  return record;
}

TEST(FeedbackExport, AMissingSqliteFileIsNotFoundAndNotCreated) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/absent.sqlite");
  std::ostringstream out;
  EXPECT_THAT(ExportFeedback(path, false, out), StatusIs(absl::StatusCode::kNotFound));
  std::ostringstream again;
  EXPECT_THAT(ExportFeedback(path, false, again), StatusIs(absl::StatusCode::kNotFound));
}

TEST(FeedbackExport, ReadsSqliteAndPostgresAlike) {
  const std::string sqlite = absl::StrCat(::testing::TempDir(), "/export.sqlite");
  std::vector<std::string> dbs = {sqlite};
  if (!::thrombo::testing::TestPgConninfo().empty()) {
    absl::StatusOr<std::string> pg = ::thrombo::testing::CreateTestDatabase("export");
    ASSERT_TRUE(pg.ok()) << pg.status();
    dbs.push_back(*pg);
  } else if (::thrombo::testing::PgRequired()) {
    FAIL() << "THROMBO_TEST_PG is not set";
  }
  for (const std::string& db : dbs) {
    {
      absl::StatusOr<std::unique_ptr<store::FeedbackStore>> store = store::FeedbackStore::Open(db);
      ASSERT_TRUE(store.ok()) << store.status();
      ASSERT_TRUE((*store)->AddFeedback(Entry("card-export")).ok());
    }
    std::ostringstream out;
    ASSERT_TRUE(ExportFeedback(db, false, out).ok());
    EXPECT_THAT(out.str(), HasSubstr(R"("card":"card-export")"));
  }
}

}  // namespace
}  // namespace thrombo::service
