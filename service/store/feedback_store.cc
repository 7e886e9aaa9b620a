// Copyright 2026 The Thrombo Authors.
// FeedbackStore on the SQLite C API: one connection, prepared statements per call, every
// write inside BEGIN IMMEDIATE ... COMMIT; audit rows committed in groups by a writer thread.
#include "service/store/feedback_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "base/utf8.h"

namespace thrombo::service::store {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

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
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == FeedbackStore::kSchemaVersion);

// Owns a prepared statement.
class Statement final {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  sqlite3_stmt* get() const { return stmt_; }
  // Binds text, or NULL when `text` is empty and `empty_is_null`.
  int Bind(int index, std::string_view text, bool empty_is_null = false) {
    if (text.empty() && empty_is_null) return sqlite3_bind_null(stmt_, index);
    return sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                             SQLITE_TRANSIENT);
  }
  std::string_view Column(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    if (text == nullptr) return {};
    return std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string Rfc3339Utc(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
}

absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

void WriteString(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void WriteMember(JsonWriter& writer, const char* key, std::string_view value) {
  if (value.empty()) return;  // CDS Hooks and FHIR leave out empty elements
  writer.Key(key);
  WriteString(writer, value);
}

std::string JsonArray(const std::vector<std::string>& items) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartArray();
  for (const std::string& item : items) WriteString(writer, item);
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Parses a JSON array of strings written by JsonArray; false when the stored text is damaged.
bool ParseStringArray(std::string_view json, std::vector<std::string>* items) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsArray()) return false;
  for (const auto& item : document.GetArray()) {
    if (!item.IsString()) return false;
    items->emplace_back(item.GetString(), item.GetStringLength());
  }
  return true;
}

// FHIR id: [A-Za-z0-9\-\.]{1,64}.
bool IsFhirLogicalId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

absl::Status CheckText(std::string_view field, std::string_view value, bool required) {
  if (required && value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), " is required"));
  }
  if (!base::IsValidUtf8(value)) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), " is not valid UTF-8"));
  }
  return absl::OkStatus();
}

absl::Status ValidateFeedback(const FeedbackRecord& record) {
  const std::pair<const char*, const std::string*> required[] = {
      {"serviceId", &record.service_id},
      {"card", &record.card_uuid},
      {"outcomeTimestamp", &record.outcome_timestamp}};
  for (const auto& [field, value] : required) {
    if (absl::Status status = CheckText(field, *value, true); !status.ok()) return status;
  }
  const std::pair<const char*, const std::string*> optional[] = {
      {"overrideReason.reason.system", &record.override_reason_system},
      {"overrideReason.reason.code", &record.override_reason_code},
      {"overrideReason.reason.display", &record.override_reason_display},
      {"overrideReason.userComment", &record.user_comment}};
  for (const auto& [field, value] : optional) {
    if (absl::Status status = CheckText(field, *value, false); !status.ok()) return status;
  }
  for (const std::string& id : record.accepted_suggestion_ids) {
    if (absl::Status status = CheckText("acceptedSuggestions.id", id, true); !status.ok()) {
      return status;
    }
  }
  absl::Time parsed;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, record.outcome_timestamp, &parsed, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "outcomeTimestamp '", record.outcome_timestamp, "' is not RFC 3339: ", error));
  }
  return absl::OkStatus();
}

absl::Status ValidateAudit(const AuditRecord& record) {
  const std::pair<const char*, const std::string*> required[] = {
      {"serviceId", &record.service_id},
      {"hook", &record.hook},
      {"hookInstance", &record.hook_instance},
      {"action", &record.action}};
  for (const auto& [field, value] : required) {
    if (absl::Status status = CheckText(field, *value, true); !status.ok()) return status;
  }
  if (!record.patient_id.empty() && !IsFhirLogicalId(record.patient_id)) {
    // Keeps names, MRNs with spaces and full references out of the audit trail.
    return absl::InvalidArgumentError("patientId must be a FHIR logical id");
  }
  for (const auto* list : {&record.card_uuids, &record.suggestion_uuids}) {
    for (const std::string& uuid : *list) {
      if (absl::Status status = CheckText("uuid", uuid, true); !status.ok()) return status;
    }
  }
  return CheckText("policyVersion", record.policy_version, false);
}

}  // namespace

std::string_view FeedbackOutcomeName(FeedbackOutcome outcome) {
  return outcome == FeedbackOutcome::kOverridden ? "overridden" : "accepted";
}

FeedbackStore::FeedbackStore(sqlite3* db, std::string path, FeedbackStoreOptions options)
    : path_(std::move(path)), options_(std::move(options)), db_(db) {}

FeedbackStore::~FeedbackStore() {
  if (audit_writer_.joinable()) {
    {
      absl::MutexLock lock(&audit_mu_);
      audit_closing_ = true;
    }
    audit_writer_.join();  // it commits what is queued first
  }
  absl::MutexLock lock(&mu_);
  sqlite3_close_v2(db_);
}

absl::StatusOr<std::unique_ptr<FeedbackStore>> FeedbackStore::Open(
    const std::string& path, FeedbackStoreOptions options) {
  if (!options.clock) options.clock = [] { return absl::Now(); };
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
  const int code = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // The handle exists (and must be closed) even when opening failed.
  std::unique_ptr<FeedbackStore> store(new FeedbackStore(db, path, std::move(options)));
  absl::MutexLock lock(&store->mu_);
  if (code != SQLITE_OK) return store->SqliteError(code, "open");
  if (absl::Status status = store->Configure(); !status.ok()) return status;
  if (absl::Status status = store->Migrate(); !status.ok()) return status;
  store->audit_writer_ = std::thread([raw = store.get()] { raw->RunAuditWriter(); });
  return store;
}

absl::Status FeedbackStore::Configure() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(absl::ToInt64Milliseconds(options_.busy_timeout)));
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
  if (options_.max_size_bytes > 0) {
    absl::StatusOr<int64_t> page_size = QueryInt("PRAGMA page_size");
    if (!page_size.ok()) return page_size.status();
    const int64_t pages = std::max<int64_t>(1, options_.max_size_bytes / std::max<int64_t>(
                                                                             1, *page_size));
    const std::string pragma = absl::StrCat("PRAGMA max_page_count=", pages);
    if (absl::Status status = Exec(pragma.c_str()); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status FeedbackStore::Migrate() {
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

absl::StatusOr<int64_t> FeedbackStore::QueryInt(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  Statement statement(raw);
  if (code == SQLITE_OK) code = sqlite3_step(statement.get());
  if (code != SQLITE_ROW) return SqliteError(code, sql);
  return sqlite3_column_int64(statement.get(), 0);
}

absl::Status FeedbackStore::Exec(const char* sql) {
  const int code = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return code == SQLITE_OK ? absl::OkStatus() : SqliteError(code, "execute");
}

// BEGIN IMMEDIATE takes the write lock up front, so a busy database fails here (after
// busy_timeout) rather than half-way through the body.
absl::Status FeedbackStore::InTransaction(const std::function<absl::Status()>& body) {
  if (absl::Status status = Exec("BEGIN IMMEDIATE"); !status.ok()) return status;
  absl::Status status = body();
  if (status.ok()) status = Exec("COMMIT");
  if (!status.ok() && !sqlite3_get_autocommit(db_)) {
    // Best effort: SQLite may already have rolled back (e.g. on SQLITE_FULL).
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  return status;
}

absl::Status FeedbackStore::SqliteError(int code, std::string_view what) const {
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

absl::Status FeedbackStore::InsertFeedback(const FeedbackRecord& record) {
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
  statement.Bind(10, Rfc3339Utc(options_.clock()));
  code = sqlite3_step(statement.get());
  return code == SQLITE_DONE ? absl::OkStatus() : SqliteError(code, "insert feedback");
}

absl::Status FeedbackStore::AddFeedback(const FeedbackRecord& record) {
  if (absl::Status status = ValidateFeedback(record); !status.ok()) return status;
  absl::MutexLock lock(&mu_);
  return InTransaction([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return InsertFeedback(record); });
}

absl::Status FeedbackStore::AddFeedbackBatch(absl::Span<const FeedbackRecord> records) {
  absl::MutexLock lock(&mu_);
  return InTransaction([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> absl::Status {
    for (size_t i = 0; i < records.size(); ++i) {
      // Validated inside the transaction: rows before a bad one are rolled back with it.
      absl::Status status = ValidateFeedback(records[i]);
      if (status.ok()) status = InsertFeedback(records[i]);
      if (!status.ok()) {
        return absl::Status(status.code(),
                            absl::StrCat("feedback[", i, "]: ", status.message()));
      }
    }
    return absl::OkStatus();
  });
}

absl::Status FeedbackStore::EnqueueAudit(AuditRecord record) {
  if (absl::Status status = ValidateAudit(record); !status.ok()) return status;
  absl::MutexLock lock(&audit_mu_);
  const size_t waiting = audit_queue_.size() + audit_in_flight_;
  if (waiting >= options_.audit_queue_limit) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "feedback store ", path_, ": ", waiting,
        " audit rows are waiting for the database (", audit_last_error_.message(),
        "); this row is not recorded"));
  }
  audit_queue_.push_back(std::move(record));
  ++audit_queued_;
  return absl::OkStatus();
}

absl::Status FeedbackStore::FlushAudit() {
  absl::MutexLock lock(&audit_mu_);
  // Done when our rows are committed, or when an attempt made after this call has failed.
  struct Waiting {
    FeedbackStore* store;
    uint64_t target;
    uint64_t failures;
    bool Done() const ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return store->audit_written_ >= target || store->audit_failures_ > failures;
    }
  } waiting{this, audit_queued_, audit_failures_};
  ++audit_flush_waiters_;
  audit_mu_.Await(absl::Condition(&waiting, &Waiting::Done));
  --audit_flush_waiters_;
  if (audit_written_ >= waiting.target) return absl::OkStatus();
  if (!audit_last_error_.ok()) return audit_last_error_;
  return absl::UnavailableError(
      absl::StrCat("feedback store ", path_, ": audit rows not yet written"));
}

absl::Status FeedbackStore::AddAudit(const AuditRecord& record) {
  if (absl::Status status = EnqueueAudit(record); !status.ok()) return status;
  return FlushAudit();
}

absl::Status FeedbackStore::InsertAudit(const std::vector<AuditRecord>& rows) {
  static constexpr char kInsert[] =
      "INSERT INTO audit (time, service_id, hook, hook_instance, patient_id, card_uuids, "
      "suggestion_uuids, policy_version, action) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  absl::MutexLock lock(&mu_);
  return InTransaction([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> absl::Status {
    sqlite3_stmt* raw = nullptr;
    int code = sqlite3_prepare_v2(db_, kInsert, -1, &raw, nullptr);
    Statement statement(raw);
    if (code != SQLITE_OK) return SqliteError(code, "prepare audit insert");
    for (const AuditRecord& record : rows) {
      sqlite3_reset(statement.get());
      statement.Bind(1, Rfc3339Utc(record.time));
      statement.Bind(2, record.service_id);
      statement.Bind(3, record.hook);
      statement.Bind(4, record.hook_instance);
      statement.Bind(5, record.patient_id, true);
      statement.Bind(6, JsonArray(record.card_uuids));
      statement.Bind(7, JsonArray(record.suggestion_uuids));
      statement.Bind(8, record.policy_version, true);
      statement.Bind(9, record.action);
      code = sqlite3_step(statement.get());
      if (code != SQLITE_DONE) return SqliteError(code, "insert audit");
    }
    return absl::OkStatus();
  });
}

// Group commit: takes everything queued, commits it in one transaction, repeats. While one
// commit waits for its fsync the next group gathers, so the fsync rate stays bounded however
// many calls arrive. A failed commit puts its rows back at the front and waits (100 ms doubling
// to 5 s, or until someone flushes or the store closes) before trying again.
void FeedbackStore::RunAuditWriter() {
  constexpr absl::Duration kFirstBackoff = absl::Milliseconds(100);
  constexpr absl::Duration kMaxBackoff = absl::Seconds(5);
  absl::Duration backoff = kFirstBackoff;
  std::vector<AuditRecord> group;
  for (;;) {
    {
      absl::MutexLock lock(&audit_mu_);
      audit_mu_.Await(absl::Condition(
          +[](FeedbackStore* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return !self->audit_queue_.empty() || self->audit_closing_;
          },
          this));
      if (audit_queue_.empty()) return;  // closing, and nothing left
      group.swap(audit_queue_);
      audit_in_flight_ = group.size();
    }
    const absl::Status status = InsertAudit(group);
    absl::MutexLock lock(&audit_mu_);
    audit_in_flight_ = 0;
    if (status.ok()) {
      audit_written_ += group.size();
      audit_last_error_ = absl::OkStatus();
      group.clear();
      backoff = kFirstBackoff;
      continue;
    }
    ++audit_failures_;
    audit_last_error_ = status;
    if (audit_closing_) {
      // The last attempt at close failed: say what is lost rather than wait forever.
      const size_t lost = group.size() + audit_queue_.size();
      audit_written_ += lost;
      audit_queue_.clear();
      if (options_.on_audit_error) options_.on_audit_error(status, lost);
      return;
    }
    if (options_.on_audit_error) options_.on_audit_error(status, group.size());
    group.insert(group.end(), std::make_move_iterator(audit_queue_.begin()),
                 std::make_move_iterator(audit_queue_.end()));
    audit_queue_.swap(group);
    group.clear();
    audit_mu_.AwaitWithTimeout(
        absl::Condition(
            +[](FeedbackStore* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
              return self->audit_closing_ || self->audit_flush_waiters_ > 0;
            },
            this),
        backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

namespace {

// Columns: 0 service_id, 1 card_uuid, 2 outcome, 3 accepted_suggestions, 4-6 reason,
// 7 user_comment, 8 outcome_timestamp, 9 received_at.
bool WriteFeedbackLine(const Statement& row, JsonWriter& writer) {
  std::vector<std::string> accepted;
  if (!ParseStringArray(row.Column(3), &accepted)) return false;
  writer.StartObject();
  WriteMember(writer, "serviceId", row.Column(0));
  WriteMember(writer, "card", row.Column(1));
  WriteMember(writer, "outcome", row.Column(2));
  if (!accepted.empty()) {
    writer.Key("acceptedSuggestions");
    writer.StartArray();
    for (const std::string& id : accepted) {
      writer.StartObject();
      WriteMember(writer, "id", id);
      writer.EndObject();
    }
    writer.EndArray();
  }
  const bool has_reason = !row.Column(5).empty() || !row.Column(4).empty();
  if (has_reason || !row.Column(7).empty()) {
    writer.Key("overrideReason");
    writer.StartObject();
    if (has_reason) {
      writer.Key("reason");
      writer.StartObject();
      WriteMember(writer, "system", row.Column(4));
      WriteMember(writer, "code", row.Column(5));
      WriteMember(writer, "display", row.Column(6));
      writer.EndObject();
    }
    WriteMember(writer, "userComment", row.Column(7));
    writer.EndObject();
  }
  WriteMember(writer, "outcomeTimestamp", row.Column(8));
  WriteMember(writer, "receivedAt", row.Column(9));
  writer.EndObject();
  return true;
}

void WriteStringArray(JsonWriter& writer, const char* key, const std::vector<std::string>& items) {
  if (items.empty()) return;
  writer.Key(key);
  writer.StartArray();
  for (const std::string& item : items) WriteString(writer, item);
  writer.EndArray();
}

// Columns: 0 time, 1 service_id, 2 hook, 3 hook_instance, 4 patient_id, 5 card_uuids,
// 6 suggestion_uuids, 7 policy_version, 8 action.
bool WriteAuditLine(const Statement& row, JsonWriter& writer) {
  std::vector<std::string> cards, suggestions;
  if (!ParseStringArray(row.Column(5), &cards) ||
      !ParseStringArray(row.Column(6), &suggestions)) {
    return false;
  }
  writer.StartObject();
  WriteMember(writer, "time", row.Column(0));
  WriteMember(writer, "serviceId", row.Column(1));
  WriteMember(writer, "hook", row.Column(2));
  WriteMember(writer, "hookInstance", row.Column(3));
  WriteMember(writer, "patientId", row.Column(4));
  WriteStringArray(writer, "cards", cards);
  WriteStringArray(writer, "suggestions", suggestions);
  WriteMember(writer, "policyVersion", row.Column(7));
  WriteMember(writer, "action", row.Column(8));
  writer.EndObject();
  return true;
}

// Shared by both exports: runs `sql` and writes one line per row with `write_line`.
template <typename WriteLine>
absl::Status ExportRows(sqlite3* db, const char* sql, std::ostream& out, WriteLine write_line,
                        const std::function<absl::Status(int, std::string_view)>& error) {
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  Statement statement(raw);
  if (code != SQLITE_OK) return error(code, "prepare export");
  while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    if (!write_line(statement, writer)) {
      return absl::DataLossError("export: a stored row holds damaged JSON");
    }
    out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
    out.put('\n');
    if (!out) return absl::UnavailableError("export: the output stream failed");
  }
  if (code != SQLITE_DONE) return error(code, "read rows");
  out.flush();
  return out ? absl::OkStatus() : absl::UnavailableError("export: the output stream failed");
}

}  // namespace

absl::Status FeedbackStore::ExportFeedbackJsonLines(std::ostream& out) {
  absl::MutexLock lock(&mu_);
  return ExportRows(
      db_,
      "SELECT service_id, card_uuid, outcome, accepted_suggestions, override_reason_system, "
      "override_reason_code, override_reason_display, user_comment, outcome_timestamp, "
      "received_at FROM feedback ORDER BY id",
      out, WriteFeedbackLine,
      [this](int code, std::string_view what) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return SqliteError(code, what);
      });
}

absl::Status FeedbackStore::ExportAuditJsonLines(std::ostream& out) {
  // Best effort: when the database is failing, export what is stored and let the export's own
  // statement report the failure.
  FlushAudit().IgnoreError();
  absl::MutexLock lock(&mu_);
  return ExportRows(
      db_,
      "SELECT time, service_id, hook, hook_instance, patient_id, card_uuids, suggestion_uuids, "
      "policy_version, action FROM audit ORDER BY id",
      out, WriteAuditLine,
      [this](int code, std::string_view what) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return SqliteError(code, what);
      });
}

}  // namespace thrombo::service::store
