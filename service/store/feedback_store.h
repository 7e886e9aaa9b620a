// Copyright 2026 The Thrombo Authors.
// Durable SQLite storage for CDS Hooks feedback (idempotent) and per-call audit records.
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

struct sqlite3;

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
  // How long a write waits for another connection's lock before giving up (Unavailable).
  absl::Duration busy_timeout = absl::Seconds(2);
  // Caps the database file (0 = unlimited); past it writes fail with Unavailable instead of
  // filling the disk the service runs on.
  int64_t max_size_bytes = 0;
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

// Feedback and audit rows in one SQLite file, in WAL mode with synchronous=FULL: when a write
// call returns OK the row is on disk, so the HTTP answer that follows never acknowledges data a
// crash could lose. Audit rows of hook calls take a second path, EnqueueAudit: a writer thread
// commits whatever has queued up in one transaction (group commit), so a hook answer never
// waits for an fsync and one fsync serves many calls. The schema is created on first open and
// migrated forward on later opens (table schema_version); a file from a newer binary is refused.
//
// Errors: a busy or locked database (after busy_timeout), a read-only, full or unopenable file
// and I/O errors give Unavailable (the service answers 503); the message names the file. A
// damaged file gives DataLoss; an invalid record InvalidArgument. Every write runs in a
// transaction, so a failure leaves stored rows as they were.
//
// Thread safety: all methods may be called from any thread. One mutex serializes them (and the
// writer thread's commits) around the single connection; feedback is rare and each call is
// short. Several processes may share the file (SQLite's own locking applies). The destructor
// commits every queued audit row it can before closing.
class FeedbackStore final {
 public:
  static constexpr int kSchemaVersion = 1;

  // Opens or creates the database at `path` (a file name, or a "file:" URI).
  static absl::StatusOr<std::unique_ptr<FeedbackStore>> Open(
      const std::string& path, FeedbackStoreOptions options = {});

  ~FeedbackStore();
  FeedbackStore(const FeedbackStore&) = delete;
  FeedbackStore& operator=(const FeedbackStore&) = delete;

  // Stores one feedback entry, stamped with received_at. A repeat of an entry already stored
  // (same service_id, card, outcome, outcome_timestamp and accepted suggestion ids) stores
  // nothing and still returns OK, because clients resend feedback. InvalidArgument when a
  // required field is empty, outcome_timestamp is not RFC 3339, or text is not UTF-8.
  absl::Status AddFeedback(const FeedbackRecord& record);

  // Stores all entries or none (one transaction): one invalid entry fails the whole batch with
  // InvalidArgument naming its index. Repeats inside the batch or of stored rows are skipped.
  absl::Status AddFeedbackBatch(absl::Span<const FeedbackRecord> records);

  // Queues an audit row for the writer thread and returns without waiting for the disk: the
  // hook path's call. The row is committed within one fsync of the rows queued before it; a
  // crash of the process can lose the rows of the last moments, never damage stored ones.
  // InvalidArgument for empty service_id, hook, hook_instance or action, a patient_id that is
  // not a FHIR logical id, or text that is not UTF-8; ResourceExhausted when audit_queue_limit
  // rows are already waiting (the database has been failing for a while).
  absl::Status EnqueueAudit(AuditRecord record);

  // Waits until every audit row queued before the call is on disk (OK), or until a commit
  // attempt made after the call fails (its error; the rows stay queued and are retried).
  absl::Status FlushAudit();

  // EnqueueAudit, then FlushAudit: OK means the row is on disk.
  absl::Status AddAudit(const AuditRecord& record);

  // Writes every feedback row, oldest first, one JSON object per line, with CDS Hooks names:
  //   {"serviceId":"x","card":"...","outcome":"overridden","overrideReason":{"reason":
  //    {"system":"...","code":"...","display":"..."},"userComment":"..."},
  //    "outcomeTimestamp":"...","receivedAt":"..."}
  // ("acceptedSuggestions":[{"id":"..."}] when there are any). Unavailable if `out` fails.
  absl::Status ExportFeedbackJsonLines(std::ostream& out);

  // The same for audit rows: {"time","serviceId","hook","hookInstance","patientId","cards",
  // "suggestions","policyVersion","action"}; empty optional fields are left out. Flushes the
  // audit queue first (best effort), so rows queued before the call are included.
  absl::Status ExportAuditJsonLines(std::ostream& out);

 private:
  FeedbackStore(sqlite3* db, std::string path, FeedbackStoreOptions options);

  absl::Status Configure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Migrate() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Exec(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<int64_t> QueryInt(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status InTransaction(const std::function<absl::Status()>& body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status InsertFeedback(const FeedbackRecord& record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status SqliteError(int code, std::string_view what) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status InsertAudit(const std::vector<AuditRecord>& rows);
  void RunAuditWriter();

  const std::string path_;
  const FeedbackStoreOptions options_;
  absl::Mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);

  // The audit queue. Rows are numbered in queue order: `audit_queued_` counts every row ever
  // queued, `audit_written_` every row committed (or given up at close), so FlushAudit waits for
  // audit_written_ to reach the count it saw. Lock order: audit_mu_ is never held while
  // taking mu_.
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
