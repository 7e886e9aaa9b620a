// Copyright 2026 The Thrombo Authors.
// Bounded expiring (issuer, jti) replay cache.
#include "service/auth/replay_cache.h"

#include "absl/strings/str_cat.h"

namespace thrombo::service::auth {

void ReplayCache::EvictExpired(absl::Time now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    entries_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
}

absl::Status ReplayCache::Insert(std::string_view issuer, std::string_view jti,
                                 absl::Time forget_after, absl::Time now) {
  Key key{std::string(issuer), std::string(jti)};
  absl::MutexLock lock(&mu_);
  EvictExpired(now);
  if (entries_.contains(key)) return absl::AlreadyExistsError("jti has already been used");
  if (entries_.size() >= max_entries_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("replay cache is full (", max_entries_, " live entries)"));
  }
  entries_.emplace(key, forget_after);
  by_expiry_.emplace(forget_after, std::move(key));
  return absl::OkStatus();
}

size_t ReplayCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace thrombo::service::auth
