// Copyright 2026 The Thrombo Authors.
// Durable storage for CDS Hooks feedback (idempotent), per-call audit records and used JWT ids:
// the interface, with SQLite (one machine, the default) and PostgreSQL (a fleet) behind it.
#ifndef THROMBO_SERVICE_STORE_FEEDBACK_STORE_H_
#define THROMBO_SERVICE_STORE_FEEDBACK_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace thrombo::service::store {

enum class FeedbackOutcome { kAccepted, kOverridden };

// "accepted" or "overridden", as in CDS Hooks feedback.
std::string_view FeedbackOutcomeName(FeedbackOutcome outcome);

// One CDS Hooks feedback entry (CDS Hooks 2.0.1 "Feedback") for one service.
struct FeedbackRecord {
  std::string service_id;  // the {id} the feedback was posted to
  std::string card_uuid;   // feedback.card
  FeedbackOutcome outcome = FeedbackOutcome::kAccepted;
  // acceptedSuggestions[].id, in the order sent (part of the idempotency key).
  std::vector<std::string> accepted_suggestion_ids;
  // overrideReason.reason, a CDS Hooks Coding; all empty when no reason was picked.
  std::string override_reason_system;
  std::string override_reason_code;
  std::string override_reason_display;
  std::string user_comment;       // overrideReason.userComment; empty when absent
  std::string outcome_timestamp;  // RFC 3339 text exactly as sent, e.g. 2021-12-11T10:05:31Z
};

// One hook call, for the audit trail. Holds identifiers only: no names, no resources.
struct AuditRecord {
  absl::Time time;
  std::string service_id;
  std::string hook;           // e.g. "order-sign"
  std::string hook_instance;  // the request's hookInstance
  // The Patient's FHIR logical id ([A-Za-z0-9-.]{1,64}), never "Patient/..." or a name;
  // empty when the call never got that far.
  std::string patient_id;
  std::vector<std::string> card_uuids;
  std::vector<std::string> suggestion_uuids;
  std::string policy_version;
  std::string action;  // what the service did, e.g. "cards", "no-cards", "412"
};

struct FeedbackStoreOptions {
  // How long a write waits for another connection's lock before giving up (Unavailable). With
  // PostgreSQL it also bounds connecting (connect_timeout, whole seconds, at least 1) and each
  // statement (statement_timeout), so a database that stops answering fails calls instead of
  // holding their threads.
  absl::Duration busy_timeout = absl::Seconds(2);
  // SQLite only: caps the database file (0 = unlimited); past it writes fail with Unavailable
  // instead of filling the disk the service runs on.
  int64_t max_size_bytes = 0;
  // PostgreSQL only: connections kept open to the server (the audit writer uses one of them).
  // Callers beyond this wait for a free connection, up to busy_timeout, then get Unavailable.
  int pool_size = 8;
  // Source of received_at; empty means absl::Now.
  std::function<absl::Time()> clock;
  // Audit rows waiting for the writer thread (see EnqueueAudit). Past this, EnqueueAudit
  // refuses rows rather than let memory grow while the database is unavailable.
  size_t audit_queue_limit = 100000;
  // Called on the writer thread when a group commit of audit rows fails (the rows stay queued
  // and are retried with backoff), and at close for rows that could not be written at all.
  // `rows` is how many rows the failure concerns. Must not call back into the store.
  std::function<void(const absl::Status& status, size_t rows)> on_audit_error;
};

// Feedback rows, audit rows and (PostgreSQL) used JWT ids. Open picks the backend:
//  - SQLite (the default, one machine): `db` is a file name or a "file:" URI. One file in WAL
//    mode with synchronous=FULL (sqlite_store.h).
//  - PostgreSQL (a fleet of replicas sharing one database): `db` is a libpq connection string,
//    either a URI ("postgresql://..." or "postgres://...") or keyword=value pairs
//    ("host=db port=5432 dbname=thrombo sslmode=verify-full ..."); TLS options pass through to
//    libpq (pg_store.h).
// Both keep the same schema under the same versioned migrations (schema_version), applied at
// open; a database from a newer binary is refused.
//
// Durability: when a feedback write returns OK the row is committed durably, so the HTTP answer
// that follows never acknowledges data a crash could lose. Audit rows of hook calls take a
// second path, EnqueueAudit: a writer thread commits whatever has queued up in one transaction
// (group commit), so a hook answer never waits for the database, and one commit serves many
// calls. While the database is unavailable the rows wait in memory, up to audit_queue_limit.
//
// Errors: an unreachable, busy, read-only or full database gives Unavailable (the service
// answers 503); the message names the database (file or host, never a password) and is for the
// operator's log only. Damaged data gives DataLoss; an invalid record InvalidArgument. Every
// write runs in a transaction, so a failure leaves stored rows as they were.
//
// Thread safety: all methods may be called from any thread. The destructor commits every queued
// audit row it can before closing.
class FeedbackStore {
 public:
  static constexpr int kSchemaVersion = 3;

  // Opens (creating or migrating the schema) the database `db` names; see the class comment.
  static absl::StatusOr<std::unique_ptr<FeedbackStore>> Open(const std::string& db,
                                                             FeedbackStoreOptions options = {});

  // True when `db` is a PostgreSQL connection string rather than a SQLite file.
  static bool IsPostgres(std::string_view db);

  virtual ~FeedbackStore();
  FeedbackStore(const FeedbackStore&) = delete;
  FeedbackStore& operator=(const FeedbackStore&) = delete;

  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;

  // Stores one feedback entry, stamped with received_at. A repeat of an entry already stored
  // (same service_id, card, outcome, outcome_timestamp and accepted suggestion ids) stores
  // nothing and still returns OK, because clients resend feedback. InvalidArgument when a
  // required field is empty, outcome_timestamp is not RFC 3339, or text is not UTF-8.
  absl::Status AddFeedback(const FeedbackRecord& record);

  // Stores all entries or none (one transaction): one invalid entry fails the whole batch with
  // InvalidArgument naming its index. Repeats inside the batch or of stored rows are skipped.
  virtual absl::Status AddFeedbackBatch(absl::Span<const FeedbackRecord> records) = 0;

  // Queues an audit row for the writer thread and returns without waiting for the database:
  // the hook path's call. The row is committed within one group commit of the rows queued
  // before it; a crash of the process can lose the rows of the last moments, never damage
  // stored ones. InvalidArgument for empty service_id, hook, hook_instance or action, a
  // patient_id that is not a FHIR logical id, or text that is not UTF-8; ResourceExhausted
  // when audit_queue_limit rows are already waiting (the database has been failing for a
  // while): the caller counts and logs the dropped row.
  absl::Status EnqueueAudit(AuditRecord record);

  // Waits until every audit row queued before the call is committed (OK), or until a commit
  // attempt made after the call fails (its error; the rows stay queued and are retried).
  absl::Status FlushAudit();

  // EnqueueAudit, then FlushAudit: OK means the row is committed.
  absl::Status AddAudit(const AuditRecord& record);

  // Audit rows waiting in memory for the database.
  size_t audit_rows_waiting();

  // Writes every feedback row, oldest first, one JSON object per line, with CDS Hooks names:
  //   {"serviceId":"x","card":"...","outcome":"overridden","overrideReason":{"reason":
  //    {"system":"...","code":"...","display":"..."},"userComment":"..."},
  //    "outcomeTimestamp":"...","receivedAt":"..."}
  // ("acceptedSuggestions":[{"id":"..."}] when there are any). Unavailable if `out` fails.
  virtual absl::Status ExportFeedbackJsonLines(std::ostream& out) = 0;

  // The same for audit rows: {"time","serviceId","hook","hookInstance","patientId","cards",
  // "suggestions","policyVersion","action"}; empty optional fields are left out. Flushes the
  // audit queue first (best effort), so rows queued before the call are included.
  virtual absl::Status ExportAuditJsonLines(std::ostream& out) = 0;

  // OK when the database answers a query now: /readyz. Cheap enough to call per probe.
  virtual absl::Status CheckReady() = 0;

  // Records that the JWT `jti` of `issuer` was used, for every process sharing this database,
  // until `forget_after`; rows past it are deleted from time to time. AlreadyExists when the
  // pair is recorded and not yet expired (a replay). Unavailable when the database cannot say.
  // Unimplemented for SQLite, whose processes share one machine only (the in-memory
  // auth::ReplayCache serves there).
  virtual absl::Status RecordTokenUse(std::string_view issuer, std::string_view jti,
                                      absl::Time forget_after, absl::Time now);

 protected:
  explicit FeedbackStore(FeedbackStoreOptions options);

  // The backend's group commit: all of `rows` in one transaction, or none.
  virtual absl::Status InsertAudit(const std::vector<AuditRecord>& rows) = 0;

  // How long the writer lets rows gather after a commit before the next one: at most 10 audit
  // commits a second per replica, whatever the call rate. Without it each backend committed
  // about one row per transaction under load (SQLite's fsync takes ~0.3 ms here, far less than
  // the gap between calls), and those commits (locks, WAL writes, fsync) took CPU from the hook
  // calls. 100 ms rather than the 20 ms of before: `thrombo serve` spent 137-150 us of CPU a
  // request at 20 ms and 126 us at 100 ms (docs/benchmarks.md, "fifteenth round"), for a crash
  // window of 100 ms (docs/operations.md, "Durability"). Nobody waits for the interval: answers never wait for
  // their audit row, and a flush or the close cuts it short. Virtual so a test backend can
  // change it.
  virtual absl::Duration AuditGatherInterval() const { return absl::Milliseconds(100); }

  // Subclasses start the writer once their connection works, and stop it (committing what is
  // queued) first thing in their destructor, while InsertAudit can still run.
  void StartAuditWriter();
  void StopAuditWriter();

  const FeedbackStoreOptions& options() const { return options_; }

 private:
  void RunAuditWriter();

  const FeedbackStoreOptions options_;

  // The audit queue. Rows are numbered in queue order: `audit_queued_` counts every row ever
  // queued, `audit_written_` every row committed (or given up at close), so FlushAudit waits for
  // audit_written_ to reach the count it saw. audit_mu_ is never held while calling InsertAudit.
  absl::Mutex audit_mu_;
  std::vector<AuditRecord> audit_queue_ ABSL_GUARDED_BY(audit_mu_);
  size_t audit_in_flight_ ABSL_GUARDED_BY(audit_mu_) = 0;  // rows the writer is committing
  uint64_t audit_queued_ ABSL_GUARDED_BY(audit_mu_) = 0;
  uint64_t audit_written_ ABSL_GUARDED_BY(audit_mu_) = 0;
  uint64_t audit_failures_ ABSL_GUARDED_BY(audit_mu_) = 0;  // failed commit attempts
  absl::Status audit_last_error_ ABSL_GUARDED_BY(audit_mu_);
  int audit_flush_waiters_ ABSL_GUARDED_BY(audit_mu_) = 0;  // cut the retry backoff short
  bool audit_closing_ ABSL_GUARDED_BY(audit_mu_) = false;
  std::thread audit_writer_;
};

}  // namespace thrombo::service::store

#endif  // THROMBO_SERVICE_STORE_FEEDBACK_STORE_H_
