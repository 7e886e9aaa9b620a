// Copyright 2026 The Thrombo Authors.
#include "service/cli/feedback_command.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "service/store/feedback_store.h"

namespace thrombo::service {

absl::Status ExportFeedback(const std::string& db_path, bool audit, std::ostream& out) {
  struct stat info;
  if (!store::FeedbackStore::IsPostgres(db_path) && stat(db_path.c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat("--db ", db_path, ": no such database"));
  }
  absl::StatusOr<std::unique_ptr<store::FeedbackStore>> store =
      store::FeedbackStore::Open(db_path);
  if (!store.ok()) return store.status();
  return audit ? (*store)->ExportAuditJsonLines(out) : (*store)->ExportFeedbackJsonLines(out);
}

}  // namespace thrombo::service
