// Copyright 2026 The Thrombo Authors.
// The backend-neutral half of FeedbackStore: choosing the backend, and the audit queue with its
// group-commit writer thread.
#include "service/store/feedback_store.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/string_compat.h"
#include "service/store/pg_store.h"
#include "service/store/sqlite_store.h"
#include "service/store/store_rows.h"

namespace thrombo::service::store {

std::string_view FeedbackOutcomeName(FeedbackOutcome outcome) {
  return outcome == FeedbackOutcome::kOverridden ? "overridden" : "accepted";
}

bool FeedbackStore::IsPostgres(std::string_view db) {
  if (absl::StartsWith(base::Absl(db), "postgresql://") ||
      absl::StartsWith(base::Absl(db), "postgres://")) {
    return true;
  }
  // libpq's keyword=value form starts with a keyword ("host=...", "dbname=...", "service=...");
  // a file name practically never does, and "file:" URIs never.
  size_t i = 0;
  while (i < db.size() && std::isspace(static_cast<unsigned char>(db[i]))) ++i;
  const size_t keyword_start = i;
  while (i < db.size() && (std::islower(static_cast<unsigned char>(db[i])) || db[i] == '_')) ++i;
  if (i == keyword_start) return false;
  while (i < db.size() && db[i] == ' ') ++i;
  return i < db.size() && db[i] == '=';
}

absl::StatusOr<std::unique_ptr<FeedbackStore>> FeedbackStore::Open(const std::string& db,
                                                                   FeedbackStoreOptions options) {
  if (!options.clock) options.clock = [] { return absl::Now(); };
  if (IsPostgres(db)) {
    absl::StatusOr<std::unique_ptr<PgStore>> store = PgStore::Open(db, std::move(options));
    if (!store.ok()) return store.status();
    return std::unique_ptr<FeedbackStore>(*std::move(store));
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(db, std::move(options));
  if (!store.ok()) return store.status();
  return std::unique_ptr<FeedbackStore>(*std::move(store));
}

FeedbackStore::FeedbackStore(FeedbackStoreOptions options) : options_(std::move(options)) {}

FeedbackStore::~FeedbackStore() {
  // A subclass that started the writer must have stopped it (its InsertAudit is gone by now).
  if (audit_writer_.joinable()) StopAuditWriter();
}

absl::Status FeedbackStore::AddFeedback(const FeedbackRecord& record) {
  if (absl::Status status = internal::ValidateFeedback(record); !status.ok()) return status;
  return AddFeedbackBatch(absl::MakeConstSpan(&record, 1));
}

absl::Status FeedbackStore::RecordTokenUse(std::string_view, std::string_view, absl::Time,
                                           absl::Time) {
  return absl::UnimplementedError(absl::StrCat(
      "the ", base::Absl(backend()), " store does not share used JWT ids between processes"));
}

void FeedbackStore::StartAuditWriter() {
  audit_writer_ = std::thread([this] { RunAuditWriter(); });
}

void FeedbackStore::StopAuditWriter() {
  if (!audit_writer_.joinable()) return;
  {
    absl::MutexLock lock(&audit_mu_);
    audit_closing_ = true;
  }
  audit_writer_.join();  // it commits what is queued first
}

absl::Status FeedbackStore::EnqueueAudit(AuditRecord record) {
  if (absl::Status status = internal::ValidateAudit(record); !status.ok()) return status;
  absl::MutexLock lock(&audit_mu_);
  const size_t waiting = audit_queue_.size() + audit_in_flight_;
  if (waiting >= options_.audit_queue_limit) {
    return absl::ResourceExhaustedError(
        absl::StrCat("feedback store: ", waiting, " audit rows are waiting for the database (",
                     audit_last_error_.message(), "); this row is not recorded"));
  }
  audit_queue_.push_back(std::move(record));
  ++audit_queued_;
  return absl::OkStatus();
}

size_t FeedbackStore::audit_rows_waiting() {
  absl::MutexLock lock(&audit_mu_);
  return audit_queue_.size() + audit_in_flight_;
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
  return absl::UnavailableError("feedback store: audit rows not yet written");
}

absl::Status FeedbackStore::AddAudit(const AuditRecord& record) {
  if (absl::Status status = EnqueueAudit(record); !status.ok()) return status;
  return FlushAudit();
}

// Group commit: takes everything queued, commits it in one transaction, repeats. While one
// commit waits for the database the next group gathers, so the commit rate stays bounded however
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
      if (const absl::Duration gather = AuditGatherInterval(); gather > absl::ZeroDuration()) {
        // Cut short by a flush or the close, so neither waits for the interval.
        audit_mu_.AwaitWithTimeout(absl::Condition(
                                       +[](FeedbackStore* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                         return self->audit_closing_ ||
                                                self->audit_flush_waiters_ > 0;
                                       },
                                       this),
                                   gather);
      }
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
    audit_mu_.AwaitWithTimeout(absl::Condition(
                                   +[](FeedbackStore* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                     return self->audit_closing_ || self->audit_flush_waiters_ > 0;
                                   },
                                   this),
                               backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

}  // namespace thrombo::service::store
