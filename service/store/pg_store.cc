// Copyright 2026 The Thrombo Authors.
// PgStore on libpq: parameterized statements (text format) over a small connection pool.
#include "service/store/pg_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/string_compat.h"
#include "service/store/store_rows.h"

namespace thrombo::service::store {
namespace {

// Forward-only schema steps; entry i takes the schema from version i to i + 1. The same tables
// and columns as SqliteStore's, in PostgreSQL types; times of rows stay RFC 3339 text so that
// both exports print identical lines.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE feedback (
      id BIGSERIAL PRIMARY KEY,
      service_id TEXT NOT NULL,
      card_uuid TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
      accepted_suggestions TEXT NOT NULL,
      override_reason_system TEXT,
      override_reason_code TEXT,
      override_reason_display TEXT,
      user_comment TEXT,
      outcome_timestamp TEXT NOT NULL,
      received_at TEXT NOT NULL,
      UNIQUE (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions)
    );
    CREATE TABLE audit (
      id BIGSERIAL PRIMARY KEY,
      time TEXT NOT NULL,
      service_id TEXT NOT NULL,
      hook TEXT NOT NULL,
      hook_instance TEXT NOT NULL,
      patient_id TEXT,
      card_uuids TEXT NOT NULL,
      suggestion_uuids TEXT NOT NULL,
      policy_version TEXT,
      action TEXT NOT NULL
    );
    CREATE INDEX audit_by_hook_instance ON audit (hook_instance);
    )sql",
    R"sql(
    CREATE TABLE used_token (
      issuer TEXT NOT NULL,
      jti TEXT NOT NULL,
      forget_after TIMESTAMPTZ NOT NULL,
      PRIMARY KEY (issuer, jti)
    );
    CREATE INDEX used_token_by_forget_after ON used_token (forget_after);
    )sql",
    // 3: no index on the audit rows' hookInstance, as in SqliteStore (its step 3 says why).
    R"sql(
    DROP INDEX IF EXISTS audit_by_hook_instance;
    )sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == FeedbackStore::kSchemaVersion);

// The advisory lock key that serializes migrations across replicas: "thrombo" in ASCII, so
// another application sharing the database is unlikely to pick it.
constexpr char kMigrationLock[] = "SELECT pg_advisory_xact_lock(126943148649327)";

// Rows per audit INSERT: 9 parameters each, far below the protocol's 65535.
constexpr size_t kAuditRowsPerStatement = 500;

// Owns a PGresult.
class Result final {
 public:
  explicit Result(PGresult* result) : result_(result) {}
  Result(Result&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  Result& operator=(Result&&) = delete;
  ~Result() { PQclear(result_); }
  PGresult* get() const { return result_; }
  std::string_view Value(int row, int column) const {
    if (PQgetisnull(result_, row, column)) return {};
    return std::string_view(PQgetvalue(result_, row, column),
                            static_cast<size_t>(PQgetlength(result_, row, column)));
  }

 private:
  PGresult* result_;
};

// One line of libpq's message (they end in newlines and may quote the server's host).
std::string FirstLine(const char* message) {
  std::string text = message != nullptr ? message : "";
  const size_t newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  return text;
}

// The host, port and database of `conninfo` (never the password or other options): how
// messages name the database.
std::string Label(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return "postgresql";
  }
  std::vector<std::string> parts;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    const std::string_view keyword = o->keyword;
    if ((keyword == "host" || keyword == "hostaddr" || keyword == "port" || keyword == "dbname") &&
        o->val != nullptr && o->val[0] != '\0') {
      parts.push_back(absl::StrCat(o->keyword, "=", o->val));
    }
  }
  PQconninfoFree(options);
  return absl::StrCat("postgresql ", absl::StrJoin(parts, " "));
}

// SQLSTATE classes (PostgreSQL manual, appendix A "PostgreSQL Error Codes"): 08 connection
// exception, 53 insufficient resources, 57 operator intervention (shutdown, cannot connect now,
// statement timeout), 40 transaction rollback (serialization failure, deadlock) are transient:
// Unavailable, so the client retries. 22 data exception and 23 integrity constraint violation
// are the row's fault.
absl::StatusCode CodeForSqlState(std::string_view state) {
  if (state.size() != 5) return absl::StatusCode::kUnavailable;  // no server answer at all
  const std::string_view cls = state.substr(0, 2);
  if (cls == "08" || cls == "53" || cls == "57" || cls == "40") {
    return absl::StatusCode::kUnavailable;
  }
  if (cls == "22" || cls == "23") return absl::StatusCode::kInvalidArgument;
  return absl::StatusCode::kInternal;
}

}  // namespace

// A connection borrowed from the pool; returned (or dropped, when broken) on destruction.
class PgStore::Lease final {
 public:
  Lease(PgStore* store, PGconn* conn) : store_(store), conn_(conn) {}
  Lease(Lease&& other) noexcept
      : store_(other.store_), conn_(std::exchange(other.conn_, nullptr)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_ != nullptr) store_->Release(conn_, broken());
  }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  PGconn* conn() const { return conn_; }

  // Runs `sql` with text parameters (nullopt-like: a null pointer is SQL NULL). OK results are
  // PGRES_COMMAND_OK or PGRES_TUPLES_OK.
  absl::StatusOr<Result> Exec(const char* sql, const std::vector<const char*>& params = {}) {
    // Without parameters, the simple query protocol: it allows several statements (migrations).
    Result result(params.empty() ? PQexec(conn_, sql)
                                 : PQexecParams(conn_, sql, static_cast<int>(params.size()),
                                                nullptr, params.data(), nullptr, nullptr, 0));
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    const std::string_view sqlstate = state != nullptr ? state : "";
    const char* primary = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
    return absl::Status(
        PQstatus(conn_) != CONNECTION_OK ? absl::StatusCode::kUnavailable
                                         : CodeForSqlState(sqlstate),
        absl::StrCat(
            "feedback store ", store_->label_, ": ",
            primary != nullptr ? primary : FirstLine(PQerrorMessage(conn_)),
            sqlstate.empty() ? "" : absl::StrCat(" (SQLSTATE ", base::Absl(sqlstate), ")")));
  }

  // BEGIN, body, COMMIT; ROLLBACK when anything fails.
  template <typename Body>
  absl::Status InTransaction(Body body) {
    if (absl::StatusOr<Result> begun = Exec("BEGIN"); !begun.ok()) return begun.status();
    absl::Status status = body(*this);
    if (status.ok()) status = Exec("COMMIT").status();
    if (!status.ok() && PQstatus(conn_) == CONNECTION_OK) Exec("ROLLBACK").IgnoreError();
    return status;
  }

 private:
  PgStore* store_;
  PGconn* conn_;
};

PgStore::PgStore(std::string conninfo, std::string label, FeedbackStoreOptions options)
    : FeedbackStore(std::move(options)), conninfo_(std::move(conninfo)), label_(std::move(label)) {}

absl::StatusOr<std::unique_ptr<PgStore>> PgStore::Open(const std::string& conninfo,
                                                       FeedbackStoreOptions options) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    // Not libpq's message: it quotes the text near the mistake, which may be a password.
    PQfreemem(parse_error);
    return absl::InvalidArgumentError(
        "--db: not a valid PostgreSQL connection string (a URI, or keyword=value pairs)");
  }
  PQconninfoFree(parsed);
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("the PostgreSQL connection pool needs at least 1 connection");
  }
  std::unique_ptr<PgStore> store(new PgStore(conninfo, Label(conninfo), std::move(options)));
  if (absl::Status status = store->Migrate(); !status.ok()) return status;
  store->StartAuditWriter();
  store->janitor_ = std::thread([raw = store.get()] { raw->RunJanitor(); });
  return store;
}

PgStore::~PgStore() {
  StopAuditWriter();  // commits what is queued, while InsertAudit can still run
  {
    absl::MutexLock lock(&mu_);
    closing_ = true;
  }
  if (janitor_.joinable()) janitor_.join();
  absl::MutexLock lock(&mu_);
  for (PGconn* conn : idle_) PQfinish(conn);
  idle_.clear();
}

absl::StatusOr<PGconn*> PgStore::Connect() {
  // Keywords before "dbname" are defaults the connection string may override; the expanded
  // dbname (the operator's string) wins over them.
  const std::string timeout = absl::StrCat(
      std::max<int64_t>(1, absl::ToInt64Seconds(options().busy_timeout + absl::Seconds(0.999))));
  const std::string server_options = absl::StrCat(
      "-c statement_timeout=", absl::ToInt64Milliseconds(options().busy_timeout) + 3000);
  const char* keywords[] = {"connect_timeout", "application_name", "options",
                            "keepalives_idle", "dbname",           nullptr};
  const char* values[] = {timeout.c_str(),   "thrombo", server_options.c_str(), "30",
                          conninfo_.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn != nullptr && PQstatus(conn) == CONNECTION_OK) {
    // Server notices ("relation already exists, skipping") would go to stderr by default.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return conn;
  }
  const std::string message = FirstLine(conn != nullptr ? PQerrorMessage(conn) : "out of memory");
  PQfinish(conn);
  // libpq names the host and port it tried; a password never appears in its messages.
  return absl::UnavailableError(
      absl::StrCat("feedback store ", label_, ": cannot connect: ", message));
}

absl::StatusOr<PgStore::Lease> PgStore::Acquire() {
  const absl::Time deadline = absl::Now() + options().busy_timeout;
  absl::MutexLock lock(&mu_);
  for (;;) {
    if (!idle_.empty()) {
      PGconn* conn = idle_.back();
      idle_.pop_back();
      return Lease(this, conn);
    }
    if (open_ + connecting_ < options().pool_size) {
      // Fail fast while the server is known to be unreachable (see kReconnectInterval).
      if (absl::Status down = backoff_.MayConnect(absl::Now()); !down.ok()) return down;
      ++connecting_;
      const absl::Time began = absl::Now();
      mu_.Unlock();
      absl::StatusOr<PGconn*> conn = Connect();
      mu_.Lock();
      --connecting_;
      if (!conn.ok()) {
        backoff_.Failed(began, absl::Now(), conn.status());
        return conn.status();
      }
      backoff_.Succeeded(absl::Now());
      ++open_;
      return Lease(this, *conn);
    }
    // All connections are leased: wait for one, up to busy_timeout.
    if (mu_.AwaitWithDeadline(absl::Condition(
                                  +[](PgStore* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                    return !self->idle_.empty() || self->open_ + self->connecting_ <
                                                                       self->options().pool_size;
                                  },
                                  this),
                              deadline)) {
      continue;
    }
    return absl::UnavailableError(absl::StrCat("feedback store ", label_, ": all ",
                                               options().pool_size, " connections stayed busy"));
  }
}

void PgStore::Release(PGconn* conn, bool broken) {
  absl::MutexLock lock(&mu_);
  if (broken) {
    // One broken connection usually means the server restarted or went away: the idle ones are
    // as dead, and handing them out would fail one call each after the server is back.
    PQfinish(conn);
    --open_;
    for (PGconn* idle : idle_) PQfinish(idle);
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
    return;
  }
  last_success_ = absl::Now();
  idle_.push_back(conn);
}

absl::Status PgStore::Migrate() {
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  return lease->InTransaction([this](Lease& db) -> absl::Status {
    // Serializes replicas starting at once; released at COMMIT or ROLLBACK.
    if (absl::StatusOr<Result> locked = db.Exec(kMigrationLock); !locked.ok()) {
      return locked.status();
    }
    if (absl::StatusOr<Result> created =
            db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        !created.ok()) {
      return created.status();
    }
    absl::StatusOr<Result> found = db.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (!found.ok()) return found.status();
    const int version = std::atoi(std::string(found->Value(0, 0)).c_str());
    if (version > kSchemaVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("feedback store ", label_, ": schema version ", version,
                       " is newer than this binary's ", kSchemaVersion));
    }
    for (int next = version; next < kSchemaVersion; ++next) {
      // Simple query protocol: a migration step may hold several statements.
      if (absl::StatusOr<Result> step = db.Exec(kMigrations[next]); !step.ok()) {
        return step.status();
      }
    }
    if (version == kSchemaVersion) return absl::OkStatus();
    const std::string version_text = absl::StrCat(kSchemaVersion);
    if (absl::StatusOr<Result> cleared = db.Exec("DELETE FROM schema_version"); !cleared.ok()) {
      return cleared.status();
    }
    return db.Exec("INSERT INTO schema_version VALUES ($1::integer)", {version_text.c_str()})
        .status();
  });
}

absl::Status PgStore::AddFeedbackBatch(absl::Span<const FeedbackRecord> records) {
  // Validated before touching the database: one bad entry refuses the batch.
  for (size_t i = 0; i < records.size(); ++i) {
    if (absl::Status status = internal::ValidateFeedback(records[i]); !status.ok()) {
      return absl::Status(status.code(), absl::StrCat("feedback[", i, "]: ", status.message()));
    }
  }
  const std::string received_at = internal::Rfc3339Utc(options().clock());
  // A connection the server dropped while idle fails on first use; the pool then drops its
  // idle peers, and one more attempt on a new connection tells a restarted server from a down
  // one. Safe to repeat: the insert is idempotent, and a failed transaction stored nothing.
  absl::Status status;
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool broken = false;
    status = InsertFeedbackOnce(records, received_at, &broken);
    if (status.ok() || !broken) break;
  }
  return status;
}

absl::Status PgStore::InsertFeedbackOnce(absl::Span<const FeedbackRecord> records,
                                         const std::string& received_at, bool* broken) {
  static constexpr char kInsert[] =
      "INSERT INTO feedback (service_id, card_uuid, outcome, accepted_suggestions, "
      "override_reason_system, override_reason_code, override_reason_display, user_comment, "
      "outcome_timestamp, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
      "ON CONFLICT (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions) "
      "DO NOTHING";
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  absl::Status status = lease->InTransaction([&](Lease& db) -> absl::Status {
    for (size_t i = 0; i < records.size(); ++i) {
      const FeedbackRecord& r = records[i];
      const std::string accepted = internal::JsonArray(r.accepted_suggestion_ids);
      auto nullable = [](const std::string& text) { return text.empty() ? nullptr : text.c_str(); };
      const std::string outcome(FeedbackOutcomeName(r.outcome));
      absl::StatusOr<Result> inserted = db.Exec(
          kInsert, {r.service_id.c_str(), r.card_uuid.c_str(), outcome.c_str(), accepted.c_str(),
                    nullable(r.override_reason_system), nullable(r.override_reason_code),
                    nullable(r.override_reason_display), nullable(r.user_comment),
                    r.outcome_timestamp.c_str(), received_at.c_str()});
      if (!inserted.ok()) {
        return absl::Status(inserted.status().code(),
                            absl::StrCat("feedback[", i, "]: ", inserted.status().message()));
      }
    }
    return absl::OkStatus();
  });
  *broken = lease->broken();
  return status;
}

absl::Status PgStore::InsertAudit(const std::vector<AuditRecord>& rows) {
  // One multi-row INSERT per kAuditRowsPerStatement rows.
  auto insert = [&rows](Lease& db, size_t start, size_t end) -> absl::Status {
    std::vector<std::string> text;  // every parameter's text, alive until the statement ran
    std::vector<bool> null;
    text.reserve((end - start) * 9);
    std::string sql =
        "INSERT INTO audit (time, service_id, hook, hook_instance, patient_id, card_uuids, "
        "suggestion_uuids, policy_version, action) VALUES ";
    for (size_t i = start; i < end; ++i) {
      const AuditRecord& r = rows[i];
      const size_t base = text.size();
      absl::StrAppend(&sql, i == start ? "" : ", ", "(");
      for (int k = 1; k <= 9; ++k) absl::StrAppend(&sql, k == 1 ? "$" : ", $", base + k);
      sql.push_back(')');
      for (const std::string& value :
           {internal::Rfc3339Utc(r.time), r.service_id, r.hook, r.hook_instance, r.patient_id,
            internal::JsonArray(r.card_uuids), internal::JsonArray(r.suggestion_uuids),
            r.policy_version, r.action}) {
        text.push_back(value);
      }
      null.insert(null.end(), {false, false, false, false, r.patient_id.empty(), false, false,
                               r.policy_version.empty(), false});
    }
    std::vector<const char*> params(text.size());
    for (size_t i = 0; i < text.size(); ++i) params[i] = null[i] ? nullptr : text[i].c_str();
    return db.Exec(sql.c_str(), params).status();
  };
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  // One statement is atomic by itself: no BEGIN/COMMIT round trips for the usual group.
  if (rows.size() <= kAuditRowsPerStatement) return insert(*lease, 0, rows.size());
  return lease->InTransaction([&](Lease& db) -> absl::Status {
    for (size_t start = 0; start < rows.size(); start += kAuditRowsPerStatement) {
      const absl::Status status =
          insert(db, start, std::min(rows.size(), start + kAuditRowsPerStatement));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  });
}

absl::Status PgStore::RecordTokenUse(std::string_view issuer, std::string_view jti,
                                     absl::Time forget_after, absl::Time now) {
  // A row still live means a replay: no row is returned. An expired row not yet deleted is
  // taken over (the earlier token can no longer pass the time checks).
  static constexpr char kUse[] =
      "INSERT INTO used_token (issuer, jti, forget_after) VALUES ($1, $2, $3::timestamptz) "
      "ON CONFLICT (issuer, jti) DO UPDATE SET forget_after = EXCLUDED.forget_after "
      "WHERE used_token.forget_after <= $4::timestamptz RETURNING 1";
  const std::string issuer_text(issuer), jti_text(jti);
  // Microseconds, so expiry compares as exactly as the verifier's clock.
  const std::string until =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", forget_after, absl::UTCTimeZone());
  const std::string at = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", now, absl::UTCTimeZone());
  if (issuer_text.find('\0') != std::string::npos || jti_text.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("iss or jti contains a NUL character");
  }
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  absl::StatusOr<Result> used =
      lease->Exec(kUse, {issuer_text.c_str(), jti_text.c_str(), until.c_str(), at.c_str()});
  // Invalid UTF-8 in the claims fails as InvalidArgument (SQLSTATE 22021): the token's fault.
  if (!used.ok()) return used.status();
  if (PQntuples(used->get()) == 0) return absl::AlreadyExistsError("jti was already used");
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PgStore::DeleteExpiredTokens(absl::Time now) {
  const std::string at = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", now, absl::UTCTimeZone());
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  absl::StatusOr<Result> deleted =
      lease->Exec("DELETE FROM used_token WHERE forget_after <= $1::timestamptz", {at.c_str()});
  if (!deleted.ok()) return deleted.status();
  return std::atoll(PQcmdTuples(deleted->get()));
}

// Deletes expired used_token rows once a minute, so the table stays as small as the token
// window times the call rate.
void PgStore::RunJanitor() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&closing_), absl::Minutes(1))) return;
    }
    DeleteExpiredTokens(options().clock()).IgnoreError();  // retried next minute
  }
}

absl::Status PgStore::CheckReady() {
  {
    // A statement that succeeded a moment ago says as much as a new probe, without taking a
    // connection from calls under load.
    absl::MutexLock lock(&mu_);
    if (absl::Now() - last_success_ < absl::Seconds(1)) return absl::OkStatus();
  }
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  return lease->Exec("SELECT 1 FROM schema_version").status();
}

// Streams the rows of `sql` to `out` in single-row mode, so an export of millions of audit rows
// holds one row in memory at a time, not the whole table.
absl::Status PgStore::Export(const char* sql, bool feedback, std::ostream& out) {
  const auto line = feedback ? &internal::FeedbackLine : &internal::AuditLine;
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  PGconn* conn = lease->conn();
  if (PQsendQuery(conn, sql) != 1 || PQsetSingleRowMode(conn) != 1) {
    return absl::UnavailableError(
        absl::StrCat("feedback store ", label_, ": export: ", FirstLine(PQerrorMessage(conn))));
  }
  absl::Status status;
  std::string text;
  // Every result must be read, even after a failure, before the connection is reusable.
  while (PGresult* raw = PQgetResult(conn)) {
    const Result result(raw);
    const ExecStatusType state = PQresultStatus(raw);
    if (!status.ok()) continue;
    if (state == PGRES_SINGLE_TUPLE) {
      const internal::Columns columns = [&result](int column) { return result.Value(0, column); };
      text.clear();
      if (!line(columns, &text)) {
        status = absl::DataLossError("export: a stored row holds damaged JSON");
      } else {
        status = internal::WriteLine(out, text);
      }
    } else if (state != PGRES_TUPLES_OK) {
      status = absl::UnavailableError(
          absl::StrCat("feedback store ", label_, ": export: ", FirstLine(PQerrorMessage(conn))));
    }
  }
  if (!status.ok()) return status;
  out.flush();
  return out ? absl::OkStatus() : absl::UnavailableError("export: the output stream failed");
}

absl::Status PgStore::ExportFeedbackJsonLines(std::ostream& out) {
  return Export(internal::kExportFeedbackQuery, /*feedback=*/true, out);
}

absl::Status PgStore::ExportAuditJsonLines(std::ostream& out) {
  FlushAudit().IgnoreError();  // best effort, as SqliteStore
  return Export(internal::kExportAuditQuery, /*feedback=*/false, out);
}

}  // namespace thrombo::service::store
