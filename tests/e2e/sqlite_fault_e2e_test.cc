// Copyright 2026 The Thrombo Authors.
// The "SQLite unavailable" fault suite of issue 5, over real sockets: while the feedback
// database is locked by another process or full, feedback answers 503 with an OperationOutcome,
// the feedback stored before the fault comes back byte for byte, the file stays sound, and the
// hook keeps answering 200 (its audit rows wait in the store's queue and are written once the
// fault clears).
//
// How the faults are made, honestly, when tests may run as root (chmod stops nothing):
// - locked: a second SQLite connection, as another process would, holds BEGIN EXCLUSIVE for
//   longer than the store's busy_timeout;
// - full: the store's own size cap (FeedbackStoreOptions::max_size_bytes, PRAGMA
//   max_page_count), which fails a write with SQLITE_FULL exactly as a full disk does.
// A database that is read-only from the start is covered with the real binary, in
// serve_process_e2e_test.cc (a "mode=ro" URI works as root too).
#include <sqlite3.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// Hang detection only: a write waits at most the store's busy_timeout (2 s) for the lock, and
// possibly once more behind the audit writer's own attempt.
constexpr absl::Duration kAnswerBound = absl::Seconds(10);

// One overridden entry for `card`, with `comment`; distinct cards are distinct rows.
std::string FeedbackBody(const std::string& card, const std::string& comment) {
  return absl::StrCat(
      R"({"feedback":[{"card":")", card,
      R"(","outcome":"overridden","overrideReason":{"reason":{"system":)",
      R"("https://thrombo.example/override","code":"other","display":"Other"},"userComment":")",
      comment, R"("},"outcomeTimestamp":"2026-11-25T12:02:00Z"}]})");
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    lines.emplace_back(line);
  }
  return lines;
}

// A second connection to the store's file, as another process would open it.
class OtherConnection final {
 public:
  explicit OtherConnection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~OtherConnection() { sqlite3_close_v2(db_); }

  // Runs `sql`; "" when it succeeded, else SQLite's message.
  std::string Exec(const std::string& sql) {
    char* error = nullptr;
    const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    std::string message = code == SQLITE_OK ? "" : (error != nullptr ? error : "error");
    sqlite3_free(error);
    return message;
  }

  // The first column of the first row of `sql`, as text.
  std::string Query(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    std::string value;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      if (text != nullptr) value = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(statement);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteFaultE2eTest : public ::testing::Test {
 protected:
  void StartStack(StackOptions options = {}) {
    absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    hook_ = ToJson(LoadExample("order-sign-thalidomide.json", stack_->fhir().base_url()));
  }

  // A hook call with its own hookInstance (so its audit row can be found); asserts a 200 with a
  // valid CDS Hooks response, within the bound.
  void ExpectHookAnswers(const std::string& hook_instance) {
    rapidjson::Document request = ParseJson(hook_);
    request["hookInstance"].SetString(hook_instance.c_str(), request.GetAllocator());
    const absl::Time start = absl::Now();
    const ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
    EXPECT_LT(absl::Now() - start, kAnswerBound) << hook_instance;
    ASSERT_EQ(response.status, 200) << hook_instance << ": " << response.error << response.body;
    EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
  }

  ClientResponse PostFeedback(const std::string& body) {
    const absl::Time start = absl::Now();
    ClientResponse response = stack_->PostJson(kFeedback, body);
    EXPECT_LT(absl::Now() - start, kAnswerBound);
    return response;
  }

  std::string ExportFeedback() {
    std::ostringstream out;
    const absl::Status status = stack_->store()->ExportFeedbackJsonLines(out);
    EXPECT_TRUE(status.ok()) << status;
    return out.str();
  }

  std::string ExportAudit() {
    std::ostringstream out;
    const absl::Status status = stack_->store()->ExportAuditJsonLines(out);
    EXPECT_TRUE(status.ok()) << status;
    return out.str();
  }

  std::unique_ptr<ServiceStack> stack_;
  std::string hook_;
};

TEST_F(SqliteFaultE2eTest, LockedDatabaseGives503KeepsStoredFeedbackAndTheHookAnswers) {
  StartStack();
  ASSERT_EQ(PostFeedback(FeedbackBody("card-before", "stored before the lock")).status, 200);
  const std::string before = ExportFeedback();
  ASSERT_THAT(Lines(before), SizeIs(1));

  {
    OtherConnection other(stack_->store_path());
    ASSERT_EQ(other.Exec("BEGIN EXCLUSIVE"), "");

    const ClientResponse refused = PostFeedback(FeedbackBody("card-during", "while locked"));
    EXPECT_EQ(refused.status, 503) << refused.error << refused.body;
    EXPECT_THAT(OperationOutcomeProblems(refused), IsEmpty());
    // "transient" tells the EHR that the same feedback may be sent again later.
    EXPECT_THAT(refused.body, HasSubstr("\"code\":\"transient\""));
    // Where the database lives and what SQLite said are for the operator's log only.
    EXPECT_THAT(refused.body, Not(HasSubstr(stack_->store_path())));
    EXPECT_THAT(refused.body, Not(HasSubstr("locked")));

    for (int i = 0; i < 3; ++i) ExpectHookAnswers(absl::StrCat("locked-hook-", i));

    ASSERT_EQ(other.Exec("ROLLBACK"), "");
  }

  // Nothing stored before the fault changed, and the refused entry was not half-written.
  EXPECT_EQ(ExportFeedback(), before);
  // Once the lock is gone the same feedback is accepted: the client's retry works.
  const ClientResponse retried = PostFeedback(FeedbackBody("card-during", "while locked"));
  EXPECT_EQ(retried.status, 200) << retried.body;
  const std::vector<std::string> rows = Lines(ExportFeedback());
  ASSERT_THAT(rows, SizeIs(2));
  EXPECT_EQ(rows[0], Lines(before)[0]);
  EXPECT_THAT(rows[1], HasSubstr("card-during"));

  // The audit rows of the hook calls made during the lock were kept and written afterwards.
  const std::string audit = ExportAudit();
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(audit, HasSubstr(absl::StrCat("\"hookInstance\":\"locked-hook-", i, "\"")));
  }
  OtherConnection check(stack_->store_path());
  EXPECT_EQ(check.Query("PRAGMA integrity_check"), "ok");
}

TEST_F(SqliteFaultE2eTest, FullDatabaseGives503KeepsStoredFeedbackAndTheHookAnswers) {
  StackOptions options;
  // The store's size cap fails writes with SQLITE_FULL, the code a full disk gives.
  options.store_options.max_size_bytes = 160 * 1024;
  StartStack(options);

  // Fill it with feedback until a write is refused; every acknowledged entry must survive.
  const std::string comment(4000, 'c');
  std::vector<std::string> acknowledged;
  ClientResponse refused;
  for (int i = 0; i < 200; ++i) {
    const std::string card = absl::StrCat("card-", i);
    ClientResponse response = PostFeedback(FeedbackBody(card, comment));
    if (response.status != 200) {
      refused = response;
      break;
    }
    acknowledged.push_back(card);
  }
  ASSERT_FALSE(acknowledged.empty()) << "the cap left no room for any feedback";
  EXPECT_EQ(refused.status, 503) << refused.error << refused.body;
  EXPECT_THAT(OperationOutcomeProblems(refused), IsEmpty());
  EXPECT_THAT(refused.body, HasSubstr("\"code\":\"transient\""));

  // The hook keeps answering while the database is full (its audit rows cannot be written).
  for (int i = 0; i < 3; ++i) ExpectHookAnswers(absl::StrCat("full-hook-", i));
  // Another feedback write is still refused cleanly, not hung or half-written.
  EXPECT_EQ(PostFeedback(FeedbackBody("card-late", comment)).status, 503);

  const std::vector<std::string> rows = Lines(ExportFeedback());
  ASSERT_THAT(rows, SizeIs(acknowledged.size()));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_THAT(rows[i], HasSubstr(absl::StrCat("\"card\":\"", acknowledged[i], "\"")));
    EXPECT_THAT(rows[i], HasSubstr(comment));
  }
  OtherConnection check(stack_->store_path());
  EXPECT_EQ(check.Query("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace thrombo::e2e
