// Copyright 2026 The Thrombo Authors.
// FeedbackStore on PostgreSQL (libpq): for several replicas sharing one database.
#ifndef THROMBO_SERVICE_STORE_PG_STORE_H_
#define THROMBO_SERVICE_STORE_PG_STORE_H_

#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/store/connect_backoff.h"
#include "service/store/feedback_store.h"

typedef struct pg_conn PGconn;

namespace thrombo::service::store {

// The same tables as SqliteStore (feedback, audit, used_token, schema_version) in a PostgreSQL
// database, behind a pool of `pool_size` libpq connections.
//
// - Migrations run at Open inside one transaction holding a transaction-scoped advisory lock
//   (pg_advisory_xact_lock), so replicas starting at once apply each step exactly once: the
//   others wait for the lock, then find the schema current. DDL is transactional in PostgreSQL,
//   so a failed step leaves the previous version intact.
// - Feedback commits with the server's synchronous_commit (on by default): OK means durable.
// - RecordTokenUse is one INSERT ... ON CONFLICT on used_token's (issuer, jti) key, which the
//   database serializes across replicas: exactly one of several concurrent uses wins. Expired
//   rows are deleted once a minute by each replica (harmless when several do it).
// - Faults: a connection that breaks is dropped from the pool and replaced on a later call.
//   After a failed connect, calls fail fast with Unavailable for `kReconnectInterval` instead of
//   each waiting for a connect timeout, so hook calls (which consult used_token) stay quick
//   while the database is down; not after a connect that began before a later one succeeded
//   (ConnectBackoff). Messages name the host, port and database, never the password.
class PgStore final : public FeedbackStore {
 public:
  static constexpr absl::Duration kReconnectInterval = absl::Milliseconds(250);

  // `conninfo`: a libpq URI or keyword=value string. Fails with Unavailable when the server
  // cannot be reached, FailedPrecondition when its schema is newer than this binary's.
  static absl::StatusOr<std::unique_ptr<PgStore>> Open(const std::string& conninfo,
                                                       FeedbackStoreOptions options);
  ~PgStore() override;

  std::string_view backend() const override { return "postgresql"; }
  absl::Status AddFeedbackBatch(absl::Span<const FeedbackRecord> records) override;
  absl::Status ExportFeedbackJsonLines(std::ostream& out) override;
  absl::Status ExportAuditJsonLines(std::ostream& out) override;
  absl::Status CheckReady() override;
  absl::Status RecordTokenUse(std::string_view issuer, std::string_view jti,
                              absl::Time forget_after, absl::Time now) override;

  // Deletes used_token rows whose forget_after is before `now`; how many.
  absl::StatusOr<int64_t> DeleteExpiredTokens(absl::Time now);

 protected:
  absl::Status InsertAudit(const std::vector<AuditRecord>& rows) override;

 private:
  class Lease;
  PgStore(std::string conninfo, std::string label, FeedbackStoreOptions options);

  absl::StatusOr<Lease> Acquire();
  void Release(PGconn* conn, bool broken);
  absl::StatusOr<PGconn*> Connect();
  absl::Status Migrate();
  // One attempt at AddFeedbackBatch's transaction; `broken` says whether its connection broke.
  absl::Status InsertFeedbackOnce(absl::Span<const FeedbackRecord> records,
                                  const std::string& received_at, bool* broken);
  void RunJanitor();
  absl::Status Export(const char* sql, bool feedback, std::ostream& out);

  const std::string conninfo_;
  const std::string label_;  // "postgresql host=... port=... dbname=...": for messages

  absl::Mutex mu_;
  std::vector<PGconn*> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;        // connections idle or leased
  int connecting_ ABSL_GUARDED_BY(mu_) = 0;  // connects in progress (count towards the size)
  ConnectBackoff backoff_ ABSL_GUARDED_BY(mu_){kReconnectInterval};
  absl::Time last_success_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  std::thread janitor_;
};

}  // namespace thrombo::service::store

#endif  // THROMBO_SERVICE_STORE_PG_STORE_H_
