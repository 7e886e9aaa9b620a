// Copyright 2026 The Thrombo Authors.
// A bounded, expiring set of (issuer, jti) pairs that rejects a JWT presented twice.
#ifndef THROMBO_SERVICE_AUTH_REPLAY_CACHE_H_
#define THROMBO_SERVICE_AUTH_REPLAY_CACHE_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace thrombo::service::auth {

// Each entry lives until the moment its token could no longer be accepted anyway (the caller
// passes that as `forget_after`), so memory is bounded by the request rate times the token
// window. As a hard bound, at most `max_entries` are held: when the cache is full of live
// entries, Insert fails closed (kResourceExhausted) rather than forgetting a live jti, because
// forgetting one would let that token be replayed. Only issuers we trust can fill it (entries
// are added after signature verification), so a full cache means misconfiguration or a
// compromised client, which operators must see. Thread-safe.
class ReplayCache final {
 public:
  explicit ReplayCache(size_t max_entries) : max_entries_(max_entries) {}

  ReplayCache(const ReplayCache&) = delete;
  ReplayCache& operator=(const ReplayCache&) = delete;

  // Records `jti` for `issuer`. First drops every entry whose forget_after <= now.
  // Errors: kAlreadyExists if the pair is already recorded (a replay); kResourceExhausted if
  // max_entries live entries are held.
  absl::Status Insert(std::string_view issuer, std::string_view jti, absl::Time forget_after,
                      absl::Time now);

  size_t size() const;

 private:
  using Key = std::pair<std::string, std::string>;  // (issuer, jti)

  void EvictExpired(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_entries_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<Key, absl::Time> entries_ ABSL_GUARDED_BY(mu_);
  // Ordered by expiry so eviction is O(evicted · log n), not a scan.
  std::multimap<absl::Time, Key> by_expiry_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_REPLAY_CACHE_H_
