// Copyright 2026 The Thrombo Authors.
// FeedbackStore on one SQLite file: the default, for a service on one machine.
#ifndef THROMBO_SERVICE_STORE_SQLITE_STORE_H_
#define THROMBO_SERVICE_STORE_SQLITE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "service/store/feedback_store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace thrombo::service::store {

// Feedback and audit rows in one SQLite file, in WAL mode with synchronous=FULL: when a write
// returns OK the row is on disk. Errors: a busy or locked database (after busy_timeout), a
// read-only, full or unopenable file and I/O errors give Unavailable; the message names the
// file. A damaged file gives DataLoss.
//
// One mutex serializes calls (and the writer thread's commits) around the single connection;
// feedback is rare and each call is short. Several processes may share the file (SQLite's own
// locking applies), but not several machines: RecordTokenUse is not offered.
class SqliteStore final : public FeedbackStore {
 public:
  // Opens or creates the database at `path` (a file name, or a "file:" URI).
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           FeedbackStoreOptions options);
  ~SqliteStore() override;

  std::string_view backend() const override { return "sqlite"; }
  absl::Status AddFeedbackBatch(absl::Span<const FeedbackRecord> records) override;
  absl::Status ExportFeedbackJsonLines(std::ostream& out) override;
  absl::Status ExportAuditJsonLines(std::ostream& out) override;
  absl::Status CheckReady() override;

 protected:
  absl::Status InsertAudit(const std::vector<AuditRecord>& rows) override;

 private:
  SqliteStore(sqlite3* db, std::string path, FeedbackStoreOptions options);

  absl::Status Configure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Migrate() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Exec(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<int64_t> QueryInt(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status InTransaction(const std::function<absl::Status()>& body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status InsertFeedback(const FeedbackRecord& record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status SqliteError(int code, std::string_view what) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs `sql` and writes each row as a feedback (else an audit) JSON line.
  absl::Status Export(const char* sql, bool feedback, std::ostream& out);

  const std::string path_;
  absl::Mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  // The audit INSERT, prepared on first use and kept until the destructor finalizes it (before
  // closing db_): preparing and finalizing it cost about 55k instructions (callgrind), and at
  // low request rates every audit batch is one row. Idle (reset, no bindings) between batches.
  sqlite3_stmt* audit_insert_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace thrombo::service::store

#endif  // THROMBO_SERVICE_STORE_SQLITE_STORE_H_
