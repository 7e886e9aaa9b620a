// Copyright 2026 The Thrombo Authors.
// SqliteStore on the SQLite C API: one connection, prepared statements per call (the audit
// INSERT's kept for the store's life), every write inside BEGIN IMMEDIATE ... COMMIT; audit rows
// committed in groups by the base's writer thread.
#include "service/store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "service/store/store_rows.h"

namespace thrombo::service::store {
namespace {

// Forward-only schema steps; entry i takes the schema from version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE feedback (
      id INTEGER PRIMARY KEY,
      service_id TEXT NOT NULL,
      card_uuid TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
      accepted_suggestions TEXT NOT NULL,  -- JSON array of suggestion uuids, '[]' when none
      override_reason_system TEXT,
      override_reason_code TEXT,
      override_reason_display TEXT,
      user_comment TEXT,
      outcome_timestamp TEXT NOT NULL,     -- RFC 3339 as sent
      received_at TEXT NOT NULL,           -- RFC 3339 UTC
      UNIQUE (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions)
    );
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY,
      time TEXT NOT NULL,
      service_id TEXT NOT NULL,
      hook TEXT NOT NULL,
      hook_instance TEXT NOT NULL,
      patient_id TEXT,
      card_uuids TEXT NOT NULL,            -- JSON array
      suggestion_uuids TEXT NOT NULL,      -- JSON array
      policy_version TEXT,
      action TEXT NOT NULL
    );
    CREATE INDEX audit_by_hook_instance ON audit (hook_instance);
    )sql",
    // 2: used JWT ids, shared by replicas (PostgreSQL only uses it; kept here so both backends
    // hold one schema and one version number).
    R"sql(
    CREATE TABLE used_token (
      issuer TEXT NOT NULL,
      jti TEXT NOT NULL,
      forget_after TEXT NOT NULL,          -- RFC 3339 UTC
      PRIMARY KEY (issuer, jti)
    );
    )sql",
    // 3: no index on the audit rows' hookInstance. Nothing in the service reads by it, and each
    // hook call paid for it: a hookInstance is a random UUID, so each row's entry lands on a
    // random page of the index, which every group commit then writes back (1.5 page writes
    // a call) and, once the index outgrows the page cache, first reads (0.9 page reads a call).
    // `thrombo serve` pinned, a fresh hookInstance a call: 139 / 141 -> 122 / 124 us of CPU a
    // hook call (docs/benchmarks.md, "seventeenth round"). Look a hook call up with
    // `thrombo feedback export --audit`, or make the index yourself (docs/operations.md,
    // "Database").
    R"sql(
    DROP INDEX IF EXISTS audit_by_hook_instance;
    )sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == FeedbackStore::kSchemaVersion);

// Binds text, or NULL when `text` is empty and `empty_is_null`.
int BindText(sqlite3_stmt* stmt, int index, std::string_view text, bool empty_is_null = false) {
  if (text.empty() && empty_is_null) return sqlite3_bind_null(stmt, index);
  return sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                           SQLITE_TRANSIENT);
}

// Owns a prepared statement.
class Statement final {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  sqlite3_stmt* get() const { return stmt_; }
  int Bind(int index, std::string_view text, bool empty_is_null = false) {
    return BindText(stmt_, index, text, empty_is_null);
  }
  std::string_view Column(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    if (text == nullptr) return {};
    return std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a kept statement and drops its bindings when one use of it ends, however it ends, so
// that it is not left running into the transaction's COMMIT or ROLLBACK and holds no row's text.
class ResetOnExit final {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* const stmt_;
};

absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

using internal::JsonArray;
using internal::Rfc3339Utc;

}  // namespace

SqliteStore::SqliteStore(sqlite3* db, std::string path, FeedbackStoreOptions options)
    : FeedbackStore(std::move(options)), path_(std::move(path)), db_(db) {}

SqliteStore::~SqliteStore() {
  StopAuditWriter();  // commits what is queued, while InsertAudit can still run
  absl::MutexLock lock(&mu_);
  // Before closing: with a statement left, sqlite3_close_v2 would keep the connection open.
  sqlite3_finalize(audit_insert_);
  sqlite3_close_v2(db_);
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                                FeedbackStoreOptions options) {
  if (!options.clock) options.clock = [] { return absl::Now(); };
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
  const int code = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // The handle exists (and must be closed) even when opening failed.
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path, std::move(options)));
  absl::MutexLock lock(&store->mu_);
  if (code != SQLITE_OK) return store->SqliteError(code, "open");
  if (absl::Status status = store->Configure(); !status.ok()) return status;
  if (absl::Status status = store->Migrate(); !status.ok()) return status;
  store->StartAuditWriter();
  return store;
}

absl::Status SqliteStore::Configure() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(absl::ToInt64Milliseconds(options().busy_timeout)));
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v2(db_, "PRAGMA journal_mode=WAL", -1, &raw, nullptr);
  Statement statement(raw);
  if (code == SQLITE_OK) code = sqlite3_step(statement.get());
  if (code != SQLITE_ROW) return SqliteError(code, "enable WAL");
  const std::string mode(statement.Column(0));
  if (mode != "wal" && mode != "memory") {
    return absl::UnavailableError(
        absl::StrCat("feedback store ", path_, ": cannot use WAL (journal mode is ", mode, ")"));
  }
  // FULL: a commit is on disk when it returns; NORMAL would allow losing the last ones.
  if (absl::Status status = Exec("PRAGMA synchronous=FULL"); !status.ok()) return status;
  if (options().max_size_bytes > 0) {
    absl::StatusOr<int64_t> page_size = QueryInt("PRAGMA page_size");
    if (!page_size.ok()) return page_size.status();
    const int64_t pages = std::max<int64_t>(1, options().max_size_bytes / std::max<int64_t>(
                                                                             1, *page_size));
    const std::string pragma = absl::StrCat("PRAGMA max_page_count=", pages);
    if (absl::Status status = Exec(pragma.c_str()); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Migrate() {
  return InTransaction([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> absl::Status {
    if (absl::Status status =
            Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        !status.ok()) {
      return status;
    }
    absl::StatusOr<int64_t> found =
        QueryInt("SELECT IFNULL(MAX(version), 0) FROM schema_version");
    if (!found.ok()) return found.status();
    const int64_t version = *found;
    if (version > kSchemaVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("feedback store ", path_, ": schema version ", version,
                       " is newer than this binary's ", kSchemaVersion));
    }
    for (int next = version; next < kSchemaVersion; ++next) {
      if (absl::Status status = Exec(kMigrations[next]); !status.ok()) return status;
    }
    if (version == kSchemaVersion) return absl::OkStatus();
    const std::string update = absl::StrCat(
        "DELETE FROM schema_version; INSERT INTO schema_version VALUES (", kSchemaVersion, ")");
    return Exec(update.c_str());
  });
}

absl::StatusOr<int64_t> SqliteStore::QueryInt(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  Statement statement(raw);
  if (code == SQLITE_OK) code = sqlite3_step(statement.get());
  if (code != SQLITE_ROW) return SqliteError(code, sql);
  return sqlite3_column_int64(statement.get(), 0);
}

absl::Status SqliteStore::Exec(const char* sql) {
  const int code = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return code == SQLITE_OK ? absl::OkStatus() : SqliteError(code, "execute");
}

// BEGIN IMMEDIATE takes the write lock up front, so a busy database fails here (after
// busy_timeout) rather than half-way through the body.
absl::Status SqliteStore::InTransaction(const std::function<absl::Status()>& body) {
  if (absl::Status status = Exec("BEGIN IMMEDIATE"); !status.ok()) return status;
  absl::Status status = body();
  if (status.ok()) status = Exec("COMMIT");
  if (!status.ok() && !sqlite3_get_autocommit(db_)) {
    // Best effort: SQLite may already have rolled back (e.g. on SQLITE_FULL).
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  return status;
}

absl::Status SqliteStore::SqliteError(int code, std::string_view what) const {
  const char* detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  const std::string message =
      absl::StrCat("feedback store ", path_, ": ", ToAbsl(what), " failed: ", detail);
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      return absl::UnavailableError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    case SQLITE_CONSTRAINT:
      return absl::InvalidArgumentError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::Status SqliteStore::InsertFeedback(const FeedbackRecord& record) {
  // ON CONFLICT DO NOTHING applies to the idempotency key only; a CHECK failure still fails.
  static constexpr char kInsert[] =
      "INSERT INTO feedback (service_id, card_uuid, outcome, accepted_suggestions, "
      "override_reason_system, override_reason_code, override_reason_display, user_comment, "
      "outcome_timestamp, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions) "
      "DO NOTHING";
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v2(db_, kInsert, -1, &raw, nullptr);
  Statement statement(raw);
  if (code != SQLITE_OK) return SqliteError(code, "prepare feedback insert");
  statement.Bind(1, record.service_id);
  statement.Bind(2, record.card_uuid);
  statement.Bind(3, FeedbackOutcomeName(record.outcome));
  statement.Bind(4, JsonArray(record.accepted_suggestion_ids));
  statement.Bind(5, record.override_reason_system, true);
  statement.Bind(6, record.override_reason_code, true);
  statement.Bind(7, record.override_reason_display, true);
  statement.Bind(8, record.user_comment, true);
  statement.Bind(9, record.outcome_timestamp);
  statement.Bind(10, Rfc3339Utc(options().clock()));
  code = sqlite3_step(statement.get());
  return code == SQLITE_DONE ? absl::OkStatus() : SqliteError(code, "insert feedback");
}

absl::Status SqliteStore::AddFeedbackBatch(absl::Span<const FeedbackRecord> records) {
  absl::MutexLock lock(&mu_);
  return InTransaction([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> absl::Status {
    for (size_t i = 0; i < records.size(); ++i) {
      // Validated inside the transaction: rows before a bad one are rolled back with it.
      absl::Status status = internal::ValidateFeedback(records[i]);
      if (status.ok()) status = InsertFeedback(records[i]);
      if (!status.ok()) {
        return absl::Status(status.code(),
                            absl::StrCat("feedback[", i, "]: ", status.message()));
      }
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteStore::InsertAudit(const std::vector<AuditRecord>& rows) {
  static constexpr char kInsert[] =
      "INSERT INTO audit (time, service_id, hook, hook_instance, patient_id, card_uuids, "
      "suggestion_uuids, policy_version, action) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  absl::MutexLock lock(&mu_);
  return InTransaction([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> absl::Status {
    // Prepared inside the transaction, as it was on every batch, so a failure still comes back
    // from this call; a failed prepare leaves audit_insert_ null and the next batch retries.
    if (audit_insert_ == nullptr) {
      const int code = sqlite3_prepare_v2(db_, kInsert, -1, &audit_insert_, nullptr);
      if (code != SQLITE_OK) return SqliteError(code, "prepare audit insert");
    }
    sqlite3_stmt* const statement = audit_insert_;
    const ResetOnExit reset_on_exit(statement);
    for (const AuditRecord& record : rows) {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);  // no row can inherit a value from the one before
      BindText(statement, 1, Rfc3339Utc(record.time));
      BindText(statement, 2, record.service_id);
      BindText(statement, 3, record.hook);
      BindText(statement, 4, record.hook_instance);
      BindText(statement, 5, record.patient_id, true);
      BindText(statement, 6, JsonArray(record.card_uuids));
      BindText(statement, 7, JsonArray(record.suggestion_uuids));
      BindText(statement, 8, record.policy_version, true);
      BindText(statement, 9, record.action);
      const int code = sqlite3_step(statement);
      if (code != SQLITE_DONE) return SqliteError(code, "insert audit");
    }
    return absl::OkStatus();
  });
}

// Runs `sql` and writes one line per row with `line`.
absl::Status SqliteStore::Export(const char* sql, bool feedback, std::ostream& out) {
  const auto line = feedback ? &internal::FeedbackLine : &internal::AuditLine;
  absl::MutexLock lock(&mu_);
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  Statement statement(raw);
  if (code != SQLITE_OK) return SqliteError(code, "prepare export");
  const internal::Columns columns = [&statement](int index) { return statement.Column(index); };
  std::string text;
  while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
    text.clear();
    if (!line(columns, &text)) {
      return absl::DataLossError("export: a stored row holds damaged JSON");
    }
    if (absl::Status status = internal::WriteLine(out, text); !status.ok()) return status;
  }
  if (code != SQLITE_DONE) return SqliteError(code, "read rows");
  out.flush();
  return out ? absl::OkStatus() : absl::UnavailableError("export: the output stream failed");
}

absl::Status SqliteStore::ExportFeedbackJsonLines(std::ostream& out) {
  return Export(internal::kExportFeedbackQuery, /*feedback=*/true, out);
}

absl::Status SqliteStore::ExportAuditJsonLines(std::ostream& out) {
  // Best effort: when the database is failing, export what is stored and let the export's own
  // statement report the failure.
  FlushAudit().IgnoreError();
  return Export(internal::kExportAuditQuery, /*feedback=*/false, out);
}

absl::Status SqliteStore::CheckReady() {
  absl::MutexLock lock(&mu_);
  return QueryInt("SELECT COUNT(*) FROM schema_version").status();
}

}  // namespace thrombo::service::store
